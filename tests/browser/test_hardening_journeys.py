"""The four journeys of issue 9 in Chromium, in the Chinese UI, with a screenshot of every step.

Screenshots land in artifacts/screenshots/<test name>/ (CI keeps the folder as an artefact).
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(path, color):
    """A small real JPEG on disk, as a phone camera would hand it to the file input."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def upload(name="fix.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 200)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def make_red(township):
    """A target far behind plan and overdue items: the standings turn the township red."""
    from standings.services import standings_refresh_and_snapshot
    from tests.factories import ProgressReportFactory, TargetFactory, track
    from tests.inspections.factories import FindingFactory

    today = datetime.date.today()
    target = TargetFactory(
        township=township,
        track=track("sanitation"),
        quantity=Decimal("100"),
        start_date=today - datetime.timedelta(days=300),
        due_date=today + datetime.timedelta(days=30),
    )
    ProgressReportFactory(target=target, reported_on=today, cumulative_quantity=Decimal("5"))
    for n in range(6):
        FindingFactory(township=township, deadline=today - datetime.timedelta(days=10 + n))
    standings_refresh_and_snapshot(as_of=today)


def test_city_office_reviews_dashboard_opens_red_township_and_issues_yellow_card(
    browser_page, live_server, users, township, shot, axe
):
    from inspections.models import YellowCard

    make_red(township)
    page = browser_page(users["city_office"])
    board = page.locator("section[aria-labelledby=board-title]")
    row = board.locator("tr", has_text="碧湖镇")
    assert "红色" in row.inner_text()
    shot(page, "01-dashboard")

    row.get_by_role("link", name="碧湖镇").click()
    page.wait_for_url(f"**/townships/{township.pk}/")
    assert page.locator("h1").inner_text() == "碧湖镇"
    shot(page, "02-red-township")

    page.goto(f"{live_server.url}/inspections/yellow-cards/")
    page.get_by_role("link", name="亮黄牌").click()
    page.select_option("#id_township", str(township.pk))
    page.fill("#id_reason", "整治进度严重滞后，6 个问题逾期未整改。")
    shot(page, "03-yellow-card-form")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url("**/inspections/yellow-cards/*/")
    card = YellowCard.objects.get(township=township)
    assert card.status == "active" and card.issued_by == users["city_office"]
    assert "黄牌" in page.content()
    shot(page, "04-yellow-card-issued")


def test_county_official_files_inspection_with_two_findings_and_photos_on_a_phone(
    browser_page, live_server, users, township, shot, tmp_path
):
    from inspections.models import Finding, Inspection

    page = browser_page(users["county_official"], width=360, height=740)
    page.goto(f"{live_server.url}/inspections/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("h1").inner_text() == "填报督查"
    page.select_option("#id_township", str(township.pk))
    page.select_option("#id_mode", "covert")
    deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    page.fill("#id_findings-0-description", "解放街沿街立面广告牌破损")
    page.fill("#id_findings-0-deadline", deadline)
    page.set_input_files(
        "#id_findings-0-photos",
        [jpeg(tmp_path / "a1.jpg", (200, 30, 30)), jpeg(tmp_path / "a2.jpg", (30, 200, 30))],
    )
    shot(page, "01-first-finding")
    page.get_by_role("button", name="再添加一个问题").click()
    page.fill("#id_findings-1-description", "农贸市场周边车辆乱停")
    page.fill("#id_findings-1-deadline", deadline)
    page.select_option("#id_findings-1-severity", "major")
    page.set_input_files("#id_findings-1-photos", jpeg(tmp_path / "b1.jpg", (30, 30, 200)))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "02-second-finding")
    # the form is an offline one: the outbox sends it (docs/offline.md), then follows the redirect
    with page.expect_response(lambda r: r.request.method == "POST" and "/inspections/new/" in r.url):
        page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    inspection = Inspection.objects.get(township=township)
    assert inspection.status == "submitted" and inspection.mode == "covert"
    findings = Finding.objects.filter(inspection=inspection).order_by("pk")
    assert [f.photos.count() for f in findings] == [2, 1]
    assert "农贸市场周边车辆乱停" in page.content()
    shot(page, "03-inspection-filed")


