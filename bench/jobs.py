#!/usr/bin/env python
"""Benchmark of the background work of issue 20: the province-wide findings export and fresh summaries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_bench .venv/bin/python bench/jobs.py [--skip-freshness]

Rows, each measured in its own process (so one's memory never inflates another's peak):

- xlsx reference: XlsxWriter (constant memory) writing the same cells the export writes, read into
  memory first: the writer alone, the budget's yardstick;
- openpyxl write-only with the same cells (what picked the writer);
- the export job, .xlsx: `notifications.exports.export_job_run` as a worker runs it (read, rows, file,
  storage, inbox notice), with its peak RSS and the RSS at every 50,000 rows (flat memory);
- the export job, .csv;
- freshness: a Celery worker runs against the same database and broker (REDIS_URL); a progress report
  is committed through the service and `progress/` is read until it shows it.

Budgets (issue 20): export job ≤ 1.3× the reference, CSV ≤ 10 s, progress/ ≤ 60 s after the commit.
Results go to bench/results/jobs.md and jobs.json. Everything stays on 127.0.0.1.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.local")
    import django

    django.setup()


def _user():
    from django.contrib.auth import get_user_model

    from townships.choices import Role
    from townships.models import Membership

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"first_name": "基准测试"})
    Membership.objects.get_or_create(user=user, role=Role.PROVINCE)
    return user


def child_reference(writer: str) -> dict:
    """The same cells as the export, in memory, then written alone by `writer`."""
    _setup()
    from django.http import QueryDict

    from core.xlsx import _plain, neutralise
    from inspections.exports import FINDINGS

    user = _user()
    table = FINDINGS.table()
    rows = [
        [neutralise(v) if isinstance(v, str) else _plain(v) for v in row]
        for row in FINDINGS.rows(user, QueryDict(""))
    ]
    path = Path(tempfile.mkdtemp()) / "ref.xlsx"
    start = time.perf_counter()
    if writer == "xlsxwriter":
        import xlsxwriter

        wb = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        ws = wb.add_worksheet()
        ws.write_row(0, 0, [str(h) for h in table.headers])
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
        wb.close()
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append([str(h) for h in table.headers])
        for row in rows:
            ws.append(row)
        wb.save(str(path))
    seconds = time.perf_counter() - start
    return {
        "rows": len(rows),
        "columns": len(table.headers),
        "seconds": seconds,
        "bytes": path.stat().st_size,
    }


def child_export(fmt: str) -> dict:
    """One export job, start to finish, as the worker runs it."""
    _setup()
    from django.core.files.storage import default_storage
    from django.test.utils import override_settings

    from inspections.exports import FINDINGS
    from notifications.exports import export_job_run
    from notifications.models import ExportJob

    user = _user()
    table = FINDINGS.table()
    total = FINDINGS.count(user, {})
    job = ExportJob.objects.create(
        user=user,
        name=FINDINGS.name,
        title=str(table.title),
        format=fmt,
        total=total,
        filename=table.filename(fmt),
    )
    samples: list[tuple[int, float]] = []
    import notifications.exports as module

    real_write = module.write_table

    def sampled(target, fmt_, table_, rows, *, progress, every):
        def step(done):
            if done % 50_000 == 0 or done == total:
                samples.append((done, round(_rss_mb(), 1)))
            progress(done)

        return real_write(target, fmt_, table_, rows, progress=step, every=every)

    module.write_table = sampled
    rss_before = _rss_mb()
    start = time.perf_counter()
    with override_settings(EXPORT_PROGRESS_EVERY=5000):
        path = export_job_run(job_id=job.pk, node="bench")
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    size = default_storage.size(path)
    default_storage.delete(path)
    job.delete()
    return {
        "rows": job.rows_done,
        "seconds": seconds,
        "bytes": size,
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(_rss_mb("VmHWM"), 1),
        "rss_by_rows": samples,
    }


def child_freshness() -> dict:
    """A progress report committed through the service, then progress/ read until it shows."""
    _setup()
    from django.test import Client

    from standings.services import standings_refresh
    from townships.models import Membership, Target
    from townships.services import progress_report_create

    target = Target.objects.select_related("township").order_by("pk").first()
    township = target.township
    from django.contrib.auth import get_user_model

    by, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"first_name": "基准填报"}
    )
    Membership.objects.get_or_create(user=by, role="township_staff", township=township)
    standings_refresh(township_ids=[township.pk])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_user())

    def done_quantity():
        body = client.get(
            "/api/v1/progress/",
            {"group_by": "township", "county": township.county.code},
            secure=True,
        ).json()
        row = next(r for r in body["results"] if r["code"] == township.code)
        return row["done_quantity"], body.get("as_of")

    from decimal import Decimal

    from django.utils.timezone import localdate

    from townships.models import ProgressReport

    latest = (
        ProgressReport.objects.filter(target=target).order_by("-reported_on", "-pk").first()
    )  # the highest
    quantity = (latest.cumulative_quantity if latest else Decimal(0)) + Decimal("0.01")
    before, as_of_before = done_quantity()
    report = progress_report_create(
        target_id=target.pk, reported_on=localdate(), cumulative_quantity=quantity, by=by, note="bench"
    )
    committed = time.perf_counter()
    # The township's total moves by what this target's latest report on or before today adds.
    previous = (
        ProgressReport.objects.filter(target=target, reported_on__lte=localdate())
        .exclude(pk=report.pk)
        .order_by("-reported_on", "-pk")
        .values_list("cumulative_quantity", flat=True)
        .first()
    ) or Decimal(0)
    expected = f"{Decimal(before) + quantity - previous:.2f}"
    seen = None
    while time.perf_counter() - committed < 120:
        seen, as_of = done_quantity()
        if seen == expected:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - committed
    report.delete()
    standings_refresh(township_ids=[township.pk])
    return {
        "seconds": seconds,
        "before": before,
        "after": seen,
        "expected": expected,
        "as_of_before": as_of_before,
        "as_of_after": as_of,
    }


def run_child(name: str, arg: str, env: dict) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", name, arg],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if out.returncode != 0:
        raise SystemExit(f"{name} {arg} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--skip-freshness", action="store_true")
    args = parser.parse_args()
    if args.child:
        name, arg = args.child
        result = {"reference": child_reference, "export": child_export}.get(name)
        print(json.dumps(result(arg) if result else child_freshness()))
        return 0
    from run import no_scale_database, write_results

    if no_scale_database():
        return 2
    media = tempfile.mkdtemp(prefix="bench-media-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renovation.settings.local",
        "MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None) if args.skip_freshness else None
    results = {}
    for key, (name, arg) in {
        "xlsxwriter": ("reference", "xlsxwriter"),
        "openpyxl": ("reference", "openpyxl"),
        "export_xlsx": ("export", "xlsx"),
        "export_csv": ("export", "csv"),
    }.items():
        results[key] = run_child(name, arg, {**env, "CELERY_BROKER_URL": ""})
        print(f"{key}: {results[key]['seconds']:.1f} s", file=sys.stderr)
    if not args.skip_freshness:
        if not os.environ.get("REDIS_URL"):
            print("freshness needs REDIS_URL (the broker the worker shares)", file=sys.stderr)
        else:
            worker = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "renovation",
                    "worker",
                    "--pool=solo",
                    "-n",
                    "bench-jobs@%h",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                time.sleep(8)  # the worker connects to the broker
                results["freshness"] = run_child("freshness", "-", env)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
    ref, xlsx, csv_ = results["xlsxwriter"], results["export_xlsx"], results["export_csv"]
    ratio = xlsx["seconds"] / ref["seconds"]
    lines = [
        f"Machine: {os.cpu_count()} cores (shared) · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · "
        f"{xlsx['rows']:,} findings × {ref['columns']} columns",
        "",
        "| row | seconds | rows | file MB | peak RSS MB | measure | budget |",
        "|---|---:|---:|---:|---:|---|---|",
        f"| xlsx reference: XlsxWriter constant memory, same cells | {ref['seconds']:.1f} | {ref['rows']:,} | "
        f"{ref['bytes'] / 1e6:.1f} | — | yardstick | — |",
        f"| openpyxl write-only, same cells | {results['openpyxl']['seconds']:.1f} | {results['openpyxl']['rows']:,} | "
        f"{results['openpyxl']['bytes'] / 1e6:.1f} | — | {results['openpyxl']['seconds'] / ref['seconds']:.2f}× reference | — |",
        f"| export job .xlsx (read, rows, file, storage, inbox) | {xlsx['seconds']:.1f} | {xlsx['rows']:,} | "
        f"{xlsx['bytes'] / 1e6:.1f} | {xlsx['peak_rss_mb']:.0f} | {ratio:.2f}× reference | "
        f"{'ok' if ratio <= 1.3 else 'MISS'} (≤ 1.3×) |",
        f"| export job .csv | {csv_['seconds']:.1f} | {csv_['rows']:,} | {csv_['bytes'] / 1e6:.1f} | "
        f"{csv_['peak_rss_mb']:.0f} | — | {'ok' if csv_['seconds'] <= 10 else 'MISS'} (≤ 10 s) |",
    ]
    if "freshness" in results:
        fresh = results["freshness"]
        shown = fresh["after"] == fresh["expected"]
        lines.append(
            f"| progress report → progress/ (worker running) | {fresh['seconds']:.1f} | — | — | — | "
            f"{'shown' if shown else 'NOT shown'} | {'ok' if shown and fresh['seconds'] <= 60 else 'MISS'} (≤ 60 s) |"
        )
    lines += [
        "",
        f"RSS of the .xlsx job by rows written (MB): {xlsx['rss_by_rows']} (before: {xlsx['rss_before_mb']})",
        f"RSS of the .csv job by rows written (MB): {csv_['rss_by_rows']} (before: {csv_['rss_before_mb']})",
    ]
    write_results("jobs", "\n".join(lines), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
