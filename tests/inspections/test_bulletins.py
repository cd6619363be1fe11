"""Rounds overview, bulletin composition and publication, the A4 print view and the .docx."""

import datetime
import io

import pytest
from docx import Document

from inspections.models import Bulletin, Inspection
from tests.inspections.factories import FindingFactory, InspectionFactory, InspectionRoundFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def round_with_findings(users, township, lianzhu, lishui):
    round_ = InspectionRoundFactory(name="2019年第一季度督查")
    third = lishui.get(code="331102104")  # 雅溪镇: not listed in the bulletin
    findings = {}
    for t, texts in [
        (township, ["碧湖老街立面破损", "碧湖菜场垃圾"]),
        (lianzhu, ["老竹线缆乱拉"]),
        (third, ["雅溪河道漂浮物"]),
    ]:
        inspection = InspectionFactory(township=t, round=round_, filed_by=users["county_official"])
        for text in texts:
            findings[text] = FindingFactory(
                township=t, inspection=inspection, description=text, deadline=datetime.date(2019, 4, 30)
            )
    findings["碧湖菜场垃圾"].status = "closed"
    findings["碧湖菜场垃圾"].closed_at = datetime.datetime(2019, 4, 20, tzinfo=datetime.UTC)
    findings["碧湖菜场垃圾"].save()
    return round_, findings


def test_rounds_overview_counts_per_township(client_as, users, round_with_findings):
    round_, _findings = round_with_findings
    response = client_as(users["city_office"]).get(f"/inspections/rounds/{round_.pk}/")
    rows = {r["township"].name: (r["found"], r["closed"], r["overdue"]) for r in response.context["rows"]}
    assert rows == {"碧湖镇": (2, 1, 1), "老竹畲族镇": (1, 0, 1), "雅溪镇": (1, 0, 1)}
    assert response.context["totals"]["found"] == 4


def test_compose_publish_print_and_docx(client_as, users, township, lianzhu, round_with_findings):
    round_, findings = round_with_findings
    client = client_as(users["city_office"])
    response = client.post(
        "/inspections/bulletins/new/",
        {
            "round": round_.pk,
            "title": "关于2019年第一季度小城镇环境综合整治督查情况的通报",
            "body": "各县（市、区）镇治办：\n现将督查情况通报如下。",
            "issuing_office": "丽水市小城镇环境综合整治行动领导小组办公室",
            "townships": [township.pk, lianzhu.pk],
        },
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.status == "draft"
    # Publishing needs a number; the township staff may not see the draft.
    assert client_as(users["township_staff"]).get(bulletin.get_absolute_url()).status_code == 404
    client = client_as(users["city_office"])
    refused = client.post(
        f"/inspections/bulletins/{bulletin.pk}/publish/", {"number": "", "issued_on": "2019-03-28"}
    )
    assert refused.status_code == 400
    response = client.post(
        f"/inspections/bulletins/{bulletin.pk}/publish/",
        {"number": "丽镇治办〔2019〕12号", "issued_on": "2019-03-28"},
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == "published" and bulletin.published_by == users["city_office"]
    assert set(
        Inspection.objects.filter(findings__in=bulletin.findings.all()).values_list("status", flat=True)
    ) == {"published"}

    listed = ["碧湖老街立面破损", "碧湖菜场垃圾", "老竹线缆乱拉"]
    html = (
        client_as(users["township_staff"])
        .get(f"/inspections/bulletins/{bulletin.pk}/print/")
        .content.decode()
    )
    for text in [
        *listed,
        "丽镇治办〔2019〕12号",
        "丽水市小城镇环境综合整治行动领导小组办公室",
        "2019年3月28日",
        "附件：问题整改清单",
    ]:
        assert text in html
    for header in ["序号", "乡镇", "问题描述", "所属专项", "整改期限", "责任人", "整改情况"]:
        assert f">{header}</th>" in html
    assert "雅溪河道漂浮物" not in html
    assert html.index("碧湖镇</th>") < html.index("老竹畲族镇</th>")  # grouped by township

    response = client.get(f"/inspections/bulletins/{bulletin.pk}/docx/")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "丽镇治办〔2019〕12号" in text and "2019年3月28日" in text and "附件：问题整改清单（共3项）" in text
    )
    (table,) = doc.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "乡镇", "问题描述", "所属专项", "整改期限", "责任人", "整改情况"]
    assert sorted(row[2] for row in cells[1:]) == sorted(listed)
    assert {row[1] for row in cells[1:]} == {"碧湖镇", "老竹畲族镇"}
    assert any("已销号" in row[6] for row in cells[1:])
    run = table.rows[1].cells[2].paragraphs[0].runs[0]
    assert (
        run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋"
    )

    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users["api_client"])
    assert api.get("/api/v1/bulletins/").json()["count"] == 1
    assert api.get(f"/api/v1/bulletins/{bulletin.pk}/docx/").status_code == 200


def test_only_city_office_publishes(client_as, api_as, users, round_with_findings):
    round_, _ = round_with_findings
    assert client_as(users["county_official"]).get("/inspections/bulletins/new/").status_code == 403
    from inspections.services.bulletins import bulletin_create

    bulletin = bulletin_create(by=users["city_office"], city=round_.city, title="通报", round=round_)
    response = api_as(users["county_official"]).post(
        f"/api/v1/bulletins/{bulletin.pk}/publish/", {"number": "丽镇治办〔2019〕1号"}, format="json"
    )
    assert response.status_code == 404  # drafts are the city office's
    response = api_as(users["city_office"]).post(
        f"/api/v1/bulletins/{bulletin.pk}/publish/",
        {"number": "丽镇治办〔2019〕1号", "issued_on": "2019-03-28"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "published"
    again = api_as(users["city_office"]).post(f"/api/v1/bulletins/{bulletin.pk}/publish/", {}, format="json")
    assert again.status_code == 400


def test_bulletin_year_filter_rejects_impossible_years(api_as, users):
    api = api_as(users["city_office"])
    assert api.get("/api/v1/bulletins/", {"year": 0}).status_code == 400
    assert api.get("/api/v1/bulletins/", {"year": 2019}).status_code == 200
