from celery import shared_task

from .overdue import scan_overdue_projects


@shared_task(
    name="projects.scan_overdue_projects", acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60
)
def scan_overdue_projects_task() -> dict:
    return scan_overdue_projects()
