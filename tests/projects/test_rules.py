"""The fast-track eligibility rule, table-driven, through the model, the form and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import CountyProcurementRule, Project
from tests.factories import track

pytestmark = pytest.mark.django_db

# (budget, procurement mode, scattered, county threshold override or None, allowed?, threshold named)
CASES = [
    ("1999999.99", "self_contracting", False, None, True, None),
    ("2000000", "self_contracting", False, None, False, "2,000,000"),
    ("2000000.01", "design_while_build", False, None, False, "2,000,000"),
    ("2000000", "build_first", False, None, False, "2,000,000"),
    ("5000000", "self_contracting", True, None, True, None),
    ("9000000", "open_tender", False, None, True, None),
    ("2500000", "self_contracting", False, "3000000", True, None),
    ("3000000", "self_contracting", False, "3000000", False, "3,000,000"),
    ("1500000", "self_contracting", False, "1000000", False, "1,000,000"),
]
IDS = [f"{c[0]}-{c[1]}-{'scattered' if c[2] else 'plain'}-{c[3] or 'default'}" for c in CASES]


def _data(township, budget, mode, scattered):
    return {
        "township": township.pk,
        "track": "road_occupation",
        "name": "集镇立面改造",
        "code": "",
        "budget": budget,
        "procurement_mode": mode,
        "scattered_hard_to_price": scattered,
        "approval_deadline": "2026-12-31" if mode == "build_first" else "",
    }


def _override(township, threshold):
    if threshold:
        CountyProcurementRule.objects.create(county=township.county, fast_track_threshold=Decimal(threshold))


@pytest.mark.parametrize(("budget", "mode", "scattered", "threshold", "allowed", "named"), CASES, ids=IDS)
def test_rule_in_model_clean(township, budget, mode, scattered, threshold, allowed, named):
    _override(township, threshold)
    project = Project(
        township=township,
        track=track("road_occupation"),
        name="集镇立面改造",
        budget=Decimal(budget),
        procurement_mode=mode,
        scattered_hard_to_price=scattered,
        approval_deadline=datetime.date(2026, 12, 31) if mode == "build_first" else None,
    )
    if allowed:
        project.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            project.full_clean()
        message = exc.value.message_dict["procurement_mode"][0]
        assert named in message
        assert "零星难以计价" in message


@pytest.mark.parametrize(("budget", "mode", "scattered", "threshold", "allowed", "named"), CASES, ids=IDS)
def test_rule_through_the_form(
    client_as, users, township, budget, mode, scattered, threshold, allowed, named
):
    _override(township, threshold)
    data = _data(township, budget, mode, scattered)
    data["track"] = track("road_occupation").pk
    if not scattered:
        data.pop("scattered_hard_to_price")
    response = client_as(users["county_official"]).post("/projects/new/", data)
    if allowed:
        assert response.status_code == 302, response.context["form"].errors
        assert Project.objects.count() == 1
    else:
        assert response.status_code == 200
        errors = response.context["form"].errors["procurement_mode"]
        assert named in errors[0]
        # the message is on the page, not only in the form object
        assert f"预算 {named} 元" in response.content.decode()
        assert Project.objects.count() == 0


@pytest.mark.parametrize(("budget", "mode", "scattered", "threshold", "allowed", "named"), CASES, ids=IDS)
def test_rule_through_the_api(api_as, users, township, budget, mode, scattered, threshold, allowed, named):
    _override(township, threshold)
    data = _data(township, budget, mode, scattered)
    if not data["approval_deadline"]:
        data.pop("approval_deadline")
    response = api_as(users["county_official"]).post("/api/v1/projects/", data, format="json")
    if allowed:
        assert response.status_code == 201, response.json()
        assert response.json()["fast_track"] == (mode != "open_tender")
    else:
        assert response.status_code == 400
        assert named in response.json()["procurement_mode"][0]
        assert Project.objects.count() == 0


def test_api_update_cannot_raise_budget_past_threshold(api_as, users, township):
    from .factories import ProjectFactory

    project = ProjectFactory(
        township=township, budget=Decimal("1000000"), procurement_mode="self_contracting"
    )
    api = api_as(users["township_staff"])
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"budget": "2000000"}, format="json")
    assert response.status_code == 400
    assert "2,000,000" in response.json()["procurement_mode"][0]
    project.refresh_from_db()
    assert project.budget == Decimal("1000000")


def test_build_first_needs_an_approval_deadline(township):
    project = Project(
        township=township,
        track=track(),
        name="先行施工",
        budget=Decimal("100000"),
        procurement_mode="build_first",
    )
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert "approval_deadline" in exc.value.message_dict
