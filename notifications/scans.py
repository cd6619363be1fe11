"""Durable overdue scans (issue 15): a scan is a `ScanRun` of `ScanChunk`s in the database, each
chunk a primary-key range of one source that a worker claims with a conditional UPDATE and a lease.

A worker killed mid-scan loses no chunk: what it had claimed is released when it starts again under
the same node name, or retaken by anyone once the lease has run out; `scan_runs_resumable` lists what
is left for the caller to queue again. Every chunk is safe to run twice (the ladder's unique
constraint), so a duplicate message or a stolen lease costs time, never a second notice.

Generic like the ladder: sources are named by the caller, which owns the mapping to `OverdueSource`s.
"""

import datetime
from collections.abc import Callable, Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .ladder import OverdueSource, ladder_horizon, ladder_scan
from .models import ScanChunk, ScanRun

# An unfinished run older than this is left alone: the next morning's scan covers its items, with
# that day's texts.
RESUME_WITHIN = datetime.timedelta(days=1)


class ScanChunkBusy(Exception):
    """Another worker holds a fresh claim on this chunk (or on the run's closing steps)."""


def _boundaries(source: OverdueSource, today: datetime.date, chunk_size: int) -> list[int]:
    """Every `chunk_size`-th id of the items any rung may reach today, in id order."""
    # Django filters on the window in an outer query: only the boundaries leave PostgreSQL.
    return list(
        source.queryset.filter(**{f"{source.deadline}__lte": ladder_horizon(today)})
        .order_by()
        .annotate(nth=Window(RowNumber(), order_by=F("pk").asc()) % chunk_size)
        .filter(nth=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def scan_run_create(
    *, today: datetime.date, sources: Mapping[str, OverdueSource], chunk_size: int | None = None
) -> ScanRun:
    """A run as of `today` with its chunks: per source, ranges of at most `chunk_size` items (the
    last one open-ended, for items added since)."""
    chunk_size = min(chunk_size or settings.NOTIFICATIONS_SCAN_CHUNK, 100_000)
    run = ScanRun.objects.create(day=today, chunk_size=chunk_size)
    chunks = []
    for name, source in sources.items():
        after = 0
        for upto in _boundaries(source, today, chunk_size):
            chunks.append(ScanChunk(run=run, source=name, after=after, upto=upto))
            after = upto
        chunks.append(ScanChunk(run=run, source=name, after=after, upto=None))
    ScanChunk.objects.bulk_create(chunks)
    return run


def _lease_start(now):
    return now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SCAN_LEASE)


def scan_chunk_run(
    *, chunk_id: int, sources: Mapping[str, Callable[[], OverdueSource]], node: str = ""
) -> dict[str, int] | None:
    """Claim one chunk, climb every rung over its items, mark it done; returns {level: created}, or
    None when it was done already. Raises ScanChunkBusy while someone else's claim is fresh."""
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=_lease_start(now))
    claimed = (
        ScanChunk.objects.filter(pk=chunk_id, done_at__isnull=True)
        .filter(claimable)
        .update(claimed_at=now, claimed_by=node, attempts=F("attempts") + 1)
    )
    if not claimed:
        if ScanChunk.objects.filter(pk=chunk_id, done_at__isnull=True).exists():
            raise ScanChunkBusy(chunk_id)
        return None
    chunk = ScanChunk.objects.select_related("run").get(pk=chunk_id)
    created = ladder_scan(
        source=sources[chunk.source](),
        today=chunk.run.day,
        chunk_size=chunk.run.chunk_size,
        after=chunk.after,
        upto=chunk.upto,
    )
    # Done even if the lease ran out and another worker retook it: both runs are complete.
    ScanChunk.objects.filter(pk=chunk_id, done_at__isnull=True).update(
        done_at=timezone.now(), created=created
    )
    return created


def scan_run_finish_claim(*, run_id: int, node: str = "") -> bool:
    """Claim the run's closing steps once every chunk is done; False when not yet, taken or done."""
    now = timezone.now()
    return bool(
        ScanRun.objects.filter(pk=run_id, finished_at__isnull=True)
        .filter(Q(finish_claimed_at__isnull=True) | Q(finish_claimed_at__lt=_lease_start(now)))
        .filter(~Exists(ScanChunk.objects.filter(run=OuterRef("pk"), done_at__isnull=True)))
        .update(finish_claimed_at=now, finish_claimed_by=node)
    )


def scan_run_finished(*, run_id: int, result: dict) -> dict:
    """Record the closing steps' result with the notices of every chunk; returns the run's result:
    {source: {level: created}, **result}."""
    created: dict[str, dict[str, int]] = {}
    for source, counts in ScanChunk.objects.filter(run_id=run_id).values_list("source", "created"):
        total = created.setdefault(source, {})
        for level, n in counts.items():
            total[level] = total.get(level, 0) + n
    created.update(result)
    ScanRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), result=created)
    return created


def scan_runs_resumable(*, node: str = "", ready_at=None) -> tuple[list[int], list[int]]:
    """What is left of recent unfinished runs: (chunk ids, run ids whose closing steps are due).

    With `node` and `ready_at` (a worker that has just started): the claims its node name made
    before that moment belong to its previous, dead process and are released first. A claim of
    another node counts once its lease has run out.
    """
    now = timezone.now()
    if node and ready_at is not None:
        ScanChunk.objects.filter(done_at__isnull=True, claimed_by=node, claimed_at__lt=ready_at).update(
            claimed_at=None
        )
        ScanRun.objects.filter(
            finished_at__isnull=True, finish_claimed_by=node, finish_claimed_at__lt=ready_at
        ).update(finish_claimed_at=None)
    lease_start = _lease_start(now)
    runs = ScanRun.objects.filter(finished_at__isnull=True, created_at__gte=now - RESUME_WITHIN)
    # A chunk nobody claimed yet may simply be waiting in the queue: a periodic sweep (no node)
    # queues it again only once its run is older than a lease; a starting worker at once, since
    # its dead predecessor may have held the message.
    unclaimed = (
        Q(claimed_at__isnull=True) if node else Q(claimed_at__isnull=True, run__created_at__lt=lease_start)
    )
    free = unclaimed | Q(claimed_at__lt=lease_start)
    chunk_ids = list(
        ScanChunk.objects.filter(run__in=runs, done_at__isnull=True)
        .filter(free)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    run_ids = list(
        runs.filter(Q(finish_claimed_at__isnull=True) | Q(finish_claimed_at__lt=lease_start))
        .filter(~Exists(ScanChunk.objects.filter(run=OuterRef("pk"), done_at__isnull=True)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return chunk_ids, run_ids
