import datetime

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from .channels import ChannelRetry, deliveries_resume, delivery_send
from .daily import daily_emails_send
from .exports import export_job_run, export_jobs_purge, export_jobs_resume
from .services.mail import TRANSIENT_EMAIL_ERRORS, NotificationBusy, notification_send


@shared_task(
    name="notifications.send_notification",
    bind=True,
    acks_late=True,
    # Named failures only: a bug fails once, loudly, instead of retrying for hours.
    autoretry_for=(*TRANSIENT_EMAIL_ERRORS, NotificationBusy),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_task(self, notification_id: int) -> str:
    return notification_send(notification_id=notification_id, final=self.request.retries >= self.max_retries)


@shared_task(
    name="notifications.send_channel_delivery",
    bind=True,
    acks_late=True,
    max_retries=None,  # bounded by NOTIFICATIONS_CHANNEL_MAX_ATTEMPTS, counted on the delivery row
    soft_time_limit=60,
    time_limit=90,
)
def send_channel_delivery_task(self, delivery_id: int) -> str:
    try:
        return delivery_send(delivery_id=delivery_id, node=self.request.hostname or "")
    except ChannelRetry as exc:
        if self.request.is_eager:
            # No broker (make run without Redis): an eager retry would run again at once, in a loop;
            # the delivery stays pending for a worker's resume.
            return "retry"
        raise self.retry(countdown=exc.countdown, exc=None) from None


@shared_task(
    name="notifications.resume_channel_deliveries", acks_late=True, soft_time_limit=60, time_limit=90
)
def resume_channel_deliveries_task(node: str = "", ready_at: str | None = None) -> int:
    return deliveries_resume(
        node=node, ready_at=None if ready_at is None else datetime.datetime.fromisoformat(ready_at)
    )


@shared_task(name="notifications.export_run", bind=True, acks_late=True)
def export_run_task(self, job_id: int) -> str | None:
    return export_job_run(job_id=job_id, node=self.request.hostname or "")


@shared_task(name="notifications.export_resume", acks_late=True, soft_time_limit=60, time_limit=90)
def export_resume_task(node: str = "", ready_at: str | None = None) -> list[int]:
    return export_jobs_resume(
        node=node, ready_at=None if ready_at is None else datetime.datetime.fromisoformat(ready_at)
    )


@shared_task(name="notifications.send_daily_emails", acks_late=True, soft_time_limit=600, time_limit=660)
def send_daily_emails_task() -> int:
    return daily_emails_send()


@worker_ready.connect
def resume_deliveries_on_worker_start(sender, **kwargs) -> None:
    # As for the scans (renovation.tasks): the claims this node name holds from before now are its
    # dead predecessor's; release them and queue what is left.
    resume_channel_deliveries_task.delay(node=sender.hostname, ready_at=timezone.now().isoformat())


@shared_task(name="notifications.export_purge", acks_late=True)
def export_purge_task() -> int:
    return export_jobs_purge()


@worker_ready.connect
def resume_exports_on_worker_start(sender, **kwargs) -> None:
    # A worker killed mid-export leaves its job "running" with its node name; on its restart
    # those claims are its dead predecessor's, and the job is written again.
    export_resume_task.delay(node=sender.hostname, ready_at=timezone.now().isoformat())
