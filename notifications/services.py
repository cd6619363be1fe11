"""Writes for notifications. Scans, views, the API and the tasks all call these."""

import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Model, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.db import binding_cursor

from .choices import Delivery, EmailStatus, NotificationKind
from .expressions import DaysApart, date_label, fill, is_due
from .models import Notification, NotificationPreference
from .recipients import addressed_users_sql, email_modes, role_members_sql

logger = logging.getLogger(__name__)

# Failures worth another try later (the task retries exactly these); anything else is a bug and
# marks the row failed at once.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


class NotificationBusy(Exception):
    """Another worker holds a fresh claim on this notification; try again after it."""


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


def queue_sends(notification_ids: list[int]) -> None:
    """Hand each id to `send_notification_task` over one broker connection."""
    from .tasks import send_notification_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        for pk in notification_ids:
            send_notification_task.delay(pk)
        return
    with send_notification_task.app.producer_or_acquire() as producer:
        for pk in notification_ids:
            send_notification_task.apply_async((pk,), producer=producer)


def notifications_requeue(*, older_than: timedelta | None = None) -> int:
    """Queue again what a lost publish or a dead worker left behind; claims make extras harmless."""
    if older_than is None:
        older_than = timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER)
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE)
    ids = list(
        Notification.objects.filter(
            Q(email_status=EmailStatus.PENDING, created_at__lte=now - older_than)
            | Q(email_status=EmailStatus.SENDING, claimed_at__lt=lease)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        queue_sends(ids)
    return len(ids)


def _claim(notification_id: int, now) -> bool:
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE)
    return bool(
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(email_status=EmailStatus.PENDING) | Q(email_status=EmailStatus.SENDING, claimed_at__lt=lease)
        )
        .update(email_status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def notification_email(notification: Notification, address: str) -> EmailMessage:
    """The plain-text Chinese e-mail for one notification, with an absolute link."""
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        name = notification.recipient.get_full_name() or notification.recipient.get_username()
        first_line = notification.text.splitlines()[0] if notification.text else ""
        subject = _("[%(level)s] %(text)s") % {
            "level": notification.get_level_display(),
            "text": first_line[:80],
        }
        parts = [_("%(name)s:") % {"name": name}, "", notification.text, ""]
        if notification.link:
            parts.append(_("Details: %(url)s") % {"url": site + notification.link})
        parts += [
            "",
            "-- ",
            _("Sent automatically by the Lishui small-town renovation platform; please do not reply."),
            _("To stop these e-mails, switch them off at %(url)s") % {"url": site + "/notifications/"},
        ]
    return EmailMessage(
        subject=subject.replace("\n", " "),
        body="\n".join(parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-Notification-Id": str(notification.pk)},
    )


def notification_send(*, notification_id: int, final: bool = False) -> str:
    """Claim one pending notification (conditional UPDATE), e-mail it, mark it sent; returns its status.

    On a transient failure it goes back to pending with the error (failed when `final`) and the
    error is re-raised so that the task retries with backoff.
    """
    now = timezone.now()
    if not _claim(notification_id, now):
        status = (
            Notification.objects.filter(pk=notification_id).values_list("email_status", flat=True).first()
        )
        if status == EmailStatus.SENDING:
            raise NotificationBusy(notification_id)
        return status or "missing"
    mine = Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING, claimed_at=now)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address, delivery = email_modes(user_ids=[notification.recipient_id]).get(
        notification.recipient_id, ("", Delivery.INBOX)
    )
    if not address:
        # E-mail was switched off (or the address removed) after the notice was created.
        mine.update(email_status=EmailStatus.SKIPPED, claimed_at=None)
        return EmailStatus.SKIPPED
    if delivery == Delivery.DAILY:
        # Switched to the daily e-mail since: it goes out with the day's other notices.
        mine.update(email_status=EmailStatus.DAILY, claimed_at=None)
        return EmailStatus.DAILY
    try:
        notification_email(notification, address).send()
    except TRANSIENT_EMAIL_ERRORS as exc:
        status = EmailStatus.FAILED if final else EmailStatus.PENDING
        mine.update(email_status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000], claimed_at=None)
        raise
    except Exception as exc:
        mine.update(
            email_status=EmailStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000], claimed_at=None
        )
        raise
    mine.update(email_status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
    return EmailStatus.SENT


@transaction.atomic
def notification_mark_read(*, notification_id: int, user) -> Notification:
    """Mark one of the user's own notifications read (someone else's looks missing)."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (only `ids` when given); returns how many."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(
    *, user, delivery: str | None = None, email_enabled: bool | None = None, mobile: str | None = None
) -> NotificationPreference:
    """Set how the user's notices reach them beside the inbox (`email_enabled` is the older switch:
    off is inbox only, on an e-mail each) and the mobile number for an @ in DingTalk groups."""
    if delivery is None and email_enabled is not None:
        delivery = Delivery.EMAIL if email_enabled else Delivery.INBOX
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    changed = []
    if delivery is not None and preference.delivery != delivery:
        preference.delivery = Delivery(delivery)
        changed.append("delivery")
    if mobile is not None and preference.mobile != mobile.strip():
        preference.mobile = mobile.strip()
        preference.full_clean(exclude=["user", "delivery"])
        changed.append("mobile")
    if changed:
        preference.save(update_fields=changed)
    return preference


def chinese_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# Placeholders of a rung's template: filled by Python (ladder_text) or by SQL (ladder_text_expression).
_DAYS, _DEADLINE, _SUBJECT = "\x00days\x00", "\x00deadline\x00", "\x00subject\x00"


@lru_cache(maxsize=64)
def ladder_template(kind: str, due: bool, language: str) -> str:
    """The translated line of one kind, due or overdue, with placeholders: rendered once per scan."""
    with translation.override(language):
        if due:
            line = _("%(kind)s due in %(days)s days (deadline %(deadline)s): %(subject)s")
        else:
            line = _("%(kind)s %(days)s days overdue (deadline %(deadline)s): %(subject)s")
        return line % {
            "kind": NotificationKind(kind).label,
            "days": _DAYS,
            "deadline": _DEADLINE,
            "subject": _SUBJECT,
        }


def ladder_text(*, kind: str, subject: str, deadline: date, today: date) -> str:
    """The one-line Chinese notice of a ladder rung: the item, the deadline, days left or overdue.

    The rung itself (`level`) is shown beside it: the inbox badge, the e-mail subject. The scan
    computes the same text in SQL (`ladder_text_expression`); this is its reference.
    """
    days = (deadline - today).days
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        label = chinese_date(deadline)
    return (
        ladder_template(kind, days >= 0, language)
        .replace(_DAYS, str(abs(days)))
        .replace(_DEADLINE, label)
        .replace(_SUBJECT, subject)
    )


def ladder_text_expression(*, kind: str | Expression, subject: Expression, deadline: str, today: date):
    """`ladder_text` as an SQL expression over items with a `deadline` field and a `subject`.

    `kind` is a NotificationKind value or an expression that yields one per row. The templates are
    rendered once here; the database fills in the days, the date (Django's DATE_FORMAT of the
    language, `expressions.date_label`) and the subject, byte for byte what `ladder_text` writes.
    """
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        values = {
            _DAYS: DaysApart(F(deadline), Value(today)),
            _DEADLINE: date_label(F(deadline)),
            _SUBJECT: subject,
        }

    def line(value: str) -> Case:
        return Case(
            When(is_due(deadline, today), then=fill(ladder_template(value, True, language), values)),
            default=fill(ladder_template(value, False, language), values),
        )

    if isinstance(kind, str):
        return line(kind)
    return Case(*[When(Exact(kind, value), then=line(value)) for value in NotificationKind.values])


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
