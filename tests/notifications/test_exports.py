"""Issue 20 (3) and issue 19 (8): every export is one table shape; a large one runs as a job.

Through HTTP, with tasks run eagerly at commit (the real worker: tests/jobs/test_export_worker.py).
"""

import codecs
import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.timezone import localdate
from openpyxl import load_workbook

from notifications.choices import ExportStatus, NotificationKind
from notifications.exports import export_job_run, export_jobs_resume
from notifications.models import ExportJob, Notification
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]

EXPORT = "/inspections/findings/export/"


def _dated(title: str, ext: str) -> str:
    return f"{title}_{localdate():%Y%m%d}.{ext}"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_small_export_is_immediate_with_title_frozen_header_filter_and_widths(client_as, users, township):
    FindingFactory(township=township, description="集镇主街垃圾清运不及时")
    FindingFactory(township=township, description="沿街店招破损")
    response = client_as(users["city_office"]).get(EXPORT)
    assert response.status_code == 200
    name = _dated("整改台账", "xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote(name)}" in disposition  # RFC 5987: the Chinese, dated name
    assert disposition.split('"')[1].isascii()  # the fallback for clients without filename*
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "整改台账"
    assert sheet["A1"].value == "整改台账" and "A1:N1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]][:4] == ["编号", "县（市、区）", "乡镇（街道）", "问题描述"]
    assert sheet.freeze_panes == "A3"  # the title and header stay in view
    assert sheet.auto_filter.ref == "A2:N4"
    assert sheet.column_dimensions["D"].width >= 45  # 问题描述 wide
    assert all(sheet.column_dimensions[c].width >= 8 for c in "ABCEFGHIJKLMN")
    assert sorted(r[3] for r in sheet.iter_rows(min_row=3, values_only=True)) == [
        "沿街店招破损",
        "集镇主街垃圾清运不及时",
    ]


def test_csv_beside_xlsx_is_utf8_with_bom_and_the_same_rows(client_as, users, township):
    FindingFactory(township=township, description="=公式不得执行")
    client = client_as(users["city_office"])
    response = client.get(EXPORT, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert quote(_dated("整改台账", "csv")) in response["Content-Disposition"]
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "县（市、区）", "乡镇（街道）", "问题描述"]
    assert len(rows) == 2 and rows[1][3] == "'=公式不得执行"  # neutralised like the .xlsx
    page = client.get("/inspections/findings/")
    assert "format=csv" in page.content.decode()


def test_every_list_export_has_a_title_row_and_a_csv(client_as, users, township):
    client = client_as(users["city_office"])
    for url, title in [
        ("/townships/export/", "乡镇名册"),
        ("/progress-reports/export/", "进度填报台账"),
        ("/projects/export/", "项目台账"),
        ("/standings/warnings/export/", "预警榜"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert quote(_dated(title, "xlsx")) in response["Content-Disposition"], url
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == title and sheet.freeze_panes == "A3", url
        csv_response = client.get(url, {"format": "csv"})
        assert csv_response.content.startswith(codecs.BOM_UTF8), url


def test_large_export_runs_as_a_job_with_progress_download_and_inbox_link(
    client_as, users, township, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    settings.EXPORT_PROGRESS_EVERY = 2
    for i in range(5):
        FindingFactory(township=township, description=f"第{i}项")
    client = client_as(users["county_official"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT, {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notifications/exports/{job.pk}/"
    assert job.status == ExportStatus.DONE and job.rows_done == job.total == 5 and job.attempts == 1
    assert default_storage.exists(job.file)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "5 / 5" in page.content.decode()
    state = client.get(f"/notifications/exports/{job.pk}/status/").json()
    assert state["status"] == "done" and state["rows_done"] == 5 and state["percent"] == 100
    download = client.get(state["download"])
    assert download.status_code == 200
    assert quote(_dated("整改台账", "xlsx")) in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_body(download))).active
    assert sheet.max_row == 2 + 5
    (notice,) = Notification.objects.filter(recipient=users["county_official"], kind=NotificationKind.EXPORT)
    assert notice.link == state["download"] and "5" in notice.text
    assert state["download"] in client.get("/notifications/").content.decode()
    # the same export asked again while one waits is the same job; a finished one is not reused
    again = client.get(EXPORT, {"format": "csv"})
    assert again.status_code == 302 and ExportJob.objects.count() == 2


def test_someone_elses_job_is_not_there(
    client_as, users, township, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    FindingFactory(township=township)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(users["county_official"]).get(EXPORT)
    job = ExportJob.objects.get()
    other = client_as(users["township_staff"])
    for suffix in ("", "status/", "download/"):
        assert other.get(f"/notifications/exports/{job.pk}/{suffix}").status_code == 404
    assert other.post(f"/notifications/exports/{job.pk}/rerun/").status_code == 404


def test_a_job_is_claimed_once_and_a_dead_claim_is_run_again(users, township, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    FindingFactory(township=township)
    job = ExportJob.objects.create(
        user=users["city_office"],
        name="inspections.findings",
        title="整改台账",
        format="csv",
        total=1,
        filename="整改台账.csv",
    )
    # a worker that died mid-run: running, its beat long stopped
    stale = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_LEASE + 5)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, claimed_by="dead@host", claimed_at=stale, beat_at=stale, attempts=1
    )
    assert export_job_run(job_id=job.pk, node="w2@host") is not None  # retaken
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.attempts == 2 and job.claimed_by == "w2@host"
    assert export_job_run(job_id=job.pk, node="w3@host") is None  # done: nothing to do
    # a fresh claim is never taken
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, beat_at=timezone.now())
    assert export_job_run(job_id=job.pk, node="w4@host") is None
    # a restarted worker releases its dead predecessor's claims
    ExportJob.objects.filter(pk=job.pk).update(claimed_by="w2@host", claimed_at=stale)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert export_jobs_resume(node="w2@host", ready_at=timezone.now()) == [job.pk]
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.attempts == 3


def test_job_page_and_status_query_counts(client_as, users, township, django_assert_num_queries):
    job = ExportJob.objects.create(
        user=users["city_office"], name="inspections.findings", title="整改台账", format="xlsx", total=9000
    )
    client = client_as(users["city_office"])
    client.get(f"/notifications/exports/{job.pk}/status/")
    with django_assert_num_queries(3):  # session, user, job
        client.get(f"/notifications/exports/{job.pk}/status/")


@pytest.mark.parametrize(
    ("url", "make", "title"),
    [
        ("/projects/export/", "project", "项目台账"),
        ("/progress-reports/export/", "progress", "进度填报台账"),
    ],
)
def test_projects_and_progress_reports_go_to_the_background_too(
    client_as, users, township, settings, django_capture_on_commit_callbacks, url, make, title
):
    from tests.factories import ProgressReportFactory, TargetFactory
    from tests.projects.factories import ProjectFactory

    settings.EXPORT_INLINE_MAX_ROWS = 0
    if make == "project":
        ProjectFactory(township=township)
    else:
        ProgressReportFactory(target=TargetFactory(township=township))
    client = client_as(users["county_official"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportStatus.DONE and job.rows_done == 1
    body = _body(client.get(f"/notifications/exports/{job.pk}/download/")).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(body)))) == 2 and job.filename == _dated(title, "csv")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_an_export_job_reads_its_rows_on_the_read_replica(client_as, users, township, settings):
    """With a replica configured (DATABASE_REPLICA_URL), the job's rows are read there over a
    connection of their own, while the request's count, the job and its progress stay on the
    primary. The test runner's replica mirrors the test database over a second connection."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    settings.EXPORT_DATABASE = "replica"
    settings.EXPORT_INLINE_MAX_ROWS = 2
    for i in range(4):
        FindingFactory(township=township, description=f"第{i}项")
    client = client_as(users["county_official"])
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(EXPORT, {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportStatus.DONE and job.rows_done == 4

    def rows_read(queries):
        return [q["sql"] for q in queries if '"inspections_finding"."description"' in q["sql"]]

    assert rows_read(on_replica) and not rows_read(on_primary)
    assert not any("notifications_exportjob" in q["sql"] for q in on_replica)
    assert any(q["sql"].startswith("UPDATE") and "notifications_exportjob" in q["sql"] for q in on_primary)
    with default_storage.open(job.file) as stored:
        lines = stored.read().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4 and all(f"第{i}项" in "".join(lines) for i in range(4))
