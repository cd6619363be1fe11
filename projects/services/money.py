"""Writes for a project's money: funding, expenditures and the stored totals."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from ..models import Expenditure, Funding, Project
from ..querysets import live_money_totals
from .projects import _full_clean, _locked_project


# Callers hold the projects' rows locked (select_for_update) or have no concurrent writer (bulk
# generation): an UPDATE that waited for another writer's row lock keeps its older snapshot and
# would miss that writer's rows. savepoint=False: one UPDATE needs no SAVEPOINT round trips.
@transaction.atomic(savepoint=False)
def project_money_refresh(*, project_ids: Iterable[int]) -> int:
    """Store the funding and spent totals of these projects from their rows, in one UPDATE."""
    # .update(), not save(): a derived total is no registry change, so it writes no history row.
    return Project.objects.filter(pk__in=list(project_ids)).update(**live_money_totals())


@transaction.atomic
def funding_add(
    *, project_id: int, by, source_level: str, amount: Decimal, received_on=None, note: str = ""
) -> Funding:
    """Record funds allocated to a project from one source level."""
    project = _locked_project(project_id, by)
    funding = Funding(
        project=project, source_level=source_level, amount=amount, received_on=received_on, note=note
    )
    _full_clean(funding, exclude=["project"])
    funding.save()
    project_money_refresh(project_ids=[project.pk])  # the row is locked by _locked_project: no lost update
    return funding


@transaction.atomic
def expenditure_add(
    *, project_id: int, by, spent_on: datetime.date, amount: Decimal, description: str
) -> Expenditure:
    """Record money spent on a project."""
    project = _locked_project(project_id, by)
    expenditure = Expenditure(
        project=project, spent_on=spent_on, amount=amount, description=description, recorded_by=by
    )
    _full_clean(expenditure, exclude=["project", "recorded_by"])
    expenditure.save()
    project_money_refresh(project_ids=[project.pk])
    return expenditure
