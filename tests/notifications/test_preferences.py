"""Each person chooses how notices reach them beside the inbox: nothing, an e-mail each, or one a day."""

import pytest
from django.core import mail

from notifications.choices import EmailStatus, NotificationKind, NotificationLevel
from notifications.daily import daily_emails_send
from notifications.models import Notification
from notifications.services.inbox import notification_preference_set
from notifications.services.notices import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_inbox_only_email_each_and_daily(township, users, django_capture_on_commit_callbacks):
    inbox_only, each, daily = UserFactory(), UserFactory(), UserFactory()
    notification_preference_set(user=inbox_only, delivery="inbox")
    notification_preference_set(user=daily, delivery="daily")
    with django_capture_on_commit_callbacks(execute=True):
        for level, text in (
            (NotificationLevel.OVERDUE, "第一条：店招破损"),
            (NotificationLevel.COUNTY, "第二条：垃圾堆放"),
        ):
            notify(
                recipients=[inbox_only, each, daily],
                obj=township,
                level=level,
                kind=NotificationKind.FINDING,
                text=text,
                link="/inspections/findings/1/",
            )
    statuses = dict(
        Notification.objects.filter(level=NotificationLevel.OVERDUE).values_list("recipient", "email_status")
    )
    assert statuses == {
        inbox_only.pk: EmailStatus.SKIPPED,
        each.pk: EmailStatus.SENT,
        daily.pk: EmailStatus.DAILY,
    }
    assert [m.to for m in mail.outbox] == [[each.email], [each.email]]

    mail.outbox.clear()
    assert daily_emails_send() == 1
    (message,) = mail.outbox
    assert message.to == [daily.email] and "2" in message.subject
    assert "第一条：店招破损" in message.body and "第二条：垃圾堆放" in message.body
    assert "/inspections/findings/1/" in message.body
    assert set(Notification.objects.filter(recipient=daily).values_list("email_status", flat=True)) == {
        EmailStatus.SENT
    }
    # Nothing waits any more: a second run sends nothing.
    assert daily_emails_send() == 0 and len(mail.outbox) == 1


def test_the_ladder_scan_honours_the_daily_choice(township, users):
    """The scan inserts its notices in SQL: the daily choice is read there too."""
    import datetime

    from inspections.models import Finding
    from renovation.overdue import scan_overdue

    staff = users["township_staff"]
    notification_preference_set(user=staff, delivery="daily")
    Finding.objects.create(
        township=township, description="桥头垃圾", deadline=datetime.date(2026, 11, 20), assignee=staff
    )
    scan_overdue(today=datetime.date(2026, 11, 28))
    mine = Notification.objects.filter(recipient=staff)
    assert mine.exists() and set(mine.values_list("email_status", flat=True)) == {EmailStatus.DAILY}
