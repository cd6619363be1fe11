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
