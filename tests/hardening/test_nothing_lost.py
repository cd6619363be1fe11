"""Nothing is hard-deleted: not through the API, the pages or the admin; an archived item comes back."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.hardening.test_authorization_matrix import url_names

pytestmark = [pytest.mark.django_db]

EVIDENCE = {  # API detail path → the world object it addresses
    "findings": "finding",
    "inspections": "inspection",
    "yellow-cards": "card",
    "projects": "project",
    "households": "household",
}


@pytest.mark.parametrize("resource", EVIDENCE)
@pytest.mark.parametrize("role", ["city_office", "county_official", "township_staff", "province"])
def test_api_has_no_delete(world, api_as, resource, role):
    obj = world["in"][EVIDENCE[resource]]
    response = api_as(world["users"][role]).delete(f"/api/v1/{resource}/{obj.pk}/")
    assert response.status_code in (403, 405), response.status_code
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_no_page_deletes_anything():
    assert not [name for name in url_names() if "delete" in name or "remove" in name]


@pytest.mark.parametrize("key", ["finding", "inspection", "card", "project", "household"])
def test_admin_cannot_delete_evidence(world, key):
    from django.contrib.auth import get_user_model

    model = type(world["in"][key])
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    assert not admin.site._registry[model].has_delete_permission(request, world["in"][key])


def test_an_archived_finding_keeps_its_author_and_time(world, client):
    from inspections.models import FindingEvent

    finding = world["in"]["finding"]
    client.force_login(world["users"]["county_official"])
    response = client.post(f"/inspections/findings/{finding.pk}/archive/", {"reason": "重复填报"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.archived
    event = FindingEvent.objects.filter(finding=finding).latest("pk")
    assert event.actor == world["users"]["county_official"] and event.at
    assert finding.history.count() >= 1


def test_an_archived_project_is_restored(world, client):
    from projects.services.projects import project_archive, project_restore

    project = world["in"]["project"]
    official = world["users"]["county_official"]
    project_archive(project_id=project.pk, by=official)
    client.force_login(official)
    assert project.pk not in [p.pk for p in client.get("/projects/").context["projects"]]  # out of the lists
    page = client.get(f"/projects/{project.pk}/")  # its own page stays, with the restore button
    assert page.status_code == 200 and f"/projects/{project.pk}/restore/" in page.content.decode()
    project_restore(project_id=project.pk, by=official)
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    project.refresh_from_db()
    assert not project.archived
    assert project.history.first().history_user_id in (official.pk, None)
