"""Issue 19 on the project pages: one household count everywhere, managers by name and in scope."""

from decimal import Decimal

import pytest

from projects.models import Project
from tests.factories import track
from tests.projects.test_rollup import _households

from .factories import ProjectFactory

pytestmark = [pytest.mark.django_db]


def test_project_page_and_township_rollup_count_households_the_same_way(client_as, users, township):
    project = ProjectFactory(township=township, demolition_target_area=Decimal("2000"))
    _households(
        project,
        [("unsigned", 10)] + [("signed", 10)] * 5 + [("demolished", 10)] * 7 + [("renovated", 10)] * 8,
    )
    client = client_as(users["city_office"])
    detail = client.get(project.get_absolute_url())
    stats = detail.content.decode()
    rollup = client.get("/projects/rollup/")
    row = next(t for t in rollup.context["townships"] if t.pk == township.pk)
    assert (row.households_signed, row.households_demolished, row.households_renovated) == (5, 7, 8)
    # the project page shows those same per-stage numbers, not a cumulative "signed" of 20
    assert '<span class="stat__value">5</span><span class="stat__label">已签约' in stats or (
        '<span class="stat__value">5</span>' in stats and '<span class="stat__value">20</span>' not in stats
    )
    assert '<span class="stat__value">20</span>' not in stats


def _project_data(township, manager):
    return {
        "township": township.pk,
        "track": track().pk,
        "name": "碧湖镇污水管网",
        "budget": "800000",
        "procurement_mode": "open_tender",
        "manager": manager.pk,
    }


def test_manager_picker_shows_names_in_scope_and_never_an_api_account(client_as, users, township):
    staff = users["township_staff"]
    staff.first_name, staff.last_name = "小明", "王"
    staff.save()
    html = client_as(users["county_official"]).get("/projects/new/").content.decode()
    assert f'value="{staff.pk}"' in html and "（碧湖镇）" in html
    assert f'value="{users["api_client"].pk}"' not in html
    assert f'value="{users["other_county_official"].pk}"' not in html
    assert ">bihu<" not in html  # a login name alone is never the label


def test_another_countys_official_is_refused_as_manager_on_the_form_and_the_api(
    client_as, api_as, users, township
):
    city = users["city_office"]
    response = client_as(city).post("/projects/new/", _project_data(township, users["other_county_official"]))
    assert response.status_code == 200 and "manager" in response.context["form"].errors
    body = {**_project_data(township, users["other_county_official"]), "track": "sanitation"}
    api = api_as(city).post("/api/v1/projects/", body, format="json")
    assert api.status_code == 400 and "manager" in api.content.decode()
    api = api_as(city).post("/api/v1/projects/", {**body, "manager": users["api_client"].pk}, format="json")
    assert api.status_code == 400 and "manager" in api.content.decode()
    ok = api_as(city).post(
        "/api/v1/projects/", {**body, "manager": users["county_official"].pk}, format="json"
    )
    assert ok.status_code == 201, ok.content
    assert Project.objects.get().manager == users["county_official"]


def test_fast_track_notes_are_bounded(client_as, users, township):
    project = ProjectFactory(township=township)
    response = client_as(users["city_office"]).post(
        f"/projects/{project.pk}/fast-track/",
        {"reviewer": "某专家", "approved_on": "2026-03-01", "notes": "x" * 1_000_000},
    )
    assert response.status_code in (200, 400)
    project.refresh_from_db()
    assert len(project.fast_track_notes) < 1_000_000
