from celery import shared_task

from .services import standings_refresh_and_snapshot


@shared_task(acks_late=True)
def refresh_standings_task() -> str | None:
    """Rebuild the summary rows and the current period's draft snapshot; reruns are harmless."""
    return standings_refresh_and_snapshot()
