"""Roll-ups per project and per township, checked against numbers worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Project
from projects.querysets import approval_is_overdue, approval_overdue_q, townships_with_project_rollup
from townships.models import Township

from .factories import ExpenditureFactory, FundingFactory, HouseholdFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 3, 1)


def _households(project, stages_and_areas):
    for stage, area in stages_and_areas:
        dates = {}
        if stage in ("signed", "demolished", "renovated"):
            dates["signed_on"] = D
        if stage in ("demolished", "renovated"):
            dates["demolished_on"] = D
        if stage == "renovated":
            dates["renovated_on"] = D
        HouseholdFactory(project=project, stage=stage, area=Decimal(area), **dates)


def test_project_and_township_rollup_match_the_hand_computed_example(
    township, other_township, django_assert_num_queries
):
    # Project A, target 2,000 m²: 100 unsigned, 150 signed, 200 demolished, 250 + 300 renovated.
    a = ProjectFactory(township=township, demolition_target_area=Decimal("2000"))
    _households(
        a, [("unsigned", 100), ("signed", 150), ("demolished", 200), ("renovated", 250), ("renovated", 300)]
    )
    # Project B in the same township, target 1,000 m²: one demolished household of 500 m².
    b = ProjectFactory(township=township, demolition_target_area=Decimal("1000"))
    _households(b, [("demolished", 500)])
    # Another township's households must not leak into 碧湖镇.
    _households(
        ProjectFactory(township=other_township, demolition_target_area=Decimal("10")), [("renovated", 999)]
    )

    with django_assert_num_queries(1):
        rows = {p.pk: p for p in Project.objects.filter(township=township).with_household_rollup()}
    # By hand: A demolished m² = 200 + 250 + 300 = 750 of 2,000 = 37.5 %.
    assert rows[a.pk].households_total == 5
    assert (rows[a.pk].households_unsigned, rows[a.pk].households_signed) == (1, 1)
    assert (rows[a.pk].households_demolished, rows[a.pk].households_renovated) == (1, 2)
    assert rows[a.pk].area_demolished == Decimal("750")
    assert rows[a.pk].area_percent == Decimal("37.5")
    assert rows[b.pk].area_percent == Decimal("50")

    with django_assert_num_queries(1):
        bihu = townships_with_project_rollup(Township.objects.filter(pk=township.pk)).get()
    # Township: 750 + 500 = 1,250 m² of 2,000 + 1,000 = 3,000 → 41.67 %; 6 households, 2 fast-track 0.
    assert bihu.project_count == 2
    assert bihu.households_total == 6
    assert bihu.households_demolished == 2 and bihu.households_renovated == 2
    assert bihu.area_demolished == Decimal("1250")
    assert bihu.area_target == Decimal("3000")
    assert round(bihu.area_percent, 2) == Decimal("41.67")


def test_money_totals_and_over_budget(township):
    ok = ProjectFactory(township=township, budget=Decimal("1000000"))
    FundingFactory(project=ok, source_level="county", amount=Decimal("600000"))
    FundingFactory(project=ok, source_level="township", amount=Decimal("400000"))
    ExpenditureFactory(project=ok, amount=Decimal("250000"))
    over = ProjectFactory(township=township, budget=Decimal("1000000"))
    FundingFactory(project=over, amount=Decimal("200000"))
    ExpenditureFactory(project=over, amount=Decimal("300000"))
    rows = {p.pk: p for p in Project.objects.with_money()}
    assert rows[ok.pk].funding_total == Decimal("1000000")
    assert rows[ok.pk].spent_total == Decimal("250000")
    assert rows[ok.pk].spent_percent == Decimal("25")
    assert rows[ok.pk].over_budget is False
    assert rows[over.pk].over_budget is True  # spent 300,000 > funding 200,000
    assert list(Project.objects.with_money().filter(over_budget=True)) == [over]


def test_overdue_milestones_and_approval_deadlines(township):
    today = datetime.date(2026, 7, 1)
    late = MilestoneFactory(project__township=township, due_date=datetime.date(2026, 6, 30))
    MilestoneFactory(
        project__township=township, due_date=datetime.date(2026, 6, 30), done_on=datetime.date(2026, 6, 29)
    )
    MilestoneFactory(project__township=township, due_date=today)
    assert list(late.__class__.objects.overdue(today)) == [late]

    build_first = ProjectFactory(
        township=township,
        budget=Decimal("500000"),
        procurement_mode="build_first",
        approval_deadline=datetime.date(2026, 6, 1),
    )
    ProjectFactory(
        township=township,
        budget=Decimal("500000"),
        procurement_mode="build_first",
        approval_deadline=datetime.date(2026, 6, 1),
        approvals_completed_on=datetime.date(2026, 5, 20),
    )
    ProjectFactory(
        township=township,
        budget=Decimal("500000"),
        procurement_mode="build_first",
        approval_deadline=datetime.date(2026, 8, 1),
    )
    assert list(Project.objects.approval_overdue(today)) == [build_first]


def test_township_rollup_page_constant_queries_and_numbers(
    client_as, users, lishui, django_assert_num_queries, django_assert_max_num_queries
):
    townships = list(lishui.order_by("code")[:50])
    first = ProjectFactory(township=townships[0], demolition_target_area=Decimal("400"))
    _households(first, [("demolished", 100), ("renovated", 50), ("signed", 70)])
    client = client_as(users["city_office"])
    client.get("/projects/rollup/")
    # session, user, memberships, count, county filter options, page (+1 notifications badge)
    with django_assert_max_num_queries(7) as one:
        response = client.get("/projects/rollup/")
    row = response.context["townships"][0]
    assert (row.households_total, row.area_demolished, row.area_percent) == (
        3,
        Decimal("150"),
        Decimal("37.5"),
    )
    for township in townships[1:]:
        ProjectFactory(township=township)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/projects/rollup/").context["paginator"].count == 50
    response = client.get("/projects/rollup/export/", {"county": townships[0].county.code})
    assert response.status_code == 200


def test_python_approval_rule_matches_the_sql_one(township):
    """The project page's approval warning (Python) and approval_overdue_q (SQL) are one rule."""
    today = datetime.date(2026, 7, 1)
    for deadline in (None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)):
        for completed in (None, today - datetime.timedelta(days=10)):
            # a build-first project always has an approval deadline (a check constraint)
            mode = {"procurement_mode": "build_first"} if deadline else {}
            ProjectFactory(
                township=township,
                budget=Decimal("500000"),
                approval_deadline=deadline,
                approvals_completed_on=completed,
                **mode,
            )
    late = set(Project.objects.filter(approval_overdue_q(today)).values_list("pk", flat=True))
    assert len(late) == 1
    for project in Project.objects.all():
        assert (project.pk in late) == approval_is_overdue(project, today), project
