"""The scan is set-based: its query count does not grow with the number of open findings."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Finding
from inspections.overdue import scan_overdue_findings
from notifications.models import Notification
from tests.factories import track

from .conftest import TODAY

pytestmark = [pytest.mark.django_db]


def _bulk_findings(township, assignee, count: int, deadline: datetime.date) -> None:
    sanitation = track()
    Finding.objects.bulk_create(
        (
            Finding(
                township=township,
                track=sanitation,
                source="grid",
                description=f"问题 {i}",
                deadline=deadline,
                assignee=assignee,
            )
            for i in range(count)
        ),
        batch_size=20_000,
    )


def test_scan_of_100000_open_findings_has_bounded_queries(township, assignee, settings):
    settings.NOTIFICATIONS_SCAN_CHUNK = 100_000
    due_soon = TODAY + datetime.timedelta(days=2)

    _bulk_findings(township, assignee, 10, due_soon)
    ContentType.objects.get_for_model(Finding)  # cached per process, like in a worker
    with CaptureQueriesContext(connection) as small:
        created_small = scan_overdue_findings(today=TODAY)
    _bulk_findings(township, assignee, 100_000, due_soon)
    with CaptureQueriesContext(connection) as large:
        created_large = scan_overdue_findings(today=TODAY)

    assert created_small["due_soon"] == 10
    assert created_large["due_soon"] == 100_000
    assert Notification.objects.count() == 100_010
    # Per rung: one statement per chunk (the chunk is read, joined to its recipients and inserted
    # by the database) and one that finds the next chunk empty; each in its own transaction: here a
    # savepoint, SET LOCAL jit = off, the statement, the release.
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    # 20 for the ladder (due_soon has a chunk, the three other rungs none), 11 for the yellow-card
    # rule of the inspections app that runs with it.
    assert len(large) <= 31, "\n".join(q["sql"][:100] for q in large.captured_queries)
