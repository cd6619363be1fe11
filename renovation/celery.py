import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.local")

app = Celery("renovation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="renovation.ping")
def ping() -> str:
    """A no-op task so that health checks and tests can prove a worker is consuming."""
    return "pong"
