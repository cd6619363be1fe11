import hashlib

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from inspections.models import YellowCard
from standings.dashboards import overview
from standings.models import Ranking, TownshipStanding
from standings.services import standings_ensure
from townships.scope import scope_key

# The names overview() returns; tests/standings/test_published_cache.py keeps the two in step.
OVERVIEW_KEYS = (
    "totals",
    "counties",
    "tracks",
    "trend",
    "trend_chart",
    "overdue_chart",
    "board",
    "red_flags",
    "cards",
)


def overview_version() -> str:
    """Changes whenever anything the overview shows can change: a refresh, a snapshot, a publication, a card."""
    standing, ranking, card = (m._meta.db_table for m in (TownshipStanding, Ranking, YellowCard))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT (SELECT concat(max(refreshed_at), '/', count(*)) FROM {standing}),
                   (SELECT concat(max(computed_at), '/', max(published_at), '/', count(*)) FROM {ranking}),
                   (SELECT concat(max(issued_at), '/', max(escalated_at), '/', max(lifted_at), '/', count(*))
                    FROM {card})
            """  # noqa: S608
        )
        return "|".join(cursor.fetchone())


@login_required
def home(request):
    """The city overview dashboard; every number comes from the standings summary rows.

    The page body is a cached fragment keyed by the user's scope, the language and overview_version();
    the numbers are computed (lazily) only when that fragment is missing.
    """
    computed: dict = {}

    def part(name):
        if not computed:
            computed.update(overview(request.user))
        return computed[name]

    context = {name: SimpleLazyObject(lambda name=name: part(name)) for name in OVERVIEW_KEYS}
    version = overview_version()
    if version.startswith("/0|") and standings_ensure():
        version = overview_version()
    raw = f"{version}|{scope_key(request.user)}|{get_language()}"
    context["overview_key"] = hashlib.sha256(raw.encode()).hexdigest()
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
