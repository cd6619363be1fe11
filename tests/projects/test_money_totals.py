"""A project's stored funding and spent totals stay equal to the sums over its rows, whoever writes them (issue 8)."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db.models import OuterRef, Subquery, Sum

from projects.models import Expenditure, Funding, Project
from projects.scale import projects_generate
from projects.services.money import expenditure_add, funding_add, project_money_refresh
from townships.models import Track

from .factories import FundingFactory, ProjectFactory

pytestmark = [pytest.mark.django_db]


def _live(model):
    # GROUP BY per project, not the refresh's own expression, so the check does not share its mistakes.
    rows = model.objects.filter(project=OuterRef("pk")).order_by().values("project")
    return Subquery(rows.annotate(s=Sum("amount")).values("s"))


def stored_and_live() -> tuple[dict, dict]:
    """{pk: (funding_total, spent_total)} as stored, and as summed over the rows now: one query each."""
    stored = {pk: (f, s) for pk, f, s in Project.objects.values_list("pk", "funding_total", "spent_total")}
    live = {
        pk: (f or Decimal("0"), s or Decimal("0"))
        for pk, f, s in Project.objects.annotate(f=_live(Funding), s=_live(Expenditure)).values_list(
            "pk", "f", "s"
        )
    }
    return stored, live


def assert_totals_are_live():
    stored, live = stored_and_live()
    assert stored == live


def test_page_writes_refresh_the_totals_and_the_api_reads_them(client_as, api_as, users, township):
    project = ProjectFactory(township=township, budget=Decimal("1000000"))
    client = client_as(users["township_staff"])
    for amount in ("600000.10", "400000.20"):
        response = client.post(
            f"/projects/{project.pk}/funding/",
            {"source_level": "county", "amount": amount, "received_on": "2026-03-01"},
        )
        assert response.status_code == 302
    response = client.post(
        f"/projects/{project.pk}/expenditures/",
        {"spent_on": "2026-04-01", "amount": "250000.05", "description": "工程进度款"},
    )
    assert response.status_code == 302
    assert_totals_are_live()
    project.refresh_from_db()
    assert (project.funding_total, project.spent_total) == (Decimal("1000000.30"), Decimal("250000.05"))
    assert project.history.count() == 1  # a refresh is no registry change: no history row

    api = api_as(users["county_official"])
    detail = api.get(f"/api/v1/projects/{project.pk}/").json()
    (row,) = api.get("/api/v1/projects/", {"county": township.county.code}).json()["results"]
    for answer in (detail, row):  # the lean list and the stock serializer say the same
        assert answer["funding_total"] == "1000000.30" and answer["spent_total"] == "250000.05"
        assert answer["spent_percent"] == "25.00" and answer["over_budget"] is False

    # spending past the funding (still under the budget) makes the project over budget
    client.post(
        f"/projects/{project.pk}/expenditures/",
        {"spent_on": "2026-05-01", "amount": "800000", "description": "第二笔进度款"},
    )
    assert_totals_are_live()
    (row,) = api.get("/api/v1/projects/", {"county": township.county.code, "over_budget": "true"}).json()[
        "results"
    ]
    assert row["spent_total"] == "1050000.05" and row["spent_percent"] == "105.00"
    assert row["over_budget"] is True


def test_services_refresh_only_their_project(users, township):
    staff = users["township_staff"]
    mine, other = ProjectFactory(township=township), ProjectFactory(township=township)
    FundingFactory(project=other, amount=Decimal("7"))
    funding_add(project_id=mine.pk, by=staff, source_level="province", amount=Decimal("123.45"))
    expenditure_add(
        project_id=mine.pk,
        by=staff,
        spent_on=datetime.date(2026, 4, 1),
        amount=Decimal("0.01"),
        description="x",
    )
    assert_totals_are_live()
    other.refresh_from_db()
    assert other.funding_total == Decimal("7")


def test_a_project_without_rows_has_zero_and_no_percent(api_as, users, township):
    project = ProjectFactory(township=township)
    answer = api_as(users["county_official"]).get(f"/api/v1/projects/{project.pk}/").json()
    assert (answer["funding_total"], answer["spent_total"]) == ("0.00", "0.00")
    assert answer["spent_percent"] is None and answer["over_budget"] is False


def test_with_money_reads_the_stored_columns():
    sql = str(Project.objects.with_money().query).upper()
    assert "SUM(" not in sql and "SELECT" not in sql.split("FROM", 1)[1]  # no subquery per row


def _change_form_data(response) -> dict:
    """The admin change form as the browser would post it back unchanged."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)

    put(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):  # a history revert form has none
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


