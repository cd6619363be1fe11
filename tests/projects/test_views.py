"""Pages: scope, query counts at 1 and 50 rows, filters, export, forms and the township panel."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.models import Project, ProjectProgress
from tests.factories import track

from .factories import (
    AgentOwnerFactory,
    ExpenditureFactory,
    HouseholdFactory,
    MilestoneFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _make_projects(township, n, agent=None):
    for _i in range(n):
        p = ProjectFactory(township=township, agent_owner=agent)
        ExpenditureFactory(project=p, amount=Decimal("1000"))


def test_project_list_queries_constant_at_1_and_50(
    client_as, users, township, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_as(users["county_official"])
    agent = AgentOwnerFactory()
    _make_projects(township, 1, agent)
    client.get("/projects/")  # warm caches (content types, session)
    # session, user, memberships, count, can-create, township/county/track/agent filter options,
    # page (+1 for the notifications badge in the header)
    with django_assert_max_num_queries(11) as one:
        response = client.get("/projects/")
    assert response.context["paginator"].count == 1
    _make_projects(township, 49, agent)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/projects/")
    assert response.context["paginator"].count == 50


def test_project_api_queries_constant_at_1_and_50(
    api_as, users, township, django_assert_num_queries, django_assert_max_num_queries
):
    api = api_as(users["city_office"])
    _make_projects(township, 1, AgentOwnerFactory())
    api.get("/api/v1/projects/")
    with django_assert_max_num_queries(4) as one:  # token+user, memberships, count, page
        assert api.get("/api/v1/projects/").json()["count"] == 1
    _make_projects(township, 49, AgentOwnerFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        assert api.get("/api/v1/projects/").json()["count"] == 50


def test_household_list_and_api_queries_constant(
    client_as, api_as, users, project, django_assert_num_queries, django_assert_max_num_queries
):
    client, api = client_as(users["township_staff"]), api_as(users["township_staff"])
    HouseholdFactory(project=project)
    client.get(f"/projects/{project.pk}/households/")
    with django_assert_max_num_queries(7) as page_one:
        client.get(f"/projects/{project.pk}/households/")
    with django_assert_max_num_queries(4) as api_one:
        api.get("/api/v1/households/")
    for _i in range(49):
        HouseholdFactory(project=project)
    with django_assert_num_queries(len(page_one.captured_queries)):
        assert client.get(f"/projects/{project.pk}/households/").context["paginator"].count == 50
    with django_assert_num_queries(len(api_one.captured_queries)):
        assert api.get("/api/v1/households/").json()["count"] == 50


def test_agent_owner_list_queries_constant(
    client_as, users, township, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_as(users["city_office"])
    _make_projects(township, 2, AgentOwnerFactory())
    client.get("/projects/agents/")
    with django_assert_max_num_queries(6) as one:
        client.get("/projects/agents/")
    for _i in range(49):
        _make_projects(township, 1, AgentOwnerFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/projects/agents/").context["paginator"].count == 50


def test_scope_404_and_read_only(client_as, users, township, other_township):
    mine = ProjectFactory(township=township)
    theirs = ProjectFactory(township=other_township)
    county = client_as(users["county_official"])
    assert county.get(mine.get_absolute_url()).status_code == 200
    assert county.get(theirs.get_absolute_url()).status_code == 404
    assert [p.pk for p in county.get("/projects/").context["projects"]] == [mine.pk]
    # the inspector reads the county's projects but changes none
    inspector = client_as(users["inspector"])
    assert inspector.get(mine.get_absolute_url()).status_code == 200
    assert inspector.get(f"/projects/{mine.pk}/edit/").status_code == 403
    assert (
        inspector.post(
            f"/projects/{mine.pk}/progress/", {"percent": 50, "reported_on": "2026-05-01"}
        ).status_code
        == 403
    )
    # staff of another township of the same county does not see it at all
    assert client_as(users["other_township_staff"]).get(mine.get_absolute_url()).status_code == 404


def test_township_staff_registers_only_in_their_township(client_as, users, township, other_township):
    client = client_as(users["township_staff"])
    data = {
        "township": township.pk,
        "track": track().pk,
        "name": "碧湖镇污水管网",
        "budget": "800000",
        "procurement_mode": "self_contracting",
    }
    assert client.post("/projects/new/", data).status_code == 302
    response = client.post("/projects/new/", {**data, "township": other_township.pk, "name": "越权"})
    assert response.status_code == 200 and "township" in response.context["form"].errors
    assert list(Project.objects.values_list("name", flat=True)) == ["碧湖镇污水管网"]


def test_filters_and_export_share_the_filterset(client_as, users, township, other_township):
    fast = ProjectFactory(township=township, procurement_mode="self_contracting", budget=Decimal("500000"))
    plain = ProjectFactory(township=township, status="building")
    ExpenditureFactory(project=plain, amount=Decimal("9000000"))  # over its 1.5M budget
    ProjectFactory(township=other_township)
    client = client_as(users["city_office"])
    assert [p.pk for p in client.get("/projects/", {"fast_track": "true"}).context["projects"]] == [fast.pk]
    assert [p.pk for p in client.get("/projects/", {"over_budget": "true"}).context["projects"]] == [plain.pk]
    assert [p.pk for p in client.get("/projects/", {"status": "building"}).context["projects"]] == [plain.pk]
    assert client.get("/projects/", {"county": "331102"}).context["paginator"].count == 2
    assert client.get("/projects/", {"township": township.pk}).context["paginator"].count == 2
    assert client.get("/projects/", {"procurement_mode": "self_contracting"}).context["paginator"].count == 1
    assert client.get("/projects/", {"track": "sanitation"}).context["paginator"].count == 3
    response = client.get("/projects/export/", {"fast_track": "true"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][1] == fast.name  # title, header, the row
    assert rows[2][5] == 50  # budget in 万元
    api = client_as(users["city_office"])
    assert api.get("/api/v1/projects/", {"fast_track": "true"}).json()["count"] == 1
    assert api.get("/api/v1/projects/", {"over_budget": "true"}).json()["count"] == 1


def test_project_page_shows_money_milestones_progress_and_households(client_as, users, project):
    MilestoneFactory(project=project, name="完成签约", due_date=datetime.date(2020, 1, 1))
    ExpenditureFactory(project=project, amount=Decimal("2000000"))
    HouseholdFactory(project=project, stage="signed", signed_on=datetime.date(2026, 3, 1))
    client = client_as(users["township_staff"])
    client.post(f"/projects/{project.pk}/progress/", {"percent": 30, "reported_on": "2026-04-01"})
    client.post(
        f"/projects/{project.pk}/progress/", {"percent": 55, "reported_on": "2026-05-01", "note": "主体完工"}
    )
    assert list(ProjectProgress.objects.values_list("percent", flat=True)) == [30, 55]
    content = client.get(project.get_absolute_url()).content.decode()
    assert "150" in content  # budget 1,500,000 yuan shown as 150 万元
    assert "支出已超过到位资金或预算" in content
    assert "逾期" in content
    assert "<polyline" in content
    assert "55%" in content


def test_status_cannot_skip_and_names_the_missing_step(client_as, users, project):
    client = client_as(users["county_official"])
    response = client.post(
        f"/projects/{project.pk}/advance/", {"to_status": "building", "on": "2026-03-01"}, follow=True
    )
    assert "须先批准" in response.content.decode()
    client.post(f"/projects/{project.pk}/advance/", {"to_status": "approved", "on": "2026-03-01"})
    project.refresh_from_db()
    assert (project.status, project.approved_on) == ("approved", datetime.date(2026, 3, 1))


def test_township_page_has_the_projects_panel(client_as, users, project):
    HouseholdFactory(
        project=project,
        stage="demolished",
        area=Decimal("500"),
        signed_on=datetime.date(2026, 3, 1),
        demolished_on=datetime.date(2026, 3, 2),
    )
    content = client_as(users["township_staff"]).get(project.township.get_absolute_url()).content.decode()
    assert "本乡镇全部项目" in content
    assert "25%" in content  # 500 of the 2,000 m² target


def test_agent_owner_pages(client_as, users, township, other_township):
    agent = AgentOwnerFactory(company="丽水电力代建公司")
    ProjectFactory(township=township, agent_owner=agent, name="碧湖镇线乱拉整治")
    ProjectFactory(township=other_township, agent_owner=agent, name="龙渊线乱拉整治")
    county = client_as(users["county_official"])
    content = county.get(agent.get_absolute_url()).content.decode()
    assert "碧湖镇线乱拉整治" in content and "龙渊线乱拉整治" not in content
    assert county.post("/projects/agents/new/", {"company": "新代建公司"}).status_code == 302
    assert client_as(users["township_staff"]).get("/projects/agents/new/").status_code == 403


def test_fast_track_approval_page_flow(client_as, users, township):
    project = ProjectFactory(
        township=township, budget=Decimal("800000"), procurement_mode="design_while_build"
    )
    client = client_as(users["township_staff"])
    page = client.post(
        f"/projects/{project.pk}/advance/", {"to_status": "approved", "on": "2026-02-02"}, follow=True
    )
    assert "须先记录快速审查批准" in page.content.decode()
    client.post(
        f"/projects/{project.pk}/fast-track/",
        {"reviewer": "莲都区镇治办 李科长", "approved_on": "2026-02-01", "notes": "同意"},
    )
    client.post(f"/projects/{project.pk}/advance/", {"to_status": "approved", "on": "2026-02-02"})
    project.refresh_from_db()
    assert (project.status, project.fast_track_reviewer) == ("approved", "莲都区镇治办 李科长")


def test_admin_pages_load_and_offer_no_delete(admin_client, project):
    HouseholdFactory(project=project)
    for url in [
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/projects/household/",
        "/admin/projects/countyprocurementrule/add/",
        "/admin/projects/agentowner/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(f"/admin/projects/project/{project.pk}/delete/").status_code == 403


def test_project_page_queries_do_not_grow_with_its_records(
    client_as, users, project, django_assert_num_queries, django_assert_max_num_queries
):
    from .factories import FundingFactory

    client = client_as(users["township_staff"])

    def add(n):
        for i in range(n):
            MilestoneFactory(project=project, due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
            FundingFactory(project=project)
            ExpenditureFactory(project=project)
            ProjectProgress.objects.create(
                project=project, reported_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i), percent=i
            )

    add(1)
    client.get(project.get_absolute_url())
    # session, user, memberships, project with totals and roll-up, funding per source, progress,
    # fundings, expenditures, milestones (+1 notifications badge)
    with django_assert_max_num_queries(10) as one:
        client.get(project.get_absolute_url())
    add(30)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_exports_without_filters_hold_every_row(client_as, users, project):
    ProjectFactory(township=project.township)
    HouseholdFactory(project=project)
    client = client_as(users["county_official"])
    for url, rows in [
        ("/projects/export/", 3),
        (f"/projects/{project.pk}/households/export/", 2),
        ("/projects/rollup/export/", 2),
    ]:
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        assert sheet.max_row == rows + 1, url  # and the title row
