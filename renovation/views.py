from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townships.scope import visible_counties, visible_townships


@login_required
def home(request):
    townships = visible_townships(request.user)
    context = {
        "township_count": townships.count(),
        "county_count": visible_counties(request.user).count(),
    }
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
