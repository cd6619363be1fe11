"""Creating notices: once ever per (object, level, recipient), set-based, e-mail queued for the new
ones only after the commit."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.db import binding_cursor

from ..choices import Delivery, EmailStatus
from ..models import Notification
from ..recipients import addressed_users_sql, email_modes, role_members_sql
from .mail import queue_sends


@dataclass(frozen=True)
class NewNotification:
    """One row for `notifications_create`: who, about what (by content type and id), at which rung."""

    recipient_id: int
    content_type_id: int
    object_id: int
    level: str
    kind: str
    text: str
    link: str = ""
    email: bool = True


def notifications_create(*, rows: list[NewNotification]) -> list[int]:
    """Insert the rows that do not exist yet and queue e-mail for those only; returns the new ids.

    Set-based: one query for addresses and one insert returning the new ids, whatever the count.
    """
    if not rows:
        return []
    modes = email_modes(user_ids={r.recipient_id for r in rows if r.email})
    batch = uuid.uuid4()
    now = timezone.now()
    statuses = [_email_status(r, modes) for r in rows]
    with transaction.atomic():
        new = _insert_new(rows, statuses, batch=batch, now=now)
        pending = [pk for pk, status in new if status == EmailStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: queue_sends(pending))
    return [pk for pk, _status in new]


def _email_status(row: NewNotification, modes: dict) -> str:
    if not row.email or row.recipient_id not in modes:
        return EmailStatus.SKIPPED
    return EmailStatus.DAILY if modes[row.recipient_id][1] == Delivery.DAILY else EmailStatus.PENDING


def _insert_new(
    rows: list[NewNotification], statuses: list[str], *, batch: uuid.UUID, now
) -> list[tuple[int, str]]:
    """One INSERT ... ON CONFLICT DO NOTHING for all rows: the unique constraint drops the old ones.

    Returns (id, email_status) of the rows it inserted.
    """
    # Arrays through unnest(): one statement and 8 parameters whatever the row count, and far
    # less Python than bulk_create compiling a million placeholders. The arrays go as binary
    # parameters (%b) on a server-binding cursor: Django's client-side cursor quoted every
    # element into the SQL text, which cost more than the insert itself (bench/scan_overdue.py
    # measures it).
    table = Notification._meta.db_table
    with binding_cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (recipient_id, content_type_id, object_id, level, kind, text, link,
                                 email_status, created_at, attempts, last_error, batch)
            SELECT u.r, u.c, u.o, u.l, u.k, u.t, u.li, u.s, %s, 0, '', %s
            FROM unnest(%b::integer[], %b::integer[], %b::bigint[], %b::text[], %b::text[],
                        %b::text[], %b::text[], %b::text[]) AS u(r, c, o, l, k, t, li, s)
            ON CONFLICT DO NOTHING
            RETURNING id, email_status
            """,  # noqa: S608 (the table name is ours; every value is a parameter)
            [
                now,
                batch,
                [r.recipient_id for r in rows],
                [r.content_type_id for r in rows],
                [r.object_id for r in rows],
                [str(r.level) for r in rows],
                [str(r.kind) for r in rows],
                [r.text for r in rows],
                [r.link for r in rows],
                [str(s) for s in statuses],
            ],
        )
        # RETURNING instead of a second query selecting the batch back.
        return cursor.fetchall()


def notify(
    *,
    recipients: Iterable,
    obj: Model,
    level: str,
    kind: str,
    text: str,
    link: str = "",
    email: bool = True,
) -> list[int]:
    """Notify each recipient (users or user ids) about `obj` at `level`, once ever per person."""
    content_type = ContentType.objects.get_for_model(obj)
    ids = {getattr(r, "pk", r) for r in recipients}
    return notifications_create(
        rows=[
            NewNotification(
                recipient_id=user_id,
                content_type_id=content_type.pk,
                object_id=obj.pk,
                level=level,
                kind=kind,
                text=text,
                link=link,
                email=email,
            )
            for user_id in sorted(ids)
        ]
    )


@dataclass(frozen=True)
class ChunkResult:
    items: int  # items read (0: the walk is over)
    last_id: int | None  # the highest item id of the chunk, where the next chunk starts
    created: int  # notices inserted (the others existed already)


# The columns a chunk of items must give `notifications_insert_items`, as values() aliases.
ITEM_COLUMNS = ("item_id", "item_township", "item_assignee", "item_kind", "item_text", "item_link")


