"""The projects API: same services and validation as the pages."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Household, Milestone, Project

from .factories import HouseholdFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_create_read_update_project(api_as, users, township):
    api = api_as(users["township_staff"])
    response = api.post(
        "/api/v1/projects/",
        {
            "township": township.pk,
            "track": "line_clutter",
            "name": "碧湖镇线乱拉整治",
            "budget": "1200000",
            "procurement_mode": "build_first",
            "approval_deadline": "2026-09-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["fast_track"] is True and body["status"] == "planned" and body["county"] == "331102"
    project_id = body["id"]
    response = api.patch(
        f"/api/v1/projects/{project_id}/", {"status": "accepted", "name": "改名"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "planned"  # status moves only through advance/
    assert Project.objects.get(pk=project_id).history.count() == 2


def test_build_first_without_deadline_is_400(api_as, users, township):
    response = api_as(users["county_official"]).post(
        "/api/v1/projects/",
        {
            "township": township.pk,
            "track": "sanitation",
            "name": "x",
            "budget": "100",
            "procurement_mode": "build_first",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "approval_deadline" in response.json()


def test_read_only_roles_and_scope(api_as, users, township, other_township):
    project = ProjectFactory(township=township)
    theirs = ProjectFactory(township=other_township)
    data = {"township": township.pk, "track": "sanitation", "name": "x", "budget": "100"}
    assert api_as(users["province"]).post("/api/v1/projects/", data, format="json").status_code == 403
    assert api_as(users["api_client"]).get("/api/v1/projects/").json()["count"] == 2
    county = api_as(users["county_official"])
    assert county.get(f"/api/v1/projects/{theirs.pk}/").status_code == 404
    assert county.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert county.delete(f"/api/v1/projects/{project.pk}/").status_code == 405
    # an inspector sees the county's projects but may not change them
    inspector = api_as(users["inspector"])
    assert inspector.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert inspector.patch(f"/api/v1/projects/{project.pk}/", {"name": "y"}, format="json").status_code == 403
    # a township outside the caller's scope cannot be chosen
    response = county.post("/api/v1/projects/", {**data, "township": other_township.pk}, format="json")
    assert response.status_code == 400 and "township" in response.json()


def test_advance_and_progress_actions(api_as, users, township):
    project = ProjectFactory(township=township)
    api = api_as(users["county_official"])
    response = api.post(f"/api/v1/projects/{project.pk}/advance/", {"to_status": "completed"}, format="json")
    assert response.status_code == 400 and "须先批准" in str(response.json())
    response = api.post(
        f"/api/v1/projects/{project.pk}/advance/",
        {"to_status": "approved", "on": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["approved_on"] == "2026-02-01"
    response = api.post(
        f"/api/v1/projects/{project.pk}/progress/",
        {"percent": 40, "reported_on": "2026-03-01"},
        format="json",
    )
    assert response.json()["progress_percent"] == 40
    assert (
        api.post(f"/api/v1/projects/{project.pk}/progress/", {"percent": 140}, format="json").status_code
        == 400
    )


def test_nested_milestones(api_as, users, township):
    project = ProjectFactory(township=township)
    MilestoneFactory(project=project, due_date=datetime.date(2020, 1, 1))
    api = api_as(users["township_staff"])
    response = api.post(
        f"/api/v1/projects/{project.pk}/milestones/",
        {"name": "主体完工", "due_date": "2030-06-30"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["overdue"] is False
    listed = api.get(f"/api/v1/projects/{project.pk}/milestones/").json()
    assert [m["overdue"] for m in listed] == [True, False]
    assert api.get("/api/v1/milestones/", {"overdue": "true"}).json()["count"] == 1
    done = api.post(f"/api/v1/milestones/{listed[0]['id']}/done/", {"done_on": "2026-01-02"}, format="json")
    assert done.status_code == 200 and done.json()["overdue"] is False
    assert Milestone.objects.overdue().count() == 0


def test_households_endpoint_create_and_update(api_as, users, project, other_township):
    api = api_as(users["township_staff"])
    response = api.post(
        "/api/v1/households/",
        {"project": project.pk, "owner_name": "李四", "address": "碧湖镇老街1号", "area": "88.5"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    household = Household.objects.get()
    assert household.stage == "unsigned"
    response = api.patch(f"/api/v1/households/{household.pk}/", {"area": "-3"}, format="json")
    assert response.status_code == 400
    theirs = ProjectFactory(township=other_township)
    response = api.post(
        "/api/v1/households/",
        {"project": theirs.pk, "owner_name": "王五", "address": "x", "area": "10"},
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()
    HouseholdFactory(project=theirs)
    assert api.get("/api/v1/households/").json()["count"] == 1
    assert Decimal(api.get(f"/api/v1/households/{household.pk}/").json()["area"]) == Decimal("88.5")


def test_schema_builds(api_as, users):
    response = api_as(users["city_office"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/projects/{id}/milestones/" in response.content


def test_nested_households_are_masked_and_paginated(api_as, users, project):
    HouseholdFactory(project=project, owner_name="欧阳小明")
    body = api_as(users["api_client"]).get(f"/api/v1/projects/{project.pk}/households/").json()
    assert body["count"] == 1 and body["results"][0]["owner_name"] == "欧**明"


def test_fast_track_project_is_approved_only_after_its_review(api_as, users, township):
    project = ProjectFactory(township=township, budget=Decimal("800000"), procurement_mode="self_contracting")
    api = api_as(users["county_official"])
    response = api.post(f"/api/v1/projects/{project.pk}/advance/", {"to_status": "approved"}, format="json")
    assert response.status_code == 400 and "快速审查" in str(response.json())
    from projects.services.projects import project_record_fast_track_approval

    project_record_fast_track_approval(
        project_id=project.pk,
        by=users["county_official"],
        reviewer="李科长",
        approved_on=datetime.date(2026, 2, 1),
    )
    response = api.post(f"/api/v1/projects/{project.pk}/advance/", {"to_status": "approved"}, format="json")
    assert response.status_code == 200
    assert Project.objects.get(pk=project.pk).history.first().fast_track_reviewer == "李科长"
