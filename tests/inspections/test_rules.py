"""The proposal rule, table-driven: each trigger, the boundaries, and no trigger; reruns add nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections.models import Deduction, YellowCard, YellowCardProposal
from inspections.services.cards import yellow_card_issue, yellow_card_proposals_generate
from inspections.services.secretary import deductions_propose, secretary_item_create
from tests.inspections.factories import FindingFactory, InspectionFactory

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date(2026, 6, 30)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


# (case, overdue item ages in days (deadline this many days ago), closed items, repeat?, expected [(kind, reason)])
CASES = [
    ("no trigger: 4 overdue, all recent", [1, 2, 3, 29], 0, False, []),
    ("nothing overdue at all", [], 0, False, []),
    ("deadline today is not overdue", [0, 0, 0, 0, 0], 0, False, []),
    ("5 overdue items", [1, 2, 3, 4, 5], 0, False, [("issue", "overdue_count")]),
    ("closed items do not count", [1, 2, 3, 4], 3, False, []),
    ("one item 30 days past its deadline", [30], 0, False, [("issue", "long_overdue")]),
    ("29 days is not yet long", [29], 0, False, []),
    ("a revisit finds the same problem", [], 0, True, [("issue", "repeat")]),
    (
        "every trigger at once",
        [1, 2, 3, 4, 40],
        0,
        True,
        [("issue", "long_overdue"), ("issue", "overdue_count"), ("issue", "repeat")],
    ),
]


@pytest.mark.parametrize(("case", "ages", "closed", "repeat", "expected"), CASES, ids=[c[0] for c in CASES])
def test_proposal_triggers(case, ages, closed, repeat, expected, township, users, settings):
    settings.YELLOW_CARD_OVERDUE_COUNT = 5
    settings.YELLOW_CARD_LONG_OVERDUE_DAYS = 30
    for age in ages:
        FindingFactory(township=township, deadline=days_ago(age))
    for _ in range(closed):
        FindingFactory(township=township, deadline=days_ago(60), status="closed", closed_at=timezone.now())
    if repeat:
        original = FindingFactory(
            township=township, deadline=days_ago(200), status="closed", closed_at=timezone.now()
        )
        revisit = InspectionFactory(township=township, mode="revisit", filed_by=users["inspector"])
        FindingFactory(township=township, inspection=revisit, repeat_of=original, deadline=days_ago(-10))

    first = yellow_card_proposals_generate(today=TODAY)
    got = sorted(YellowCardProposal.objects.values_list("kind", "reason"))
    assert got == sorted(expected)
    assert first.proposals == len(expected)
    # Idempotent: running again changes nothing.
    assert yellow_card_proposals_generate(today=TODAY).proposals == 0
    assert YellowCardProposal.objects.count() == len(expected)


# (case, card level, days since issued, expected kinds)
ESCALATION_CASES = [
    ("fresh card is given time", "warning", 3, []),
    ("card standing 14 days is escalated", "warning", 14, [("escalate", "warning")]),
    ("bulletin level escalates to media", "bulletin", 20, [("escalate", "bulletin")]),
    ("top of the ladder", "questioning", 60, []),
]


@pytest.mark.parametrize(
    ("case", "level", "age", "expected"), ESCALATION_CASES, ids=[c[0] for c in ESCALATION_CASES]
)
def test_escalation_proposals(case, level, age, expected, township, users, settings):
    settings.YELLOW_CARD_ESCALATE_AFTER_DAYS = 14
    items = [FindingFactory(township=township, deadline=days_ago(40))]
    card = yellow_card_issue(by=users["city_office"], township=township, reason="滞后", findings=items)
    issued = timezone.make_aware(datetime.datetime.combine(days_ago(age), datetime.time(10)))
    YellowCard.objects.filter(pk=card.pk).update(
        level=level, issued_at=issued, outlet="丽水日报" if level in ("media", "questioning") else ""
    )
    yellow_card_proposals_generate(today=TODAY)
    got = list(YellowCardProposal.objects.values_list("kind", "card_level"))
    assert got == expected
    assert all(p.card_id == card.pk for p in YellowCardProposal.objects.all())


def test_accepting_issues_the_card_and_dismissing_needs_a_reason(client_as, users, township, lianzhu):
    for age in (1, 2, 3, 4, 5):
        FindingFactory(township=township, deadline=days_ago(age))
    long_item = FindingFactory(township=lianzhu, deadline=days_ago(45))
    yellow_card_proposals_generate(today=TODAY)
    count_proposal = YellowCardProposal.objects.get(township=township)
    long_proposal = YellowCardProposal.objects.get(township=lianzhu)
    client = client_as(users["city_office"])
    queue = client.get("/inspections/yellow-cards/proposals/").content.decode()
    assert "碧湖镇" in queue and "老竹畲族镇" in queue and "45 天" in queue

    response = client.post(f"/inspections/yellow-cards/proposals/{count_proposal.pk}/accept/", {"reason": ""})
    card = YellowCard.objects.get(township=township)
    assert response.status_code == 302 and response["Location"] == card.get_absolute_url()
    assert card.findings.count() == 5 and card.issued_by == users["city_office"]
    count_proposal.refresh_from_db()
    assert count_proposal.status == "accepted" and count_proposal.resulting_card == card

    client.post(f"/inspections/yellow-cards/proposals/{long_proposal.pk}/dismiss/", {"reason": ""})
    long_proposal.refresh_from_db()
    assert long_proposal.status == "proposed"
    client.post(
        f"/inspections/yellow-cards/proposals/{long_proposal.pk}/dismiss/", {"reason": "已列入县级督办"}
    )
    long_proposal.refresh_from_db()
    assert long_proposal.status == "dismissed" and long_proposal.decision_note == "已列入县级督办"
    assert not YellowCard.objects.filter(township=lianzhu).exists()
    # A dismissed proposal is not made again; the accepted township's card is too fresh to escalate.
    assert yellow_card_proposals_generate(today=TODAY).proposals == 0
    assert long_item.pk in set(YellowCardProposal.objects.values_list("finding_id", flat=True))
    assert client_as(users["county_official"]).get("/inspections/yellow-cards/proposals/").status_code == 403


def test_api_proposals(api_as, users, township):
    for age in (1, 2, 3, 4, 5):
        FindingFactory(township=township, deadline=days_ago(age))
    yellow_card_proposals_generate(today=TODAY)
    api = api_as(users["city_office"])
    (proposal,) = api.get("/api/v1/yellow-card-proposals/", {"status": "proposed"}).json()["results"]
    card = api.post(f"/api/v1/yellow-card-proposals/{proposal['id']}/accept/", {}, format="json").json()
    assert card["level"] == "warning" and card["item_count"] == 5
    again = api.post(f"/api/v1/yellow-card-proposals/{proposal['id']}/accept/", {}, format="json")
    assert again.status_code == 400


def test_management_command(township):
    for age in (1, 2, 3, 4, 5):
        FindingFactory(township=township, deadline=days_ago(age))
    out = StringIO()
    call_command("propose_yellow_cards", "--date", TODAY.isoformat(), stdout=out)
    assert "1 new proposal" in out.getvalue()
    out = StringIO()
    call_command("propose_yellow_cards", "--date", TODAY.isoformat(), stdout=out)
    assert "0 new proposal" in out.getvalue()


# --- secretary-assigned items and deductions ---


@pytest.fixture
def secretary_item(users, township):
    return secretary_item_create(
        by=users["township_staff"],
        township=township,
        description="拆除下河街违章雨棚",
        assigning_leader="镇党委书记 王某",
        promised_date=days_ago(3),
        assignee=users["township_staff"],
        location="下河街 8 号",
    )


def test_overdue_secretary_item_gets_exactly_one_deduction(secretary_item, settings):
    settings.SECRETARY_DEDUCTION_KIND = "percentage"
    settings.SECRETARY_DEDUCTION_VALUE = "5"
    for day in range(5):
        yellow_card_proposals_generate(today=TODAY + datetime.timedelta(days=day))
        deductions_propose(today=TODAY + datetime.timedelta(days=day))
    (deduction,) = Deduction.objects.all()
    assert deduction.finding == secretary_item and deduction.status == "proposed"
    assert (deduction.kind, str(deduction.value), deduction.days_overdue) == ("percentage", "5.00", 3)
    assert deduction.value_label == "5%"


def test_secretary_item_not_yet_due_has_no_deduction(users, township):
    secretary_item_create(
        by=users["city_office"],
        township=township,
        description="未到期的交办件",
        assigning_leader="市委书记",
        promised_date=TODAY + datetime.timedelta(days=10),
        responsible_person="城建办 刘某",
    )
    assert deductions_propose(today=TODAY) == 0


def test_deduction_decisions(client_as, api_as, users, secretary_item):
    from tests.factories import make_member
    from townships.choices import Role

    deductions_propose(today=TODAY)
    deduction = Deduction.objects.get()
    # The cadre concerned cannot decide their own deduction.
    response = client_as(users["township_staff"]).post(f"/inspections/deductions/{deduction.pk}/confirm/", {})
    assert response.status_code == 403
    secretary = make_member(Role.TOWNSHIP_STAFF, username="bihu-secretary", township=secretary_item.township)
    client = client_as(secretary)
    client.post(f"/inspections/deductions/{deduction.pk}/waive/", {"note": ""})
    deduction.refresh_from_db()
    assert deduction.status == "proposed"
    api = api_as(users["city_office"])
    response = api.post(f"/api/v1/deductions/{deduction.pk}/confirm/", {"note": "按规定扣减"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert (
        api.post(f"/api/v1/deductions/{deduction.pk}/waive/", {"note": "x"}, format="json").status_code == 400
    )
    page = (
        client_as(users["city_office"])
        .get(f"/inspections/cadres/{users['township_staff'].pk}/")
        .content.decode()
    )
    assert "拆除下河街违章雨棚" in page and "5%" in page


def test_secretary_form_list_and_reply(client_as, users, township):
    client = client_as(users["township_staff"])
    response = client.post(
        "/inspections/secretary/new/",
        {
            "township": township.pk,
            "description": "清理老街违规广告牌",
            "assigning_leader": "",
            "promised_date": "2026-12-31",
            "reply_required": "on",
        },
    )
    assert response.status_code == 400 and "交办领导" in response.content.decode()
    response = client.post(
        "/inspections/secretary/new/",
        {
            "township": township.pk,
            "description": "清理老街违规广告牌",
            "assigning_leader": "镇党委书记",
            "assignee": users["township_staff"].pk,
            "location": "老街",
            "promised_date": "2026-12-31",
            "reply_required": "on",
        },
    )
    assert response.status_code == 302
    listing = client.get("/inspections/secretary/").content.decode()
    assert "清理老街违规广告牌" in listing and "镇党委书记" in listing and "待回复" in listing
    finding = client.get("/inspections/secretary/").context["findings"][0]
    response = client.post(f"/inspections/findings/{finding.pk}/reply/", {"reply": "已拆除 12 块广告牌"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.reply == "已拆除 12 块广告牌" and finding.reply_at
    assert "已回复" in client.get("/inspections/secretary/").content.decode()


def test_revisit_through_the_api_marks_the_repeat(api_as, users, township, lianzhu):
    original = FindingFactory(
        township=township, deadline=days_ago(100), status="closed", closed_at=timezone.now()
    )
    elsewhere = FindingFactory(township=lianzhu, deadline=days_ago(100))
    api = api_as(users["inspector"])
    payload = {
        "township": township.pk,
        "inspected_on": "2026-06-20",
        "mode": "revisit",
        "submit": True,
        "findings": [{"description": "垃圾再次堆放", "deadline": "2026-07-31", "repeat_of": elsewhere.pk}],
    }
    refused = api.post("/api/v1/inspections/", payload, format="json")
    assert refused.status_code == 400 and "本乡镇的原有问题" in str(refused.json())
    payload["findings"][0]["repeat_of"] = original.pk
    assert api.post("/api/v1/inspections/", payload, format="json").status_code == 201
    yellow_card_proposals_generate(today=TODAY)
    (proposal,) = YellowCardProposal.objects.filter(township=township)
    assert proposal.reason == "repeat" and proposal.finding.repeat_of == original
