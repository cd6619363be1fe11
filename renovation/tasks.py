import datetime

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from notifications.scans import ScanChunkBusy

from .overdue import scan_overdue_chunk, scan_overdue_finish, scan_overdue_resume, scan_overdue_start

# The scan is a durable run of short chunk tasks (renovation.overdue): the beat task only plans it.


@shared_task(name="renovation.scan_overdue", acks_late=True, soft_time_limit=240, time_limit=300)
def scan_overdue_task(today: str | None = None) -> int:
    day = None if today is None else datetime.date.fromisoformat(today)
    return scan_overdue_start(today=day).pk


@shared_task(
    name="renovation.scan_overdue_chunk",
    bind=True,
    acks_late=True,
    # Busy: another worker holds the chunk; by the retry it is done, or its lease has run out.
    autoretry_for=(ScanChunkBusy,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
    # Below NOTIFICATIONS_SCAN_LEASE, so a live claim is never taken as a dead one.
    soft_time_limit=240,
    time_limit=300,
)
def scan_overdue_chunk_task(self, chunk_id: int) -> dict | None:
    return scan_overdue_chunk(chunk_id=chunk_id, node=self.request.hostname or "")


@shared_task(
    name="renovation.scan_overdue_finish", bind=True, acks_late=True, soft_time_limit=240, time_limit=300
)
def scan_overdue_finish_task(self, run_id: int) -> dict | None:
    return scan_overdue_finish(run_id=run_id, node=self.request.hostname or "")


@shared_task(name="renovation.scan_overdue_resume", acks_late=True, soft_time_limit=60, time_limit=90)
def scan_overdue_resume_task(node: str = "", ready_at: str | None = None) -> int:
    return scan_overdue_resume(
        node=node, ready_at=None if ready_at is None else datetime.datetime.fromisoformat(ready_at)
    )


@worker_ready.connect
def resume_scans_on_worker_start(sender, **kwargs) -> None:
    # A worker killed as a whole leaves its chunk messages unacknowledged until the visibility
    # timeout; on its restart the database says what is left, and the claims its node name holds
    # from before now are its dead predecessor's.
    scan_overdue_resume_task.delay(node=sender.hostname, ready_at=timezone.now().isoformat())
