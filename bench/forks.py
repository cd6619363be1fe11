#!/usr/bin/env python
"""Each place the project departs from stock Django, DRF or django-filter, measured against the stock
behaviour in one run: in-process mean ms per request with the fork and with the stock code patched
back in, alternating rounds, the minimum round of each kept. The ratio to the floor endpoint (the same
middleware, authentication and permission, a constant answer) is the budget's measure (docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_bench .venv/bin/python bench/forks.py [--n 20] [--rounds 5]

Writes bench/results/forks.md.
"""

import argparse
import contextlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BUDGETS = {"simple list": 0.40, "joined list": 0.25, "roll-up": 0.5}


@contextlib.contextmanager
def stock_filterset():
    """django-filter's own __init__ (deep copy of every declared filter) and form class."""
    import django_filters

    from core.filtersets import FilterSet

    fork_init, fork_form = FilterSet.__init__, FilterSet.get_form_class

    def init(self, data=None, queryset=None, *, request=None, prefix=None, only_given=False):
        self.only_given = False
        django_filters.FilterSet.__init__(self, data, queryset, request=request, prefix=prefix)

    FilterSet.__init__, FilterSet.get_form_class = init, django_filters.FilterSet.get_form_class
    try:
        yield
    finally:
        FilterSet.__init__, FilterSet.get_form_class = fork_init, fork_form


@contextlib.contextmanager
def stock_paginator():
    """Django's Paginator: SELECT COUNT(*) before the page query."""
    from django.core.paginator import Paginator

    from core.pagination import WindowCountPaginator

    fork = WindowCountPaginator.page
    WindowCountPaginator.page = Paginator.page
    try:
        yield
    finally:
        WindowCountPaginator.page = fork


@contextlib.contextmanager
def stock_serializer():
    """DRF's ListModelMixin.list: model instances through the serializer instead of .values() rows
    (the findings list too, whose get_queryset() is what its stock list reads)."""
    from rest_framework.mixins import ListModelMixin

    from core.api.lean import LeanListMixin
    from inspections.api.views.findings import FindingViewSet

    forks = LeanListMixin.list, FindingViewSet.list
    LeanListMixin.list = FindingViewSet.list = ListModelMixin.list
    try:
        yield
    finally:
        LeanListMixin.list, FindingViewSet.list = forks


FORKS = [
    ("FilterSet shallow copy (core.filtersets)", stock_filterset),
    ("COUNT(*) OVER () paginator (core.pagination)", stock_paginator),
    (".values() rows for lists (core.api.lean)", stock_serializer),
]
# bench/run.py --stock KEY[,KEY]: the same patches in the gunicorn workers (bench/stock_wsgi.py).
STOCK = {"filterset": stock_filterset, "paginator": stock_paginator, "lean": stock_serializer}
PATHS = [
    (
        "townships list (API, county + category)",
        "/api/v1/townships/?county={county}&category={category}",
        "simple list",
    ),
    ("projects list, uncached (API)", "/api/v1/projects/?county={county}", "simple list"),
    ("findings by county + overdue (API)", "/api/v1/findings/?county={county}&overdue=true", "joined list"),
    ("findings by county + status (API)", "/api/v1/findings/?county={county}&status=open", "joined list"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from run import bench_identity, in_process_environ, placeholders, setup_django

    in_process_environ(STATIC_ROOT=str(ROOT / "var" / "bench_static"))
    setup_django()
    from django.test import Client

    _user, token, _ = bench_identity()
    values = placeholders()
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_CACHE_CONTROL": "no-cache"}

    def mean_ms(path: str) -> float:
        client.get(path, secure=True, **headers)  # warm
        began = time.perf_counter()
        for _ in range(args.n):
            client.get(path, secure=True, **headers)
        return (time.perf_counter() - began) * 1000 / args.n

    def same_answer(path: str, stock) -> bool:
        fork = client.get(path, secure=True, **headers).content
        with stock():
            return fork == client.get(path, secure=True, **headers).content

    lines = [
        "| fork | endpoint | budget | fork ms | stock ms | floor ms | × floor with fork | × floor stock | same bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for fork_name, stock in FORKS:
        for label, template, budget in PATHS:
            path = template.format(**values)
            fork_runs, stock_runs, floor_runs = [], [], []
            for _ in range(args.rounds):
                floor_runs.append(mean_ms("/api/v1/floor/"))
                fork_runs.append(mean_ms(path))
                with stock():
                    stock_runs.append(mean_ms(path))
            floor, fork_ms, stock_ms = min(floor_runs), min(fork_runs), min(stock_runs)
            line = (
                f"| {fork_name} | {label} | ≥ {BUDGETS[budget]:.2f}× | {fork_ms:.1f} | {stock_ms:.1f} | {floor:.1f} "
                f"| {floor / fork_ms:.2f} | {floor / stock_ms:.2f} | {'yes' if same_answer(path, stock) else 'NO'} |"
            )
            print(line, flush=True)
            lines.append(line)
    out = ROOT / "bench" / "results" / "forks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
