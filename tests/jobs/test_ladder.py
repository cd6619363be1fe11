"""Table-driven tests of the overdue ladder: for each day offset, who is notified at which rung."""

import datetime

import pytest
from django.core import mail

from inspections.choices import FindingSource, FindingStatus
from inspections.overdue import scan_overdue_findings
from notifications.choices import EmailStatus, NotificationKind, NotificationLevel
from notifications.models import Notification
from projects.choices import ProcurementMode
from projects.models import Milestone
from projects.overdue import scan_overdue_projects
from renovation.overdue import scan_overdue

from .conftest import TODAY

pytestmark = [pytest.mark.django_db]

A, T, C, CITY = "assignee", "township_staff", "county_official", "city_office"
DUE, LATE, COUNTY, CITY_L = (
    NotificationLevel.DUE_SOON,
    NotificationLevel.OVERDUE,
    NotificationLevel.COUNTY,
    NotificationLevel.CITY,
)

# offset = days since the deadline on the day of the scan (negative: the deadline is ahead).
# A first scan on that day catches up every rung reached so far, each exactly once.
LADDER = [
    (-5, set()),
    (-4, set()),
    (-3, {(DUE, A)}),
    (-1, {(DUE, A)}),
    (0, {(DUE, A)}),
    (1, {(LATE, A), (LATE, T)}),
    (6, {(LATE, A), (LATE, T)}),
    (7, {(LATE, A), (LATE, T), (COUNTY, C)}),
    (13, {(LATE, A), (LATE, T), (COUNTY, C)}),
    (14, {(LATE, A), (LATE, T), (COUNTY, C), (CITY_L, CITY)}),
    (40, {(LATE, A), (LATE, T), (COUNTY, C), (CITY_L, CITY)}),
]


def _who(users, assignee):
    return {
        assignee.pk: A,
        users["township_staff"].pk: T,
        users["county_official"].pk: C,
        users["city_office"].pk: CITY,
    }


def _received(users, assignee):
    names = _who(users, assignee)
    return {
        (level, names.get(rid, f"unexpected {rid}"))
        for level, rid in Notification.objects.values_list("level", "recipient_id")
    }


@pytest.mark.parametrize(("offset", "expected"), LADDER)
def test_finding_ladder(users, assignee, make_finding, offset, expected):
    make_finding(offset=offset, assignee=assignee)
    scan_overdue_findings(today=TODAY)
    assert _received(users, assignee) == expected
    # Not told: the other township's staff, the other county, the inspector, the province.


@pytest.mark.parametrize(("offset", "expected"), LADDER)
def test_milestone_ladder(users, assignee, make_project, offset, expected):
    project = make_project(manager=assignee)
    Milestone.objects.create(
        project=project, name="完成线路下地", due_date=TODAY - datetime.timedelta(days=offset)
    )
    scan_overdue_projects(today=TODAY)
    assert _received(users, assignee) == expected


@pytest.mark.parametrize(("offset", "expected"), LADDER)
def test_build_first_approval_ladder(users, assignee, make_project, offset, expected):
    make_project(
        manager=assignee,
        procurement_mode=ProcurementMode.BUILD_FIRST,
        approval_deadline=TODAY - datetime.timedelta(days=offset),
    )
    scan_overdue_projects(today=TODAY)
    assert _received(users, assignee) == expected
    assert set(Notification.objects.values_list("kind", flat=True)) <= {NotificationKind.APPROVAL}


def test_ladder_climbs_day_by_day_once_per_rung(users, assignee, make_finding):
    finding = make_finding(offset=0, assignee=assignee)
    seen = []
    for day in range(-6, 20):
        scan_overdue_findings(today=finding.deadline + datetime.timedelta(days=day))
        seen.append(Notification.objects.count())
    assert _received(users, assignee) == {(DUE, A), (LATE, A), (LATE, T), (COUNTY, C), (CITY_L, CITY)}
    assert Notification.objects.count() == 5
    # The count grows only on the day a rung is reached: -3, +1, +7, +14.
    grew_on = [
        d for d, (a, b) in zip(range(-5, 20), zip(seen, seen[1:], strict=False), strict=False) if b > a
    ]
    assert grew_on == [-3, 1, 7, 14]


def test_without_assignee_township_staff_are_reminded(users, make_finding):
    make_finding(offset=-2, assignee=None)
    scan_overdue_findings(today=TODAY)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {users["township_staff"].pk}


def test_closed_and_archived_items_are_not_scanned(users, assignee, make_finding, make_project):
    make_finding(
        offset=20,
        assignee=assignee,
        status=FindingStatus.CLOSED,
        closed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    make_finding(offset=20, assignee=assignee, archived=True)
    project = make_project(manager=assignee)
    Milestone.objects.create(
        project=project, name="done", due_date=TODAY - datetime.timedelta(days=20), done_on=TODAY
    )
    make_project(
        manager=assignee,
        name="审批已办结",
        procurement_mode=ProcurementMode.BUILD_FIRST,
        approval_deadline=TODAY - datetime.timedelta(days=20),
        approvals_completed_on=TODAY,
    )
    scan_overdue(today=TODAY)
    assert Notification.objects.count() == 0


def test_secretary_points_are_scanned_as_such(users, assignee, make_finding):
    make_finding(offset=1, assignee=assignee, source=FindingSource.SECRETARY, assigning_leader="县委书记")
    scan_overdue_findings(today=TODAY)
    assert set(Notification.objects.values_list("kind", flat=True)) == {NotificationKind.SECRETARY}
    text = Notification.objects.filter(recipient=assignee).get().text
    assert "书记交办件已逾期 1 天" in text and "碧湖镇" in text


def test_scan_twice_creates_and_mails_nothing_twice(
    users, assignee, make_finding, django_capture_on_commit_callbacks
):
    for offset in (-2, 1, 8, 15):
        make_finding(offset=offset, assignee=assignee)
    with django_capture_on_commit_callbacks(execute=True):
        first = scan_overdue(today=TODAY)
    count, mails = Notification.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = scan_overdue(today=TODAY)
    assert Notification.objects.count() == count > 0
    assert len(mail.outbox) == mails > 0
    assert sum(first["findings"].values()) == count - first["digests"]
    assert sum(second["findings"].values()) == 0 and second["digests"] == 0
    # County officials get one digest mail instead of a mail per item.
    liandu = users["county_official"]
    assert [m.to for m in mail.outbox].count([liandu.email]) == 1
    county_notices = Notification.objects.filter(recipient=liandu, level=NotificationLevel.COUNTY)
    assert set(county_notices.values_list("email_status", flat=True)) == {EmailStatus.SKIPPED}
    assert county_notices.count() == 2
    digest = next(m for m in mail.outbox if m.to == [liandu.email])
    assert "莲都区" in digest.body and "逾期事项 3 项" in digest.body


def test_scan_runs_the_yellow_card_rule(users, assignee, make_finding, monkeypatch):
    from inspections import overdue

    calls = []
    monkeypatch.setattr(overdue, "yellow_card_proposals_generate", lambda *, today: calls.append(today))
    make_finding(offset=14, assignee=assignee)
    scan_overdue_findings(today=TODAY)
    assert calls == [TODAY]
