"""The project list's lean path answers exactly what the stock DRF list answers, money and owners included."""

from decimal import Decimal

import pytest
from rest_framework import mixins

from projects.api.views import ProjectViewSet
from projects.choices import ProcurementMode

from .factories import AgentOwnerFactory, ExpenditureFactory, FundingFactory, ProjectFactory


@pytest.mark.django_db
def test_project_list_is_the_stock_answer(api_as, users, township, monkeypatch):
    owner = AgentOwnerFactory()
    fast = ProjectFactory(
        township=township,
        agent_owner=owner,
        procurement_mode=ProcurementMode.SELF_CONTRACTING,
        budget=Decimal(900000),
    )
    FundingFactory(project=fast, amount=Decimal("500000"))
    ExpenditureFactory(project=fast, amount=Decimal("600000"))
    ProjectFactory(township=township)
    api = api_as(users["city_office"])
    lean = api.get("/api/v1/projects/", {"county": township.county.code})
    with monkeypatch.context() as m:
        m.setattr(ProjectViewSet, "list", mixins.ListModelMixin.list)
        stock = api.get("/api/v1/projects/", {"county": township.county.code})
    assert lean.status_code == stock.status_code == 200
    assert lean.content == stock.content
    rows = {r["id"]: r for r in lean.json()["results"]}
    assert rows[fast.pk]["fast_track"] is True and rows[fast.pk]["over_budget"] is True
    assert rows[fast.pk]["agent_owner_company"] == owner.company
