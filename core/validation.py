"""Checks of user input that every app makes the same way."""

from django.core.exceptions import ValidationError


def required_text(value, *, field: str, message: str) -> str:
    """The text without surrounding blanks; a field error with `message` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text
