"""Issue 20 (4): a committed write marks its townships stale; the refresh that follows rebuilds only those.

Through HTTP with the task run at commit (eagerly); the real worker: tests/jobs/test_export_worker.py.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from standings.freshness import QUEUED_KEY, queue_refresh
from standings.models import StaleTownship, TownshipStanding
from standings.services import standings_refresh
from tests.factories import ProgressReportFactory, TargetFactory
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]
TODAY = timezone.localdate()


def _stamp(township):
    return TownshipStanding.objects.get(township=township).refreshed_at


def test_a_progress_report_refreshes_its_township_only(
    client_as, api_as, users, township, other_township, django_capture_on_commit_callbacks
):
    target = TargetFactory(township=township)
    ProgressReportFactory(
        target=target, reported_on=TODAY - datetime.timedelta(days=3), cumulative_quantity=10
    )
    standings_refresh()
    other_before, mine_before = _stamp(other_township), _stamp(township)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_as(users["township_staff"]).post(
            "/progress-reports/new/",
            {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "60"},
        )
    assert response.status_code == 302 and callbacks
    assert TownshipStanding.objects.get(township=township).done_quantity == 60
    assert _stamp(township) > mine_before and _stamp(other_township) == other_before  # only the one
    assert not StaleTownship.objects.exists()
    body = api_as(users["city_office"]).get("/api/v1/progress/", {"group_by": "township"}).json()
    row = next(r for r in body["results"] if r["code"] == township.code)
    assert row["done_quantity"] == "60.00"
    assert body["as_of"] == timezone.localtime(_stamp(township)).isoformat()


def test_finding_changes_mark_the_township_in_their_transaction(client_as, users, township):
    standings_refresh()
    finding = FindingFactory(township=township, status="submitted")
    # no commit yet (the test's transaction): the mark is there, the refresh is not
    response = client_as(users["county_official"]).post(
        f"/inspections/findings/{finding.pk}/verify/", {"note": "复核通过"}
    )
    assert response.status_code == 302
    assert list(StaleTownship.objects.values_list("township_id", flat=True)) == [township.pk]


def test_a_refused_write_marks_nothing(client_as, users, township):
    finding = FindingFactory(township=township, status="open")
    response = client_as(users["county_official"]).post(f"/inspections/findings/{finding.pk}/verify/", {})
    assert response.status_code in (400, 403)
    assert not StaleTownship.objects.exists()


def test_the_full_refresh_takes_the_marks_and_one_refresh_is_queued_at_a_time(township, settings):
    StaleTownship.objects.create(township=township)
    standings_refresh()
    assert not StaleTownship.objects.exists()
    cache.set(QUEUED_KEY, "1", 60)  # a refresh is queued already: a second write adds none
    assert queue_refresh() is False
    cache.delete(QUEUED_KEY)


def test_progress_answer_says_as_of_and_the_cached_answer_is_byte_identical(api_as, users, township):
    # progress/ gained `as_of` (issue 20): the cached answer must still equal the live one, byte for byte.
    standings_refresh()
    api = api_as(users["city_office"])
    cache.clear()
    live = api.get("/api/v1/progress/", {"group_by": "county"})
    cached = api.get("/api/v1/progress/", {"group_by": "county"})
    assert cached.content == live.content
    assert list(live.json()) == ["count", "next", "previous", "results", "as_of"]
    latest = TownshipStanding.objects.order_by("-refreshed_at").first().refreshed_at
    assert live.json()["as_of"] == timezone.localtime(latest).isoformat()
