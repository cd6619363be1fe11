import pytest
from django.utils import timezone

from notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_api_lists_only_the_callers_own_unread_first(api_as, users):
    me = users["township_staff"]
    read = NotificationFactory(recipient=me, read_at=timezone.now())
    unread = NotificationFactory(recipient=me)
    NotificationFactory(recipient=users["city_office"])
    response = api_as(me).get("/api/v1/notifications/")
    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [row["id"] for row in response.data["results"]] == [unread.pk, read.pk]
    assert response.data["results"][0]["is_read"] is False
    assert response.data["results"][0]["level_display"] == "逾期催办"


@pytest.mark.parametrize("rows", [1, 50])
def test_api_list_queries(api_as, users, django_assert_num_queries, rows):
    me = users["township_staff"]
    NotificationFactory.create_batch(rows, recipient=me)
    api = api_as(me)
    with django_assert_num_queries(3):  # token+user, count, page (content types are cached)
        api.get("/api/v1/notifications/")


def test_api_mark_read_one_all_and_some(api_as, users):
    me = users["township_staff"]
    a, b, c = NotificationFactory.create_batch(3, recipient=me)
    other = NotificationFactory(recipient=users["city_office"])
    api = api_as(me)
    response = api.post(f"/api/v1/notifications/{a.pk}/mark-read/")
    assert response.status_code == 200 and response.data["is_read"] is True
    assert api.post(f"/api/v1/notifications/{other.pk}/mark-read/").status_code == 404
    assert api.post("/api/v1/notifications/mark-read/", {"ids": [b.pk, other.pk]}, format="json").data == {
        "marked": 1
    }
    assert api.post("/api/v1/notifications/mark-read/", {}, format="json").data == {"marked": 1}
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_api_read_only_roles_may_still_mark_their_inbox(api_as, users):
    observer = users["province"]
    notification = NotificationFactory(recipient=observer)
    assert api_as(observer).post(f"/api/v1/notifications/{notification.pk}/mark-read/").status_code == 200


def test_api_bad_input_is_400_and_changes_nothing(api_as, users):
    me = users["township_staff"]
    NotificationFactory(recipient=me)
    response = api_as(me).post("/api/v1/notifications/mark-read/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert Notification.objects.unread().count() == 1


def test_api_needs_credentials(client):
    assert client.get("/api/v1/notifications/").status_code == 401
