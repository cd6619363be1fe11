"""Issue 15 item 5: another city's teams, rounds, people and items do not exist for this user.

Every write checks the object and every object it names; an id of another scope gets, word for word,
the answer of an id that does not exist, and never a person's name.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from inspections.models import Bulletin, Inspection, InspectionRound, Team, YellowCard
from tests.factories import CountyFactory, make_member, second_city
from tests.inspections.factories import FindingFactory
from townships.choices import Role
from townships.models import County

pytestmark = [pytest.mark.django_db]

MISSING = 999_999


@pytest.fixture
def elsewhere(users, township):
    """Objects of 测试市 and of 龙泉市 (another Lishui county), plus 莲都's own team and round."""
    city, county, far = second_city()
    lishui = township.county.city
    return {
        "round": InspectionRound.objects.create(
            city=city, name="测试市第一轮", starts_on=datetime.date(2026, 3, 1)
        ),
        "team": Team.objects.create(name="测试县督导组", kind="supervision", county=county),
        "county_team": Team.objects.create(
            name="龙泉督导组", kind="supervision", county=County.objects.get(code="331181")
        ),
        "finding": FindingFactory(township=far, description="测试市的问题"),
        "person": make_member(Role.TOWNSHIP_STAFF, username="testcity-staff", township=far),
        "root": get_user_model().objects.create_superuser("root", "root@example.invalid", "x-pass-9876"),
        "own_round": InspectionRound.objects.create(
            city=lishui, name="丽水第一轮", starts_on=datetime.date(2026, 3, 1)
        ),
        "own_team": Team.objects.create(name="莲都督导组", kind="supervision", county=township.county),
        "far": far,
    }


def _same(a: dict, b: dict, a_id, b_id) -> bool:
    """The two answers are one text once the id the caller sent is taken out."""
    strip = lambda body, pk: re.sub(rf"\b{pk}\b", "<id>", str(body))  # noqa: E731
    return strip(a, a_id) == strip(b, b_id)


def test_teams_endpoint_is_scoped(api_as, users, elsewhere):
    api = api_as(users["county_official"])
    assert api.get(f"/api/v1/teams/{elsewhere['team'].pk}/").status_code == 404
    assert api.get(f"/api/v1/teams/{elsewhere['county_team'].pk}/").status_code == 404
    assert api.get(f"/api/v1/teams/{elsewhere['own_team'].pk}/").status_code == 200
    names = {t["name"] for t in api.get("/api/v1/teams/").json()["results"]}
    assert names == {"莲都督导组"}
    city = {t["name"] for t in api_as(users["city_office"]).get("/api/v1/teams/").json()["results"]}
    assert city == {"莲都督导组", "龙泉督导组"}
    rounds = api.get("/api/v1/inspection-rounds/").json()["results"]
    assert [r["name"] for r in rounds] == ["丽水第一轮"]


def test_city_level_team_follows_its_members(api_as, users, elsewhere):
    team = Team.objects.create(name="市督导第一组", kind="supervision")
    team.members.add(users["inspector"])
    assert api_as(users["county_official"]).get(f"/api/v1/teams/{team.pk}/").status_code == 200
    other = make_member(Role.CITY_OFFICE, username="testcity-office", city=elsewhere["far"].county.city)
    assert api_as(other).get(f"/api/v1/teams/{team.pk}/").status_code == 404


def test_forms_offer_only_own_rounds_and_teams(client_as, users, elsewhere):
    form = client_as(users["county_official"]).get("/inspections/new/").context["form"]
    assert set(form.fields["round"].queryset) == {elsewhere["own_round"]}
    assert set(form.fields["team"].queryset) == {elsewhere["own_team"]}
    form = client_as(users["city_office"]).get("/inspections/bulletins/new/").context["form"]
    assert set(form.fields["round"].queryset) == {elsewhere["own_round"]}


def _page_post(township, **extra):
    return {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
        **extra,
    }


