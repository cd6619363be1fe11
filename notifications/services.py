"""Writes for notifications. Scans, views, the API and the tasks all call these."""

import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .choices import EmailStatus, NotificationKind
from .models import Notification, NotificationPreference
from .recipients import email_addresses

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
    addresses = email_addresses(user_ids={r.recipient_id for r in rows if r.email})
    batch = uuid.uuid4()
    now = timezone.now()
    statuses = [
        EmailStatus.PENDING if r.email and r.recipient_id in addresses else EmailStatus.SKIPPED for r in rows
    ]
    with transaction.atomic():
        new = _insert_new(rows, statuses, batch=batch, now=now)
        if new is None:
            new = list(Notification.objects.filter(batch=batch).values_list("pk", "email_status"))
        pending = [pk for pk, status in new if status == EmailStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: queue_sends(pending))
    return [pk for pk, _status in new]


def _insert_new(
    rows: list[NewNotification], statuses: list[str], *, batch: uuid.UUID, now
) -> list[tuple[int, str]] | None:
    """One INSERT ... ON CONFLICT DO NOTHING for all rows: the unique constraint drops the old ones.

    On PostgreSQL returns (id, email_status) of the rows it inserted; elsewhere None (select by batch).
    """
    if connection.vendor == "postgresql":
        # Arrays through unnest(): one statement and 8 parameters whatever the row count, and far
        # less Python than bulk_create compiling a million placeholders. The arrays go as binary
        # parameters (%b) on a server-binding cursor: Django's client-side cursor quoted every
        # element into the SQL text, which cost more than the insert itself (4.3 of 7.1 s per
        # 200,000 notices in bench/scan_overdue.py).
        table = Notification._meta.db_table
        connection.ensure_connection()
        with connection._prepare_cursor(psycopg.Cursor(connection.connection)) as cursor:
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
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=r.recipient_id,
                content_type_id=r.content_type_id,
                object_id=r.object_id,
                level=r.level,
                kind=r.kind,
                text=r.text,
                link=r.link,
                created_at=now,
                email_status=status,
                batch=batch,
            )
            for r, status in zip(rows, statuses, strict=True)
        ],
        ignore_conflicts=True,
    )
    return None


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
    address = email_addresses(user_ids=[notification.recipient_id]).get(notification.recipient_id)
    if not address:
        # E-mail was switched off (or the address removed) after the notice was created.
        mine.update(email_status=EmailStatus.SKIPPED, claimed_at=None)
        return EmailStatus.SKIPPED
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
def notification_preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    """Turn the user's notification e-mail on or off."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if preference.email_enabled != email_enabled:
        preference.email_enabled = email_enabled
        preference.save(update_fields=["email_enabled"])
    return preference


def chinese_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


_SUBJECT = "\x00subject\x00"


@lru_cache(maxsize=4096)
def _ladder_line(kind: str, deadline: date, today: date, language: str) -> str:
    # A scan formats the same few (kind, deadline) pairs for many rows; date formatting and
    # translation lookups are the slow part, so they are done once per pair.
    with translation.override(language):
        days = (deadline - today).days
        if days >= 0:
            line = _("%(kind)s due in %(days)s days (deadline %(deadline)s): %(subject)s")
        else:
            line = _("%(kind)s %(days)s days overdue (deadline %(deadline)s): %(subject)s")
        return line % {
            "kind": NotificationKind(kind).label,
            "days": abs(days),
            "deadline": chinese_date(deadline),
            "subject": _SUBJECT,
        }


def ladder_text(*, kind: str, subject: str, deadline: date, today: date) -> str:
    """The one-line Chinese notice of a ladder rung: the item, the deadline, days left or overdue.

    The rung itself (`level`) is shown beside it: the inbox badge, the e-mail subject.
    """
    return _ladder_line(kind, deadline, today, settings.LANGUAGE_CODE).replace(_SUBJECT, subject)
