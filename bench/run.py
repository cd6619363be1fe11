#!/usr/bin/env python
"""Benchmark harness: gunicorn (2 sync workers) on loopback, wrk with 4 connections per endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_bench .venv/bin/python bench/run.py [--duration 10]

Prints a table: endpoint, requests/s, ratio to the floor endpoint, p50, p95, p99 (ms), queries per request.
The database must already hold data (`manage.py generate_scale_data ...`). Results also go to
bench/results/latest.md and latest.json. Traffic goes to 127.0.0.1 only and every run is bounded by --duration.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (name, kind, path template, budget class). {county}, {finding}, {project} are filled from the database.
ENDPOINTS = [
    ("floor", "api", "/api/v1/floor/", "floor"),
    (
        "townships list (API, county + category)",
        "api",
        "/api/v1/townships/?county={county}&category={category}",
        "simple list",
    ),
    ("townships list (API, in programme)", "api", "/api/v1/townships/?in_programme=true", "simple list"),
    ("projects list (API, county)", "api", "/api/v1/projects/?county={county}", "simple list"),
    # the same list answered without its cache (the client sends Cache-Control: no-cache): what a miss costs
    ("projects list, uncached (reference)", "api", "/api/v1/projects/?county={county}", "reference"),
    (
        "findings by county + overdue (API)",
        "api",
        "/api/v1/findings/?county={county}&overdue=true",
        "joined list",
    ),
    (
        "findings by county + status (API)",
        "api",
        "/api/v1/findings/?county={county}&status=open",
        "joined list",
    ),
    ("progress by county (API)", "api", "/api/v1/progress/?group_by=county", "roll-up"),
    ("progress by township (API)", "api", "/api/v1/progress/?group_by=township", "roll-up"),
    ("rankings (API, published period)", "api", "/api/v1/rankings/?period={period}", "roll-up"),
    ("city dashboard (page)", "page", "/", "roll-up"),
    ("finding detail (page)", "page", "/inspections/findings/{finding}/", "detail"),
]


# Request headers an endpoint sends besides its credentials.
EXTRA_HEADERS = {"projects list, uncached (reference)": {"Cache-Control": "no-cache"}}

# Issue 8's budgets per class: (minimum ratio to the floor's requests/s, maximum p95 in ms).
BUDGETS = {"simple list": (0.40, 35), "joined list": (0.25, 60), "roll-up": (0.50, 25)}


def verdict(budget: str, ratio: float | None, p95_ms: float) -> str:
    if budget not in BUDGETS or ratio is None:
        return "—"
    min_ratio, max_p95 = BUDGETS[budget]
    return "ok" if ratio >= min_ratio and p95_ms <= max_p95 else f"MISS (≥{min_ratio:.2f}×, ≤{max_p95} ms)"


def no_scale_database() -> bool:
    """True, after saying so, unless DATABASE_URL names a PostgreSQL database (the one with the scale data)."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return False
    print("Set DATABASE_URL to the PostgreSQL database holding the scale data.", file=sys.stderr)
    return True


def write_results(stem: str, table: str, data) -> None:
    """Print the table and keep it, with the data behind it, as bench/results/<stem>.md and .json."""
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{stem}.md").write_text(table + "\n", encoding="utf-8")
    (out / f"{stem}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.production")
    import django

    django.setup()


def in_process_environ(**extra: str) -> None:
    """The settings an in-process harness (bench/forks.py, bench/answers.py) runs the app with."""
    for name, value in {
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_USER": "100000000/minute",
        "API_THROTTLE_ANON": "100000000/minute",
        **extra,
    }.items():
        os.environ.setdefault(name, value)


def bench_identity():
    """A province-level read-only user (sees everything: the worst case) with a token and a session."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from townships.choices import Role
    from townships.models import Membership

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"first_name": "基准测试"})
    Membership.objects.get_or_create(user=user, role=Role.PROVINCE)
    token, _ = Token.objects.get_or_create(user=user)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[-1]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return user, token.key, session.session_key


def placeholders() -> dict:
    from django.apps import apps

    from townships.models import County

    # Lishui's 莲都区 when present (the real data), else the first county.
    county = (
        County.objects.filter(code="331102").values_list("code", flat=True).first()
        or County.objects.order_by("code").values_list("code", flat=True).first()
        or "000000"
    )
    values = {"county": county, "category": "general_town", "finding": 0, "project": 0, "period": ""}
    if apps.is_installed("inspections"):
        finding = apps.get_model("inspections", "Finding")
        # an overdue finding of that county: the detail page then shows a full timeline
        values["finding"] = (
            finding.objects.filter(township__county__code=county)
            .exclude(status="closed")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )
    if apps.is_installed("standings"):
        ranking = apps.get_model("standings", "Ranking")
        values["period"] = (
            ranking.objects.filter(status="published")
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
            or ""
        )
    return values


def rows_in(response) -> int:
    """Rows in an answer: `count` of a paginated API answer, list length, or table rows of a page."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        if isinstance(data, list):
            return len(data)
        if "results" in data:
            return data.get("count", len(data["results"]))
        return 1
    return response.content.count(b"<tr") or (1 if response.content else 0)


