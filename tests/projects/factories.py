"""Factories for the projects models."""

import datetime
from decimal import Decimal

import factory

from projects.choices import HouseholdStage, ProcurementMode
from projects.models import AgentOwner, Expenditure, Funding, Household, Milestone, Project
from projects.services.money import project_money_refresh
from tests.factories import TownshipFactory, track


class AgentOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgentOwner

    company = factory.Sequence(lambda n: f"丽水城建代建公司{n}")
    contact = "吴经理"
    contract_date = datetime.date(2026, 3, 1)
    fee = Decimal("80000")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    township = factory.SubFactory(TownshipFactory)
    track = factory.LazyFunction(track)
    name = factory.Sequence(lambda n: f"集镇道路改造工程{n}")
    code = factory.Sequence(lambda n: f"LS-2026-{n:04d}")
    budget = Decimal("1500000")
    procurement_mode = ProcurementMode.OPEN_TENDER


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = "完成施工图设计"
    due_date = datetime.date(2026, 6, 30)


class MoneyRowFactory(factory.django.DjangoModelFactory):
    """A funding or expenditure row written directly, then the project's stored totals, as the services do."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def refresh_totals(obj, create, extracted, **kwargs):
        if create:
            project_money_refresh(project_ids=[obj.project_id])


class FundingFactory(MoneyRowFactory):
    class Meta:
        model = Funding

    project = factory.SubFactory(ProjectFactory)
    source_level = "county"
    amount = Decimal("1000000")


class ExpenditureFactory(MoneyRowFactory):
    class Meta:
        model = Expenditure

    project = factory.SubFactory(ProjectFactory)
    spent_on = datetime.date(2026, 5, 1)
    amount = Decimal("300000")
    description = "工程进度款"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    project = factory.SubFactory(ProjectFactory)
    owner_name = "张三明"
    address = factory.Sequence(lambda n: f"碧湖镇新街{n}号")
    area = Decimal("100")
    stage = HouseholdStage.UNSIGNED
