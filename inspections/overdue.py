"""The overdue scan of the rectification list (issue 7): findings climb the notification ladder.

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

from . import services
from .choices import FindingSource
from .models import Finding


def _link_pattern() -> str:
    # One reverse() for the whole scan instead of one per row.
    return reverse("inspections:finding_detail", args=[987654321]).replace("987654321", "{}")


def _subject(row: dict) -> str:
    description = " ".join(row["description"].split())
    return f"{row['township__name']}：{description[:80]}"


def finding_source() -> OverdueSource:
    """Open findings on a rectification list (secretary-assigned points included)."""
    pattern = _link_pattern()
    return OverdueSource(
        kind=lambda row: (
            NotificationKind.SECRETARY
            if row["source"] == FindingSource.SECRETARY
            else NotificationKind.FINDING
        ),
        queryset=Finding.objects.open(),
        deadline="deadline",
        township="township_id",
        assignee="assignee_id",
        fields=("source", "description", "township__name"),
        subject=_subject,
        link=lambda row: pattern.format(row["pk"]),
    )


def scan_overdue_findings(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """Notify every rung the open findings reached today; at the city rung, propose yellow cards."""
    today = today or localdate()
    created = ladder_scan(source=finding_source(), today=today, chunk_size=chunk_size)
    # The yellow-card issue owns the rule (its own thresholds in settings); it runs with the scan, on
    # the same morning the city office is told, and is idempotent like the ladder.
    services.yellow_card_proposals_generate(today=today)
    return created


def finding_digest(today: datetime.date, limit: int) -> tuple[dict[int, int], list[DigestLine]]:
    """Per county: how many findings are overdue, and the `limit` most overdue as digest lines."""
    overdue = Finding.objects.overdue(today)
    counts = dict(
        overdue.order_by()
        .values("township__county_id")
        .annotate(n=Count("pk"))
        .values_list("township__county_id", "n")
    )
    ranked = overdue.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("township__county_id")],
            order_by=[F("deadline").asc(), F("pk").asc()],
        )
    ).filter(rank__lte=limit)
    pattern = _link_pattern()
    lines = [
        DigestLine(
            county_id=row["township__county_id"],
            days_overdue=(today - row["deadline"]).days,
            text=_subject(row),
            link=pattern.format(row["pk"]),
        )
        for row in ranked.values("pk", "deadline", "description", "township__name", "township__county_id")
    ]
    return counts, lines
