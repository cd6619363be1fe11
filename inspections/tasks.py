from celery import shared_task

from core.storage import TRANSIENT_ERRORS

from .services.photos import photo_derivatives_make, photo_derivatives_queue_stale


@shared_task(
    name="inspections.photo_derivatives",
    bind=True,
    acks_late=True,
    # The store not answering is retried with backoff; a bug or an undecodable original is not.
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def photo_derivatives_task(self, photo_id: int) -> str:
    return photo_derivatives_make(photo_id=photo_id, final=self.request.retries >= self.max_retries)


@shared_task(name="inspections.photo_derivatives_stale", acks_late=True, soft_time_limit=60, time_limit=90)
def photo_derivatives_stale_task() -> int:
    return photo_derivatives_queue_stale()
