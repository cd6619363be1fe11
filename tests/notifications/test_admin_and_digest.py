import datetime

import pytest
from django.contrib.auth import get_user_model

from notifications.choices import EmailStatus, NotificationLevel
from notifications.digest import DigestLine, digest_send
from notifications.models import Digest, Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def test_admin_shows_status_attempts_and_last_error(client_as):
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "pass-1234-word")
    failed = NotificationFactory(
        email_status=EmailStatus.FAILED, attempts=7, last_error="SMTPServerDisconnected: 断开"
    )
    client = client_as(admin)
    listing = client.get("/admin/notifications/notification/?email_status=failed").content.decode()
    assert "发送失败" in listing and ">7<" in listing
    detail = client.get(f"/admin/notifications/notification/{failed.pk}/change/").content.decode()
    assert "SMTPServerDisconnected: 断开" in detail


def test_digest_lists_the_most_overdue_and_counts_the_rest(users, settings):
    settings.NOTIFICATIONS_DIGEST_LIMIT = 2
    liandu = users["county_official"].memberships.get().county_id
    longquan = users["other_county_official"].memberships.get().county_id

    def source(today, limit):
        lines = [
            DigestLine(county_id=liandu, days_overdue=d, text=f"事项{d}", link=f"/x/{d}/") for d in (3, 9, 1)
        ]
        return {liandu: 3, longquan: 0}, lines

    assert digest_send(today=TODAY, sources=[source]) == 1
    assert digest_send(today=TODAY, sources=[source]) == 0  # once a day
    (notification,) = Notification.objects.filter(level=NotificationLevel.DIGEST)
    assert notification.recipient == users["county_official"]
    text = notification.text
    assert text.index("事项9") < text.index("事项3") and "事项1" not in text
    assert "另有 1 项未列出" in text and "逾期事项 3 项" in text
    assert Digest.objects.get().item_count == 3
