"""Workflow notices (issue 18) through HTTP: each step of the loop leaves the right notice in each
inbox, once; 催办 once a day, on the timeline; cards, deductions and secretary items tell their people."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.events import card_event_notify, finding_event_notify
from inspections.models import Deduction, Finding, FindingEvent, Inspection, YellowCardEvent
from inspections.services.cards import yellow_card_escalate, yellow_card_issue, yellow_card_lift
from inspections.services.findings import inspection_create
from inspections.services.secretary import deduction_confirm, deductions_propose, secretary_item_create
from notifications.models import Notification
from tests.factories import make_member
from tests.inspections.conftest import jpeg_bytes
from townships.choices import Role

pytestmark = pytest.mark.django_db


def photo(name):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def inbox(client_as, user) -> list[tuple[str, str]]:
    """(level, text) of the user's notices, as their inbox page lists them, oldest first."""
    response = client_as(user).get("/notifications/")
    assert response.status_code == 200
    return [(n.level, n.text) for n in reversed(list(response.context["notifications"]))]


def levels(client_as, user) -> list[str]:
    return [level for level, _text in inbox(client_as, user)]


def test_the_loop_leaves_the_right_notice_in_each_inbox_once(client_as, users, township, committed):
    official, staff, inspector = users["county_official"], users["township_staff"], users["inspector"]
    others = [users["other_township_staff"], users["other_county_official"], users["city_office"]]
    people = [official, staff, inspector, *others]

    def expect(**by_user):
        for user in people:
            assert levels(client_as, user) == by_user.get(user.username, []), user.username

    # File: the assignee (and the township's staff, here the same person) is told what to fix.
    with committed():
        response = client_as(official).post(
            "/inspections/new/",
            {
                "township": township.pk,
                "inspected_on": "2026-11-20",
                "mode": "open",
                "submit": "1",
                "findings-TOTAL_FORMS": "1",
                "findings-INITIAL_FORMS": "0",
                "findings-0-track": "sanitation",
                "findings-0-description": "下河街垃圾堆放未清理",
                "findings-0-severity": "major",
                "findings-0-deadline": "2030-06-30",
                "findings-0-assignee": staff.pk,
                "findings-0-photos": [photo("before.jpg")],
            },
        )
    assert response.status_code == 302
    finding = Inspection.objects.get().findings.get()
    expect(bihu=["assigned"])
    ((level, text),) = inbox(client_as, staff)
    assert "下河街垃圾堆放未清理" in text and "2030年6月30日" in text

    # Fix: the verifiers in scope (the filer, the county's inspector) learn a fix waits for them.
    with committed():
        client_as(staff).post(
            f"/inspections/findings/{finding.pk}/submit/", {"note": "已清理", "photos": [photo("a1.jpg")]}
        )
    expect(bihu=["assigned"], liandu=["fix_submitted"], inspector=["fix_submitted"])
    assert "已清理" in inbox(client_as, inspector)[0][1]

    # Send back: the township, with the reason.
    with committed():
        client_as(inspector).post(f"/inspections/findings/{finding.pk}/reject/", {"reason": "墙角仍有垃圾"})
    expect(bihu=["assigned", "sent_back"], liandu=["fix_submitted"], inspector=["fix_submitted"])
    assert "墙角仍有垃圾" in inbox(client_as, staff)[-1][1]

    # Fix again: a second review notice, about the second submission.
    with committed():
        client_as(staff).post(
            f"/inspections/findings/{finding.pk}/submit/", {"note": "墙角已清理", "photos": [photo("a2.jpg")]}
        )
    expect(
        bihu=["assigned", "sent_back"],
        liandu=["fix_submitted", "fix_submitted"],
        inspector=["fix_submitted", "fix_submitted"],
    )

    # Verify: the township hears it is closed.
    with committed():
        client_as(inspector).post(f"/inspections/findings/{finding.pk}/verify/", {"note": "复核通过"})
    final = {
        "bihu": ["assigned", "sent_back", "closed"],
        "liandu": ["fix_submitted", "fix_submitted"],
        "inspector": ["fix_submitted", "fix_submitted"],
    }
    expect(**final)

    # None twice: running every event's hook again adds nothing.
    count = Notification.objects.count()
    for event in FindingEvent.objects.filter(finding=finding):
        finding_event_notify(event_id=event.pk)
    assert Notification.objects.count() == count == 7
    expect(**final)
    # Each notice opens its item.
    assert set(Notification.objects.values_list("link", flat=True)) == {finding.get_absolute_url()}


def test_a_draft_inspection_tells_nobody_until_submitted(client_as, users, township, committed):
    official, staff = users["county_official"], users["township_staff"]
    with committed():
        inspection_create(
            by=official,
            township=township,
            inspected_on=datetime.date(2026, 11, 20),
            findings=[{"description": "店招破损", "deadline": datetime.date(2030, 6, 30), "assignee": staff}],
        )
    inspection = Inspection.objects.get()
    assert levels(client_as, staff) == []
    with committed():
        assert client_as(official).post(f"/inspections/{inspection.pk}/submit/").status_code == 302
    assert levels(client_as, staff) == ["assigned"]


