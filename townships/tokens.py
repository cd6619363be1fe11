"""API tokens and log-in sessions: issue, expire, touch, revoke, and end them all (logout everywhere).

A token lives API_TOKEN_TTL_DAYS from its creation. It is deleted when the password changes (any
path: the password page, the admin, `set_password` in a shell — see `rotate_on_password_change`),
when its user revokes it or logs out everywhere; the next `POST /api/v1/auth/token/` issues a new key.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import TokenUse

# Last-used is a hint for the user, not an audit log: one write a minute per token at most.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_expired(token: Token, now: datetime.datetime | None = None) -> bool:
    return token_expires_at(token) <= (now or timezone.now())


def token_last_used(token: Token) -> datetime.datetime | None:
    try:
        return token.usage.last_used_at
    except ObjectDoesNotExist:
        return None


def token_touch(token: Token, now: datetime.datetime | None = None) -> None:
    """Record a use; `token.usage` comes with the token (select_related), so a recent use costs nothing."""
    now = now or timezone.now()
    last = token_last_used(token)
    if last is None:
        TokenUse.objects.bulk_create([TokenUse(token=token, last_used_at=now)], ignore_conflicts=True)
    elif last < now - TOUCH_EVERY:
        # Conditional: of two requests racing past the minute, one writes.
        TokenUse.objects.filter(pk=token.pk, last_used_at__lt=now - TOUCH_EVERY).update(last_used_at=now)


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's token while it is valid, else a new one (a new key: the old one never answers again)."""
    # Holding the user row makes two log-ins at once agree on one token.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    token = Token.objects.filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> int:
    """Delete the user's API token; returns how many were deleted (0 or 1)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def sessions_end_all(*, user, keep: str | None = None) -> int:
    """Log the user out everywhere: their API token and every session but `keep` (the current one).

    Sessions live in the database (the default engine) and name their user only inside the signed
    data, so each unexpired session is decoded once; a rare, user-initiated action.
    """
    from importlib import import_module

    token_revoke(user=user)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or "")
    for session in sessions.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def rotate_on_password_change(sender, instance, created, **kwargs) -> None:
    """post_save of the user: `set_password` leaves the raw password on the instance until after save."""
    if not created and getattr(instance, "_password", None) is not None:
        token_revoke(user=instance)
