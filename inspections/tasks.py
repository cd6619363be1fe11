from celery import shared_task

from .overdue import scan_overdue_findings


@shared_task(
    name="inspections.scan_overdue_findings", acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60
)
def scan_overdue_findings_task() -> dict:
    return scan_overdue_findings()
