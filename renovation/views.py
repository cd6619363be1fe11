from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from standings.dashboards import overview


@login_required
def home(request):
    """The city overview dashboard; every number comes from the standings summary rows."""
    return render(request, "home.html", overview(request.user))


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
