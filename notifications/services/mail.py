"""A notice's e-mail: queued after the commit, claimed by one worker (a conditional UPDATE), sent once,
put back to pending on a failure worth another try."""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..choices import Delivery, EmailStatus
from ..models import Notification
from ..recipients import email_modes

# Failures worth another try later (the task retries exactly these); anything else is a bug and
# marks the row failed at once.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


class NotificationBusy(Exception):
    """Another worker holds a fresh claim on this notification; try again after it."""


def queue_sends(notification_ids: list[int]) -> None:
    """Hand each id to `send_notification_task` over one broker connection."""
    from ..tasks import send_notification_task

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
