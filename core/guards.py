"""The refusals every service makes the same way: a user who may not act, input that is missing."""

from django.core.exceptions import PermissionDenied, ValidationError


def require(allowed: bool, message: str) -> None:
    """Refuse (403, with `message`) unless the user is allowed."""
    if not allowed:
        raise PermissionDenied(message)


def required_text(value, *, field: str, message: str) -> str:
    """The text without surrounding blanks; a field error with `message` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text
