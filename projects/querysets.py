"""Reads for projects: every count and sum is an annotation, so a page of 50 rows costs the same as 1."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, DecimalField, F, Func, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.timezone import localdate

from townships.querysets import SubqueryCount

from .choices import FAST_TRACK_MODES, HouseholdStage

MONEY = DecimalField(max_digits=16, decimal_places=2)
AREA = DecimalField(max_digits=14, decimal_places=2)
PERCENT = DecimalField(max_digits=9, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
DEMOLISHED_STAGES = [HouseholdStage.DEMOLISHED, HouseholdStage.RENOVATED]


def _sum(queryset, field: str, output_field=MONEY):
    """SUM(field) of a correlated queryset as a scalar subquery, 0 when there are no rows."""
    # A plain SUM() function, not the Sum aggregate, so Django adds no GROUP BY: one row per outer row.
    total = queryset.order_by().values(s=Func(F(field), function="SUM", output_field=output_field))
    return Coalesce(
        Subquery(total, output_field=output_field), Value(Decimal("0"), output_field=output_field)
    )


def _percent(part, whole):
    """part / whole × 100, or NULL when whole is 0 or unknown (never a division error)."""
    return Case(
        When(**{f"{whole}__gt": 0}, then=F(part) * Value(Decimal("100")) / F(whole)),
        default=Value(None),
        output_field=PERCENT,
    )


def live_money_totals() -> dict:
    """funding_total and spent_total summed over a project's rows now (what the stored columns must equal)."""
    from .models import Expenditure, Funding

    return {
        "funding_total": _sum(Funding.objects.filter(project=OuterRef("pk")), "amount"),
        "spent_total": _sum(Expenditure.objects.filter(project=OuterRef("pk")), "amount"),
    }


# The overdue rules of projects in SQL; the approval rule has a Python mirror for a project already
# read (its page), held equal to it by tests/projects/test_rollup.py.


def milestone_overdue_q(today: datetime.date) -> Q:
    """A milestone is overdue when it is not done and its due date has passed."""
    return Q(done_on__isnull=True, due_date__lt=today)


def approval_overdue_q(today: datetime.date) -> Q:
    """A build-first project's approvals are overdue when not completed by their deadline."""
    return Q(approval_deadline__lt=today, approvals_completed_on__isnull=True)


def approval_is_overdue(project, today: datetime.date) -> bool:
    return (
        project.approval_deadline is not None
        and project.approvals_completed_on is None
        and project.approval_deadline < today
    )


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived=False)

    def with_related(self):
        return self.select_related("township", "township__county", "track", "agent_owner", "manager")

    def fast_track(self, flag: bool = True):
        if flag:
            return self.filter(procurement_mode__in=FAST_TRACK_MODES)
        return self.exclude(procurement_mode__in=FAST_TRACK_MODES)

    def with_money(self):
        """funding_total, spent_total, spent_percent (of funding) and over_budget (spent > funding or budget)."""
        # The totals are stored columns (services.project_money_refresh), so this is arithmetic on the row.
        return self.annotate(
            spent_percent=_percent("spent_total", "funding_total"),
            over_budget=Case(
                When(Q(spent_total__gt=F("budget")) | Q(spent_total__gt=F("funding_total")), then=True),
                default=False,
                output_field=models.BooleanField(),
            ),
        )

    def with_household_rollup(self):
        """Households per stage, m² demolished against the project's target, % done."""
        from .models import Household

        qs = self.annotate(**_household_counts(Household.objects.filter(project=OuterRef("pk"))))
        return qs.annotate(area_percent=_percent("area_demolished", "demolition_target_area"))

    def approval_overdue(self, today: datetime.date | None = None):
        """Build-first projects whose approvals are not completed by their deadline."""
        return self.active().filter(approval_overdue_q(today or localdate()))


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        """Not done and past due, of projects not archived; derived, never stored."""
        return self.filter(milestone_overdue_q(today or localdate()), project__archived=False)

    def with_overdue_flag(self, today: datetime.date | None = None):
        return self.annotate(
            is_overdue=Case(
                When(milestone_overdue_q(today or localdate()), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )


class HouseholdQuerySet(models.QuerySet):
    def rollup(self) -> dict:
        """One aggregate over these households: counts per stage and m² demolished."""
        stage_counts = {
            f"households_{stage}": Count("pk", filter=Q(stage=stage)) for stage in HouseholdStage.values
        }
        return self.aggregate(
            households_total=Count("pk"),
            area_demolished=Coalesce(
                Sum("area", filter=Q(stage__in=DEMOLISHED_STAGES)), Value(Decimal("0"), output_field=AREA)
            ),
            **stage_counts,
        )


def _household_counts(households) -> dict:
    """Subquery counts of these households, in all and per stage, and the m² demolished."""
    return {
        "households_total": SubqueryCount(households),
        "households_unsigned": SubqueryCount(households.filter(stage=HouseholdStage.UNSIGNED)),
        "households_signed": SubqueryCount(households.filter(stage=HouseholdStage.SIGNED)),
        "households_demolished": SubqueryCount(households.filter(stage=HouseholdStage.DEMOLISHED)),
        "households_renovated": SubqueryCount(households.filter(stage=HouseholdStage.RENOVATED)),
        "area_demolished": _sum(households.filter(stage__in=DEMOLISHED_STAGES), "area", AREA),
    }


def townships_with_project_rollup(townships):
    """Annotate a Township queryset with its projects and households roll-up, in the same single query."""
    from .models import Household, Project

    projects = Project.objects.filter(township=OuterRef("pk"), archived=False)
    households = Household.objects.filter(project__township=OuterRef("pk"), project__archived=False)
    qs = townships.annotate(
        project_count=SubqueryCount(projects),
        fast_track_count=SubqueryCount(projects.filter(procurement_mode__in=FAST_TRACK_MODES)),
        budget_total=_sum(projects, "budget"),
        **_household_counts(households),
        area_target=_sum(projects, "demolition_target_area", AREA),
    )
    return qs.annotate(area_percent=_percent("area_demolished", "area_target"))
