"""The overdue scan of the rectification list (issue 7): findings climb the notification ladder.

Set-based and batched through notifications.ladder; reruns and parallel runs add nothing twice.
"""

import datetime

from django.db.models import Case, Count, F, TextField, Value, When, Window
from django.db.models.expressions import Expression
from django.db.models.functions import Concat, Left, RowNumber
from django.utils.timezone import localdate

from notifications.choices import NotificationKind
from notifications.digest import DigestLine
from notifications.expressions import Squish, url_with_pk
from notifications.ladder import OverdueSource, ladder_scan

from .choices import FindingSource
from .models import Finding
from .querysets import days_overdue
from .services.cards import yellow_card_proposals_generate


def _subject() -> Concat:
    # "碧湖镇：<the description's first 80 characters, whitespace runs as one space>"
    return Concat(F("township__name"), Value("："), Left(Squish("description"), 80), output_field=TextField())


def _link() -> Expression:
    return url_with_pk("inspections:finding_detail")


def finding_source() -> OverdueSource:
    """Open findings on a rectification list (secretary-assigned points included)."""
    return OverdueSource(
        kind=Case(
            When(source=FindingSource.SECRETARY, then=Value(NotificationKind.SECRETARY.value)),
            default=Value(NotificationKind.FINDING.value),
        ),
        queryset=Finding.objects.open(),
        deadline="deadline",
        township="township_id",
        assignee="assignee_id",
        subject=_subject(),
        link=_link(),
    )


def scan_overdue_findings(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """Notify every rung the open findings reached today; at the city rung, propose yellow cards."""
    today = today or localdate()
    created = ladder_scan(source=finding_source(), today=today, chunk_size=chunk_size)
    finding_scan_finish(today=today)
    return created


def finding_scan_finish(*, today: datetime.date) -> None:
    """What follows the ladder of findings, once every item has been climbed."""
    # The yellow-card issue owns the rule (its own thresholds in settings); it runs with the scan, on
    # the same morning the city office is told, and is idempotent like the ladder.
    yellow_card_proposals_generate(today=today)


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
    lines = [
        DigestLine(
            county_id=row["township__county_id"],
            days_overdue=days_overdue(row["deadline"], row["status"], today),
            text=row["subject"],
            link=row["link"],
        )
        for row in ranked.annotate(subject=_subject(), link=_link()).values(
            "deadline", "status", "subject", "link", "township__county_id"
        )
    ]
    return counts, lines
