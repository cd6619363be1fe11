#!/usr/bin/env python
"""Fingerprints of every GET answer, to show a refactoring changed none of them (issue 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_bench .venv/bin/python bench/answers.py > after.json
    (in a worktree of the commit before)                                                          > before.json
    .venv/bin/python bench/answers.py --compare before.json after.json

As the province-level `bench` user of bench/run.py (every township): each GET operation of the
OpenAPI schema (a path with one parameter at the first id its list answers), each with no query,
`?county=`, `?page=2` and `?format=csv`; and the menu's pages. Each answer is its status, size and
SHA-256 of the body, with `as_of` and CSRF tokens blanked (they change per request). Run both
sides against the same database, the same day.
"""

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = [
    "/townships/",
    "/townships/?county={county}",
    "/inspections/findings/",
    "/inspections/findings/?county={county}&overdue=true",
    "/inspections/findings/{finding}/",
    "/projects/",
    "/projects/?county={county}",
    "/standings/warnings/",
    "/standings/rankings/",
    "/standings/rankings/{period}/",
    "/standings/counties/{county}/",
    "/notifications/",
    "/acceptance/",
    "/cleaners/",
    "/intake/",
    "/inspections/guidance/",
    "/inspections/bulletins/",
    "/my-work/",
]
VOLATILE = [
    (rb'"as_of":"[^"]*"', b'"as_of":""'),
    (rb'name="csrfmiddlewaretoken" value="[^"]*"', b""),
]


def fingerprint(response) -> list:
    body = response.content
    for pattern, blank in VOLATILE:
        body = re.sub(pattern, blank, body)
    return [response.status_code, len(body), hashlib.sha256(body).hexdigest()]


def first_id(client, path, headers):
    try:
        body = client.get(path, secure=True, **headers).json()
    except ValueError:
        return None
    rows = body.get("results", body) if isinstance(body, dict) else body
    return (rows[0].get("id") or rows[0].get("code")) if rows and isinstance(rows[0], dict) else None


def collect() -> dict:
    from run import bench_identity, in_process_environ, placeholders, setup_django

    in_process_environ(DJANGO_SETTINGS_MODULE="renovation.settings.local")
    setup_django()
    from django.test import Client

    user, token, _ = bench_identity()
    values = placeholders()
    api = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_CACHE_CONTROL": "no-cache"}
    schema = api.get("/api/schema/?format=json", secure=True, **headers).json()
    answers = {}
    for path, operations in sorted(schema["paths"].items()):
        if "get" not in operations or path.count("{") > 1:
            continue
        if "{" in path:
            ident = first_id(api, path.split("{")[0], headers)
            if ident is None:
                continue
            path = re.sub(r"\{[^}]+\}", str(ident), path)
        for query in ("", f"?county={values['county']}", "?page=2", "?format=csv"):
            answers[path + query] = fingerprint(api.get(path + query, secure=True, **headers))
    pages = Client(HTTP_HOST="127.0.0.1")
    pages.force_login(user)
    for template in PAGES:
        path = template.format(**values)
        answers[path] = fingerprint(pages.get(path, secure=True))
    return answers


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text()) for p in args.compare)
        changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
        for key in changed:
            print(f"changed: {key} {before.get(key)} → {after.get(key)}")
        ok = sum(1 for k in before if before[k][0] == 200)
        print(f"{len(before)} answers ({ok} of them 200), {len(changed)} changed")
        return 1 if changed else 0
    json.dump(collect(), sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
