"""The township picker: a name typed or suggested (or an API client's id) resolves within the user's scope."""

import pytest
from django.urls import reverse

from tests.inspections.factories import FindingFactory

pytestmark = pytest.mark.django_db

SUGGEST = reverse("townships:township_suggest")
FINDINGS = reverse("inspections:finding_list")


def test_suggestions_are_names_with_their_county_within_scope(client_as, users):
    answer = client_as(users["county_official"]).get(SUGGEST, {"q": "碧湖"}).json()
    assert answer == {"results": ["碧湖镇（莲都区）"]}
    # 龙渊街道 is in 龙泉市: out of a 莲都区 official's scope, so never suggested
    assert client_as(users["county_official"]).get(SUGGEST, {"q": "龙渊"}).json() == {"results": []}
    assert client_as(users["city_office"]).get(SUGGEST, {"q": "龙渊"}).json() == {
        "results": ["龙渊街道（龙泉市）"]
    }


def test_suggestions_need_a_login_and_cost_few_queries(
    client, client_as, users, django_assert_max_num_queries
):
    assert client.get(SUGGEST, {"q": "碧湖"}).status_code == 302
    api = client_as(users["province"])
    with django_assert_max_num_queries(6):
        assert len(api.get(SUGGEST, {"q": "镇"}).json()["results"]) == 20


@pytest.mark.parametrize("typed", ["碧湖", "碧湖镇", "碧湖镇（莲都区）", "331102100"])
def test_the_list_filter_takes_a_typed_name(client_as, users, township, other_township, typed):
    mine = FindingFactory(township=township, description="碧湖镇的问题")
    FindingFactory(township=other_township, description="龙渊的问题")
    page = client_as(users["city_office"]).get(FINDINGS, {"township": typed})
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.description in body and "龙渊的问题" not in body
    assert 'value="碧湖镇（莲都区）"' in body  # the chosen township reads back as its label


def test_an_ambiguous_or_unknown_name_is_a_clear_error(client_as, users):
    page = client_as(users["city_office"]).get(FINDINGS, {"township": "镇"})
    assert "个乡镇名称含" in page.content.decode() or "choose one" in page.content.decode()
    page = client_as(users["county_official"]).get(FINDINGS, {"township": "龙渊街道"})
    assert "龙渊街道" in page.content.decode() and "不在" in page.content.decode()


def test_the_api_still_takes_the_id(api_as, users, township, other_township):
    mine = FindingFactory(township=township)
    FindingFactory(township=other_township)
    answer = api_as(users["city_office"]).get("/api/v1/findings/", {"township": township.pk}).json()
    assert [row["id"] for row in answer["results"]] == [mine.pk]
    bad = api_as(users["county_official"]).get("/api/v1/findings/", {"township": other_township.pk})
    assert bad.status_code == 400 and "township" in bad.json()


def test_the_page_no_longer_prints_every_township(client_as, users):
    body = client_as(users["province"]).get(FINDINGS).content.decode()
    assert "<option" not in body.split('name="township"', 1)[1].split("</datalist>", 1)[0]
