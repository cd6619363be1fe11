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


def _money_row_add(row: Funding | Expenditure, *, project_id: int, by, exclude: list[str]):
    """Save a funding or expenditure row on its project and store the project's new totals."""
    row.project = _locked_project(project_id, by)
    _full_clean(row, exclude=["project", *exclude])
    row.save()
    # The project's row is locked by _locked_project: no lost update.
    project_money_refresh(project_ids=[row.project.pk])
    return row


@transaction.atomic
def funding_add(
    *, project_id: int, by, source_level: str, amount: Decimal, received_on=None, note: str = ""
) -> Funding:
    """Record funds allocated to a project from one source level."""
    funding = Funding(source_level=source_level, amount=amount, received_on=received_on, note=note)
    return _money_row_add(funding, project_id=project_id, by=by, exclude=[])


@transaction.atomic
def expenditure_add(
    *, project_id: int, by, spent_on: datetime.date, amount: Decimal, description: str
) -> Expenditure:
    """Record money spent on a project."""
    expenditure = Expenditure(spent_on=spent_on, amount=amount, description=description, recorded_by=by)
    return _money_row_add(expenditure, project_id=project_id, by=by, exclude=["recorded_by"])
