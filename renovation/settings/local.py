from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", True)
# Media stay on the local disk unless S3_BUCKET is set (base.py).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
