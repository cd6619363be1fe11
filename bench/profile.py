#!/usr/bin/env python
"""In-process cost of one endpoint: mean ms per request, queries, and optionally a profile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_bench .venv/bin/python bench/profile.py \\
        "/api/v1/townships/?county=331102" [--page] [--n 50] [--profile] [--cprofile] [--sql]

Uses the same province-level `bench` user as run.py. --profile needs pyinstrument (pip install pyinstrument);
--sql prints each query with its time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--page", action="store_true", help="session login instead of a token")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--cprofile", action="store_true", help="the 25 functions with the most own time")
    parser.add_argument("--all", action="store_true", help="show library frames in the profile too")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("API_THROTTLE_USER", "100000000/minute")
    os.environ.setdefault("API_THROTTLE_ANON", "100000000/minute")
    static_root = ROOT / "var" / "bench_static"
    os.environ.setdefault("STATIC_ROOT", str(static_root))
    from run import bench_identity, setup_django

    setup_django()
    if not (static_root / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, token, _ = bench_identity()
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {} if args.page else {"HTTP_AUTHORIZATION": f"Token {token}"}
    if args.page:
        client.force_login(user)
    response = client.get(args.path, secure=True, **headers)
    print(f"HTTP {response.status_code}, {len(response.content)} bytes")
    with CaptureQueriesContext(connection) as ctx:
        client.get(args.path, secure=True, **headers)
    print(f"{len(ctx.captured_queries)} queries")
    if args.sql:
        for q in ctx.captured_queries:
            print(f"  {q['time']} s  {q['sql'][:400]}")
    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.n):
        client.get(args.path, secure=True, **headers)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    # CPU time of this process (Python only, no database) varies less than wall time on a shared box
    print(
        f"{wall * 1000 / args.n:.1f} ms per request, {cpu * 1000 / args.n:.1f} ms of it Python CPU (mean of {args.n})"
    )
    if args.cprofile:
        # this file is named profile.py: let cProfile find the standard library's module of that name
        here = str(Path(__file__).resolve().parent)
        sys.path[:] = [p for p in sys.path if p not in ("", here)]
        sys.modules.pop("profile", None)
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(args.path, secure=True, **headers)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(
            os.environ.get("CPROFILE_FILTER", "work/main/(?!bench)"), 40
        )
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.n):
            client.get(args.path, secure=True, **headers)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
