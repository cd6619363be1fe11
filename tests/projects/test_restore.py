"""Nothing lost: an archived project comes back through its page and the API, records and history intact."""

import pytest

from projects.models import Project
from projects.services.projects import project_archive

from .factories import ExpenditureFactory, MilestoneFactory, ProjectFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def archived(township, users):
    project = ProjectFactory(township=township, name="碧湖镇集镇道路改造")
    MilestoneFactory(project=project)
    ExpenditureFactory(project=project)
    project_archive(project_id=project.pk, by=users["county_official"])
    return Project.objects.get(pk=project.pk)


def listed_ids(client) -> list[int]:
    return [p.pk for p in client.get("/projects/").context["projects"]]


def test_archived_project_is_found_and_restored_on_its_page(client_as, users, archived):
    staff = users["township_staff"]
    client = client_as(staff)
    assert archived.pk not in listed_ids(client)
    assert "/projects/archived/" in client.get("/projects/").content.decode()
    assert [p.pk for p in client.get("/projects/archived/").context["projects"]] == [archived.pk]

    page = client.get(f"/projects/{archived.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "该项目已归档" in html
    assert f"/projects/{archived.pk}/restore/" in html and "恢复此项目" in html
    assert f"/projects/{archived.pk}/archive/" not in html and f"/projects/{archived.pk}/edit/" not in html
    for link in (f"/projects/{archived.pk}/households/", f"/projects/{archived.pk}/milestones/"):
        assert link not in html  # pages of projects in use only: no link that would answer 404

    response = client.post(f"/projects/{archived.pk}/restore/", follow=True)
    assert response.redirect_chain == [(f"/projects/{archived.pk}/", 302)]
    assert "项目已恢复" in response.content.decode()
    project = Project.objects.get(pk=archived.pk)
    assert not project.archived
    assert project.milestones.count() == 1 and project.expenditures.count() == 1  # records as they were
    history = list(project.history.order_by("-history_date", "-history_id")[:2])
    assert [h.archived for h in history] == [False, True]
    assert history[0].history_user == staff and history[1].history_user == users["county_official"]
    assert archived.pk in listed_ids(client)
    assert archived.pk not in [p.pk for p in client.get("/projects/archived/").context["projects"]]


def test_restore_through_the_api(api_as, users, archived):
    api = api_as(users["county_official"])
    assert api.get(f"/api/v1/projects/{archived.pk}/").status_code == 404  # out of the lists
    response = api.post(f"/api/v1/projects/{archived.pk}/restore/")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == archived.pk
    project = Project.objects.get(pk=archived.pk)
    assert not project.archived and project.history.first().history_user == users["county_official"]
    assert api.get(f"/api/v1/projects/{archived.pk}/").status_code == 200
    assert archived.pk in [row["id"] for row in api.get("/api/v1/projects/").json()["results"]]


def test_restoring_a_project_that_is_not_archived_is_refused(client_as, api_as, users, township):
    project = ProjectFactory(township=township)
    versions = project.history.count()
    client = client_as(users["county_official"])
    response = client.post(f"/projects/{project.pk}/restore/", follow=True)
    assert "该项目未归档，无需恢复。" in response.content.decode()
    response = api_as(users["county_official"]).post(f"/api/v1/projects/{project.pk}/restore/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该项目未归档，无需恢复。"]}
    assert project.history.count() == versions and not Project.objects.get(pk=project.pk).archived


@pytest.mark.parametrize("role", ["inspector", "province", "api_client"])
def test_a_role_that_may_not_restore_gets_403(client_as, api_as, users, archived, role):
    user = users[role]
    client = client_as(user)
    assert client.post(f"/projects/{archived.pk}/restore/").status_code == 403
    assert client.get("/projects/archived/").status_code == 403
    assert api_as(user).post(f"/api/v1/projects/{archived.pk}/restore/").status_code == 403
    page = client.get(f"/projects/{archived.pk}/")
    assert page.status_code == 200 and "/restore/" not in page.content.decode()  # read-only: no button
    assert Project.objects.get(pk=archived.pk).archived


def test_out_of_scope_is_404(client_as, api_as, users, other_township):
    project = ProjectFactory(township=other_township)
    project_archive(project_id=project.pk, by=users["city_office"])
    official = users["county_official"]  # 莲都区; the project is in 龙泉市
    assert client_as(official).post(f"/projects/{project.pk}/restore/").status_code == 404
    assert client_as(official).get(f"/projects/{project.pk}/").status_code == 404
    assert api_as(official).post(f"/api/v1/projects/{project.pk}/restore/").status_code == 404
    assert project.pk not in [
        p.pk for p in client_as(official).get("/projects/archived/").context["projects"]
    ]
    assert Project.objects.get(pk=project.pk).archived


def test_archived_list_queries_constant(
    client_as, users, township, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_as(users["county_official"])

    def archive(n):
        for _ in range(n):
            project = ProjectFactory(township=township)
            ExpenditureFactory(project=project)
            project_archive(project_id=project.pk, by=users["city_office"])

    archive(1)
    client.get("/projects/archived/")  # warm caches (content types, session)
    with django_assert_max_num_queries(12) as one:  # as the project list (tests/projects/test_views)
        assert client.get("/projects/archived/").context["paginator"].count == 1
    archive(29)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/projects/archived/").context["paginator"].count == 30
