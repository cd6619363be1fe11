"""Issue 15 item 2: a ranking is published only by the city office of the city it ranks."""

import pytest

from standings.models import Ranking, RedFlag
from tests.factories import make_member, second_city
from townships.choices import Role

pytestmark = [pytest.mark.django_db]

PERIOD = "2026-12"


def _other_city_office():
    city, _county, _township = second_city()
    return make_member(Role.CITY_OFFICE, username="testcity", city=city)


def test_another_citys_office_cannot_publish_or_refresh(client_as, users, many_townships):
    many_townships(3)
    client = client_as(_other_city_office())
    response = client.post(f"/standings/rankings/{PERIOD}/publish/")
    assert response.status_code == 404
    assert not Ranking.objects.filter(period=PERIOD, status="published").exists()
    assert not RedFlag.objects.exists()
    assert client.post("/standings/refresh/").status_code == 404
    assert not Ranking.objects.filter(period=PERIOD).exists()
    page = client.get("/standings/rankings/")
    assert page.status_code == 200 and page.context["can_manage"] is False


def test_the_ranked_citys_office_publishes(client_as, users, many_townships):
    many_townships(3)
    _other_city_office()
    response = client_as(users["city_office"]).post(f"/standings/rankings/{PERIOD}/publish/")
    assert response.status_code == 302
    ranking = Ranking.objects.get(period=PERIOD)
    assert ranking.status == "published" and ranking.published_by == users["city_office"]
    assert RedFlag.objects.filter(period=PERIOD).exists()


def test_a_ranking_over_two_cities_is_the_province_offices(client_as, users, many_townships):
    many_townships(3)
    second_city(in_programme=True)
    response = client_as(users["city_office"]).post(f"/standings/rankings/{PERIOD}/publish/")
    assert response.status_code == 404  # Lishui's office would hand 测试市's counties their red flags
    assert not Ranking.objects.filter(period=PERIOD, status="published").exists()
    assert not RedFlag.objects.exists()
    response = client_as(users["province"]).post(f"/standings/rankings/{PERIOD}/publish/")
    assert response.status_code == 302
    assert Ranking.objects.get(period=PERIOD).status == "published"
    assert RedFlag.objects.filter(period=PERIOD, county__code="990101").exists()
