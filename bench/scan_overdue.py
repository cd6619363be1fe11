#!/usr/bin/env python
"""Benchmark of the nightly overdue scan (issue 7): N open findings, one scan, one rerun.

    createdb -h 127.0.0.1 -U postgres renov_scan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renov_scan_bench .venv/bin/python bench/scan_overdue.py --count 1000000

It migrates the database, loads Lishui's 173 townships, gives each township one staff member (the
assignee), each county one official and the city one office user, then REPLACES every finding and
notification in that database with `--count` open findings whose deadlines spread from 5 days
ahead to 30 days past (every rung of the ladder is hit); --reuse keeps the findings of the last
run. Users have no e-mail address, so the run measures the scan and its inserts, not mail
delivery. It refuses a database whose name does not contain "bench".

Prints seconds, queries, notices created and the rerun (which must create none); the CPU time of
the PostgreSQL backend and of Python during the scan (the box is shared: the wall time is that
plus waiting for a core); each chunk's transaction (rung, items, notices, seconds; the yellow-card
rule is one more transaction) and the longest one; and the scan's own memory: the growth of the
peak RSS over the RSS before the scan (the peak is reset after the setup, which builds the
findings in Python) and, with --tracemalloc, the peak of Python allocations (tracing slows
Python-heavy code, so time without it).
"""

import argparse
import datetime
import gc
import json
import logging
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.local")


def _rss_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process on this host (the PostgreSQL backend), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM := VmRSS
        return True
    except OSError:
        return False


class _Chunks(logging.Handler):
    """Collects the ladder's per-chunk log records (one transaction each)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.rows: list[dict] = []

    def emit(self, record):
        self.rows.append(
            {
                "rung": record.args[1],
                "items": record.items,
                "notices": record.notices,
                "seconds": round(record.seconds, 2),
            }
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=None, help="rows per batch (default: settings)")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations for their peak (slows Python-heavy code: time it without)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the findings of the previous run if there are exactly --count of the same day "
        "(quicker iterations); notices, card proposals and deductions are removed all the same",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in str(name):
        print(f"refusing: use a database whose name contains 'bench' (got {name!r})")
        return 2
    settings.CELERY_TASK_ALWAYS_EAGER = True  # nothing is queued anyway: no addresses

    from django.contrib.auth import get_user_model

    from inspections.models import Deduction, Finding, YellowCardProposal
    from inspections.overdue import scan_overdue_findings
    from inspections.services.cards import yellow_card_proposals_generate
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

    today = datetime.date.today()
    started = time.perf_counter()
    reuse = (
        args.reuse
        and Finding.objects.count() == args.count
        and Finding.objects.filter(deadline=today + datetime.timedelta(days=5)).exists()
    )
    with connection.cursor() as cursor:
        if reuse:
            cursor.execute(
                f"TRUNCATE {Notification._meta.db_table}, {YellowCardProposal._meta.db_table}, "
                f"{Deduction._meta.db_table} CASCADE"
            )
        else:
            cursor.execute(f"TRUNCATE {Notification._meta.db_table}, {Finding._meta.db_table} CASCADE")
    batch = []
    for i in range(0 if reuse else args.count):
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
        cursor.execute(f"VACUUM ANALYZE {Finding._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Notification._meta.db_table}")
    setup_seconds = time.perf_counter() - started

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    chunks = _Chunks()
    ladder_logger = logging.getLogger("notifications.ladder")
    ladder_logger.addHandler(chunks)
    ladder_logger.setLevel(logging.DEBUG)
    ladder_logger.propagate = False
    rule_seconds: list[float] = []
    rule = yellow_card_proposals_generate

    def timed_rule(**kwargs):
        started = time.perf_counter()
        try:
            return rule(**kwargs)  # one transaction (@transaction.atomic)
        finally:
            rule_seconds.append(time.perf_counter() - started)

    yellow_card_proposals_generate = timed_rule

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    gc.collect()
    rss_before = _rss_kb("VmRSS")
    peak_reset = _reset_peak_rss()
    if args.tracemalloc:
        tracemalloc.start()
    with connection.execute_wrapper(count):
        started, python_cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu_seconds(backend)
        created = scan_overdue_findings(today=today, chunk_size=args.chunk)
        scan_seconds = time.perf_counter() - started
        python_cpu = time.process_time() - python_cpu
        server_cpu = _cpu_seconds(backend) - server_cpu if server_cpu is not None else None
        python_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        rss_peak = _rss_kb("VmHWM")
        tracemalloc.stop()
        scan_chunks, chunks.rows = chunks.rows, []
        first_queries, queries = queries, 0
        started = time.perf_counter()
        again = scan_overdue_findings(today=today, chunk_size=args.chunk)
        rerun_seconds = time.perf_counter() - started
    longest = max([c["seconds"] for c in scan_chunks] + rule_seconds)
    result = {
        "findings": args.count,
        "chunk": args.chunk or settings.NOTIFICATIONS_SCAN_CHUNK,
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "setup_seconds": round(setup_seconds, 1),
        "reused_findings": reuse,
        "scan_seconds": round(scan_seconds, 1),
        "scan_queries": first_queries,
        "notices_created": sum(created.values()),
        "by_level": created,
        "notices_per_second": round(sum(created.values()) / scan_seconds),
        # CPU actually given to the scan; on a shared box the wall time is this plus waiting.
        "scan_cpu_seconds": {
            "postgres": round(server_cpu, 1) if server_cpu is not None else None,
            "python": round(python_cpu, 1),
        },
        "chunks": scan_chunks,
        "yellow_card_rule_seconds": round(rule_seconds[0], 2),
        "longest_transaction_seconds": round(longest, 2),
        "python_peak_mb": round(python_peak / 2**20, 1) if python_peak is not None else None,
        "rss_before_scan_mb": round(rss_before / 1024, 1),
        "rss_peak_growth_mb": round((rss_peak - rss_before) / 1024, 1) if peak_reset else None,
        "rerun_seconds": round(rerun_seconds, 1),
        "rerun_queries": queries,
        "rerun_created": sum(again.values()),
        "rerun_yellow_card_rule_seconds": round(rule_seconds[1], 2),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