@pytest.mark.parametrize("field", ["round", "team"])
def test_inspection_page_refuses_another_scope_as_missing(client_as, users, township, elsewhere, field):
    client = client_as(users["county_official"])
    theirs = client.post("/inspections/new/", _page_post(township, **{field: elsewhere[field].pk}))
    missing = client.post("/inspections/new/", _page_post(township, **{field: MISSING}))
    assert theirs.status_code == missing.status_code == 400
    assert theirs.context["form"].errors[field] == missing.context["form"].errors[field]
    assert "选择一个有效的选项" in theirs.context["form"].errors[field][0]
    assert not Inspection.objects.exists()
    ok = client.post("/inspections/new/", _page_post(township, **{field: elsewhere[f"own_{field}"].pk}))
    assert ok.status_code == 302 and Inspection.objects.count() == 1


def test_bulletin_page_refuses_another_citys_round(client_as, users, elsewhere):
    client = client_as(users["city_office"])
    data = {
        "title": "督查通报",
        "issuing_office": "丽水市小城镇环境综合整治行动领导小组办公室",
        "number": "",
        "body": "",
    }
    theirs = client.post("/inspections/bulletins/new/", {**data, "round": elsewhere["round"].pk})
    missing = client.post("/inspections/bulletins/new/", {**data, "round": MISSING})
    assert theirs.status_code == missing.status_code == 400
    assert theirs.context["form"].errors["round"] == missing.context["form"].errors["round"]
    assert not Bulletin.objects.exists()
    own = client.post("/inspections/bulletins/new/", {**data, "round": elsewhere["own_round"].pk})
    assert own.status_code == 302 and Bulletin.objects.count() == 1


def _api_inspection(township, **header):
    finding = {"description": "垃圾未清理", "deadline": "2030-06-30", **header.pop("finding", {})}
    return {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings": [finding],
        **header,
    }


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("round", "round"),
        ("team", "team"),
        ("township", "far"),
        ("assignee", "root"),
        ("assignee", "person"),
        ("repeat_of", "finding"),
    ],
)
def test_api_answers_another_scope_as_missing(api_as, users, township, elsewhere, field, key):
    api = api_as(users["county_official"])
    theirs_id = elsewhere[key].pk

    def body(value):
        if field in ("assignee", "repeat_of"):
            return _api_inspection(township, finding={field: value})
        if field == "township":
            return {**_api_inspection(township), "township": value}
        return _api_inspection(township, **{field: value})

    theirs = api.post("/api/v1/inspections/", body(theirs_id), format="json")
    missing = api.post("/api/v1/inspections/", body(MISSING), format="json")
    assert theirs.status_code == missing.status_code == 400, theirs.json()
    assert _same(theirs.json(), missing.json(), theirs_id, MISSING), (theirs.json(), missing.json())
    assert "root" not in theirs.content.decode() and "testcity-staff" not in theirs.content.decode()
    assert not Inspection.objects.exists()


def test_yellow_card_finding_ids_of_another_scope_read_as_missing(api_as, users, township, elsewhere):
    api = api_as(users["city_office"])
    theirs_id = elsewhere["finding"].pk
    theirs = api.post(
        "/api/v1/yellow-cards/",
        {"township": township.pk, "reason": "滞后", "finding_ids": [theirs_id]},
        format="json",
    )
    missing = api.post(
        "/api/v1/yellow-cards/",
        {"township": township.pk, "reason": "滞后", "finding_ids": [MISSING]},
        format="json",
    )
    assert theirs.status_code == missing.status_code == 400
    assert _same(theirs.json(), missing.json(), theirs_id, MISSING), (theirs.json(), missing.json())
    assert not YellowCard.objects.exists()


def test_another_county_official_is_refused_a_county_team(api_as, users, township):
    # Inside one city too: 龙泉's official does not file with 莲都's team.
    team = Team.objects.create(name="莲都督导组", kind="supervision", county=township.county)
    other = users["other_county_official"]
    lianzhu = CountyFactory(code="331181")  # 龙泉市, theirs
    target = lianzhu.townships.first()
    response = api_as(other).post(
        "/api/v1/inspections/", _api_inspection(target, team=team.pk), format="json"
    )
    assert response.status_code == 400 and "team" in response.json()
    assert not Inspection.objects.exists()
