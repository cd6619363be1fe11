#!/usr/bin/env python
"""Benchmark of the nightly overdue scan (issue 7): N open findings, one scan, one rerun.

    createdb -h 127.0.0.1 -U postgres renov_scan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renov_scan_bench .venv/bin/python bench/scan_overdue.py --count 1000000

It migrates the database, loads Lishui's 173 townships, gives each township one staff member (the
assignee), each county one official and the city one office user, then REPLACES every finding and
notification in that database with `--count` open findings whose deadlines spread from 5 days
ahead to 30 days past (every rung of the ladder is hit). Users have no e-mail address, so the run
measures the scan and its inserts, not mail delivery. It refuses a database whose name does not
contain "bench". Prints seconds, queries, notices created and the rerun (which must create none).
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.local")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=None, help="rows per batch (default: settings)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in str(name):
        print(f"refusing: use a PostgreSQL database whose name contains 'bench' (got {name!r})")
        return 2
    settings.CELERY_TASK_ALWAYS_EAGER = True  # nothing is queued anyway: no addresses

    from django.contrib.auth import get_user_model

    from inspections.models import Finding
    from inspections.overdue import scan_overdue_findings
    from notifications.models import Notification
    from townships.choices import Role
    from townships.models import City, County, Membership, Township
    from townships.services import DATA_DIR, townships_import_csv, tracks_ensure

    call_command("migrate", verbosity=0)
    if not Township.objects.exists():
        townships_import_csv(text=(DATA_DIR / "lishui_townships.csv").read_text(encoding="utf-8"))
    tracks_ensure()
    User = get_user_model()
    townships = list(Township.objects.values_list("pk", flat=True))
    assignees = {}
    for pk in townships:
        user, _ = User.objects.get_or_create(username=f"bench-staff-{pk}", defaults={"email": ""})
        Membership.objects.get_or_create(user=user, role=Role.TOWNSHIP_STAFF, township_id=pk)
        assignees[pk] = user.pk
    for county in County.objects.all():
        user, _ = User.objects.get_or_create(username=f"bench-county-{county.pk}", defaults={"email": ""})
        Membership.objects.get_or_create(user=user, role=Role.COUNTY_OFFICIAL, county=county)
    city_user, _ = User.objects.get_or_create(username="bench-city", defaults={"email": ""})
    Membership.objects.get_or_create(user=city_user, role=Role.CITY_OFFICE, city=City.objects.first())

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Notification._meta.db_table}, {Finding._meta.db_table} CASCADE")
    today = datetime.date.today()
    started = time.perf_counter()
    batch = []
    for i in range(args.count):
        township = townships[i % len(townships)]
        batch.append(
            Finding(
                township_id=township,
                source="grid",
                description=f"问题 {i}",
                deadline=today - datetime.timedelta(days=(i % 36) - 5),
                assignee_id=assignees[township],
            )
        )
        if len(batch) == 50_000:
            Finding.objects.bulk_create(batch)
            batch = []
    Finding.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Finding._meta.db_table}")
    setup_seconds = time.perf_counter() - started

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        created = scan_overdue_findings(today=today, chunk_size=args.chunk)
        scan_seconds = time.perf_counter() - started
        first_queries, queries = queries, 0
        started = time.perf_counter()
        again = scan_overdue_findings(today=today, chunk_size=args.chunk)
        rerun_seconds = time.perf_counter() - started
    result = {
        "findings": args.count,
        "chunk": args.chunk or settings.NOTIFICATIONS_SCAN_CHUNK,
        "setup_seconds": round(setup_seconds, 1),
        "scan_seconds": round(scan_seconds, 1),
        "scan_queries": first_queries,
        "notices_created": sum(created.values()),
        "by_level": created,
        "notices_per_second": round(sum(created.values()) / scan_seconds),
        "rerun_seconds": round(rerun_seconds, 1),
        "rerun_queries": queries,
        "rerun_created": sum(again.values()),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
