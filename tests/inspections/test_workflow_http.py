"""The whole loop through the browser pages: file → fix → send back → fix → close."""

import datetime

import pytest

from inspections.choices import FindingStatus, InspectionStatus
from inspections.models import Finding, FindingEvent, Inspection

pytestmark = [pytest.mark.django_db]


def inspection_post(township, make_photo, *, findings=2, submit=True, deadline="2030-06-30"):
    data = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": str(findings),
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
    }
    for i in range(findings):
        data.update(
            {
                f"findings-{i}-track": "sanitation",
                f"findings-{i}-description": f"垃圾堆放未清理，第{i + 1}处",
                f"findings-{i}-location": "碧湖镇下河街",
                f"findings-{i}-severity": "major",
                f"findings-{i}-deadline": deadline,
                f"findings-{i}-responsible_person": "城建办 刘某",
                f"findings-{i}-photos": [make_photo(f"before{i}a.jpg"), make_photo(f"before{i}b.jpg")],
            }
        )
    if submit:
        data["submit"] = "1"
    else:
        data["draft"] = "1"
    return data


def test_the_whole_loop_through_http(client_as, users, township, make_photo):
    official, staff, inspector = users["county_official"], users["township_staff"], users["inspector"]
    client = client_as(official)
    form_page = client.get("/inspections/new/")
    html = form_page.content.decode()
    assert 'accept="image/*"' in html and "capture" in html and "multiple" in html
    assert "inspections/inspection_form.js" in html and "<script>" not in html

    data = inspection_post(township, make_photo)
    data["findings-0-assignee"] = staff.pk
    response = client.post("/inspections/new/", data)
    assert response.status_code == 302, response.context["formset"].errors
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.SUBMITTED and inspection.filed_by == official
    findings = list(inspection.findings.order_by("pk"))
    assert len(findings) == 2
    assert [f.photos.filter(stage="before").count() for f in findings] == [2, 2]
    assert findings[0].assignee == staff
    first = findings[0]

    # Township staff: their rectification list, then submit a fix.
    client = client_as(staff)
    listing = client.get("/inspections/findings/")
    assert {f.pk for f in listing.context["findings"]} == {f.pk for f in findings}
    no_photo = client.post(f"/inspections/findings/{first.pk}/submit/", {"note": "已清理"})
    assert no_photo.status_code == 400 and "至少" in no_photo.content.decode()
    response = client.post(
        f"/inspections/findings/{first.pk}/submit/",
        {"note": "已清理完毕", "photos": [make_photo("after1.jpg")]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == FindingStatus.SUBMITTED

    # The verifier sees before and after side by side and sends it back once.
    client = client_as(inspector)
    queue = client.get("/inspections/review/").content.decode()
    assert "垃圾堆放未清理，第1处" in queue and queue.count("/thumb/") >= 3
    refused = client.post(f"/inspections/findings/{first.pk}/reject/", {"reason": ""})
    assert refused.status_code == 400
    response = client.post(f"/inspections/findings/{first.pk}/reject/", {"reason": "墙角仍有垃圾"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.reopen_count) == (FindingStatus.REJECTED, 1)

    # Resubmitting needs new evidence since the rejection.
    client = client_as(staff)
    again = client.post(f"/inspections/findings/{first.pk}/submit/", {"note": "再次清理"})
    assert again.status_code == 400
    response = client.post(
        f"/inspections/findings/{first.pk}/submit/",
        {"note": "墙角已清理", "photos": [make_photo("after2.jpg")]},
    )
    assert response.status_code == 302

    client = client_as(inspector)
    response = client.post(f"/inspections/findings/{first.pk}/verify/", {"note": "复核通过"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == FindingStatus.CLOSED and first.closed_by == inspector and first.closed_at

    steps = [
        (e.kind, e.actor.username, e.from_status, e.to_status, e.note)
        for e in FindingEvent.objects.filter(finding=first).exclude(kind="photo").order_by("at", "pk")
    ]
    assert steps == [
        ("created", "liandu", "", "open", ""),
        ("submitted", "bihu", "open", "submitted", "已清理完毕"),
        ("rejected", "inspector", "submitted", "rejected", "墙角仍有垃圾"),
        ("submitted", "bihu", "rejected", "submitted", "墙角已清理"),
        ("verified", "inspector", "submitted", "closed", "复核通过"),
    ]
    page = client_as(staff).get(first.get_absolute_url()).content.decode()
    for text in ("墙角仍有垃圾", "复核通过", "已清理完毕", "已销号"):
        assert text in page
    # History keeps every edit of the finding.
    assert first.history.count() >= 5


def test_draft_inspection_stays_off_the_list_until_submitted(client_as, users, township, make_photo):
    client = client_as(users["county_official"])
    response = client.post(
        "/inspections/new/", inspection_post(township, make_photo, findings=1, submit=False)
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.DRAFT
    staff = client_as(users["township_staff"])
    assert staff.get("/inspections/findings/").context["paginator"].count == 0
    assert not Finding.objects.overdue(datetime.date(2031, 1, 1)).exists()
    client = client_as(users["county_official"])
    assert client.post(f"/inspections/{inspection.pk}/submit/").status_code == 302
    assert client_as(users["township_staff"]).get("/inspections/findings/").context["paginator"].count == 1


def test_overdue_rows_are_red_with_days(client_as, users, township):
    from tests.inspections.factories import FindingFactory

    today = datetime.date.today()
    FindingFactory(township=township, deadline=today - datetime.timedelta(days=5), description="逾期的问题")
    FindingFactory(township=township, deadline=today + datetime.timedelta(days=5), description="未到期的问题")
    response = client_as(users["township_staff"]).get("/inspections/findings/")
    rows = list(response.context["findings"])
    assert [f.description for f in rows] == ["逾期的问题", "未到期的问题"]  # by deadline
    html = response.content.decode()
    assert 'class="is-overdue"' in html and "逾期 5 天" in html


def test_finding_list_filters_and_excel(client_as, users, township, lianzhu):
    from openpyxl import load_workbook

    from tests.inspections.factories import FindingFactory

    FindingFactory(township=township, description="碧湖的问题")
    FindingFactory(township=lianzhu, description="老竹的问题", status="closed", closed_at="2026-01-01T00:00Z")
    client = client_as(users["county_official"])
    response = client.get("/inspections/findings/", {"township": lianzhu.pk})
    assert [f.description for f in response.context["findings"]] == ["老竹的问题"]
    response = client.get("/inspections/findings/export/", {"status": "open"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][3] == "碧湖的问题"  # title, header, the row


def test_township_page_panel_lists_open_findings(client_as, users, township):
    from tests.inspections.factories import FindingFactory

    FindingFactory(township=township, description="面板上的问题", deadline=datetime.date(2020, 1, 1))
    html = client_as(users["township_staff"]).get(township.get_absolute_url()).content.decode()
    assert "面板上的问题" in html and "is-overdue" in html


def test_finding_page_shows_events_without_an_actor(client_as, users, township):
    """Items from grid or media sources, and scale data, can carry system events with no actor."""
    from inspections.choices import FindingEventKind
    from inspections.models import FindingEvent
    from tests.inspections.factories import FindingFactory

    finding = FindingFactory(township=township)
    FindingEvent.objects.create(finding=finding, kind=FindingEventKind.values[0], actor=None, note="系统导入")
    response = client_as(users["township_staff"]).get(f"/inspections/findings/{finding.pk}/")
    assert response.status_code == 200
    assert "系统导入" in response.content.decode()
