"""Fresh summaries (issue 20): a write marks its townships stale; a debounced task refreshes them.

townships.freshness.summaries_stale is sent inside the writing transaction; the mark is inserted in
that transaction and, once it commits, one refresh is queued for the next few seconds (the cache key
holds back a second one meanwhile). The refresh takes every mark and rebuilds only those townships,
set-based as the beat's full refresh does; the 15-minute beat stays as a safety net (a lost task,
the date moving on).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from .models import StaleTownship
from .services import REFRESH_LOCK, standings_refresh

QUEUED_KEY = "standings:stale-refresh-queued"


def mark_stale(sender=None, *, township_ids: list[int], **kwargs) -> None:
    """summaries_stale receiver: record the marks in the write's transaction, queue after its commit."""
    StaleTownship.objects.bulk_create(
        [StaleTownship(township_id=pk) for pk in township_ids], ignore_conflicts=True
    )
    transaction.on_commit(queue_refresh)


def queue_refresh() -> bool:
    """Queue one refresh in STANDINGS_REFRESH_DEBOUNCE seconds unless one is queued already."""
    from .tasks import refresh_stale_standings_task

    delay = settings.STANDINGS_REFRESH_DEBOUNCE
    # The key outlives the countdown: should the task be lost, marks wait for the beat at worst.
    if not cache.add(QUEUED_KEY, "1", timeout=delay + 60):
        return False
    refresh_stale_standings_task.apply_async(countdown=delay)
    return True


def standings_refresh_stale() -> list[int]:
    """Refresh the townships marked stale; returns their ids."""
    # Forget the queued key first: a mark committed from here on queues the next refresh, and
    # every mark committed before is taken below.
    cache.delete(QUEUED_KEY)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Wait for a running refresh before taking the marks: writers that mark meanwhile wait
            # only for this refresh, never for the beat's full one.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            cursor.execute(f"DELETE FROM {StaleTownship._meta.db_table} RETURNING township_id")  # noqa: S608
            ids = sorted(row[0] for row in cursor.fetchall())
        if ids:
            standings_refresh(township_ids=ids)
    return ids