@pytest.fixture
def open_finding(township, users):
    return Finding.objects.create(
        township=township,
        description="主街立面广告牌破损未整改",
        deadline=datetime.date(2026, 11, 1),
        assignee=users["township_staff"],
        severity="critical",
        created_by=users["inspector"],
    )


def test_chase_twice_in_a_day_sends_one_notice_and_the_timeline_shows_it(
    client_as, users, open_finding, committed
):
    official, staff = users["county_official"], users["township_staff"]
    client = client_as(official)
    with committed():
        first = client.post(f"/inspections/findings/{open_finding.pk}/chase/", {"note": "周五前报进展"})
    assert first.status_code == 302
    with committed():
        second = client.post(f"/inspections/findings/{open_finding.pk}/chase/", {"note": "再催"})
    assert second.status_code == 400 and "今天已催办" in second.content.decode()
    with committed():
        api = client_as(users["city_office"]).post(
            f"/api/v1/findings/{open_finding.pk}/chase/", {}, content_type="application/json"
        )
    assert api.status_code == 400 and "今天已催办" in api.json()["non_field_errors"][0]

    ((level, text),) = inbox(client_as, staff)
    assert (
        level == "chased" and "主街立面广告牌破损未整改" in text and "周五前报进展" in text and "逾期" in text
    )
    assert FindingEvent.objects.filter(finding=open_finding, kind="chased").count() == 1
    page = client_as(staff).get(open_finding.get_absolute_url()).content.decode()
    assert "催办" in page and "周五前报进展" in page
    # The official's own page says it was chased today instead of offering the button again.
    assert "今天" in client_as(official).get(open_finding.get_absolute_url()).content.decode()

    # The next day it may be chased again.
    FindingEvent.objects.filter(kind="chased").update(
        at=FindingEvent.objects.get(kind="chased").at - datetime.timedelta(days=1)
    )
    with committed():
        again = client_as(users["city_office"]).post(
            f"/api/v1/findings/{open_finding.pk}/chase/", {}, content_type="application/json"
        )
    assert again.status_code == 200
    assert list(levels(client_as, staff)) == ["chased", "chased"]


def test_only_county_officials_and_the_city_office_chase(client_as, api_as, users, open_finding):
    assert (
        client_as(users["township_staff"]).post(f"/inspections/findings/{open_finding.pk}/chase/").status_code
        == 403
    )
    assert (
        client_as(users["inspector"]).post(f"/inspections/findings/{open_finding.pk}/chase/").status_code
        == 403
    )
    assert (
        api_as(users["other_county_official"]).post(f"/api/v1/findings/{open_finding.pk}/chase/").status_code
        == 404
    )
    assert not FindingEvent.objects.filter(kind="chased").exists()
    page = client_as(users["township_staff"]).get(open_finding.get_absolute_url()).content.decode()
    assert "chase/" not in page


def test_cards_deductions_and_secretary_items_tell_their_people(users, township, client_as, committed):
    city, official, staff = users["city_office"], users["county_official"], users["township_staff"]
    secretary = make_member(Role.TOWNSHIP_STAFF, username="bihu_shuji", township=township)
    with committed():
        item = secretary_item_create(
            by=official,
            township=township,
            description="书记交办：集镇入口绿化提升",
            assigning_leader="王书记",
            promised_date=datetime.date(2026, 11, 10),
            assignee=staff,
        )
    assert levels(client_as, staff) == ["assigned"]
    assert "王书记" in inbox(client_as, staff)[0][1]
    # 催办 on the secretary item's page, as on any item.
    with committed():
        assert client_as(official).post(f"/inspections/findings/{item.pk}/chase/").status_code == 302
    assert levels(client_as, staff) == ["assigned", "chased"]
    assert set(Notification.objects.filter(level="chased").values_list("kind", flat=True)) == {"secretary"}

    with committed():
        card = yellow_card_issue(by=city, township=township, reason="整改滞后", findings=[item])
        yellow_card_escalate(card_id=card.pk, by=city, reason="仍未整改")
    with committed():
        deductions_propose(today=datetime.date(2026, 11, 28))
        deductions_propose(today=datetime.date(2026, 11, 28))  # a rerun
    deduction = Deduction.objects.get()
    assert levels(client_as, official) == ["card_issued", "card_escalated"]
    assert levels(client_as, staff) == [
        "assigned",
        "chased",
        "card_issued",
        "card_escalated",
        "deduction_proposed",
    ]
    assert "整改滞后" in inbox(client_as, staff)[2][1]

    other_staff = users["other_township_staff"]
    with committed():
        deduction_confirm(deduction_id=deduction.pk, by=secretary)
        item.status, item.closed_at = "closed", timezone.now()
        item.save()
        yellow_card_lift(card_id=card.pk, by=city)
    assert levels(client_as, staff)[-2:] == ["deduction_confirmed", "card_lifted"]
    assert levels(client_as, other_staff) == []
    before = Notification.objects.count()
    for event in YellowCardEvent.objects.all():
        card_event_notify(event_id=event.pk)
    assert Notification.objects.count() == before
