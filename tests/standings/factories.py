"""Factories and builders for standings tests (findings are created directly: read-only use)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from inspections.choices import FindingStatus
from inspections.models import Finding
from tests.factories import ProgressReportFactory, TargetFactory, TownshipFactory, track

START = datetime.date(2026, 1, 1)
DUE = datetime.date(2026, 5, 1)  # 120 days after START
AS_OF = datetime.date(2026, 3, 2)  # 60 days after START: 50 % expected


def township_with_progress(county, *, quantity, done, code=None, track_code="sanitation", **extra):
    """A township in `county` with one target (START → DUE) and one report on AS_OF - 1 day."""
    kwargs = {"county": county, **extra}
    if code:
        kwargs["code"] = code
    township = TownshipFactory(**kwargs)
    target = TargetFactory(
        township=township, track=track(track_code), quantity=Decimal(quantity), start_date=START, due_date=DUE
    )
    if done is not None:
        ProgressReportFactory(
            target=target, reported_on=AS_OF - datetime.timedelta(days=1), cumulative_quantity=Decimal(done)
        )
    return township


def finding(
    township, *, status=FindingStatus.OPEN, deadline=AS_OF - datetime.timedelta(days=5), track_code=None
):
    closed = status == FindingStatus.CLOSED
    return Finding.objects.create(
        township=township,
        track=track(track_code) if track_code else None,
        description="测试问题",
        deadline=deadline,
        status=status,
        closed_at=timezone.now() if closed else None,
    )
