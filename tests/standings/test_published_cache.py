"""Cached answers (rankings, progress, the overview) are identical to the live ones and change with the data versions.

These tests commit (transaction=True): inside a transaction nothing is cached (core.versions.data_version)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standings.services import ranking_publish


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
def test_a_township_rename_shows_at_once_in_cached_rankings(api_as, users, township):
    from townships.models import Township

    period = datetime.date.today().strftime("%Y-%m")
    ranking_publish(period=period, by=users["city_office"])
    api = api_as(users["city_office"])
    cache.clear()
    api.get("/api/v1/rankings/", {"period": period})
    Township.objects.filter(pk=township.pk).update(name="碧湖镇（改名）")  # a bulk update no signal sees
    names = [r["township_name"] for r in api.get("/api/v1/rankings/", {"period": period}).json()["results"]]
    assert "碧湖镇（改名）" in names


@pytest.mark.django_db(transaction=True)
def test_a_yellow_card_shows_at_once_on_the_cached_overview(client_as, users, township):
    from inspections.services.cards import yellow_card_issue
    from standings.services import standings_refresh

    standings_refresh()
    client = client_as(users["city_office"])
    cache.clear()
    client.get("/")
    with CaptureQueriesContext(connection) as hit:
        client.get("/")
    assert not any("inspections_yellowcard" in q["sql"] for q in hit.captured_queries)
    yellow_card_issue(by=users["city_office"], township=township, reason="整治滞后，督查未改")
    with CaptureQueriesContext(connection) as again:
        client.get("/")  # the inspections data version changed: the overview is computed again
    assert any("inspections_yellowcard" in q["sql"] for q in again.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_cache_lifetimes_are_settings(api_as, users, township, settings):
    from standings.services import standings_refresh

    standings_refresh()
    settings.CACHE_SECONDS = {**settings.CACHE_SECONDS, "standings:progress": 0}
    api = api_as(users["city_office"])
    api.get("/api/v1/progress/", {"group_by": "county"})
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/progress/", {"group_by": "county"})
    assert any("standings_townshipstanding" in q["sql"] for q in queries.captured_queries)
    assert not any("core_data_version" in q["sql"] for q in queries.captured_queries)
