"""Token authentication loads the caller's memberships with the token (townships.authentication)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from townships.scope import user_scope

pytestmark = [pytest.mark.django_db]


def test_token_user_and_scope_in_one_query(users, township, django_assert_num_queries):
    from townships.authentication import TokenAuthentication

    token, _ = Token.objects.get_or_create(user=users["township_staff"])
    TokenAuthentication().authenticate_credentials(token.key)  # the first use is written once
    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate_credentials(token.key)
        scope = user_scope(user)
    assert scope.township_ids == {township.pk} and not scope.everything
    assert set(scope.roles) == {"township_staff"}


def test_the_preloaded_scope_is_the_queried_one(users):
    from townships.authentication import TokenAuthentication

    for user in users.values():
        token, _ = Token.objects.get_or_create(user=user)
        loaded, _ = TokenAuthentication().authenticate_credentials(token.key)
        fresh = type(user).objects.get(pk=user.pk)
        assert user_scope(loaded) == user_scope(fresh), user.username


def test_scope_decides_what_the_api_answers(api_as, users, township, other_township):
    staff = api_as(users["township_staff"]).get("/api/v1/townships/").json()
    assert [row["id"] for row in staff["results"]] == [township.pk]
    assert api_as(users["township_staff"]).get(f"/api/v1/townships/{other_township.pk}/").status_code == 404


def test_bad_and_inactive_tokens_answer_401(users):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/townships/")
    assert response.status_code == 401 and response.json()["detail"] == "认证令牌无效。"
    user = users["city_office"]
    token, _ = Token.objects.get_or_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/townships/").status_code == 401


def test_session_user_and_scope_in_one_query(users, township, django_assert_num_queries):
    from townships.backends import ModelBackend

    with django_assert_num_queries(1):
        user = ModelBackend().get_user(users["county_official"].pk)
        scope = user_scope(user)
    assert township.county_id in scope.county_ids and set(scope.roles) == {"county_official"}
    users["county_official"].is_active = False
    users["county_official"].save(update_fields=["is_active"])
    assert ModelBackend().get_user(users["county_official"].pk) is None
    assert ModelBackend().get_user(0) is None
