from celery import shared_task

from .overdue import scan_overdue_findings


# Below Redis's 30 min visibility timeout, or a long run would be handed to a second worker.
@shared_task(
    name="inspections.scan_overdue_findings", acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60
)
def scan_overdue_findings_task() -> dict:
    return scan_overdue_findings()
