"""Issue 19 in the rectification pages: the review queue by rounds, the closed-late mark, cards, pickers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import FindingEvent
from inspections.services.findings import finding_reject, finding_submit
from tests.factories import make_member
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory
from townships.choices import Role

pytestmark = [pytest.mark.django_db]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_review_queue_shows_the_fix_note_this_rounds_photos_and_folds_the_earlier_round(
    client_as, users, township, make_photo
):
    staff, inspector = users["township_staff"], users["inspector"]
    finding = FindingFactory(township=township, inspection=InspectionFactory(township=township))
    FindingPhotoFactory(finding=finding, stage="before")
    finding_submit(
        finding_id=finding.pk, by=staff, note="第一次整改：清运垃圾", photos=[make_photo("a1.jpg")]
    )
    finding_reject(finding_id=finding.pk, by=inspector, reason="仍有垃圾残留")
    finding_submit(
        finding_id=finding.pk,
        by=staff,
        note="第二次整改：彻底清理并硬化",
        photos=[make_photo("b1.jpg"), make_photo("b2.jpg")],
    )

    response = client_as(inspector).get("/inspections/review/")
    html = response.content.decode()
    (item,) = response.context["findings"]
    assert item.review["note"] == "第二次整改：彻底清理并硬化" and item.review["number"] == 2
    assert len(item.review["after"]) == 2
    (earlier,) = item.review["earlier"]
    assert earlier["number"] == 1 and earlier["reason"] == "仍有垃圾残留" and len(earlier["after"]) == 1
    assert "第二次整改：彻底清理并硬化" in html
    # the earlier round sits folded under its label; the photos open in the page's dialog
    assert '<details class="review-rounds">' in html and "仍有垃圾残留" in html
    assert 'id="photo-viewer"' in html and "data-photo-large" in html
    assert html.index("第二次整改") < html.index('<details class="review-rounds">')


def test_review_queue_queries_do_not_grow_with_rows(client_as, users, township):
    client = client_as(users["city_office"])
    inspection = InspectionFactory(township=township)

    def make(n):
        for _ in range(n):
            finding = FindingFactory(township=township, inspection=inspection, status="submitted")
            FindingPhotoFactory(finding=finding, stage="before")
            FindingPhotoFactory(finding=finding, stage="after")
            FindingEvent.objects.create(
                finding=finding, kind="submitted", note="已整改", to_status="submitted"
            )

    make(1)
    small, _ = _count(client, "/inspections/review/")
    make(15)
    large, response = _count(client, "/inspections/review/")
    assert len(response.context["findings"]) == 16
    assert small == large


def test_a_finding_closed_late_keeps_its_mark(client_as, users, township):
    late = FindingFactory(
        township=township,
        deadline=datetime.date(2026, 1, 1),
        status="closed",
        closed_at=datetime.datetime(2026, 1, 21, 10, tzinfo=datetime.UTC),
    )
    FindingFactory(
        township=township,
        deadline=datetime.date(2026, 1, 1),
        status="closed",
        closed_at=datetime.datetime(2025, 12, 30, 10, tzinfo=datetime.UTC),
    )
    assert late.days_late_at_close == 20
    client = client_as(users["city_office"])
    detail = client.get(late.get_absolute_url()).content.decode()
    assert "逾期 20 天后销号" in detail
    listing = client.get("/inspections/findings/", {"status": "closed"}).content.decode()
    assert listing.count("逾期 20 天后销号") == 1  # the one closed in time has no such mark


def test_the_rectification_list_renders_as_cards_with_the_filter_fold_and_chips(client_as, users, township):
    FindingFactory(township=township, deadline=datetime.date(2020, 1, 1), description="沿街立面破损严重")
    html = client_as(users["city_office"]).get("/inspections/findings/", {"status": "open"}).content.decode()
    assert 'class="table table--cards findings-table"' in html
    assert 'class="card__title"' in html and 'class="card__status"' in html and "card__thumb" in html
    assert '<details class="filter-fold" data-filter-fold' in html and "筛选" in html
    # the active filter is a chip whose link drops it
    assert 'class="filter-chip" href="/inspections/findings/"' in html


def test_assignee_picker_shows_names_with_place_and_never_an_api_account(client_as, users, township):
    staff = users["township_staff"]
    staff.first_name, staff.last_name = "小明", "王"
    staff.save()
    html = client_as(users["county_official"]).get("/inspections/new/").content.decode()
    assert "王小明（碧湖镇）" in html or "小明 王（碧湖镇）" in html
    assert ">apiclient" not in html and "apiclient（" not in html
    assert "longquan" not in html  # another county's official


def test_api_refuses_an_api_account_as_assignee(api_as, users, township):
    body = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings": [
            {"description": "垃圾堆放", "deadline": "2030-06-30", "assignee": users["api_client"].pk}
        ],
    }
    response = api_as(users["city_office"]).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400, response.content
    assert "assignee" in response.content.decode()


def test_api_text_fields_are_bounded(api_as, users, township):
    api = api_as(users["city_office"])
    finding = FindingFactory(township=township, archived=True)
    response = api.post(f"/api/v1/findings/{finding.pk}/restore/", {"reason": "x" * 1_000_000}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "reason" in response.json().get("errors", response.json()).__str__()


def test_secretary_cadre_picker_lists_people_of_scope_by_name(client_as, users, lishui):
    outsider = make_member(Role.TOWNSHIP_STAFF, username="outsider", township=lishui.get(code="331181100"))
    html = client_as(users["county_official"]).get("/inspections/secretary/new/").content.decode()
    assert f'value="{users["township_staff"].pk}"' in html and "（碧湖镇）" in html
    assert f'value="{outsider.pk}"' not in html and f'value="{users["api_client"].pk}"' not in html


def test_a_chip_names_the_chosen_row_without_a_query_of_its_own(client_as, users, township):
    client = client_as(users["city_office"])
    FindingFactory(township=township)
    html = client.get("/townships/", {"county": "331102"}).content.decode()
    assert '莲都区 <span aria-hidden="true">×</span>' in html
