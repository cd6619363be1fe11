"""Settings for a Celery worker that tests start against the test database and the real broker."""

from .base import env
from .test import *  # noqa: F403

CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