def _finding(users, township, **extra):
    from inspections.services.findings import finding_create

    return finding_create(
        by=users["county_official"],
        township=township,
        description="集镇主街垃圾桶破损",
        deadline=datetime.date.today() + datetime.timedelta(days=20),
        **extra,
    )


def test_township_staff_submit_a_fix_with_an_after_photo(
    browser_page, live_server, users, township, shot, tmp_path
):
    finding = _finding(users, township)
    page = browser_page(users["township_staff"], width=360, height=740)
    page.goto(f"{live_server.url}/inspections/findings/")
    page.get_by_role("link", name="集镇主街垃圾桶破损").first.click()
    page.wait_for_url(f"**/inspections/findings/{finding.pk}/")
    shot(page, "01-finding")
    form = page.locator(f"form[action$='/findings/{finding.pk}/submit/']")
    form.locator("textarea").fill("已更换新垃圾桶 12 个。")
    form.locator("input[type=file]").set_input_files(jpeg(tmp_path / "after.jpg", (40, 160, 40)))
    shot(page, "02-fix-form")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/submit/")):
        form.get_by_role("button", name="提交复核").click()
    page.wait_for_url(f"**/inspections/findings/{finding.pk}/")
    page.wait_for_load_state()
    finding.refresh_from_db()
    assert finding.status == "submitted"
    assert finding.photos.filter(stage="after").count() == 1
    shot(page, "03-fix-submitted")


def test_inspector_rejects_then_verifies_and_city_office_prints_the_bulletin(
    browser_page, live_server, users, township, shot
):
    from inspections.models import Bulletin
    from inspections.services.findings import finding_submit

    finding = _finding(users, township)
    finding_submit(finding_id=finding.pk, by=users["township_staff"], note="已整改", photos=[upload()])

    page = browser_page(users["inspector"])
    page.goto(f"{live_server.url}/inspections/findings/{finding.pk}/")
    shot(page, "01-submitted-fix")
    form = page.locator(f"form[action$='/findings/{finding.pk}/reject/']")
    form.locator("textarea").fill("照片未显示整改后全貌，请补充。")
    form.get_by_role("button", name="退回乡镇重新整改").click()
    page.wait_for_url(f"**/inspections/findings/{finding.pk}/")
    finding.refresh_from_db()
    assert finding.status == "rejected" and finding.reopen_count == 1
    shot(page, "02-sent-back")

    finding_submit(
        finding_id=finding.pk, by=users["township_staff"], note="已补充全景照片", photos=[upload()]
    )
    page.reload()
    form = page.locator(f"form[action$='/findings/{finding.pk}/verify/']")
    form.get_by_role("button", name="销号").click()
    page.wait_for_url(f"**/inspections/findings/{finding.pk}/")
    finding.refresh_from_db()
    assert finding.status == "closed"
    shot(page, "03-closed")

    city = browser_page(users["city_office"])
    city.goto(f"{live_server.url}/inspections/bulletins/new/")
    city.fill("#id_title", "关于2026年第一轮小城镇环境综合整治督查情况的通报")
    city.select_option("#id_townships", str(township.pk))
    shot(city, "04-bulletin-form")
    city.locator("form.card button[type=submit]").click()
    city.wait_for_url("**/inspections/bulletins/*/")
    bulletin = Bulletin.objects.get()
    assert list(bulletin.findings.all()) == [finding]
    publish = city.locator(f"form[action$='/bulletins/{bulletin.pk}/publish/']")
    publish.locator("input[name=number]").fill("丽镇治办〔2026〕12号")
    publish.locator("input[name=issued_on]").fill(datetime.date.today().isoformat())
    publish.get_by_role("button", name="发布通报").click()
    city.wait_for_url(f"**/inspections/bulletins/{bulletin.pk}/")
    bulletin.refresh_from_db()
    assert bulletin.status == "published"
    shot(city, "05-published")
    city.get_by_role("link", name="打印版").click()
    city.wait_for_url(f"**/inspections/bulletins/{bulletin.pk}/print/")
    assert "丽镇治办〔2026〕12号" in city.content()
    assert "集镇主街垃圾桶破损" in city.content()
    city.emulate_media(media="print")
    shot(city, "06-print-view")
