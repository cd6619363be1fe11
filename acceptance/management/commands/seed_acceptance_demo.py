"""Demo data for 考核验收: a demo scheme read from the sample sheet, the year's plan, applications, a
scored county self-check and the expert pool. Needs seed_demo's users; a second run adds nothing."""

from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.timezone import localdate

from acceptance import schemes
from acceptance.models import Expert, Scheme, SchemeComponent
from acceptance.services.applications import application_create
from acceptance.services.plans import plan_confirm, plan_propose
from acceptance.services.reviews import leaf_items, review_record
from townships.ledgers import ledger_read_xlsx
from townships.models import County, Township, Track

SAMPLE = Path(schemes.__file__).resolve().parent / "data" / "sample_scoring_scheme.xlsx"
TITLE = "[演示] 小城镇环境综合整治考核验收办法（示例）"


class Command(BaseCommand):
    help = "Add a demo acceptance scheme, annual plan, applications, a scored review and experts."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        try:
            city, county, staff = (User.objects.get(username=u) for u in ("city", "liandu", "bihu"))
        except User.DoesNotExist as exc:
            raise CommandError("Run seed_demo first (demo users missing).") from exc
        if Scheme.objects.filter(title=TITLE).exists():
            self.stdout.write("Demo acceptance data already present.")
            return
        year = localdate().year
        # Demo values, as an office would enter them from its 考核办法: not a fact about any real year.
        scheme = Scheme.objects.create(
            year=year,
            version=90,
            title=TITLE,
            number="（演示）",
            pass_mark=Decimal("80"),
            model_threshold=Decimal("90"),
        )
        for code, weight in (("report", 10), ("ledger", 20), ("site", 60), ("office", 10)):
            SchemeComponent.objects.create(scheme=scheme, code=code, weight=Decimal(weight))
        with SAMPLE.open("rb") as handle:
            lines, errors = ledger_read_xlsx(handle, schemes.COLUMNS)
        if errors:
            raise CommandError("; ".join(errors))
        schemes.scheme_items_import(scheme_id=scheme.pk, lines=lines, by=city)

        liandu = County.objects.get(code="331102")
        for name, unit, track in (
            ("赵专家", "丽水市建设局", "planning"),
            ("钱专家", "丽水市卫健委", "sanitation"),
            ("孙专家", "莲都区交通局", "road_occupation"),
        ):
            Expert.objects.create(name=name, unit=unit, track=Track.objects.get(code=track), county=liandu)

        bihu, dagangtou, laozhu = (
            Township.objects.get(code=c) for c in ("331102100", "331102102", "331102103")
        )
        for township in (bihu, dagangtou, laozhu):
            if not township.plan_entries.filter(year=year).exists():
                plan_propose(by=county, year=year, township=township)
        for entry in bihu.plan_entries.filter(year=year) | dagangtou.plan_entries.filter(year=year):
            if entry.status == "proposed":
                plan_confirm(entry_id=entry.pk, by=city)

        app = application_create(
            by=staff,
            township=bihu,
            year=year,
            round="mid_year",
            self_score=Decimal("86"),
            self_assessment="（演示）自评材料齐全。",
        )
        items = leaf_items(scheme)
        scores = [{"item": item.pk} for item in items]
        site = next(item for item in items if item.code == "3.1")
        scores = [
            s if s["item"] != site.pk else {**s, "deductions": 2, "note": "（演示）集镇东侧垃圾堆放两处"}
            for s in scores
        ]
        review_record(
            application_id=app.pk,
            by=county,
            level="county",
            reviewed_on=localdate(),
            scores=scores,
            experts=Expert.objects.all()[:2],
        )
        application_create(
            by=county, township=dagangtou, year=year, round="mid_year", self_score=Decimal("72")
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo acceptance data for {year}: 3 townships on the plan, 2 applications.")
        )
