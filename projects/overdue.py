"""The overdue scans of projects (issue 7): milestones and build-first approval deadlines climb the
notification ladder to the project manager, the township, the county and the city.

Set-based and batched through notifications.ladder; reruns and parallel runs add nothing twice.
"""

import datetime

from django.db.models import Count, F, TextField, Value, Window
from django.db.models.functions import Concat, RowNumber
from django.utils.timezone import localdate

from notifications.choices import NotificationKind
from notifications.digest import DigestLine
from notifications.expressions import url_with_pk
from notifications.ladder import OverdueSource, ladder_scan

from .models import Milestone, Project


def milestone_source() -> OverdueSource:
    """Milestones not done, of projects not archived."""
    return OverdueSource(
        kind=NotificationKind.MILESTONE,
        queryset=Milestone.objects.filter(done_on__isnull=True, project__archived=False),
        deadline="due_date",
        township="project__township_id",
        assignee="project__manager_id",
        # "碧湖镇：集镇主街线乱拉整治 · 完成线路下地"
        subject=Concat(
            F("project__township__name"),
            Value("："),
            F("project__name"),
            Value(" · "),
            F("name"),
            output_field=TextField(),
        ),
        link=url_with_pk("projects:project_detail", "project_id"),
    )


def approval_source() -> OverdueSource:
    """Build-first (先行施工) projects whose approvals are not completed."""
    return OverdueSource(
        kind=NotificationKind.APPROVAL,
        queryset=Project.objects.active().filter(
            approval_deadline__isnull=False, approvals_completed_on__isnull=True
        ),
        deadline="approval_deadline",
        township="township_id",
        assignee="manager_id",
        subject=Concat(F("township__name"), Value("："), F("name"), output_field=TextField()),
        link=url_with_pk("projects:project_detail"),
    )


def scan_overdue_projects(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """Notify every rung that open milestones and approval deadlines reached today."""
    today = today or localdate()
    return {
        "milestones": ladder_scan(source=milestone_source(), today=today, chunk_size=chunk_size),
        "approvals": ladder_scan(source=approval_source(), today=today, chunk_size=chunk_size),
    }


def _digest(source: OverdueSource, county: str, today, limit):
    overdue = source.queryset.filter(**{f"{source.deadline}__lt": today})
    counts = dict(overdue.order_by().values(county).annotate(n=Count("pk")).values_list(county, "n"))
    ranked = overdue.annotate(
        rank=Window(RowNumber(), partition_by=[F(county)], order_by=[F(source.deadline).asc(), F("pk").asc()])
    ).filter(rank__lte=limit)
    lines = [
        DigestLine(
            county_id=row[county],
            days_overdue=(today - row[source.deadline]).days,
            text=row["subject"],
            link=row["link"],
        )
        for row in ranked.annotate(subject=source.subject, link=source.link).values(
            source.deadline, county, "subject", "link"
        )
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
        source_counts, source_lines = _digest(source, county, today, limit)
        for county_id, n in source_counts.items():
            counts[county_id] = counts.get(county_id, 0) + n
        lines += source_lines
    return counts, lines
