import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.models import AgentOwner, Project
from projects.services.agents import agent_owner_save
from projects.services.households import household_advance, household_create
from projects.services.money import expenditure_add, funding_add
from projects.services.projects import (
    milestone_create,
    milestone_mark_done,
    project_advance,
    project_create,
    project_record_fast_track_approval,
    project_report_progress,
)
from townships.models import Township, Track


class Command(BaseCommand):
    help = "Add a few demo projects to 碧湖镇 and its neighbours (local settings only; after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_projects_demo runs only with local settings; pass --force to override.")
        if Project.objects.filter(code__startswith="DEMO-").exists():
            self.stdout.write("Demo projects already exist; nothing to do.")
            return
        city = get_user_model().objects.get(username="city")
        bihu_staff = get_user_model().objects.filter(username="bihu").first()
        tracks = {t.code: t for t in Track.objects.all()}
        bihu = Township.objects.get(code="331102100")
        others = list(Township.objects.filter(county__code="331102").exclude(pk=bihu.pk).order_by("code")[:4])
        agent = agent_owner_save(
            by=city,
            fields={
                "company": "丽水市城投代建管理有限公司",
                "contact": "吴经理",
                "phone": "0578-2000000",
                "contract_date": datetime.date(2017, 3, 10),
                "fee": Decimal("180000"),
            },
        )
        AgentOwner.objects.get_or_create(company="莲都区电力线路代建公司", defaults={"contact": "叶工"})
        specs = [
            (bihu, "road_occupation", "碧湖镇集镇主街立面改造", "3800000", "open_tender", False, None),
            (bihu, "sanitation", "碧湖镇污水管网提升", "1650000", "self_contracting", False, None),
            (
                bihu,
                "line_clutter",
                "碧湖镇线乱拉整治（上改下）",
                "2600000",
                "design_while_build",
                True,
                agent,
            ),
            (bihu, "planning", "碧湖镇拆破拆旧", "1200000", "build_first", False, None),
        ]
        specs += [
            (t, code, f"{t.name}{label}", budget, "open_tender", False, None)
            for t, (code, label, budget) in zip(
                others,
                [
                    ("sanitation", "公厕改造", "900000"),
                    ("traffic_disorder", "停车场建设", "2400000"),
                    ("road_occupation", "沿街店招整治", "650000"),
                    ("scattered_industry", "低小散整治", "3100000"),
                ],
                strict=False,
            )
        ]
        today = datetime.date(2026, 11, 20)
        for index, (township, track, name, budget, mode, scattered, owner) in enumerate(specs, start=1):
            project = project_create(
                by=city,
                fields={
                    "township": township,
                    "track": tracks[track],
                    "name": name,
                    "code": f"DEMO-2026-{index:03d}",
                    "budget": Decimal(budget),
                    "procurement_mode": mode,
                    "scattered_hard_to_price": scattered,
                    "agent_owner": owner,
                    "manager": bihu_staff if township == bihu else None,
                    "approval_deadline": datetime.date(2026, 10, 31) if mode == "build_first" else None,
                    "planned_start": datetime.date(2026, 3, 1),
                    "planned_end": datetime.date(2026, 12, 31),
                    "demolition_target_area": Decimal("2400") if "拆" in name else None,
                },
            )
            if mode in ("self_contracting", "design_while_build", "build_first"):
                project_record_fast_track_approval(
                    project_id=project.pk,
                    by=city,
                    reviewer="莲都区镇治办 李科长",
                    approved_on=datetime.date(2026, 2, 18),
                    notes="符合项目快速审查机制",
                )
            project_advance(
                project_id=project.pk, by=city, to_status="approved", on=datetime.date(2026, 2, 20)
            )
            project_advance(
                project_id=project.pk, by=city, to_status="building", on=datetime.date(2026, 3, 5)
            )
            for month, percent in [
                (4, 10 + index),
                (6, 30 + index * 3),
                (8, 45 + index * 4),
                (10, 60 + index * 3),
            ]:
                project_report_progress(
                    project_id=project.pk,
                    by=city,
                    percent=min(percent, 100),
                    reported_on=datetime.date(2026, month, 28),
                )
            funding_add(
                project_id=project.pk, by=city, source_level="county", amount=Decimal(budget) * Decimal("0.5")
            )
            funding_add(
                project_id=project.pk,
                by=city,
                source_level="township",
                amount=Decimal(budget) * Decimal("0.2"),
            )
            expenditure_add(
                project_id=project.pk,
                by=city,
                spent_on=datetime.date(2026, 9, 1),
                amount=Decimal(budget) * (Decimal("0.75") if index == 2 else Decimal("0.4")),
                description="工程进度款",
            )
            for name_, due, done in [
                ("完成施工图设计", datetime.date(2026, 4, 15), datetime.date(2026, 4, 10)),
                ("主体工程完工", datetime.date(2026, 10, 31), None),
                ("竣工验收", datetime.date(2026, 12, 31), None),
            ]:
                m = milestone_create(project_id=project.pk, by=city, name=name_, due_date=due)
                if done:
                    milestone_mark_done(milestone_id=m.pk, by=city, done_on=done)
            if "拆" in name:
                surnames = "张王李赵陈刘杨黄周吴"
                for n in range(24):
                    h = household_create(
                        project_id=project.pk,
                        by=city,
                        fields={
                            "owner_name": f"{surnames[n % 10]}{'建国明华伟芳'[n % 6]}{'生军平'[n % 3]}",
                            "address": f"碧湖镇老街{n + 1}号",
                            "area": Decimal(60 + (n * 7) % 90),
                            "incentive_bank": "丽水农商银行" if n % 3 == 0 else "",
                            "loan_rate_before": Decimal("8.7") if n % 3 == 0 else None,
                            "loan_rate_after": Decimal("5.8") if n % 3 == 0 else None,
                        },
                    )
                    steps = ["signed", "demolished", "renovated"][: [3, 2, 2, 1, 0][n % 5]]
                    for k, step in enumerate(steps):
                        household_advance(
                            household_id=h.pk,
                            by=city,
                            to_stage=step,
                            on=datetime.date(2026, 4 + k * 2, 1 + n % 20),
                        )
        self.stdout.write(self.style.SUCCESS(f"{len(specs)} demo projects added (today is {today})."))
