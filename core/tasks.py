from celery import shared_task

from .idempotency import purge_expired


@shared_task(name="core.purge_idempotency_keys", acks_late=True, soft_time_limit=120, time_limit=180)
def purge_idempotency_keys_task() -> int:
    return purge_expired()