def test_admin_inline_add_and_edit_refresh_the_totals(admin_client, township):
    project = ProjectFactory(township=township, budget=Decimal("1000000"))
    FundingFactory(project=project, amount=Decimal("100000"))
    url = f"/admin/projects/project/{project.pk}/change/"

    data = _change_form_data(admin_client.get(url))
    data.update(
        {
            "fundings-TOTAL_FORMS": "2",
            "fundings-1-source_level": "city",
            "fundings-1-amount": "50000.50",
            "expenditures-TOTAL_FORMS": "1",
            "expenditures-0-spent_on": "2026-05-01",
            "expenditures-0-amount": "20000",
            "expenditures-0-description": "设计费",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    project.refresh_from_db()
    assert (project.funding_total, project.spent_total) == (Decimal("150000.50"), Decimal("20000"))

    data = _change_form_data(admin_client.get(url))
    (first,) = [k for k, v in data.items() if k.startswith("fundings-") and v == "100000.00"]
    data[first] = "90000"  # a corrected amount
    data["expenditures-0-amount"] = "120000"
    assert admin_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.funding_total, project.spent_total) == (Decimal("140000.50"), Decimal("120000"))
    assert_totals_are_live()


def test_admin_history_revert_keeps_the_live_totals(admin_client, township):
    project = ProjectFactory(township=township, name="旧名称")
    first = project.history.earliest("history_date")  # saved with totals 0
    FundingFactory(project=project, amount=Decimal("300000"))
    url = f"/admin/projects/project/{project.pk}/history/{first.history_id}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    data = _change_form_data(response)
    assert admin_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.funding_total == Decimal("300000")
    assert_totals_are_live()


def test_many_projects_with_random_rows_match_the_live_sums(users, lishui):
    rng = random.Random(8)
    staff = users["county_official"]
    liandu = list(lishui.filter(county__code="331102")[:5])
    projects = [ProjectFactory(township=rng.choice(liandu)) for _ in range(30)]
    for project in projects[:15]:  # through the services, as the pages and seed commands write
        for _ in range(rng.randrange(4)):
            amount = Decimal(rng.randrange(1, 10**8)) / 100
            funding_add(project_id=project.pk, by=staff, source_level="county", amount=amount)
        for _ in range(rng.randrange(4)):
            amount = Decimal(rng.randrange(1, 10**8)) / 100
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(300))
            expenditure_add(
                project_id=project.pk, by=staff, spent_on=day, amount=amount, description="进度款"
            )
    bulk = projects[15:]  # bulk inserts, as generated data would write them, then one refresh
    Funding.objects.bulk_create(
        Funding(project=p, source_level="city", amount=Decimal(rng.randrange(1, 10**10)) / 100)
        for p in bulk
        for _ in range(rng.randrange(5))
    )
    Expenditure.objects.bulk_create(
        Expenditure(
            project=p,
            spent_on=datetime.date(2026, 2, 1),
            amount=Decimal(rng.randrange(1, 10**10)) / 100,
            description="进度款",
        )
        for p in bulk
        for _ in range(rng.randrange(5))
    )
    stored, live = stored_and_live()
    assert stored != live  # bulk rows are not counted until refreshed
    assert project_money_refresh(project_ids=[p.pk for p in bulk]) == len(bulk)
    stored, live = stored_and_live()
    assert stored == live
    assert sum(f for f, _s in stored.values()) == Funding.objects.aggregate(t=Sum("amount"))["t"]


def test_generated_scale_projects_match_the_live_sums(lishui):
    made = projects_generate(
        township_ids=list(lishui.values_list("pk", flat=True)[:20]),
        track_ids=list(Track.objects.values_list("pk", flat=True)),
        count=40,
        seed=8,
        start=datetime.date(2025, 1, 1),
    )
    assert made[0] == 40
    assert_totals_are_live()
