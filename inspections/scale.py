"""Deterministic province-scale findings, their events and yellow cards (generate_scale_data).

Rows go in with bulk_create in batches, bypassing the services on purpose: the services' per-row
locks, history and notifications are what the benchmark measures elsewhere, not what it loads.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from .choices import (
    FindingEventKind,
    FindingSource,
    FindingStatus,
    Severity,
    YellowCardEventKind,
    YellowCardLevel,
    YellowCardStatus,
)
from .models import Finding, FindingEvent, YellowCard, YellowCardEvent

PROBLEMS = [
    ("环境卫生", "垃圾未及时清运"),
    ("环境卫生", "河道漂浮物未清理"),
    ("城镇秩序", "店外经营占道"),
    ("城镇秩序", "车辆乱停乱放"),
    ("乡容镇貌", "违章广告牌未拆除"),
    ("乡容镇貌", "立面破损未修复"),
    ("线乱拉", "空中线缆杂乱"),
    ("道路", "人行道破损"),
]
SOURCES = [FindingSource.INSPECTION] * 6 + [FindingSource.GRID, FindingSource.MEDIA, FindingSource.PUBLIC]
SEVERITIES = [Severity.MINOR] * 6 + [Severity.MAJOR] * 3 + [Severity.CRITICAL]
# closed most of the time; the rest spread over the open states
STATUSES = (
    [FindingStatus.CLOSED] * 13
    + [FindingStatus.OPEN] * 4
    + [FindingStatus.SUBMITTED] * 2
    + [FindingStatus.REJECTED]
)
BATCH = 10_000


def findings_generate(
    *,
    township_ids: list[int],
    track_ids: list[int],
    count: int,
    seed: int,
    start: datetime.date,
    actor,
) -> tuple[int, int]:
    """`count` findings over the townships since `start`, with events by `actor`; returns (findings, events)."""
    rng = random.Random(seed + 3)
    today = timezone.localdate()
    span = (today - start).days
    made = events = 0
    while made < count:
        size = min(BATCH, count - made)
        batch = []
        for _ in range(size):
            filed = start + datetime.timedelta(days=rng.randrange(span))
            deadline = filed + datetime.timedelta(days=rng.choice((7, 15, 30, 60)))
            status = rng.choice(STATUSES)
            source = rng.choice(SOURCES)
            place, problem = rng.choice(PROBLEMS)
            closed_at = None
            if status == FindingStatus.CLOSED:
                closed_day = min(today, filed + datetime.timedelta(days=rng.randrange(1, 90)))
                closed_at = timezone.make_aware(datetime.datetime.combine(closed_day, datetime.time(10)))
            batch.append(
                Finding(
                    township_id=rng.choice(township_ids),
                    track_id=rng.choice(track_ids),
                    source=source,
                    description=f"{place}：{problem}",
                    location=f"{place}{rng.randrange(1, 200)}号附近",
                    severity=rng.choice(SEVERITIES),
                    deadline=deadline,
                    responsible_person="乡镇整治办",
                    status=status,
                    closed_at=closed_at,
                    closed_by=actor if closed_at else None,
                    created_by=actor,
                )
            )
        with transaction.atomic():
            created = Finding.objects.bulk_create(batch, batch_size=5000)
            timeline = []
            for finding in created:
                timeline.append(
                    FindingEvent(
                        finding=finding,
                        kind=FindingEventKind.CREATED,
                        actor=actor,
                        to_status=FindingStatus.OPEN,
                    )
                )
                if finding.status != FindingStatus.OPEN:
                    timeline.append(
                        FindingEvent(
                            finding=finding,
                            kind=FindingEventKind.SUBMITTED,
                            from_status=FindingStatus.OPEN,
                            to_status=FindingStatus.SUBMITTED,
                            actor=actor,
                        )
                    )
                if finding.status in (FindingStatus.CLOSED, FindingStatus.REJECTED):
                    kind = (
                        FindingEventKind.VERIFIED
                        if finding.status == FindingStatus.CLOSED
                        else FindingEventKind.REJECTED
                    )
                    timeline.append(
                        FindingEvent(
                            finding=finding,
                            kind=kind,
                            from_status=FindingStatus.SUBMITTED,
                            to_status=finding.status,
                            actor=actor,
                        )
                    )
            FindingEvent.objects.bulk_create(timeline, batch_size=5000)
        made += size
        events += len(timeline)
    return made, events


@transaction.atomic
def yellow_cards_generate(*, township_ids: list[int], share: float, seed: int, issued_by) -> int:
    """An active yellow card for about `share` of the townships (one at most each); returns cards made."""
    rng = random.Random(seed + 4)
    chosen = sorted(rng.sample(township_ids, round(len(township_ids) * share)))
    cards = []
    for tid in chosen:
        level = rng.choice([YellowCardLevel.WARNING] * 3 + [YellowCardLevel.BULLETIN, YellowCardLevel.MEDIA])
        cards.append(
            YellowCard(
                township_id=tid,
                level=level,
                status=YellowCardStatus.ACTIVE,
                reason="逾期问题较多，整改进度滞后",
                outlet="丽水电视台" if level == YellowCardLevel.MEDIA else "",
                issued_by=issued_by,
            )
        )
    created = YellowCard.objects.bulk_create(cards)
    YellowCardEvent.objects.bulk_create(
        [
            YellowCardEvent(
                card=card,
                kind=YellowCardEventKind.ISSUED,
                actor=issued_by,
                to_level=card.level,
                reason=card.reason,
            )
            for card in created
        ]
    )
    return len(created)
