FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=renovation.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
RUN pip install --no-cache-dir setuptools && mkdir -p renovation && pip install --no-cache-dir -e .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app app && mkdir -p var/media && chown -R app var
USER app
EXPOSE 8000
CMD ["gunicorn", "renovation.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60", "--limit-request-body", "26214400"]
