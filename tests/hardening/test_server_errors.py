"""Issue 15 item 7: inputs that raised 500s now answer 400/404 with DRF's shapes (or a clean page)."""

import threading

import pytest
from django.db import connection

from inspections.models import Bulletin

pytestmark = [pytest.mark.django_db]

HUGE = "99999999999999999999"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", ["/api/v1/inspections/", "/api/v1/notifications/mark-read/"])
def test_json_nested_a_thousand_deep_is_a_400(api_as, users, path):
    for depth in (1000, 100_000):
        body = '{"findings": ' + nested(depth) + "}"
        response = api_as(users["county_official"]).post(path, body, content_type="application/json")
        assert response.status_code == 400, (depth, response.content[:200])
        assert "嵌套" in response.json()["detail"]


def test_json_nesting_up_to_the_limit_still_parses(api_as, users, settings):
    settings.API_JSON_MAX_DEPTH = 5
    api = api_as(users["county_official"])
    ok = api.post("/api/v1/notifications/mark-read/", '{"ids": [[[[1]]]]}', content_type="application/json")
    assert ok.status_code == 400 and "嵌套" not in str(ok.json())  # parsed: the field refuses the value
    deep = api.post(
        "/api/v1/notifications/mark-read/", '{"ids": [[[[[1]]]]]}', content_type="application/json"
    )
    assert deep.status_code == 400 and "嵌套" in deep.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/findings/", "/api/v1/townships/", "/api/v1/projects/", "/api/v1/rankings/"]
)
def test_a_page_number_past_bigint_is_an_invalid_page(api_as, users, township, path):
    for page in (HUGE, str(2**63 // 50), "-1", "0", "x"):
        response = api_as(users["city_office"]).get(path, {"page": page})
        assert response.status_code == 404, (page, response.content[:200])
        assert response.json() == {"detail": "无效页面。"}


def test_the_findings_page_answers_404_past_bigint(client_as, users):
    response = client_as(users["city_office"]).get("/inspections/findings/", {"page": HUGE})
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.django_db(transaction=True)
def test_two_bulletins_published_at_once_with_one_number(users, lishui):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from inspections.services.bulletins import bulletin_create
    from townships.models import City

    city = City.objects.get(code="331100")
    bulletins = [bulletin_create(by=users["city_office"], city=city, title=f"通报{n}") for n in (1, 2)]
    token = Token.objects.create(user=users["city_office"])
    barrier = threading.Barrier(2)
    answers = {}

    def publish(bulletin):
        api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        barrier.wait()
        try:
            answers[bulletin.pk] = api.post(
                f"/api/v1/bulletins/{bulletin.pk}/publish/",
                {"number": "丽镇治办〔2019〕9号", "issued_on": "2019-03-28"},
                format="json",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(b,)) for b in bulletins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(response.status_code for response in answers.values())
    assert codes == [200, 400]
    refused = next(response for response in answers.values() if response.status_code == 400)
    assert refused.json() == {"number": ["已有其他通报使用该文号。"]}
    assert Bulletin.objects.filter(status="published").count() == 1
