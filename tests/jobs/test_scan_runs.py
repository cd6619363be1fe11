"""The scan as a durable run of chunks (notifications.scans, renovation.overdue): claims, leases, resume."""

import datetime

import pytest
from django.utils import timezone

from inspections.models import Finding
from notifications.models import Notification, ScanChunk, ScanRun
from notifications.scans import ScanChunkBusy, scan_runs_resumable
from renovation.overdue import (
    scan_overdue,
    scan_overdue_chunk,
    scan_overdue_finish,
    scan_overdue_resume,
    scan_overdue_start,
)
from tests.factories import track

from .conftest import TODAY

pytestmark = [pytest.mark.django_db]


def _findings(township, assignee, n: int, offset: int = -2) -> None:
    sanitation = track()
    Finding.objects.bulk_create(
        Finding(
            township=township,
            track=sanitation,
            source="grid",
            description=f"第 {i} 项：沿街店招破损",
            deadline=TODAY - datetime.timedelta(days=offset),
            assignee=assignee,
        )
        for i in range(n)
    )


def _run(chunk_size: int) -> ScanRun:
    """A planned run; its chunks are not queued (the test's transaction never commits)."""
    return scan_overdue_start(today=TODAY, chunk_size=chunk_size)


def test_chunks_cover_every_item_once_and_the_last_chunk_closes_the_run(
    township, assignee, django_capture_on_commit_callbacks
):
    _findings(township, assignee, 25)
    _findings(township, assignee, 5, offset=-30)  # due later than any rung reaches: not planned
    with django_capture_on_commit_callbacks(execute=True):
        run = _run(chunk_size=10)
    findings = run.chunks.filter(source="findings").order_by("after")
    ids = sorted(Finding.objects.values_list("pk", flat=True))[:25]
    # Ranges (0, 10th], (10th, 20th], (20th, …): the last stays open for items added since.
    assert [(c.after, c.upto) for c in findings] == [(0, ids[9]), (ids[9], ids[19]), (ids[19], None)]
    assert set(run.chunks.values_list("source", flat=True)) == {"findings", "milestones", "approvals"}
    # Eager: the chunks ran on commit, the last one ran the closing steps.
    run.refresh_from_db()
    assert run.finished_at is not None and not run.chunks.filter(done_at__isnull=True).exists()
    assert run.result["findings"]["due_soon"] == 25 == Notification.objects.count()


def test_a_fresh_claim_of_another_worker_is_busy_an_expired_one_is_retaken(township, assignee, settings):
    _findings(township, assignee, 3)
    run = _run(chunk_size=100)
    chunk = run.chunks.get(source="findings")
    ScanChunk.objects.filter(pk=chunk.pk).update(claimed_at=timezone.now(), claimed_by="celery@other")
    with pytest.raises(ScanChunkBusy):
        scan_overdue_chunk(chunk_id=chunk.pk, node="celery@here")
    assert Notification.objects.count() == 0

    stale = timezone.now() - datetime.timedelta(seconds=settings.NOTIFICATIONS_SCAN_LEASE + 1)
    ScanChunk.objects.filter(pk=chunk.pk).update(claimed_at=stale)
    assert scan_overdue_chunk(chunk_id=chunk.pk, node="celery@here")["due_soon"] == 3
    chunk.refresh_from_db()
    assert chunk.claimed_by == "celery@here" and chunk.attempts == 1 and chunk.done_at is not None
    # Done: a duplicate message does nothing.
    assert scan_overdue_chunk(chunk_id=chunk.pk, node="celery@other") is None
    assert Notification.objects.count() == 3


def test_a_restarted_worker_takes_back_its_dead_claims_not_anyone_elses(township, assignee, settings):
    _findings(township, assignee, 30)
    run = _run(chunk_size=10)
    mine, others, fresh_mine = run.chunks.filter(source="findings").order_by("after")[:3]
    before = timezone.now()
    ScanChunk.objects.filter(pk=mine.pk).update(claimed_at=before, claimed_by="celery@a")
    ScanChunk.objects.filter(pk=others.pk).update(claimed_at=before, claimed_by="celery@b")
    ready_at = timezone.now()
    ScanChunk.objects.filter(pk=fresh_mine.pk).update(claimed_at=timezone.now(), claimed_by="celery@a")

    # A periodic sweep leaves a young run alone: its unclaimed chunks are presumably queued.
    assert scan_runs_resumable() == ([], [])
    chunk_ids, run_ids = scan_runs_resumable(node="celery@a", ready_at=ready_at)
    left = set(run.chunks.filter(claimed_at__isnull=True).values_list("pk", flat=True))
    assert set(chunk_ids) == left and mine.pk in left
    assert others.pk not in left and fresh_mine.pk not in left
    assert run_ids == []


def test_resume_finishes_a_run_cut_short_and_adds_nothing_twice(township, assignee):
    _findings(township, assignee, 30)
    run = _run(chunk_size=10)
    first = run.chunks.order_by("pk").first()
    scan_overdue_chunk(chunk_id=first.pk, node="celery@a")
    # Cut short: the second chunk was claimed by a worker that died, the rest never ran.
    second = run.chunks.order_by("pk")[1]
    ScanChunk.objects.filter(pk=second.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=1), claimed_by="celery@a"
    )
    assert scan_overdue_resume(node="celery@a", ready_at=timezone.now()) == run.chunks.count() - 1
    run.refresh_from_db()
    assert run.finished_at is not None
    assert Notification.objects.count() == 30
    assert Notification.objects.values("object_id").distinct().count() == 30
    # A rerun (a new run over the same day) finds nothing left to notify.
    assert sum(scan_overdue(today=TODAY)["findings"].values()) == 0
    assert Notification.objects.count() == 30


def test_closing_steps_run_once(township, assignee):
    _findings(township, assignee, 3)
    run = _run(chunk_size=100)
    assert scan_overdue_finish(run_id=run.pk) is None  # chunks still to do
    for pk in run.chunks.values_list("pk", flat=True):
        scan_overdue_chunk(chunk_id=pk)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert scan_overdue_finish(run_id=run.pk) is None
    assert scan_runs_resumable(node="x", ready_at=timezone.now()) == ([], [])
