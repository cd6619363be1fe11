"""The lean list path (townships.api.lean) answers exactly what the stock DRF list answers."""

import pytest
from rest_framework import mixins, serializers

from townships.api.lean import lean_paths
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
