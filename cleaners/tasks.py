from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def notify_expiring_certificates_task():
    """Daily (beat `cleaner-certificates`): notices for certificates ending within 30 days."""
    from .services import notify_expiring_certificates

    return notify_expiring_certificates()
