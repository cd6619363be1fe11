"""The one gunicorn configuration: the Dockerfile, docker compose and CI all run `gunicorn --config gunicorn.conf.py`.

gunicorn has no request-body limit of its own (23 refuses `--limit-request-body`); Django's
DATA_UPLOAD_MAX_MEMORY_SIZE and the upload checks bound what a request may carry.
"""

import os

wsgi_app = "renovation.wsgi:application"
# PORT lets CI start the same configuration beside other servers; the container listens on 8000.
bind = [f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104 - inside the container
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 30
# Headers stay within gunicorn's defaults but are spelt out so a change is a reviewed diff.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
