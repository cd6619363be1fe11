"""Issue 15 item 9 for projects: a double submit of the project and household forms creates one."""

import pytest

from projects.models import Household, Project
from tests.factories import track
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.django_db]


def test_a_double_submit_registers_one_project(client_as, users, township):
    client = client_as(users["township_staff"])
    token = client.get("/projects/new/").context["form"]["submission_token"].value()
    data = {
        "submission_token": str(token),
        "township": township.pk,
        "track": track().pk,
        "name": "碧湖镇污水管网",
        "budget": "800000",
        "procurement_mode": "self_contracting",
    }
    first, second = client.post("/projects/new/", data), client.post("/projects/new/", data)
    project = Project.objects.get()
    assert first["Location"] == second["Location"] == project.get_absolute_url()


def test_a_double_submit_adds_one_household(client_as, users, township):
    project = ProjectFactory(township=township)
    client = client_as(users["township_staff"])
    page = client.get(f"/projects/{project.pk}/households/new/")
    form = page.context["form"]
    data = {name: field.value() or "" for name, field in ((n, form[n]) for n in form.fields)}
    data.update({"owner_name": "张某", "address": "碧湖镇下河街1号", "area": "120"})
    first = client.post(f"/projects/{project.pk}/households/new/", data)
    second = client.post(f"/projects/{project.pk}/households/new/", data)
    assert first.status_code == second.status_code == 302, first.context and first.context["form"].errors
    assert Household.objects.filter(project=project).count() == 1
