from celery import shared_task

from .services import TRANSIENT_EMAIL_ERRORS, NotificationBusy, notification_send


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
