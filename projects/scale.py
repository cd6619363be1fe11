"""Deterministic province-scale projects with milestones, households and money (generate_scale_data)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from .choices import FundingSource, HouseholdStage, ProcurementMode, ProjectStatus
from .models import Expenditure, Funding, Household, Milestone, Project
from .services.money import project_money_refresh

WORKS = ["立面改造", "污水管网", "道路提升", "公厕新建", "停车场", "线缆上改下", "河道整治", "农贸市场改造"]
STATUS_STEPS = [
    ProjectStatus.PLANNED,
    ProjectStatus.APPROVED,
    ProjectStatus.BUILDING,
    ProjectStatus.COMPLETED,
    ProjectStatus.ACCEPTED,
]
STEP_DATES = ["approved_on", "started_on", "completed_on", "accepted_on"]
BATCH = 5000


def projects_generate(
    *, township_ids: list[int], track_ids: list[int], count: int, seed: int, start: datetime.date
) -> tuple[int, int, int, int, int]:
    """`count` projects over the townships: 3 milestones each, households on one in five, 1–3
    fundings each and 1–4 expenditures once building; returns the five counts."""
    rng = random.Random(seed + 2)
    projects = milestones = households = fundings = expenditures = 0
    while projects < count:
        size = min(BATCH, count - projects)
        batch = []
        for n in range(projects, projects + size):
            step = rng.randrange(len(STATUS_STEPS))
            planned_start = start + datetime.timedelta(days=rng.randrange(700))
            dates = {
                field: planned_start + datetime.timedelta(days=90 * (i + 1))
                for i, field in enumerate(STEP_DATES)
            }
            small = rng.random() < 0.3
            mode = (
                rng.choice([ProcurementMode.SELF_CONTRACTING, ProcurementMode.DESIGN_WHILE_BUILD])
                if small
                else (rng.choice([ProcurementMode.OPEN_TENDER, ProcurementMode.INVITED_TENDER]))
            )
            batch.append(
                Project(
                    township_id=rng.choice(township_ids),
                    track_id=rng.choice(track_ids),
                    name=f"{rng.choice(WORKS)}工程（{n % 97 + 1}期）",
                    code=f"SC{seed}-{n:06d}",
                    budget=Decimal(
                        rng.randrange(50, 190) * 10_000 if small else rng.randrange(200, 3000) * 10_000
                    ),
                    procurement_mode=mode,
                    contractor="浙江某建设有限公司",
                    status=STATUS_STEPS[step],
                    planned_start=planned_start,
                    planned_end=planned_start + datetime.timedelta(days=365),
                    progress_percent=min(100, step * 25),
                    demolition_target_area=Decimal(rng.randrange(200, 5000)) if n % 5 == 0 else None,
                    **{field: dates[field] for field in STEP_DATES[:step]},
                )
            )
        with transaction.atomic():
            created = Project.objects.bulk_create(batch, batch_size=BATCH)
            steps, homes = [], []
            for project in created:
                for i, name in enumerate(("设计完成", "主体完工", "竣工验收")):
                    due = project.planned_start + datetime.timedelta(days=120 * (i + 1))
                    done = due if STATUS_STEPS.index(project.status) > i + 1 else None
                    steps.append(Milestone(project=project, name=name, due_date=due, done_on=done))
                if project.demolition_target_area:
                    for h in range(10):
                        stage = rng.choice(list(HouseholdStage.values))
                        reached = list(HouseholdStage.values).index(stage)
                        day = project.planned_start
                        homes.append(
                            Household(
                                project=project,
                                owner_name=f"{rng.choice('王李张刘陈杨吴周徐朱')}某{h + 1}",
                                address=f"{h + 1}号",
                                area=Decimal(rng.randrange(40, 400)),
                                stage=stage,
                                signed_on=day if reached >= 1 else None,
                                demolished_on=day + datetime.timedelta(days=30) if reached >= 2 else None,
                                renovated_on=day + datetime.timedelta(days=90) if reached >= 3 else None,
                            )
                        )
            money_in, money_out = [], []
            cent = Decimal("0.01")
            for project in created:
                for level in rng.sample(list(FundingSource.values), rng.randint(1, 3)):
                    amount = (project.budget * rng.randrange(20, 45) / 100).quantize(cent)
                    money_in.append(Funding(project=project, source_level=level, amount=amount))
                if STATUS_STEPS.index(project.status) >= 2:  # building or later
                    for i in range(rng.randint(1, 4)):
                        amount = (project.budget * rng.randrange(5, 35) / 100).quantize(cent)
                        day = project.started_on + datetime.timedelta(days=30 * i)
                        money_out.append(
                            Expenditure(
                                project=project, spent_on=day, amount=amount, description="工程进度款"
                            )
                        )
            Milestone.objects.bulk_create(steps, batch_size=BATCH)
            Household.objects.bulk_create(homes, batch_size=BATCH)
            Funding.objects.bulk_create(money_in, batch_size=BATCH)
            Expenditure.objects.bulk_create(money_out, batch_size=BATCH)
            # bulk rows bypass funding_add/expenditure_add: store the totals set-based, as they would
            project_money_refresh(project_ids=[p.pk for p in created])
        projects += size
        milestones += len(steps)
        households += len(homes)
        fundings += len(money_in)
        expenditures += len(money_out)
    return projects, milestones, households, fundings, expenditures
