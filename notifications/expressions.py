"""SQL building blocks for notices that the database writes itself (the overdue ladder).

Each one computes in SQL, row by row, what Python computed before, to the byte: the apps describe
an item's subject and link with these, and `ladder_text_expression` turns a translated template
rendered once in Python into an expression the database fills for every row.
"""

import datetime
import re

from django.db.models import Case, CharField, Func, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractDay,
    ExtractIsoWeekDay,
    ExtractMonth,
    ExtractYear,
    LPad,
    Mod,
)
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import dateformat, formats

# What Python's str.split() splits on (str.isspace()), spelled for a PostgreSQL regular expression so
# that the database's locale does not decide; tests/notifications/test_ladder_sql.py checks the set.
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_WHITESPACE_CLASS = "[" + "".join(f"\\u{ord(c):04x}" for c in PYTHON_WHITESPACE) + "]"


class Squish(Func):
    """`" ".join(text.split())`: whitespace runs become one space, none at either end."""

    output_field = TextField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                f"regexp_replace(regexp_replace(%(expressions)s, '{_WHITESPACE_CLASS}+', ' ', 'g'),"
                " '^ | $', '', 'g')"
            ),
            **extra_context,
        )


class DaysApart(Func):
    """|a − b| in whole days, for two dates."""

    output_field = IntegerField()
    arity = 2
    template = "ABS(%(expressions)s)"
    arg_joiner = " - "


def _text(expression) -> Expression:
    return Cast(expression, CharField())


def _by_value(expression, values: dict[int, str]) -> Case:
    return Case(*[When(Exact(expression, n), then=Value(text)) for n, text in values.items()])


def _date_part(day, char: str) -> Expression:
    """One Django date-format character as SQL over the date expression `day`."""
    year, month, dom = ExtractYear(day), ExtractMonth(day), ExtractDay(day)
    numeric = {
        "Y": LPad(_text(year), 4, Value("0")),
        "y": LPad(_text(Cast(Mod(year, 100), IntegerField())), 2, Value("0")),
        "n": _text(month),
        "m": LPad(_text(month), 2, Value("0")),
        "j": _text(dom),
        "d": LPad(_text(dom), 2, Value("0")),
    }
    if char in numeric:
        return numeric[char]
    # Names depend on one part of the date only: rendered by Django for each value, picked in SQL.
    if char in "bEFMN":
        return _by_value(month, {m: dateformat.format(datetime.date(2001, m, 1), char) for m in range(1, 13)})
    if char in "DlSw":
        if char == "S":
            return _by_value(
                dom, {d: dateformat.format(datetime.date(2001, 1, d), char) for d in range(1, 32)}
            )
        # 2001-01-01 was a Monday, ISO weekday 1.
        weekday = ExtractIsoWeekDay(day)
        return _by_value(
            weekday, {w: dateformat.format(datetime.date(2001, 1, w), char) for w in range(1, 8)}
        )
    raise ValueError(f"date format character {char!r} has no SQL form")


def date_label(day, format_name: str = "DATE_FORMAT") -> Expression:
    """`formats.date_format(day, format_name)` in the active language, as SQL."""
    parts: list = []
    for i, piece in enumerate(dateformat.re_formatchars.split(str(formats.get_format(format_name)))):
        if i % 2:
            parts.append(_date_part(day, piece))
        elif piece:
            parts.append(Value(dateformat.re_escaped.sub(r"\1", piece)))
    return concat(parts)


def concat(parts: list) -> Expression:
    parts = [Value(p) if isinstance(p, str) else p for p in parts]
    if not parts:
        return Value("")
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=TextField())


def fill(template: str, values: dict[str, Combinable]) -> Expression:
    """`template` with each placeholder (a key of `values`) replaced by its SQL expression."""
    pattern = "(" + "|".join(re.escape(key) for key in values) + ")"
    return concat([values.get(piece, piece) for piece in re.split(pattern, template) if piece])


def url_with_pk(viewname: str, field: str = "pk") -> Expression:
    """The URL of `viewname` for the object whose id is in `field`: one reverse() for every row."""
    marker = "987654321"
    prefix, suffix = reverse(viewname, args=[int(marker)]).split(marker)
    return concat([prefix, _text(field), suffix])


def is_due(deadline: str, today: datetime.date) -> Q:
    """The deadline is today or ahead (the 'due in' form of the text), else it has passed."""
    return Q(**{f"{deadline}__gte": today})
