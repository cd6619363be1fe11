"""The two group robots' webhook APIs: DingTalk (钉钉自定义机器人) and WeCom (企业微信群机器人).

Only the wire format lives here: signing, the markdown payload, splitting on UTF-8 boundaries and
reading the answer's error code. The ledger, the claims and the rate limit are in channels.py.

Nothing here logs or raises anything that holds the webhook address or the secret: the address
carries the robot's access token (DingTalk) or key (WeCom), so errors name the exception type only.
"""

import base64
import hashlib
import hmac
import time
import urllib.parse
from dataclasses import dataclass

import requests

from .choices import ChannelKind

# A robot takes 20 messages a minute (both vendors document the same number).
POSTS_PER_MINUTE = 20
# WeCom: "markdown.content 最长不超过4096个字节，必须是utf8编码". DingTalk documents no markdown limit
# of its own below its 20,000-byte message; stay well under it.
MAX_BYTES = {ChannelKind.WECOM: 4096, ChannelKind.DINGTALK: 18000}

# The documented error codes the sender acts on; any other non-zero code fails the one delivery.
RATE_LIMITED = {
    ChannelKind.DINGTALK: {130101, 410100},  # send too fast, exceed 20 times per minute
    ChannelKind.WECOM: {45009, 45033},  # api freq out of limit
}
REFUSED = {
    # 310000: sign not match / keywords not in content / ip not in whitelist; 300001: token is not exist
    ChannelKind.DINGTALK: {310000, 300001, 300005, 400101},
    ChannelKind.WECOM: {93000, 93004},  # invalid webhook url; the robot is blocked
}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The robot API's signature: base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, *, now_ms: int | None = None) -> str:
    """The webhook with `timestamp` and `sign` added (DingTalk robots with 加签 on); as is without a secret."""
    if not secret:
        return url
    timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"


def utf8_cut(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` bytes of UTF-8, never half a character."""
    return text.encode()[:limit].decode("utf-8", errors="ignore")


def split_markdown(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` bytes, cut between lines where a line fits, else inside the line
    on a character boundary."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line.encode()) > limit:
            head = utf8_cut(line, limit)
            parts.append(head)
            line = line[len(head) :]
        current = line
    if current or not parts:
        parts.append(current)
    return parts


def message_parts(kind: str, *, title: str, body: str, mobiles: list[str]) -> list[dict]:
    """The JSON bodies to post for one message, in order; more than one when it is too long."""
    mention = "\n\n" + " ".join(f"@{m}" for m in mobiles) if mobiles and kind == ChannelKind.DINGTALK else ""
    limit = MAX_BYTES[kind] - len(mention.encode()) - 200  # room for the heading of a part
    pieces = split_markdown(body, limit)
    payloads = []
    for number, piece in enumerate(pieces, start=1):
        heading = title if len(pieces) == 1 else f"{title}（{number}/{len(pieces)}）"
        heading = utf8_cut(heading, 150)
        text = f"### {heading}\n\n{piece}"
        if kind == ChannelKind.DINGTALK:
            last = number == len(pieces)
            payloads.append(
                {
                    "msgtype": "markdown",
                    "markdown": {"title": heading, "text": text + (mention if last else "")},
                    "at": {"atMobiles": mobiles if last else [], "isAtAll": False},
                }
            )
        else:
            payloads.append({"msgtype": "markdown", "markdown": {"content": utf8_cut(text, MAX_BYTES[kind])}})
    return payloads


@dataclass(frozen=True)
class Answer:
    ok: bool
    code: int | None = None
    message: str = ""
    rate_limited: bool = False
    refused: bool = False  # the key, token or signature was refused: the channel needs fixing


class TransportError(Exception):
    """No answer from the robot (connection, timeout, 5xx): worth another try later."""


def post(kind: str, *, url: str, secret: str, payload: dict, timeout: float) -> Answer:
    """POST one payload; the robot's JSON answer classified. Raises TransportError without one."""
    target = signed_url(url, secret) if kind == ChannelKind.DINGTALK else url
    try:
        response = requests.post(target, json=payload, timeout=timeout)
    except requests.RequestException as exc:
        # The exception's text holds the URL (and so the token and the signature): its type only.
        raise TransportError(type(exc).__name__) from None
    if response.status_code >= 500:
        raise TransportError(f"HTTP {response.status_code}")
    try:
        data = response.json()
        code = int(data.get("errcode", -1))
        message = str(data.get("errmsg", ""))[:200]
    except (ValueError, AttributeError, TypeError):
        return Answer(ok=False, message=f"HTTP {response.status_code}, not a robot answer")
    if code == 0:
        return Answer(ok=True, code=0, message=message)
    return Answer(
        ok=False,
        code=code,
        message=message,
        rate_limited=code in RATE_LIMITED[kind] or response.status_code == 429,
        refused=code in REFUSED[kind],
    )