def notifications_insert_items(
    *,
    items: QuerySet,
    content_type_id: int,
    level: str,
    assignee: bool,
    roles: Iterable[str] = (),
    fallback_role: str | None = None,
    email: bool = True,
) -> ChunkResult:
    """One chunk of a ladder rung in one statement and one short transaction: the database joins the
    items to their recipients and inserts the notices that do not exist yet; e-mail is queued for
    the new ones only, after commit.

    `items` is a values() queryset of ITEM_COLUMNS (text and link already computed in SQL), ordered
    and sliced by the caller. Recipients of an item: its assignee (when `assignee`), every active
    holder of `roles` over its township, and, for an item without an assignee, the holders of
    `fallback_role`.
    """
    items_sql, items_params = items.query.sql_with_params()
    roles = [str(role) for role in roles]
    ctes, params, branches = [], [], []
    if roles or fallback_role:
        members_sql, members_params = role_members_sql(
            roles=[*roles, *([fallback_role] if fallback_role else [])]
        )
        ctes.append(f"members AS ({members_sql})")
        params += members_params
    if assignee:
        branches.append(
            "SELECT c.item_id, c.item_assignee AS user_id FROM chunk c WHERE c.item_assignee IS NOT NULL"
        )
    for role in roles:
        branches.append(
            "SELECT c.item_id, m.user_id FROM chunk c JOIN members m ON m.township_id = c.item_township "
            "AND m.role = %s"
        )
        params.append(role)
    if fallback_role:
        branches.append(
            "SELECT c.item_id, m.user_id FROM chunk c JOIN members m ON m.township_id = c.item_township "
            "AND m.role = %s WHERE c.item_assignee IS NULL"
        )
        params.append(str(fallback_role))
    if not branches:
        raise ValueError("a rung without recipients")
    ctes.append(f"pairs AS ({' UNION '.join(branches)})")
    status, addressed_join = f"'{EmailStatus.SKIPPED}'", ""
    if email:
        addressed_sql, addressed_params = addressed_users_sql()
        ctes.append(f"addressed AS ({addressed_sql})")
        params += addressed_params
        status = f"COALESCE(a.status, '{EmailStatus.SKIPPED}')"
        addressed_join = "LEFT JOIN addressed a ON a.id = p.user_id"
    table = Notification._meta.db_table
    ctes = ", ".join(ctes)
    field = Notification._meta.get_field
    params += [
        content_type_id,
        str(level),
        field("created_at").get_db_prep_value(timezone.now(), connection),
        field("batch").get_db_prep_value(uuid.uuid4(), connection),
    ]

    def run(on_conflict: str) -> tuple[int, int | None, int, list[int]]:
        insert = f"""
            INSERT INTO {table} (recipient_id, content_type_id, object_id, level, kind, text, link,
                                 email_status, created_at, attempts, last_error, batch)
            SELECT p.user_id, %s, c.item_id, %s, c.item_kind, c.item_text, c.item_link, {status}, %s, 0, '', %s
            FROM pairs p JOIN chunk c ON c.item_id = p.item_id {addressed_join}
            WHERE true
            ORDER BY c.item_id, p.user_id
            {on_conflict}
            RETURNING id, email_status"""  # noqa: S608 (table and status are ours; every value is a parameter)
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner cannot see into the CTEs and estimates millions of rows, so it would JIT
            # compile the text expressions, which takes longer than running them; the chunk's
            # sorts fit in memory with more than the default work_mem.
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
            # One statement: the chunk is read once (MATERIALIZED) and only counts and the ids to
            # e-mail come back, not a row per notice.
            cursor.execute(
                f"""WITH chunk AS MATERIALIZED ({items_sql}), {ctes}, ins AS ({insert})
                SELECT (SELECT count(*) FROM chunk), (SELECT max(item_id) FROM chunk),
                       (SELECT count(*) FROM ins), ARRAY(SELECT id FROM ins WHERE email_status = %s ORDER BY id)""",  # noqa: S608
                [*items_params, *params, str(EmailStatus.PENDING)],
            )
            count, last_id, created, pending = cursor.fetchone()
            if pending:
                transaction.on_commit(lambda: queue_sends(pending))
        return count, last_id, created, pending

    # The items have no notice at this rung yet (the caller's NOT EXISTS), so only a scan running at
    # the same time can collide: a plain INSERT, which skips ON CONFLICT's speculative insertion
    # (its cost is paid per row), and on a unique violation the chunk again, skipping what the other scan inserted.
    try:
        count, last_id, created, _pending = run("")
    except IntegrityError:
        count, last_id, created, _pending = run("ON CONFLICT DO NOTHING")
    return ChunkResult(items=count, last_id=last_id, created=created)
