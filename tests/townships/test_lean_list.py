"""The lean list path (core.api.lean) answers exactly what the stock DRF list answers."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import mixins, serializers

from core.api.lean import _converter, lean_paths
from townships.api.views import TownshipViewSet


def same_as_stock(api, monkeypatch, view, url, **params) -> dict:
    lean = api.get(url, params)
    with monkeypatch.context() as m:
        m.setattr(view, "list", mixins.ListModelMixin.list)
        stock = api.get(url, params)
    assert lean.status_code == stock.status_code == 200
    assert lean.content == stock.content
    return lean.json()


@pytest.mark.django_db
def test_township_list_is_the_stock_answer(api_as, users, lishui, monkeypatch):
    api = api_as(users["city_office"])
    body = same_as_stock(api, monkeypatch, TownshipViewSet, "/api/v1/townships/", county="331102")
    assert body["count"] > 0 and body["results"][0]["county"] == "331102"
    same_as_stock(api, monkeypatch, TownshipViewSet, "/api/v1/townships/", page_size=500)
    same_as_stock(api, monkeypatch, TownshipViewSet, "/api/v1/townships/", search="碧湖")


def test_fields_values_cannot_serve_are_refused():
    class Nested(serializers.Serializer):
        inner = serializers.SerializerMethodField()

        def get_inner(self, obj):
            return 1

    with pytest.raises(TypeError):
        lean_paths(Nested)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (serializers.CharField(), ["碧湖镇", "", 12]),
        (serializers.IntegerField(), [0, 7, True]),
        (serializers.BooleanField(), [True, False, 1, 0, "true"]),
        (serializers.DateField(), [datetime.date(2026, 1, 31), "2026-01-31"]),
        (
            serializers.DateTimeField(),
            [
                datetime.datetime(2026, 1, 31, 23, 30, 5, 123456, tzinfo=datetime.UTC),
                datetime.datetime(2026, 1, 31, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                datetime.datetime(2026, 1, 31, 8, 0),  # naive: through the field
                "2026-01-31T08:00:00Z",
            ],
        ),
        (
            serializers.DecimalField(max_digits=16, decimal_places=2),
            [Decimal("1.50"), Decimal("1.5"), Decimal("3"), Decimal("-0.00"), Decimal("12.345"), 7, 2.5],
        ),
        (serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=False), [Decimal("1.5")]),
    ],
)
@pytest.mark.parametrize("zone", [None, "UTC", "Asia/Shanghai"])
def test_cheap_converters_answer_as_the_field(field, values, zone):
    convert = _converter(field)
    with timezone.override(zone) if zone else contextlib.nullcontext():
        for value in values:
            assert convert(value) == field.to_representation(value), value
            assert type(convert(value)) is type(field.to_representation(value)), value
