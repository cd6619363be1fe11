"""The SQL building blocks of the ladder give what Python gives, character for character."""

import datetime
import sys

import pytest
from django.db.models import DateField, TextField, Value
from django.utils import formats, translation

from notifications.expressions import PYTHON_WHITESPACE, DaysApart, Squish, date_label
from townships.models import City


def test_the_whitespace_set_is_what_str_split_splits_on():
    assert set(PYTHON_WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def _one(expression):
    """Evaluate one expression in the database (any one-row table will do)."""
    return City.objects.annotate(value=expression).values_list("value", flat=True).order_by("pk")[:1].get()


TEXTS = [
    "主街  立面\t广告牌\n破损",
    "\u3000\u3000前后全角空格\u3000",
    " \u00a0\u2003混合\u200a\u202f\u205f空白\r\n\x0b\x0c\x1c\x85 ",
    "没有空白",
    "",
    "   ",
    "zero\u200bwidth space is not whitespace",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_squish_is_pythons_split_and_join(lishui, text):
    assert _one(Squish(Value(text, output_field=TextField()))) == " ".join(text.split())


DAYS = [
    datetime.date(2026, 1, 5),
    datetime.date(2026, 11, 28),
    datetime.date(2026, 12, 31),
    datetime.date(2027, 2, 28),
    datetime.date(1999, 10, 1),
    datetime.date(2000, 2, 29),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en", "de"])
@pytest.mark.parametrize(
    "format_name", ["DATE_FORMAT", "SHORT_DATE_FORMAT", "D, d.m.y", r"l jS \o\f F Y", "N b M E"]
)
def test_date_label_is_djangos_date_format(lishui, language, format_name):
    # zh-hans is what the notices use; the others cover names, padding, ordinals and escapes.
    with translation.override(language):
        for day in DAYS:
            expected = formats.date_format(day, format_name)
            assert _one(date_label(Value(day, output_field=DateField()), format_name)) == expected


@pytest.mark.django_db
def test_days_apart(lishui):
    today = datetime.date(2026, 11, 28)
    for day, days in [(datetime.date(2026, 12, 1), 3), (today, 0), (datetime.date(2025, 11, 28), 365)]:
        assert (
            _one(DaysApart(Value(day, output_field=DateField()), Value(today, output_field=DateField())))
            == days
        )
