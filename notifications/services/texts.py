"""The wording of the overdue ladder's notices, in Python and as the same bytes in SQL."""

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact
from django.utils import formats, translation
from django.utils.translation import gettext as _

from ..choices import NotificationKind
from ..expressions import DaysApart, date_label, fill, is_due


def chinese_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# Placeholders of a rung's template: filled by Python (ladder_text) or by SQL (ladder_text_expression).
_DAYS, _DEADLINE, _SUBJECT = "\x00days\x00", "\x00deadline\x00", "\x00subject\x00"


@lru_cache(maxsize=64)
def ladder_template(kind: str, due: bool, language: str) -> str:
    """The translated line of one kind, due or overdue, with placeholders: rendered once per scan."""
    with translation.override(language):
        if due:
            line = _("%(kind)s due in %(days)s days (deadline %(deadline)s): %(subject)s")
        else:
            line = _("%(kind)s %(days)s days overdue (deadline %(deadline)s): %(subject)s")
        return line % {
            "kind": NotificationKind(kind).label,
            "days": _DAYS,
            "deadline": _DEADLINE,
            "subject": _SUBJECT,
        }


def ladder_text(*, kind: str, subject: str, deadline: date, today: date) -> str:
    """The one-line Chinese notice of a ladder rung: the item, the deadline, days left or overdue.

    The rung itself (`level`) is shown beside it: the inbox badge, the e-mail subject. The scan
    computes the same text in SQL (`ladder_text_expression`); this is its reference.
    """
    days = (deadline - today).days
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        label = chinese_date(deadline)
    return (
        ladder_template(kind, days >= 0, language)
        .replace(_DAYS, str(abs(days)))
        .replace(_DEADLINE, label)
        .replace(_SUBJECT, subject)
    )


def ladder_text_expression(*, kind: str | Expression, subject: Expression, deadline: str, today: date):
    """`ladder_text` as an SQL expression over items with a `deadline` field and a `subject`.

    `kind` is a NotificationKind value or an expression that yields one per row. The templates are
    rendered once here; the database fills in the days, the date (Django's DATE_FORMAT of the
    language, `expressions.date_label`) and the subject, byte for byte what `ladder_text` writes.
    """
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        values = {
            _DAYS: DaysApart(F(deadline), Value(today)),
            _DEADLINE: date_label(F(deadline)),
            _SUBJECT: subject,
        }

    def line(value: str) -> Case:
        return Case(
            When(is_due(deadline, today), then=fill(ladder_template(value, True, language), values)),
            default=fill(ladder_template(value, False, language), values),
        )

    if isinstance(kind, str):
        return line(kind)
    return Case(*[When(Exact(kind, value), then=line(value)) for value in NotificationKind.values])
