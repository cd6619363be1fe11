from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.cache import fragment_key
from standings.dashboards import overview
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
    "map",
)


@login_required
def home(request):
    """The city overview dashboard; every number comes from the standings summary rows.

    The page body is a cached fragment keyed by the user's scope, the language and the data versions of
    what it shows (core.cache); the numbers are computed (lazily) only when that fragment is missing.
    """
    computed: dict = {}

    def part(name):
        if not computed:
            standings_ensure()  # a new install: compute the summary rows before the first read
            computed.update(overview(request.user))
        return computed[name]

    context = {name: SimpleLazyObject(lambda name=name: part(name)) for name in OVERVIEW_KEYS}
    key, seconds = fragment_key(
        "overview",
        apps=("standings", "inspections", "townships"),
        vary=(scope_key(request.user), get_language()),
    )
    context.update(overview_key=key, overview_seconds=seconds)
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
