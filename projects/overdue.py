"""The overdue scans of projects (issue 7): milestones and build-first approval deadlines climb the
notification ladder to the project manager, the township, the county and the city.

Set-based and batched through notifications.ladder; reruns and parallel runs add nothing twice.
"""

import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.timezone import localdate

from notifications.choices import NotificationKind
from notifications.digest import DigestLine
from notifications.ladder import OverdueSource, ladder_scan

from .models import Milestone, Project


def _project_link_pattern() -> str:
    # One reverse() for the whole scan instead of one per row.
    return reverse("projects:project_detail", args=[987654321]).replace("987654321", "{}")


def milestone_source() -> OverdueSource:
    """Milestones not done, of projects not archived."""
    pattern = _project_link_pattern()
    return OverdueSource(
        kind=NotificationKind.MILESTONE,
        queryset=Milestone.objects.filter(done_on__isnull=True, project__archived=False),
        deadline="due_date",
        township="project__township_id",
        assignee="project__manager_id",
        fields=("name", "project_id", "project__name", "project__township__name"),
        subject=lambda row: f"{row['project__township__name']}：{row['project__name']} · {row['name']}",
        link=lambda row: pattern.format(row["project_id"]),
    )


def approval_source() -> OverdueSource:
    """Build-first (先行施工) projects whose approvals are not completed."""
    pattern = _project_link_pattern()
    return OverdueSource(
        kind=NotificationKind.APPROVAL,
        queryset=Project.objects.active().filter(
            approval_deadline__isnull=False, approvals_completed_on__isnull=True
        ),
        deadline="approval_deadline",
        township="township_id",
        assignee="manager_id",
        fields=("name", "township__name"),
        subject=lambda row: f"{row['township__name']}：{row['name']}",
        link=lambda row: pattern.format(row["pk"]),
    )


def scan_overdue_projects(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """Notify every rung that open milestones and approval deadlines reached today."""
    today = today or localdate()
    return {
        "milestones": ladder_scan(source=milestone_source(), today=today, chunk_size=chunk_size),
        "approvals": ladder_scan(source=approval_source(), today=today, chunk_size=chunk_size),
    }


def _digest(queryset, deadline: str, county: str, fields: tuple, subject, link, today, limit):
    overdue = queryset.filter(**{f"{deadline}__lt": today})
    counts = dict(overdue.order_by().values(county).annotate(n=Count("pk")).values_list(county, "n"))
    ranked = overdue.annotate(
        rank=Window(RowNumber(), partition_by=[F(county)], order_by=[F(deadline).asc(), F("pk").asc()])
    ).filter(rank__lte=limit)
    lines = [
        DigestLine(
            county_id=row[county],
            days_overdue=(today - row[deadline]).days,
            text=subject(row),
            link=link(row),
        )
        for row in ranked.values("pk", deadline, county, *fields)
    ]
    return counts, lines


def project_digest(today: datetime.date, limit: int) -> tuple[dict[int, int], list[DigestLine]]:
    """Per county: overdue milestones and approval deadlines, the most overdue first."""
    counts: dict[int, int] = {}
    lines: list[DigestLine] = []
    for source, county in [
        (milestone_source(), "project__township__county_id"),
        (approval_source(), "township__county_id"),
    ]:
        source_counts, source_lines = _digest(
            source.queryset, source.deadline, county, source.fields, source.subject, source.link, today, limit
        )
        for county_id, n in source_counts.items():
            counts[county_id] = counts.get(county_id, 0) + n
        lines += source_lines
    return counts, lines
