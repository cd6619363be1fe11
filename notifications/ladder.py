"""The overdue ladder (issue 7), generic over any model with a deadline.

Each app describes its open items as an `OverdueSource` (field paths and SQL expressions) and calls
`ladder_scan`; notifications knows no finding or project. The scan is set-based: per rung, it walks
the items that reached the rung and have no notice at that rung yet, in primary-key chunks, and per
chunk one statement joins them to their recipients and inserts the notices, text and link
computed by the database (`notifications_insert_items`), in its own short transaction. The unique
constraint keeps reruns and parallel runs from adding anything twice.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Value
from django.db.models.expressions import Expression

from townships.choices import Role

from .choices import NotificationLevel
from .models import Notification
from .services.notices import ITEM_COLUMNS, notifications_insert_items
from .services.texts import ladder_text_expression

logger = logging.getLogger(__name__)

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
    """Open items of one kind: where their deadline, township and person responsible are, and how
    their one-line subject and link read, as SQL expressions of the owning app."""

    kind: str | Expression  # a NotificationKind value, or an expression giving one per row
    queryset: QuerySet  # items not done yet
    deadline: str  # field path of the deadline (a date)
    township: str  # field path of the township id
    subject: Expression  # one line naming the item
    link: Expression
    assignee: str | None = None  # field path of the responsible user's id


def rung_queryset(
    source: OverdueSource, rung: Rung, today: date, after: int = 0, upto: int | None = None
) -> QuerySet:
    """The items at `rung` today that have no notice at this rung yet (id above `after`, at most `upto`)."""
    qs = source.queryset.filter(pk__gt=after)
    bound = {} if upto is None else {"object_id__lte": upto}
    if upto is not None:
        qs = qs.filter(pk__lte=upto)
    if rung.days < 0:
        qs = qs.filter(
            **{f"{source.deadline}__gte": today, f"{source.deadline}__lte": today - timedelta(rung.days)}
        )
    else:
        qs = qs.filter(**{f"{source.deadline}__lte": today - timedelta(rung.days)})
    content_type = ContentType.objects.get_for_model(source.queryset.model)
    # object_id > after says again what pk > after implies: PostgreSQL does not carry a range
    # across the join, and without it a merge anti-join reads every notice of the earlier chunks.
    notified = Notification.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), level=rung.level, object_id__gt=after, **bound
    )
    return qs.filter(~Exists(notified))


def rung_items(
    source: OverdueSource, rung: Rung, today: date, after: int = 0, upto: int | None = None
) -> QuerySet:
    """`rung_queryset` as the rows `notifications_insert_items` reads: id, township, assignee, kind,
    and the notice's text and link computed in SQL; ordered by id for the chunked walk."""
    kind = Value(str(source.kind)) if isinstance(source.kind, str) else source.kind
    return (
        rung_queryset(source, rung, today, after, upto)
        .annotate(
            item_id=F("pk"),
            item_township=F(source.township),
            item_assignee=F(source.assignee) if source.assignee else Value(None, output_field=IntegerField()),
            item_kind=kind,
            item_text=ladder_text_expression(
                kind=source.kind, subject=source.subject, deadline=source.deadline, today=today
            ),
            item_link=source.link,
        )
        .values(*ITEM_COLUMNS)
        .order_by("pk")
    )


def ladder_horizon(today: date) -> date:
    """The latest deadline any rung reaches today: items due after it cannot be notified yet."""
    return today + timedelta(days=max(-rung.days for rung in ladder()))


def ladder_scan(
    *,
    source: OverdueSource,
    today: date,
    chunk_size: int | None = None,
    after: int = 0,
    upto: int | None = None,
) -> dict[str, int]:
    """Climb every rung for one source (the items with an id in (`after`, `upto`]); returns
    {level: notices created}.

    Each chunk (at most `chunk_size` items, never more than 100,000) is one statement in its own
    transaction; its duration is logged (DEBUG, logger notifications.ladder, `extra` seconds).
    """
    chunk_size = min(chunk_size or settings.NOTIFICATIONS_SCAN_CHUNK, 100_000)
    content_type = ContentType.objects.get_for_model(source.queryset.model)
    created: dict[str, int] = {}
    for rung in ladder():
        roles = [r for r in rung.recipients if r != ASSIGNEE]
        # Without a person responsible, the township's staff are told instead.
        fallback = ASSIGNEE in rung.recipients and Role.TOWNSHIP_STAFF not in roles
        created[str(rung.level)] = 0
        last_id = after
        while True:
            started = time.perf_counter()
            result = notifications_insert_items(
                items=rung_items(source, rung, today, after=last_id, upto=upto)[:chunk_size],
                content_type_id=content_type.pk,
                level=rung.level,
                assignee=ASSIGNEE in rung.recipients,
                roles=roles,
                fallback_role=Role.TOWNSHIP_STAFF if fallback else None,
                email=rung.email,
            )
            seconds = time.perf_counter() - started
            logger.debug(
                "ladder %s %s: %s items, %s notices in %.2f s",
                content_type.model,
                rung.level,
                result.items,
                result.created,
                seconds,
                extra={"seconds": seconds, "items": result.items, "notices": result.created},
            )
            if not result.items:
                break
            created[str(rung.level)] += result.created
            last_id = result.last_id
    return created
