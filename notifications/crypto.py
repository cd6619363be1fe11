"""Encryption at rest for the group robots' webhook addresses and secrets (Fernet: AES-128-CBC with
an HMAC-SHA256 tag).

The key is NOTIFICATIONS_CHANNEL_KEY when set (a Fernet key), else derived from SECRET_KEY; the
keys derived from SECRET_KEY_FALLBACKS still decrypt, so rotating SECRET_KEY keeps the channels
readable until they are saved again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived(secret: str) -> bytes:
    digest = hashlib.sha256(b"renovation.notifications.channel:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    keys = []
    if settings.NOTIFICATIONS_CHANNEL_KEY:
        keys.append(settings.NOTIFICATIONS_CHANNEL_KEY.encode())
    keys.append(_derived(settings.SECRET_KEY))
    keys += [_derived(old) for old in getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "the channel's stored credentials cannot be decrypted with the current keys"
        ) from exc
