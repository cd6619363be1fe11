from celery import shared_task

from .freshness import standings_refresh_stale
from .services import standings_refresh_and_snapshot


@shared_task(acks_late=True)
def refresh_standings_task() -> str | None:
    """Rebuild the summary rows and the current period's draft snapshot; reruns are harmless."""
    return standings_refresh_and_snapshot()


@shared_task(name="standings.refresh_stale", acks_late=True, soft_time_limit=240, time_limit=300)
def refresh_stale_standings_task() -> list[int]:
    """Refresh the townships that committed writes marked stale (debounced by the marks' queueing)."""
    return standings_refresh_stale()
