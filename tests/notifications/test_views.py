import pytest
from django.utils import timezone

from notifications.choices import NotificationLevel
from notifications.models import Notification, NotificationPreference

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(users):
    return users["township_staff"]


def test_inbox_lists_own_notifications_unread_first(client_as, staff, users):
    read = NotificationFactory(recipient=staff, text="已读的一条", read_at=timezone.now())
    unread = NotificationFactory(recipient=staff, text="未读的一条")
    NotificationFactory(recipient=users["county_official"], text="别人的通知")
    response = client_as(staff).get("/notifications/")
    assert response.status_code == 200
    assert list(response.context["notifications"]) == [unread, read]
    body = response.content.decode()
    assert "别人的通知" not in body
    assert "通知" in body and "全部标为已读" in body
    assert 'class="badge-count"' in body  # header badge


@pytest.mark.parametrize("rows", [1, 50])
def test_inbox_queries_do_not_grow_with_rows(client_as, staff, django_assert_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=staff)
    client = client_as(staff)
    # session, user with memberships, unread count in the header, preference, page count, page
    with django_assert_num_queries(6):
        assert client.get("/notifications/").status_code == 200


def test_filter_unread_and_level(client_as, staff):
    NotificationFactory(recipient=staff, level=NotificationLevel.CITY)
    NotificationFactory(recipient=staff, level=NotificationLevel.DUE_SOON, read_at=timezone.now())
    response = client_as(staff).get("/notifications/?unread=true")
    assert [n.level for n in response.context["notifications"]] == [NotificationLevel.CITY]
    response = client_as(staff).get("/notifications/?level=due_soon")
    assert [n.level for n in response.context["notifications"]] == [NotificationLevel.DUE_SOON]


def test_mark_read_opens_the_item_and_someone_elses_is_404(client_as, staff, users):
    mine = NotificationFactory(recipient=staff, link="/townships/")
    theirs = NotificationFactory(recipient=users["county_official"])
    client = client_as(staff)
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": mine.link})
    assert response.status_code == 302 and response["Location"] == "/townships/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # An outside `next` is ignored.
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/townships/"


def test_mark_all_read_and_badge_disappears(client_as, staff):
    NotificationFactory.create_batch(3, recipient=staff)
    client = client_as(staff)
    response = client.post("/notifications/read-all/", follow=True)
    assert Notification.objects.unread().count() == 0
    assert 'class="badge-count"' not in response.content.decode()


def test_delivery_preference_and_mobile(client_as, staff):
    client = client_as(staff)
    client.post("/notifications/preferences/", {"delivery": "inbox"})
    assert NotificationPreference.objects.get(user=staff).email_enabled is False
    client.post("/notifications/preferences/", {"delivery": "daily", "mobile": "13900002222"})
    preference = NotificationPreference.objects.get(user=staff)
    assert (preference.delivery, preference.mobile, preference.email_enabled) == (
        "daily",
        "13900002222",
        True,
    )
    response = client.post(
        "/notifications/preferences/", {"delivery": "email", "mobile": "12345"}, follow=True
    )
    assert "以1开头的11位数字" in response.content.decode()
    assert NotificationPreference.objects.get(user=staff).delivery == "daily"  # nothing changed
    page = client.get("/notifications/").content.decode()
    assert 'value="daily" checked' in page.replace('checked=""', "checked") or 'value="daily"' in page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
