"""The nightly overdue job: every app's ladder scan, then the closing steps (issue 7).

It lives here because it spans apps (DESIGN.md §3, layer 4); each app owns its own scan (its
sources and its follow-up), notifications runs them as a durable `ScanRun` of chunks (issue 15):
the chunks are tasks that any worker may take, and a worker killed mid-scan loses none of them.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.timezone import localdate

from inspections.overdue import finding_digest, finding_scan_finish, finding_source
from notifications.digest import digest_send
from notifications.models import ScanChunk, ScanRun
from notifications.scans import (
    scan_chunk_run,
    scan_run_create,
    scan_run_finish_claim,
    scan_run_finished,
    scan_runs_resumable,
)
from notifications.services.mail import notifications_requeue
from projects.overdue import approval_source, milestone_source, project_digest

logger = logging.getLogger(__name__)

# The sources a run's chunks name, in scan order.
SOURCES = {"findings": finding_source, "milestones": milestone_source, "approvals": approval_source}


def _closing_steps(today: datetime.date) -> dict:
    finding_scan_finish(today=today)
    digests = (
        digest_send(today=today, sources=[finding_digest, project_digest])
        if settings.NOTIFICATIONS_DIGEST_ENABLED
        else 0
    )
    # Sends whose publish was lost after commit, or whose worker died, go out now.
    return {"digests": digests, "requeued": notifications_requeue()}


def queue_scan_work(*, chunk_ids: list[int], run_ids: list[int] = ()) -> None:
    from .tasks import scan_overdue_chunk_task, scan_overdue_finish_task

    for pk in chunk_ids:
        scan_overdue_chunk_task.delay(pk)
    for pk in run_ids:
        scan_overdue_finish_task.delay(pk)


def scan_overdue_start(*, today: datetime.date | None = None, chunk_size: int | None = None) -> ScanRun:
    """Plan a scan as of `today`; its chunks go to the workers after commit."""
    today = today or localdate()
    with transaction.atomic():
        run = scan_run_create(
            today=today, sources={name: source() for name, source in SOURCES.items()}, chunk_size=chunk_size
        )
        chunk_ids = list(run.chunks.order_by("pk").values_list("pk", flat=True))
        transaction.on_commit(lambda: queue_scan_work(chunk_ids=chunk_ids))
    logger.info("scan_overdue %s: run %s, %s chunks", today, run.pk, len(chunk_ids))
    return run


def scan_overdue_finish(*, run_id: int, node: str = "") -> dict | None:
    """The closing steps, once, when every chunk of the run is done; returns the run's result."""
    if not scan_run_finish_claim(run_id=run_id, node=node):
        return None
    run = ScanRun.objects.get(pk=run_id)
    with translation.override(settings.LANGUAGE_CODE):
        result = scan_run_finished(run_id=run_id, result=_closing_steps(run.day))
    logger.info("scan_overdue %s: run %s finished: %s", run.day, run_id, result)
    return result


def scan_overdue_chunk(*, chunk_id: int, node: str = "") -> dict | None:
    """One chunk (None if it was done already); the last chunk of a run runs its closing steps."""
    with translation.override(settings.LANGUAGE_CODE):
        created = scan_chunk_run(chunk_id=chunk_id, sources=SOURCES, node=node)
    scan_overdue_finish(run_id=ScanChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id), node=node)
    return created


def scan_overdue_resume(*, node: str = "", ready_at: datetime.datetime | None = None) -> int:
    """Queue again what is left of recent runs (after a worker died); returns how many tasks."""
    chunk_ids, run_ids = scan_runs_resumable(node=node, ready_at=ready_at)
    queue_scan_work(chunk_ids=chunk_ids, run_ids=run_ids)
    if chunk_ids or run_ids:
        logger.warning("scan_overdue resumed: %s chunks, %s closing steps", len(chunk_ids), len(run_ids))
    return len(chunk_ids) + len(run_ids)


def scan_overdue(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """The whole scan in this process (the command, cron users): the same run and chunks as the
    workers', so a run cut short here is finished by a worker's resume. Safe to rerun and to run
    twice at once; returns {source: {level: created}, "digests": n, "requeued": n}."""
    today = today or localdate()
    run = scan_run_create(
        today=today, sources={name: source() for name, source in SOURCES.items()}, chunk_size=chunk_size
    )
    for chunk_id in run.chunks.order_by("pk").values_list("pk", flat=True):
        scan_overdue_chunk(chunk_id=chunk_id)
    result = ScanRun.objects.values_list("result", flat=True).get(pk=run.pk)
    logger.info("scan_overdue %s: %s", today, result)
    return result
