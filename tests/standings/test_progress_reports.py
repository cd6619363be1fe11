"""Progress reporting (page, API) and the .xlsx ledgers of targets and progress."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from tests.factories import ProgressReportFactory, TargetFactory, track
from townships.models import ProgressReport, Target

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date.today()


@pytest.fixture
def target(township):
    t = TargetFactory(township=township, quantity=Decimal("100"), start_date=datetime.date(2026, 1, 1))
    ProgressReportFactory(target=t, reported_on=TODAY - datetime.timedelta(days=10), cumulative_quantity=40)
    return t


def test_staff_reports_progress_on_the_page(client_as, users, target):
    client = client_as(users["township_staff"])
    assert client.get("/progress-reports/new/").status_code == 200
    response = client.post(
        "/progress-reports/new/",
        {
            "target": target.pk,
            "reported_on": TODAY.isoformat(),
            "cumulative_quantity": "55",
            "note": "完成过半",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(target=target, cumulative_quantity=55)
    assert report.reported_by == users["township_staff"]


def test_bad_progress_is_refused_in_chinese_and_saves_nothing(client_as, users, target):
    client = client_as(users["township_staff"])
    response = client.post(
        "/progress-reports/new/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "30"},
    )
    assert response.status_code == 200
    assert "累计" in response.content.decode()
    future = TODAY + datetime.timedelta(days=3)
    response = client.post(
        "/progress-reports/new/",
        {"target": target.pk, "reported_on": future.isoformat(), "cumulative_quantity": "60"},
    )
    assert response.status_code == 200 and response.context["form"].errors["reported_on"]
    assert ProgressReport.objects.filter(target=target).count() == 1


def test_other_township_cannot_pick_the_target(client_as, users, target):
    response = client_as(users["other_township_staff"]).post(
        "/progress-reports/new/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "60"},
    )
    assert response.status_code == 200 and "target" in response.context["form"].errors
    assert client_as(users["province"]).get("/progress-reports/new/").status_code == 403


def test_api_create_and_scope(api_as, users, target):
    response = api_as(users["township_staff"]).post(
        "/api/v1/progress-reports/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "70"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["reported_by"] == "bihu"
    assert response.json()["track"] == "sanitation"
    down = api_as(users["township_staff"]).post(
        "/api/v1/progress-reports/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "10"},
        format="json",
    )
    assert down.status_code == 400 and "cumulative_quantity" in down.json()
    other = api_as(users["other_township_staff"]).post(
        "/api/v1/progress-reports/",
        {"target": target.pk, "reported_on": TODAY.isoformat(), "cumulative_quantity": "80"},
        format="json",
    )
    assert other.status_code == 400 and "target" in other.json()
    assert api_as(users["api_client"]).post("/api/v1/progress-reports/", {}, format="json").status_code == 403
    listed = api_as(users["other_township_staff"]).get("/api/v1/progress-reports/").json()
    assert listed["count"] == 0


def _reports(township, n):
    for i, code in enumerate(
        [
            "planning",
            "sanitation",
            "road_occupation",
            "traffic_disorder",
            "line_clutter",
            "scattered_industry",
        ]
    ):
        if Target.objects.filter(township=township, track__code=code).exists():
            continue
        t = TargetFactory(township=township, track=track(code))
        for day in range(n // 6 + 1):
            ProgressReportFactory(
                target=t,
                reported_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
                cumulative_quantity=day + i,
            )


@pytest.mark.parametrize("url", ["/progress-reports/", "/api/v1/progress-reports/"])
def test_progress_list_queries_same_at_1_and_50(client_as, users, township, url):
    client = client_as(users["city_office"])
    t = TargetFactory(township=township)
    ProgressReportFactory(target=t)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _reports(township, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    count = response.json()["count"] if url.startswith("/api") else response.context["paginator"].count
    assert count > 50
    assert len(one.captured_queries) == len(many.captured_queries)


def test_progress_export_has_the_page_rows(client_as, users, township):
    _reports(township, 12)
    client = client_as(users["city_office"])
    params = {"township": township.pk, "track": "planning"}
    page = client.get("/progress-reports/", params)
    export = client.get("/progress-reports/export/", params)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[6].date(), Decimal(str(r[7]))) for r in rows] == [
        (r.target.township.code, r.reported_on, r.cumulative_quantity) for r in page.context["reports"]
    ]


def test_township_list_export_opens_with_the_page_rows(client_as, users):
    client = client_as(users["city_office"])
    page = client.get("/townships/", {"county": "331102"})
    export = client.get("/townships/export/", {"county": "331102"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [t.code for t in page.context["townships"]]


def _xlsx(header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


TARGET_HEADER = ["乡镇代码", "专项", "目标数量", "单位", "开始日期", "完成期限", "说明"]
PROGRESS_HEADER = ["乡镇代码", "专项", "填报日期", "累计完成量", "备注"]


def test_target_import_preview_then_confirm(client_as, users, township):
    client = client_as(users["county_official"])
    upload = _xlsx(
        TARGET_HEADER,
        [
            [
                "331102100",
                "sanitation",
                120,
                "项",
                datetime.date(2026, 1, 1),
                datetime.date(2026, 12, 31),
                "年度目标",
            ],
            ["331102100", "“线乱拉”治理", "35.5", "公里", "2026-02-01", "2026/11/30", ""],
        ],
    )
    response = client.post("/targets/import/", {"file": upload})
    assert response.status_code == 200
    assert len(response.context["preview"]) == 2
    assert not Target.objects.filter(township=township).exists()
    response = client.post("/targets/import/", {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert Target.objects.get(township=township, track__code="line_clutter").quantity == Decimal("35.50")
    assert Target.objects.get(township=township, track__code="sanitation").history.count() == 1


def test_target_import_lists_every_bad_line_and_saves_nothing(client_as, users, township, other_township):
    client = client_as(users["county_official"])
    upload = _xlsx(
        TARGET_HEADER,
        [
            ["331102100", "sanitation", 120, "项", "2026-01-01", "2026-12-31", ""],
            ["331102100", "不存在的专项", -3, "", "2026-13-01", "", ""],
            [other_township.code, "planning", 10, "项", "", "2026-12-31", ""],
            ["331102100", "sanitation", 5, "项", "", "2026-12-31", ""],
        ],
    )
    response = client.post("/targets/import/", {"file": upload})
    errors = response.context["errors"]
    assert [e.split("：")[0].split(":")[0] for e in errors] == ["第 3 行", "第 4 行", "第 5 行"] or len(
        errors
    ) == 3
    content = response.content.decode()
    assert "3" in errors[0] and "4" in errors[1] and "5" in errors[2]
    assert "未知" in content or "unknown" in content
    assert not Target.objects.filter(township=township).exists()
    assert "payload" not in response.context


def test_progress_import_checks_cumulative_order(client_as, users, target):
    client = client_as(users["township_staff"])
    upload = _xlsx(
        PROGRESS_HEADER,
        [
            ["331102100", "sanitation", TODAY - datetime.timedelta(days=5), 50, "五月"],
            ["331102100", "sanitation", TODAY - datetime.timedelta(days=2), 45, "倒退"],
        ],
    )
    response = client.post("/progress-reports/import/", {"file": upload})
    assert len(response.context["errors"]) == 1 and "3" in response.context["errors"][0]
    assert ProgressReport.objects.filter(target=target).count() == 1
    upload = _xlsx(
        PROGRESS_HEADER, [["331102100", "sanitation", TODAY - datetime.timedelta(days=5), 50, "五月"]]
    )
    response = client.post("/progress-reports/import/", {"file": upload})
    response = client.post("/progress-reports/import/", {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert ProgressReport.objects.filter(target=target).count() == 2


def test_import_rejects_a_non_excel_file(client_as, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(users["county_official"]).post(
        "/targets/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert response.context["errors"]


def test_tampered_payload_is_refused(client_as, users):
    response = client_as(users["county_official"]).post("/targets/import/", {"payload": "forged"})
    assert response.status_code == 302
    assert not Target.objects.exists()


def test_unfiltered_progress_export_has_every_visible_report(client_as, users, township, other_township):
    _reports(township, 6)
    _reports(other_township, 6)
    response = client_as(users["county_official"]).get("/progress-reports/export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == ProgressReport.objects.filter(target__township=township).count() == 12
