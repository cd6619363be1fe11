import smtplib

import pytest
from django.core import mail

from notifications.choices import EmailStatus, NotificationKind, NotificationLevel
from notifications.models import Notification, NotificationPreference
from notifications.services.inbox import notification_preference_set, notifications_mark_all_read
from notifications.services.mail import notification_send
from notifications.services.notices import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(users, obj, level=NotificationLevel.OVERDUE):
    return notify(
        recipients=users,
        obj=obj,
        level=level,
        kind=NotificationKind.FINDING,
        text="碧湖镇：垃圾清运不及时，逾期 1 天",
        link="/townships/1/",
    )


def test_notify_is_unique_per_object_level_recipient(township, django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify([alice, bob], township)
        again = _notify([alice, bob.pk], township)
        other_level = _notify([alice], township, level=NotificationLevel.COUNTY)
    assert len(first) == 2 and again == [] and len(other_level) == 1
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3  # one per new row, none for the rerun
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 3


def test_email_is_plain_chinese_with_absolute_link(township, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://zzb.lishui.example"
    user = UserFactory(first_name="张三", last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([user], township)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject.startswith("【逾期催办】")
    assert "张三：" in message.body
    assert "https://zzb.lishui.example/townships/1/" in message.body
    assert "请勿回复" in message.body
    assert message.content_subtype == "plain"


def test_users_can_turn_email_off(township, django_capture_on_commit_callbacks):
    quiet, no_address = UserFactory(), UserFactory(email="")
    notification_preference_set(user=quiet, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([quiet, no_address], township)
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SKIPPED}
    assert NotificationPreference.objects.get(user=quiet).email_enabled is False


def test_send_claims_once(township):
    user = UserFactory()
    (pk,) = _notify([user], township)  # on_commit never runs inside the test transaction
    assert notification_send(notification_id=pk) == EmailStatus.SENT
    assert notification_send(notification_id=pk) == EmailStatus.SENT
    assert len(mail.outbox) == 1
    n = Notification.objects.get(pk=pk)
    assert (n.attempts, n.sent_at is not None) == (1, True)


def test_send_failure_goes_back_to_pending_with_error_then_fails(township, monkeypatch):
    (pk,) = _notify([UserFactory()], township)

    def boom(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("连接断开")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", boom)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_send(notification_id=pk)
    n = Notification.objects.get(pk=pk)
    assert (n.email_status, n.attempts) == (EmailStatus.PENDING, 1)
    assert "SMTPServerDisconnected" in n.last_error
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_send(notification_id=pk, final=True)
    n.refresh_from_db()
    assert (n.email_status, n.attempts) == (EmailStatus.FAILED, 2)


def test_task_retries_named_errors_with_backoff():
    from notifications.tasks import send_notification_task

    assert send_notification_task.acks_late is True
    assert smtplib.SMTPException in send_notification_task.autoretry_for
    assert Exception not in send_notification_task.autoretry_for
    assert send_notification_task.retry_backoff and send_notification_task.time_limit


def test_mark_all_read_touches_only_own(township):
    me, other = UserFactory(), UserFactory()
    _notify([me, other], township)
    assert notifications_mark_all_read(user=me) == 1
    assert Notification.objects.get(recipient=other).read_at is None
