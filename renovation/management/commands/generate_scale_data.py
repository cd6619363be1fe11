"""Province-scale benchmark data: `generate_scale_data --cities 11 --towns 1191 --years 3 --seed 1`."""

import datetime
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from inspections.scale import findings_generate, yellow_cards_generate
from projects.scale import projects_generate
from standings.scale import standings_generate
from townships.choices import Role
from townships.models import City, Membership, Township, Track
from townships.scale import registry_generate, targets_generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY PostgreSQL database with deterministic province-scale data (townships, targets, "
        "monthly progress, projects, findings, yellow cards, standings, a published ranking)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=11)
        parser.add_argument("--towns", type=int, default=1191)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--projects", type=int, default=20_000)
        parser.add_argument("--findings", type=int, default=300_000)

    @contextmanager
    def step(self, label: str):
        began = time.monotonic()
        yield
        self.stdout.write(f"{label}: {time.monotonic() - began:.1f} s")

    def handle(self, *args, cities, towns, years, seed, projects, findings, **options):
        if Township.objects.filter(targets__isnull=False).exists():
            raise CommandError("This database already holds targets; run it on a freshly migrated database.")
        # Reports run month by month up to the end of last month: none lies in the future.
        today = timezone.localdate()
        first = today.replace(day=1)
        month = first.year * 12 + first.month - 1 - years * 12
        start = datetime.date(month // 12, month % 12 + 1, 1)
        began = time.monotonic()

        with self.step("townships"):
            township_ids = registry_generate(cities=cities, towns=towns, seed=seed)
        self.stdout.write(f"  {len(township_ids)} townships")
        with self.step("targets and monthly progress"):
            reports = targets_generate(township_ids=township_ids, years=years, seed=seed, start=start)
        self.stdout.write(f"  {len(township_ids) * 6} targets, {reports} progress reports")
        track_ids = list(Track.objects.order_by("position").values_list("pk", flat=True))
        with self.step("projects, milestones, households, fundings, expenditures"):
            made = projects_generate(
                township_ids=township_ids, track_ids=track_ids, count=projects, seed=seed, start=start
            )
        self.stdout.write(
            "  {} projects, {} milestones, {} households, {} fundings, {} expenditures".format(*made)
        )
        office = self.city_office()
        with self.step("findings and events"):
            made = findings_generate(
                township_ids=township_ids,
                track_ids=track_ids,
                count=findings,
                seed=seed,
                start=start,
                actor=office,
            )
        self.stdout.write("  {} findings, {} events".format(*made))
        with self.step("yellow cards"):
            cards = yellow_cards_generate(township_ids=township_ids, share=0.08, seed=seed, issued_by=office)
        self.stdout.write(f"  {cards} active yellow cards")
        # VACUUM too: it sets the visibility map that index-only scans (the findings list's ids) rely
        # on; autovacuum would do it some minutes later, which would make the first benchmark differ.
        with self.step("vacuum analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        with self.step("standings refresh and published ranking"):
            # A ranking over several cities is the province office's to publish.
            rows, period = standings_generate(as_of=today, by=self.province_office())
        self.stdout.write(f"  {rows} township standings, ranking {period} published")
        self.stdout.write(f"total: {time.monotonic() - began:.1f} s")

    def province_office(self):
        user, _ = get_user_model().objects.get_or_create(
            username="scale_province", defaults={"first_name": "省整治办（基准数据）"}
        )
        Membership.objects.get_or_create(user=user, role=Role.PROVINCE)
        return user

    def city_office(self):
        user, _ = get_user_model().objects.get_or_create(
            username="scale_city", defaults={"first_name": "市镇治办（基准数据）"}
        )
        Membership.objects.get_or_create(
            user=user, role=Role.CITY_OFFICE, city=City.objects.get(code="331100")
        )
        return user
