"""The API paginator takes a `.values()` list's total from the page query (COUNT(*) OVER ())."""

import pytest

from core.pagination import WindowCountPaginator
from townships.models import Township

pytestmark = [pytest.mark.django_db]


def test_totals_pages_and_links_are_those_of_a_count_query(api_as, users, lishui, django_assert_num_queries):
    api = api_as(users["province"])
    # token+user+memberships, one page query that also carries the total
    with django_assert_num_queries(2):
        first = api.get("/api/v1/townships/", {"page_size": 50}).json()
    assert first["count"] == 173 and len(first["results"]) == 50 and first["previous"] is None
    last = api.get("/api/v1/townships/", {"page_size": 50, "page": 4}).json()
    assert last["count"] == 173 and len(last["results"]) == 23 and last["next"] is None
    assert "_page_total" not in last["results"][0]
    codes = [
        row["code"]
        for page in (1, 2, 3, 4)
        for row in api.get("/api/v1/townships/", {"page_size": 50, "page": page}).json()["results"]
    ]
    assert codes == list(Township.objects.order_by("code").values_list("code", flat=True))


def test_past_the_end_and_bad_numbers_answer_404_as_before(api_as, users, lishui):
    api = api_as(users["province"])
    assert api.get("/api/v1/townships/", {"page": 5}).status_code == 404
    assert api.get("/api/v1/townships/", {"page": 0}).status_code == 404
    assert api.get("/api/v1/townships/", {"page": "x"}).status_code == 404


def test_an_empty_list_counts_zero(api_as, users, lishui):
    body = api_as(users["province"]).get("/api/v1/townships/", {"county": "331181", "category": "x"})
    assert body.status_code == 400  # an unknown category is refused, not an empty page
    empty = api_as(users["province"]).get("/api/v1/townships/", {"search": "没有这个乡镇"}).json()
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


def test_distinct_and_model_querysets_keep_the_count_query(lishui, django_assert_num_queries):
    distinct = Township.objects.values("county_id").distinct().order_by("county_id")
    paginator = WindowCountPaginator(distinct, 5)
    with django_assert_num_queries(2):  # COUNT over the DISTINCT, then the page
        assert len(paginator.page(1)) == 5
    assert paginator.count == 9
    paginator = WindowCountPaginator(Township.objects.order_by("code"), 100)
    with django_assert_num_queries(2):
        assert len(paginator.page(2)) == 73 and paginator.count == 173
