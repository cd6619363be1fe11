"""A published period's rankings answer is served from the cache, identical to the live one."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standings.services import ranking_publish


@pytest.mark.django_db
def test_published_rankings_cached_and_identical(api_as, users, township, other_township):
    ranking_publish(period=datetime.date.today().strftime("%Y-%m"), by=users["city_office"])
    api = api_as(users["province"])
    period = datetime.date.today().strftime("%Y-%m")
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        live = api.get("/api/v1/rankings/", {"period": period})
    with CaptureQueriesContext(connection) as second:
        cached = api.get("/api/v1/rankings/", {"period": period})
    assert live.status_code == cached.status_code == 200
    assert live.json()["count"] > 0
    assert cached.content == live.content
    assert len(second.captured_queries) < len(first.captured_queries)
    # another scope never gets the province's answer
    county = api_as(users["county_official"]).get("/api/v1/rankings/", {"period": period}).json()
    assert county["count"] < live.json()["count"]


@pytest.mark.django_db
def test_progress_cached_until_the_next_refresh(api_as, users, township):
    from standings.services import standings_refresh
    from tests.factories import TargetFactory

    standings_refresh()
    api = api_as(users["city_office"])
    before = api.get("/api/v1/progress/", {"group_by": "county"}).json()
    again = api.get("/api/v1/progress/", {"group_by": "county"}).json()
    assert again == before
    TargetFactory(township=township)
    assert api.get("/api/v1/progress/", {"group_by": "county"}).json() == before  # not refreshed yet
    standings_refresh()
    after = api.get("/api/v1/progress/", {"group_by": "county"}).json()
    row = next(r for r in after["results"] if r["code"] == township.county.code)
    old = next(r for r in before["results"] if r["code"] == township.county.code)
    assert row["targets"] == old["targets"] + 1


def _body(content: bytes) -> str:
    # the dashboard itself; the chrome around it carries per-request tokens
    text = content.decode()
    return text[text.index('<div class="page-head">') : text.rindex("</main>")]


@pytest.mark.django_db
def test_overview_keys_match_and_the_cached_page_is_the_live_page(client_as, users, township):
    from renovation.views import OVERVIEW_KEYS
    from standings.dashboards import overview
    from standings.services import standings_refresh

    standings_refresh()
    assert set(overview(users["city_office"])) == set(OVERVIEW_KEYS)
    client = client_as(users["city_office"])
    cache.clear()
    live = _body(client.get("/").content)
    with CaptureQueriesContext(connection) as hit:
        cached = _body(client.get("/").content)
    assert "page-head" in live and cached == live
    assert not any("standings_trackstanding" in q["sql"] for q in hit.captured_queries)
    # a refresh changes the version: the page is computed again
    standings_refresh()
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    assert any("standings_trackstanding" in q["sql"] for q in again.captured_queries)