def count_queries(user, path: str, kind: str, token: str, extra: dict) -> tuple[int, int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", **{"wsgi.url_scheme": "https"})
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in extra.items()}
    if kind == "api":
        headers["HTTP_AUTHORIZATION"] = f"Token {token}"
    else:
        client.force_login(user)
    client.get(path, secure=True, **headers)  # warm caches the same way the server's would be
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True, **headers)
    rows = rows_in(response) if response.status_code == 200 else 0
    return len(ctx.captured_queries), response.status_code, rows


def run_wrk(url: str, headers: list[str], duration: int, connections: int) -> dict:
    cmd = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    for header in headers:
        cmd += ["-H", header]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True).stdout  # noqa: S603
    line = [ln for ln in out.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="comma-separated substrings of endpoint names to run")
    parser.add_argument(
        "--no-steady-floor",
        dest="steady_floor",
        action="store_false",
        help="compare every endpoint with the single floor run instead of the floor measured around it",
    )
    parser.add_argument(
        "--stock",
        default="",
        help="comma-separated forks to serve as stock code (filterset, paginator, lean: bench/forks.py)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    if no_scale_database():
        return 2

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renovation.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "API_THROTTLE_USER": "100000000/minute",
        "API_THROTTLE_ANON": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "BENCH_STOCK": args.stock,
    }
    os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL"})
    setup_django()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # noqa: S603
    user, token, session_key = bench_identity()
    values = placeholders()

    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.stock_wsgi" if args.stock else "renovation.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        floor_headers = ["X-Forwarded-Proto: https", f"Authorization: Token {token}"]
        floor_seconds = max(3, args.duration // 2)
        # On a shared box the load drifts during a run: each endpoint is compared with the mean of floor
        # runs taken right before and right after it (--no-steady-floor: the floor row alone).
        last_floor = run_wrk(base + "/api/v1/floor/", floor_headers, floor_seconds, args.connections)["rps"]
        for name, kind, template, budget in ENDPOINTS:
            if args.only and not any(part in name for part in args.only.split(",")):
                continue
            path = template.format(**values)
            extra = EXTRA_HEADERS.get(name, {})
            queries, status, found = count_queries(user, path, kind, token, extra)
            if status != 200 or not found:
                rows.append({"name": name, "path": path, "budget": budget, "status": status})
                print(f"skip {name}: {path} answers {status} with {found} rows", file=sys.stderr)
                continue
            headers = ["X-Forwarded-Proto: https"]
            headers.append(
                f"Authorization: Token {token}" if kind == "api" else f"Cookie: sessionid={session_key}"
            )
            headers += [f"{header}: {value}" for header, value in extra.items()]
            run_wrk(base + path, headers, args.warmup, args.connections)
            result = run_wrk(base + path, headers, args.duration, args.connections)
            if args.steady_floor and name != "floor":
                after = run_wrk(base + "/api/v1/floor/", floor_headers, floor_seconds, args.connections)[
                    "rps"
                ]
                result["floor_rps"] = (last_floor + after) / 2
                last_floor = after
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "budget": budget,
                    "status": status,
                    "queries": queries,
                    "rows": found,
                    **result,
                }
            )
            print(f"{name}: {result['rps']:.0f} req/s p95 {result['p95'] / 1000:.1f} ms", file=sys.stderr)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    floor = next((r["rps"] for r in rows if r["name"] == "floor" and "rps" in r), None)
    lines = [
        f"Machine: {os.cpu_count()} cores · gunicorn {args.workers} sync workers · wrk {args.connections} connections · "
        f"{args.duration} s per endpoint · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        + (f" · served with stock code for: {args.stock}" if args.stock else ""),
        "",
        "× floor: requests/s over the mean of floor runs taken just before and just after the endpoint"
        if args.steady_floor
        else "× floor: requests/s over the floor row's requests/s",
        "",
        "| endpoint | class | req/s | floor req/s | × floor | p50 ms | p95 ms | p99 ms | queries/req | rows | errors | budget |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if "rps" not in r:
            lines.append(
                f"| {r['name']} | {r['budget']} | — | — | — | — | — | — | — | 0 | HTTP {r['status']} | — |"
            )
            continue
        reference = r.get("floor_rps") or floor
        ratio = r["rps"] / reference if reference else None
        shown = f"{ratio:.2f}" if ratio is not None else "—"
        lines.append(
            f"| {r['name']} | {r['budget']} | {r['rps']:.0f} | {reference:.0f} | {shown} | {r['p50'] / 1000:.1f} | "
            f"{r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} | {r['queries']} | {r['rows']} | {r['errors']} | "
            f"{verdict(r['budget'], ratio, r['p95'] / 1000)} |"
        )
    write_results("latest", "\n".join(lines), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
