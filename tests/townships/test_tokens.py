"""Issue 15 item 6: API tokens rotate with the password and on logout-everywhere, expire, record use."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from townships.models import TokenUse

pytestmark = [pytest.mark.django_db]

PASSWORD = "Lishui-2019-整治"  # noqa: S105


@pytest.fixture
def staff(users):
    user = users["township_staff"]
    user.set_password(PASSWORD)
    user.save()
    return user


def api(token: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def log_in(user, password=PASSWORD) -> str:
    response = api().post(
        "/api/v1/auth/token/", {"username": user.username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def answers(token: str) -> int:
    return api(token).get("/api/v1/townships/").status_code


def test_the_same_token_while_valid_and_a_new_one_after_a_password_change(staff, client):
    first = log_in(staff)
    assert log_in(staff) == first and answers(first) == 200
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-2020-pass",
            "new_password2": "Another-2020-pass",
        },
    )
    assert response.status_code == 302
    assert answers(first) == 401
    second = log_in(staff, "Another-2020-pass")
    assert second != first and answers(second) == 200
    assert client.get("/account/").status_code == 200  # the page that changed it keeps its session


def test_set_password_anywhere_rotates_the_token(staff, admin_client):
    token = log_in(staff)
    staff.set_password("Shell-set-2021")
    staff.save()
    assert answers(token) == 401
    token = log_in(staff, "Shell-set-2021")
    response = admin_client.post(
        f"/admin/auth/user/{staff.pk}/password/",
        {"password1": "Admin-set-2022x", "password2": "Admin-set-2022x", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:300]
    assert answers(token) == 401
    token = log_in(staff, "Admin-set-2022x")
    staff.refresh_from_db()
    staff.last_name = "王"
    staff.save()  # other saves leave the token alone
    assert answers(token) == 200 and log_in(staff, "Admin-set-2022x") == token


def test_an_expired_token_answers_401_and_a_log_in_issues_a_new_one(staff, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    token = log_in(staff)
    Token.objects.filter(key=token).update(created=timezone.now() - datetime.timedelta(days=91))
    response = api(token).get("/api/v1/townships/")
    assert response.status_code == 401
    assert response.json()["detail"] == "认证令牌已过期，请用 POST /api/v1/auth/token/ 重新获取。"
    fresh = log_in(staff)
    assert fresh != token and answers(fresh) == 200 and answers(token) == 401


def test_last_use_is_recorded_at_most_once_a_minute_and_shown(staff, client, django_assert_num_queries):
    token = log_in(staff)
    assert not TokenUse.objects.exists()
    assert answers(token) == 200
    first = TokenUse.objects.get().last_used_at
    assert answers(token) == 200
    assert TokenUse.objects.get().last_used_at == first  # within the minute: no write
    from townships.authentication import TokenAuthentication

    with django_assert_num_queries(1):  # the use comes with the token; nothing written
        TokenAuthentication().authenticate_credentials(token)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    TokenUse.objects.update(last_used_at=an_hour_ago)
    with django_assert_num_queries(2):  # the token, then one conditional UPDATE
        TokenAuthentication().authenticate_credentials(token)
    assert TokenUse.objects.get().last_used_at > an_hour_ago
    client.force_login(staff)
    page = client.get("/account/").content.decode()
    assert "API 令牌" in page and "最近使用" in page
    assert timezone.localtime(TokenUse.objects.get().last_used_at).strftime("%Y-%m-%d %H:%M") in page


def test_the_user_revokes_their_token_on_the_account_page(staff, client):
    token = log_in(staff)
    client.force_login(staff)
    assert "/account/" in client.get("/").content.decode()  # reachable from the user menu
    assert client.get("/account/token/revoke/").status_code == 405
    response = client.post("/account/token/revoke/", follow=True)
    assert "API 令牌已撤销" in response.content.decode()
    assert answers(token) == 401
    assert not Token.objects.filter(user=staff).exists()


def test_logout_everywhere_ends_other_sessions_and_the_token(staff, users):
    token = log_in(staff)
    here, elsewhere, someone_else = Client(), Client(), Client()
    for browser in (here, elsewhere):
        assert (
            browser.post("/accounts/login/", {"username": staff.username, "password": PASSWORD}).status_code
            == 302
        )
    someone_else.force_login(users["city_office"])
    response = here.post("/account/logout-everywhere/", follow=True)
    assert "已在其他地方退出" in response.content.decode()
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302  # back to the log-in page
    assert someone_else.get("/account/").status_code == 200
    assert answers(token) == 401
    assert Session.objects.count() == 2
