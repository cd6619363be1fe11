from celery import shared_task

from .overdue import scan_overdue_projects


# Below Redis's 30 min visibility timeout, or a long run would be handed to a second worker.
@shared_task(
    name="projects.scan_overdue_projects", acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60
)
def scan_overdue_projects_task() -> dict:
    return scan_overdue_projects()
