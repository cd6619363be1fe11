"""A lean read path for hot list endpoints: `.values()` rows through cached serializer fields.

A ModelSerializer list builds its fields from the model on every request, makes a model instance per
row and walks each field's source on it. For flat, read-only list answers the same JSON comes out of
`.values()` rows fed to the same fields' `to_representation`, with the field plan built once per
process. Only flat fields qualify (no nested serializers, method fields, files or hyperlinks); a
serializer with anything else is refused when the plan is built, so a new field cannot silently
change the answer.

Kept for two budgets of `make bench`: through DRF's stock list the findings lists fall to half the
joined-list budget and the full townships list under the simple-list one (`bench/run.py --stock
lean` measures both side by side; figures in docs/performance.md › Forks).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

_PLANS: dict[type, list[tuple[str, str, object]]] = {}


def _identity(value):
    return value


def _aware_iso(value: datetime.datetime) -> str:
    """DRF's DateTimeField output for an aware value: ISO 8601 in the current time zone, UTC as Z."""
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _converter(field):
    """field.to_representation, or a cheaper callable that answers the same for what values() gives.

    DRF's generic methods (BooleanField's set lookups, DecimalField's quantize in a copied context,
    DateField's format checks) were most of a 50-row page's serialization time. Anything but the
    expected type still goes through the field itself.
    """
    method, slow = type(field).to_representation, field.to_representation
    if method is serializers.CharField.to_representation:
        return str
    if method is serializers.IntegerField.to_representation:
        return int
    if method is serializers.BooleanField.to_representation:
        return lambda value: value if value.__class__ is bool else slow(value)
    if method is serializers.DateField.to_representation:
        if getattr(field, "format", api_settings.DATE_FORMAT) != ISO_8601:
            return slow
        return lambda value: value.isoformat() if value.__class__ is datetime.date else slow(value)
    if method is serializers.DateTimeField.to_representation:
        if (
            not settings.USE_TZ
            or hasattr(field, "timezone")
            or getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601
        ):
            return slow
        return lambda value: (
            _aware_iso(value) if value.__class__ is datetime.datetime and value.tzinfo else slow(value)
        )
    if method is serializers.DecimalField.to_representation:
        if field.decimal_places is None or field.normalize_output or field.localize:
            return slow
        if not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING):
            return slow
        exponent = -field.decimal_places
        # a NUMERIC column's value already has the field's places: quantizing it changes nothing
        return lambda value: (
            format(value, "f")
            if value.__class__ is Decimal and value.as_tuple().exponent == exponent
            else slow(value)
        )
    return slow


def _nullable_hop(model, source: str) -> bool:
    """Whether a relation before the last part of a dotted source may be null."""
    *hops, _ = source.split(".")
    for hop in hops:
        field = model._meta.get_field(hop)
        if field.null or not field.is_relation:
            return True
        model = field.related_model
    return False


def _plan(serializer_class) -> list[tuple[str, str, object]]:
    plan = _PLANS.get(serializer_class)
    if plan is None:
        plan = []
        for name, field in serializer_class().fields.items():
            if isinstance(field, relations.SlugRelatedField):
                # to_representation reads slug_field off the related object: the lookup does it here
                path, convert = f"{field.source.replace('.', '__')}__{field.slug_field}", _identity
            elif isinstance(field, relations.PrimaryKeyRelatedField):
                path, convert = field.source.replace(".", "__"), _identity  # values() gives the id
            elif (
                isinstance(
                    field,
                    (
                        serializers.BaseSerializer,
                        serializers.SerializerMethodField,
                        serializers.FileField,
                        relations.RelatedField,
                        relations.ManyRelatedField,
                    ),
                )
                or field.source == "*"
            ):
                raise TypeError(f"{serializer_class.__name__}.{name} cannot be served from values()")
            else:
                if field.default is serializers.empty and _nullable_hop(
                    serializer_class.Meta.model, field.source
                ):
                    # DRF drops the key when such a chain meets a null; values() cannot tell that apart
                    raise TypeError(f"{serializer_class.__name__}.{name}: a nullable hop needs default=None")
                path, convert = field.source.replace(".", "__"), _converter(field)
            plan.append((name, path, convert))
        _PLANS[serializer_class] = plan
    return plan


def lean_paths(serializer_class) -> list[str]:
    """The `.values()` lookups that `lean_rows` needs for this serializer."""
    return list(dict.fromkeys(path for _, path, _ in _plan(serializer_class)))


def lean_rows(serializer_class, rows) -> list[dict]:
    """`serializer_class(many=True).data` for `.values(*lean_paths(...))` rows, field for field."""
    plan = _plan(serializer_class)
    return [
        {name: None if (value := row[path]) is None else convert(value) for name, path, convert in plan}
        for row in rows
    ]


class LeanListMixin:
    """`list()` through `.values()`; get_queryset() and the FilterSet stay exactly as they are.

    `lean_expressions` computes in SQL a source that is a model property (e.g. {"is_fast_track": ...}).
    """

    lean_expressions: dict = {}

    def list(self, request, *args, **kwargs):
        serializer_class = self.get_serializer_class()
        paths = [p for p in lean_paths(serializer_class) if p not in self.lean_expressions]
        queryset = self.filter_queryset(self.get_queryset()).values(*paths, **self.lean_expressions)
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(lean_rows(serializer_class, page))
        return Response(lean_rows(serializer_class, queryset))
