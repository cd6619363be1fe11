"""Households: no skipped step, masked names, and the all-or-nothing .xlsx import."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Household
from projects.services.households import household_advance, households_import_xlsx
from projects.services.projects import WorkflowError

from .conftest import household_row
from .factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_unsigned_cannot_jump_to_demolished(project, users):
    household = HouseholdFactory(project=project)
    with pytest.raises(WorkflowError) as exc:
        household_advance(household_id=household.pk, by=users["township_staff"], to_stage="demolished")
    assert "须先签约" in exc.value.messages[0]
    household.refresh_from_db()
    assert household.stage == "unsigned" and household.demolished_on is None


def test_signed_cannot_jump_to_renovated(project, users):
    household = HouseholdFactory(project=project, stage="signed", signed_on=datetime.date(2026, 3, 1))
    with pytest.raises(WorkflowError) as exc:
        household_advance(household_id=household.pk, by=users["township_staff"], to_stage="renovated")
    assert "须先拆除" in exc.value.messages[0]


def test_one_step_at_a_time_records_each_date(project, users):
    household = HouseholdFactory(project=project)
    staff = users["township_staff"]
    household_advance(household_id=household.pk, by=staff, to_stage="signed", on=datetime.date(2026, 3, 1))
    household_advance(
        household_id=household.pk, by=staff, to_stage="demolished", on=datetime.date(2026, 4, 1)
    )
    with pytest.raises(WorkflowError):  # dated before the demolition
        household_advance(
            household_id=household.pk, by=staff, to_stage="renovated", on=datetime.date(2026, 3, 15)
        )
    household_advance(household_id=household.pk, by=staff, to_stage="renovated", on=datetime.date(2026, 5, 1))
    household.refresh_from_db()
    assert (household.signed_on, household.demolished_on, household.renovated_on) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 5, 1),
    )
    assert household.history.count() == 4


def test_skip_through_the_page_shows_the_missing_step(client_as, users, project):
    household = HouseholdFactory(project=project)
    client = client_as(users["township_staff"])
    response = client.post(
        f"/projects/households/{household.pk}/advance/",
        {"to_stage": "demolished", "on": "2026-04-01"},
        follow=True,
    )
    assert "须先签约" in response.content.decode()
    household.refresh_from_db()
    assert household.stage == "unsigned"


def test_skip_through_the_api_is_400_with_the_reason(api_as, users, project):
    household = HouseholdFactory(project=project)
    response = api_as(users["county_official"]).post(
        f"/api/v1/households/{household.pk}/advance/", {"to_stage": "demolished"}, format="json"
    )
    assert response.status_code == 400
    assert "须先签约" in str(response.json())
    ok = api_as(users["county_official"]).post(
        f"/api/v1/households/{household.pk}/advance/",
        {"to_stage": "signed", "on": "2026-03-01"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["stage"] == "signed"


def test_read_only_and_out_of_scope_cannot_advance(api_as, users, project):
    household = HouseholdFactory(project=project)
    assert (
        api_as(users["province"])
        .post(f"/api/v1/households/{household.pk}/advance/", {"to_stage": "signed"})
        .status_code
        == 403
    )
    assert (
        api_as(users["other_township_staff"])
        .post(f"/api/v1/households/{household.pk}/advance/", {"to_stage": "signed"})
        .status_code
        == 404
    )


def test_owner_name_is_masked_in_lists_and_full_in_detail(client_as, api_as, users, project):
    household = HouseholdFactory(project=project, owner_name="张三明")
    page = client_as(users["county_official"]).get(f"/projects/{project.pk}/households/").content.decode()
    assert "张*明" in page and "张三明" not in page
    api = api_as(users["county_official"])
    listed = api.get("/api/v1/households/", {"project": project.pk}).json()["results"]
    assert listed[0]["owner_name"] == "张*明"
    assert api.get(f"/api/v1/households/{household.pk}/").json()["owner_name"] == "张三明"


BAD = {10: "面积", 57: "阶段", 150: "日期"}


def _rows_with_three_bad():
    rows = [household_row(n) for n in range(200)]
    rows[10][2] = "一百"  # area not a number
    rows[57][3] = "已搬迁"  # unknown stage
    rows[150][3], rows[150][4] = "已拆除", None  # demolished without a signing date
    return rows


def test_import_200_rows_with_3_bad_reports_3_lines_and_saves_nothing(client_as, users, project, make_sheet):
    client = client_as(users["township_staff"])
    response = client.post(
        f"/projects/{project.pk}/households/import/", {"file": make_sheet(_rows_with_three_bad())}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    # Excel line = data index + 2 (the header is line 1)
    assert [line for line, _msg in preview.errors] == [12, 59, 152]
    content = response.content.decode()
    assert "3 行有误" in content
    assert Household.objects.count() == 0
    # a confirm without a valid preview saves nothing either
    client.post(f"/projects/{project.pk}/households/import/", {"confirm": "1"})
    assert Household.objects.count() == 0


def test_import_service_refuses_a_sheet_with_bad_rows(project, users, make_sheet):
    saved, preview = households_import_xlsx(
        project_id=project.pk, by=users["township_staff"], file=make_sheet(_rows_with_three_bad())
    )
    assert saved == 0
    assert len(preview.errors) == 3
    assert Household.objects.count() == 0


def test_clean_sheet_previews_then_saves_all_200(client_as, users, project, make_sheet):
    client = client_as(users["township_staff"])
    rows = [household_row(n) for n in range(200)]
    response = client.post(f"/projects/{project.pk}/households/import/", {"file": make_sheet(rows)})
    assert response.context["preview"].errors == []
    assert "200 行数据有效" in response.content.decode()
    assert "张*明" in response.content.decode()
    assert Household.objects.count() == 0  # the preview saves nothing
    response = client.post(f"/projects/{project.pk}/households/import/", {"confirm": "1"})
    assert response.status_code == 302
    assert Household.objects.filter(project=project, stage="signed").count() == 200
    assert (
        Household.objects.filter(loan_rate_before=Decimal("8.7"), loan_rate_after=Decimal("5.8")).count()
        == 200
    )


def test_not_a_workbook_is_a_clear_error(client_as, users, project):
    import io

    bogus = io.BytesIO(b"not a workbook")
    bogus.name = "households.xlsx"
    response = client_as(users["township_staff"]).post(
        f"/projects/{project.pk}/households/import/", {"file": bogus}
    )
    assert "不是 Excel" in response.content.decode()
    assert Household.objects.count() == 0


def test_import_page_is_for_editors_only(client_as, users, project):
    assert client_as(users["inspector"]).get(f"/projects/{project.pk}/households/import/").status_code == 403
    assert (
        client_as(users["other_county_official"])
        .get(f"/projects/{project.pk}/households/import/")
        .status_code
        == 404
    )
