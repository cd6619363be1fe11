"""The scan writes each notice's text and link in SQL: byte for byte what the Python reference gives.

`notifications.services.texts.ladder_text` is the reference (the text as the ladder wrote it when rows were
built in Python); the subjects below are spelled out the way the apps described them then.
"""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import FindingSource
from inspections.overdue import finding_digest, scan_overdue_findings
from notifications.choices import NotificationKind, NotificationLevel
from notifications.models import Notification
from notifications.services.texts import ladder_text
from projects.models import Milestone
from projects.overdue import project_digest, scan_overdue_projects

from .conftest import TODAY

pytestmark = [pytest.mark.django_db]

# Runs of spaces, tabs, newlines, an ideographic space (U+3000) and a no-break space, around and
# inside; longer than the 80 characters a subject keeps.
DESCRIPTION = "\u3000 主街立面广告牌\t\t破损，\n\n未按期整改\u00a0\u00a0" + "沿街店招" * 25 + "  "


def _python_subject(township_name: str, description: str) -> str:
    return f"{township_name}：{' '.join(description.split())[:80]}"


@pytest.mark.parametrize(
    ("offset", "source", "kind"),
    [
        (-3, FindingSource.GRID, NotificationKind.FINDING),  # due in 3 days
        (0, FindingSource.GRID, NotificationKind.FINDING),  # due today: "0 days"
        (9, FindingSource.SECRETARY, NotificationKind.SECRETARY),  # 9 days overdue, 2026-11-19
        (40, FindingSource.GRID, NotificationKind.FINDING),  # 40 days overdue, in the month before
    ],
)
def test_finding_notice_text_and_link_match_the_python_reference(
    users, assignee, make_finding, township, offset, source, kind
):
    extra = {"assigning_leader": "县委书记"} if source == FindingSource.SECRETARY else {}
    finding = make_finding(offset=offset, assignee=assignee, source=source, description=DESCRIPTION, **extra)
    scan_overdue_findings(today=TODAY)

    notices = Notification.objects.filter(object_id=finding.pk)
    assert notices.exists()
    expected = ladder_text(
        kind=kind,
        subject=_python_subject(township.name, DESCRIPTION),
        deadline=finding.deadline,
        today=TODAY,
    )
    link = reverse("inspections:finding_detail", args=[finding.pk])
    for notice in notices:
        assert notice.kind == kind
        assert notice.text == expected
        assert notice.link == link
    if offset == 9:
        assert expected == (
            f"书记交办件已逾期 9 天（期限 2026年11月19日）：{_python_subject(township.name, DESCRIPTION)}"
        )


def test_milestone_notice_text_and_link_match_the_python_reference(users, assignee, make_project, township):
    project = make_project(manager=assignee, name="集镇主街  线乱拉整治")
    due = datetime.date(2026, 1, 5)  # single-digit month and day, 327 days overdue
    milestone = Milestone.objects.create(project=project, name="完成线路下地\t（一期）", due_date=due)
    scan_overdue_projects(today=TODAY)

    notices = Notification.objects.filter(object_id=milestone.pk, level=NotificationLevel.CITY)
    (notice,) = notices
    subject = f"{township.name}：{project.name} · {milestone.name}"  # no whitespace folding here
    assert notice.text == ladder_text(
        kind=NotificationKind.MILESTONE, subject=subject, deadline=due, today=TODAY
    )
    assert notice.text == f"项目节点已逾期 327 天（期限 2026年1月5日）：{subject}"
    assert notice.link == reverse("projects:project_detail", args=[project.pk])


def test_digest_lines_use_the_same_subjects_and_links(users, assignee, make_finding, make_project, township):
    finding = make_finding(offset=3, assignee=assignee, description=DESCRIPTION)
    project = make_project(manager=assignee)
    Milestone.objects.create(
        project=project, name="完成线路下地", due_date=TODAY - datetime.timedelta(days=2)
    )

    _counts, (line,) = finding_digest(TODAY, 10)
    assert (line.text, line.link, line.days_overdue) == (
        _python_subject(township.name, DESCRIPTION),
        reverse("inspections:finding_detail", args=[finding.pk]),
        3,
    )
    _counts, (line,) = project_digest(TODAY, 10)
    assert (line.text, line.link) == (
        f"{township.name}：{project.name} · 完成线路下地",
        reverse("projects:project_detail", args=[project.pk]),
    )
