"""Issue 20 (3, 4) with the real Celery worker (tests/conftest.py: celery_worker_process): a killed
export job is written again by the restarted worker; a committed progress report shows in
`progress/` without waiting for the beat."""

import datetime
import io
import time

import pytest
from openpyxl import load_workbook

from inspections.models import Finding
from notifications.choices import ExportStatus, NotificationKind
from notifications.models import ExportJob, Notification
from standings.services import standings_refresh
from tests.factories import ProgressReportFactory, TargetFactory, track

from .conftest import TODAY, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis]

TOTAL = 20_000


@pytest.fixture
def small_progress_steps(monkeypatch):
    """Before the worker starts: a progress step (and beat) every 200 rows."""
    monkeypatch.setenv("EXPORT_PROGRESS_EVERY", "200")


def _findings(township, n: int) -> None:
    sanitation = track()
    Finding.objects.bulk_create(
        (
            Finding(
                township=township,
                track=sanitation,
                source="grid",
                description=f"第 {i} 项：沿街店招破损，需要在期限内整改完毕",
                location="集镇主街",
                deadline=TODAY + datetime.timedelta(days=30),
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def test_killed_export_job_is_written_again_by_the_restarted_worker(
    small_progress_steps, celery_worker_process, client_as, users, township, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 100
    _findings(township, TOTAL)
    client = client_as(users["city_office"])
    response = client.get("/inspections/findings/export/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.total == TOTAL

    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, rows_done__gt=0).exists(),
        timeout=60,
        interval=0.02,
        message="the export did not start",
    )
    celery_worker_process["kill"]()
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING and 0 < job.rows_done < TOTAL, job.rows_done
    assert not job.file  # nothing half-written is ever published
    progress = client.get(f"/notifications/exports/{job.pk}/status/").json()
    assert progress["status"] == "running" and progress["download"] is None
    assert 0 < progress["rows_done"] < TOTAL and progress["total"] == TOTAL

    celery_worker_process["restart"]()
    # The killed worker's message stays unacknowledged for the visibility timeout (an hour here):
    # only the restarted worker's resume can finish it within the minute.
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).exists(),
        timeout=120,
        message="the export was not run again",
    )
    job.refresh_from_db()
    assert job.attempts == 2 and job.rows_done == TOTAL
    download = client.get(f"/notifications/exports/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=3, values_only=True)) == TOTAL
    assert (
        Notification.objects.filter(recipient=users["city_office"], kind=NotificationKind.EXPORT).count() == 1
    )
    assert "export jobs resumed" in celery_worker_process["log"].read_text()


def test_a_progress_report_shows_in_progress_within_a_minute(celery_worker_process, api_as, users, township):
    target = TargetFactory(township=township, quantity=100)
    ProgressReportFactory(
        target=target, reported_on=TODAY - datetime.timedelta(days=5), cumulative_quantity=40
    )
    standings_refresh()
    api = api_as(users["city_office"])

    def row():
        body = api.get("/api/v1/progress/", {"group_by": "township", "county": township.county.code}).json()
        return body, next(r for r in body["results"] if r["code"] == township.code)

    before, first = row()
    assert first["done_quantity"] == "40.00" and before["as_of"]
    posted = api_as(users["township_staff"]).post(
        "/api/v1/progress-reports/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "70"},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    committed = time.monotonic()
    wait_for(lambda: row()[1]["done_quantity"] == "70.00", timeout=60, message="progress/ did not refresh")
    after, _row = row()
    assert after["as_of"] > before["as_of"]  # the answer says it is fresher
    print(f"progress report visible in progress/ after {time.monotonic() - committed:.1f} s")
