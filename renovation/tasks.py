import datetime

from celery import shared_task

from .overdue import scan_overdue


# acks_late: a worker killed mid-scan leaves the message to be redelivered; the rerun skips what
# was committed and finishes the rest.
@shared_task(name="renovation.scan_overdue", acks_late=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def scan_overdue_task(today: str | None = None) -> dict:
    day = None if today is None else datetime.date.fromisoformat(today)
    return scan_overdue(today=day)
