"""Settings for a Celery worker that tests start against the test database and the real broker."""

import sys
from pathlib import Path

from .base import env
from .test import *  # noqa: F403

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = CELERY_BROKER_URL


def _worker_queue() -> str | None:
    # The test worker consumes one private queue (-Q name); tasks it queues itself (the sends a
    # scan hands over) must go to that queue too, or nobody would consume them.
    argv = sys.argv
    for i, arg in enumerate(argv):
        if arg in ("-Q", "--queues") and i + 1 < len(argv):
            return argv[i + 1].split(",")[0]
        if arg.startswith("--queues="):
            return arg.split("=", 1)[1].split(",")[0]
    return None


CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", None) or _worker_queue() or "celery"

# E-mail goes to files the test can read: locmem would stay inside the worker process.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", None) or str(Path(MEDIA_ROOT).parent / "mail")  # noqa: F405

# A test that kills a worker shortens these (through the environment) so that the unacknowledged
# task comes back within seconds instead of hours; the defaults leave other tests' tasks alone.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("TEST_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
NOTIFICATIONS_SEND_LEASE = env.int("NOTIFICATIONS_SEND_LEASE", 120)
NOTIFICATIONS_SCAN_LEASE = env.int("NOTIFICATIONS_SCAN_LEASE", 600)
NOTIFICATIONS_REQUEUE_AFTER = env.int("NOTIFICATIONS_REQUEUE_AFTER", 600)
