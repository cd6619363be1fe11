"""Bounds on what a user may type, shared by models, forms and the API (issue 15: unbounded input)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

# Descriptions, notes, reasons, replies: a rectification item is a paragraph, not a document.
TEXT_MAX_LENGTH = 5000
# A bulletin's body is a whole official document.
DOCUMENT_MAX_LENGTH = 50_000

EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 10


def latest_date(today: datetime.date | None = None) -> datetime.date:
    today = today or localdate()
    try:
        return today.replace(year=today.year + LATEST_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + LATEST_YEARS_AHEAD, day=28)


def plausible_date(value: datetime.date) -> None:
    """Every user-entered date: not before 2000-01-01, not more than ten years ahead."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    latest = latest_date()
    if value < EARLIEST_DATE or value > latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()},
            code="implausible_date",
        )
