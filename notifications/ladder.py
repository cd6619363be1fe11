"""The overdue ladder (issue 7), generic over any model with a deadline.

Each app describes its open items as an `OverdueSource` and calls `ladder_scan`; notifications
knows no finding or project. The scan is set-based: per rung, it walks the items that reached the
rung and have no notice at that rung yet, in primary-key chunks, and inserts one notice per
recipient with `notifications_create` (a unique insert), so reruns and parallel runs add nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet

from townships.choices import Role

from .choices import NotificationLevel
from .models import Notification
from .recipients import user_ids_by_township
from .services import NewNotification, ladder_text, notifications_create

ASSIGNEE = "assignee"


@dataclass(frozen=True)
class Rung:
    level: str
    days: int  # relative to the deadline: -3 is three days before, 7 is seven days after
    recipients: tuple[str, ...]  # ASSIGNEE and/or townships Role values
    email: bool = True


def ladder() -> list[Rung]:
    """The rungs with today's settings; county officials read theirs in the daily digest e-mail."""
    return [
        Rung(NotificationLevel.DUE_SOON, -settings.NOTIFICATIONS_DUE_SOON_DAYS, (ASSIGNEE,)),
        Rung(NotificationLevel.OVERDUE, settings.NOTIFICATIONS_OVERDUE_DAYS, (ASSIGNEE, Role.TOWNSHIP_STAFF)),
        Rung(
            NotificationLevel.COUNTY,
            settings.NOTIFICATIONS_COUNTY_DAYS,
            (Role.COUNTY_OFFICIAL,),
            email=not settings.NOTIFICATIONS_DIGEST_ENABLED,
        ),
        Rung(NotificationLevel.CITY, settings.NOTIFICATIONS_CITY_DAYS, (Role.CITY_OFFICE,)),
    ]


@dataclass(frozen=True)
class OverdueSource:
    """Open items of one kind: where their deadline, township and person responsible are."""

    kind: str | Callable[[dict], str]
    queryset: QuerySet  # items not done yet
    deadline: str  # field path of the deadline (a date)
    township: str  # field path of the township id
    subject: Callable[[dict], str]  # one line naming the item, from a values() row
    link: Callable[[dict], str]
    assignee: str | None = None  # field path of the responsible user's id
    fields: tuple[str, ...] = field(default_factory=tuple)  # extra values() for subject/kind


def rung_queryset(source: OverdueSource, rung: Rung, today: date) -> QuerySet:
    """The items at `rung` today that have no notice at this rung yet."""
    qs = source.queryset
    if rung.days < 0:
        qs = qs.filter(
            **{f"{source.deadline}__gte": today, f"{source.deadline}__lte": today - timedelta(rung.days)}
        )
    else:
        qs = qs.filter(**{f"{source.deadline}__lte": today - timedelta(rung.days)})
    content_type = ContentType.objects.get_for_model(source.queryset.model)
    notified = Notification.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), level=rung.level
    )
    return qs.filter(~Exists(notified))


def ladder_scan(*, source: OverdueSource, today: date, chunk_size: int | None = None) -> dict[str, int]:
    """Climb every rung for one source; returns {level: notices created}."""
    chunk_size = min(chunk_size or settings.NOTIFICATIONS_SCAN_CHUNK, 100_000)
    content_type = ContentType.objects.get_for_model(source.queryset.model)
    values = ["pk", source.deadline, source.township, *source.fields]
    if source.assignee:
        values.append(source.assignee)
    created: dict[str, int] = {}
    for rung in ladder():
        created[str(rung.level)] = 0
        last_pk = 0
        qs = rung_queryset(source, rung, today).order_by("pk").values(*values)
        while True:
            chunk = list(qs.filter(pk__gt=last_pk)[:chunk_size])
            if not chunk:
                break
            last_pk = chunk[-1]["pk"]
            created[str(rung.level)] += len(
                notifications_create(rows=_rows(source, rung, chunk, content_type.pk, today))
            )
    return created


def _rows(source: OverdueSource, rung: Rung, chunk: list[dict], content_type_id: int, today: date):
    roles = [r for r in rung.recipients if r != ASSIGNEE]
    # Without a person responsible, the township's staff are told instead.
    if ASSIGNEE in rung.recipients and Role.TOWNSHIP_STAFF not in roles:
        if not source.assignee or any(row[source.assignee] is None for row in chunk):
            roles.append(Role.TOWNSHIP_STAFF)
            fallback_only = True
        else:
            fallback_only = False
    else:
        fallback_only = False
    township_ids = {row[source.township] for row in chunk}
    by_role = {role: user_ids_by_township(role=role, township_ids=township_ids) for role in roles}
    rows = []
    for row in chunk:
        assignee = row[source.assignee] if source.assignee else None
        users: set[int] = set()
        if ASSIGNEE in rung.recipients and assignee:
            users.add(assignee)
        for role, mapping in by_role.items():
            if role == Role.TOWNSHIP_STAFF and fallback_only and assignee:
                continue
            users |= mapping.get(row[source.township], set())
        if not users:
            continue
        kind = source.kind(row) if callable(source.kind) else source.kind
        text = ladder_text(
            kind=kind,
            subject=source.subject(row),
            deadline=row[source.deadline],
            today=today,
        )
        link = source.link(row)
        rows += [
            NewNotification(
                recipient_id=user_id,
                content_type_id=content_type_id,
                object_id=row["pk"],
                level=rung.level,
                kind=kind,
                text=text,
                link=link,
                email=rung.email,
            )
            for user_id in sorted(users)
        ]
    return rows
