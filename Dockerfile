# Debian 13 (trixie): its postgresql-client (17) is at least as new as compose's PostgreSQL 16, as
# pg_dump requires (scripts/backup.sh checks it); bookworm's would be 15.
FROM python:3.11-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=renovation.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 postgresql-client && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
RUN pip install --no-cache-dir setuptools && mkdir -p renovation && pip install --no-cache-dir -e .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app app && mkdir -p var/media && chown -R app var
USER app
EXPOSE 8000
# The one gunicorn configuration, also used by compose and started by CI (.ci/run).
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
