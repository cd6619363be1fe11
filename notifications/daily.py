"""The daily e-mail of the people who chose it: one mail a day with every notice since the last."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import EmailStatus
from .models import Notification
from .recipients import email_modes

logger = logging.getLogger(__name__)


def _claim(user_id: int, now) -> list[int]:
    """The user's waiting notices, claimed (daily → sending) in one conditional UPDATE."""
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET email_status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
            "WHERE recipient_id = %s AND email_status = %s RETURNING id",
            [str(EmailStatus.SENDING), now, user_id, str(EmailStatus.DAILY)],
        )
        return sorted(row[0] for row in cursor.fetchall())


def daily_emails_send() -> int:
    """One e-mail per person with notices waiting for the daily e-mail; returns how many went out.

    A failed mail puts its notices back to wait for the next day's."""
    user_ids = sorted(
        set(
            Notification.objects.filter(email_status=EmailStatus.DAILY).values_list("recipient_id", flat=True)
        )
    )
    modes = email_modes(user_ids=user_ids)
    site = settings.SITE_URL.rstrip("/")
    sent = 0
    for user_id in user_ids:
        now = timezone.now()
        ids = _claim(user_id, now)
        if not ids:
            continue
        mine = Notification.objects.filter(pk__in=ids, email_status=EmailStatus.SENDING, claimed_at=now)
        if user_id not in modes:
            mine.update(email_status=EmailStatus.SKIPPED, claimed_at=None)
            continue
        notices = list(Notification.objects.filter(pk__in=ids).order_by("created_at", "pk"))
        with translation.override(settings.LANGUAGE_CODE):
            subject = ngettext(
                "[Daily notices] %(count)s notice", "[Daily notices] %(count)s notices", len(notices)
            ) % {"count": len(notices)}
            lines = []
            for number, notice in enumerate(notices, start=1):
                lines.append(f"{number}. [{notice.get_level_display()}] {notice.text}")
                if notice.link:
                    lines.append(f"   {site}{notice.link}")
            lines += [
                "",
                "-- ",
                _("Sent automatically by the Lishui small-town renovation platform; please do not reply."),
            ]
        message = EmailMessage(
            subject=subject,
            body="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[modes[user_id][0]],
            headers={"X-Notification-Ids": ",".join(map(str, ids))},
        )
        try:
            message.send()
        except (smtplib.SMTPException, ConnectionError, TimeoutError) as exc:
            mine.update(email_status=EmailStatus.DAILY, claimed_at=None, last_error=type(exc).__name__)
            logger.warning("daily e-mail to user %s failed: %s", user_id, type(exc).__name__)
            continue
        mine.update(email_status=EmailStatus.SENT, sent_at=timezone.now(), last_error="")
        sent += 1
    return sent
