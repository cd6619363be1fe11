"""Field work without signal (issue 19): the service worker, the web app manifest and the offline snapshot.

Any page form marked `data-offline` is captured by static/js/outbox.js: on submit it goes into the
phone's outbox (IndexedDB) with a fresh Idempotency-Key and is sent now or when the connection returns;
core.idempotency makes every resend of it one filing. Apps opt in from their AppConfig.ready():

    from core.offline import register_offline_page, register_snapshot_section
    register_offline_page(url_name="inspections:inspection_create", allowed=can_file_somewhere)
    register_snapshot_section("teams", teams_for)   # teams_for(user) -> a JSON-able list

Pages registered here are cached on the phone for every user `allowed(user)` lets through, so they
open offline even if never visited; any other page the user opens is cached as it is seen. The
snapshot (/offline/snapshot/) is what a form needs to be filled in without a server: the user's
townships, tracks, teams and people, versioned by its content so that a phone refreshes only on change.
"""

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SNAPSHOT_SCHEMA = 1
# What the service worker keeps for offline use (apps add theirs); their content is part of its version.
OFFLINE_STATIC = [
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "img/icons/icon-512.png",
]

_sections: dict[str, Callable] = {}
_pages: list[tuple[str, Callable | None]] = []


def register_snapshot_section(name: str, provider: Callable) -> None:
    """`provider(user)` answers the section's rows for that user, already limited to the user's scope."""
    _sections[name] = provider


def register_offline_page(*, url_name: str, allowed: Callable | None = None, static_files=()) -> None:
    """Cache the page at `url_name` on the phone of every user for whom `allowed(user)` holds.

    `static_files` are the page's own scripts and styles (paths as for `{% static %}`).
    """
    if url_name not in [name for name, _allowed in _pages]:
        _pages.append((url_name, allowed))
    OFFLINE_STATIC.extend(name for name in static_files if name not in OFFLINE_STATIC)


def offline_pages(user) -> list[str]:
    return [reverse(name) for name, allowed in _pages if allowed is None or allowed(user)]


def snapshot(user) -> dict:
    data = {name: provider(user) for name, provider in sorted(_sections.items())}
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    version = hashlib.sha256(f"{SNAPSHOT_SCHEMA}:{user.pk}:{body}".encode()).hexdigest()[:16]
    return {"schema": SNAPSHOT_SCHEMA, "version": version, "user": user.pk, **data}


@require_GET
@login_required
def snapshot_view(request):
    """The user's snapshot; `If-None-Match` with the current version answers 304.

    `pages` (what to cache) and `csrf_token` (for sends from the service worker, which has no page to
    read it from) are not part of the version.
    """
    data = snapshot(request.user)
    etag = f'"{data["version"]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        data["pages"] = offline_pages(request.user)
        data["csrf_token"] = get_token(request)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@functools.cache
def worker_version() -> str:
    """Changes whenever the worker or anything it caches changes, so phones drop their old copies."""
    digest = hashlib.sha256()
    template = Path(__file__).resolve().parent / "templates" / "core" / "sw.js"
    digest.update(template.read_bytes())
    for name in OFFLINE_STATIC:
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """/sw.js from the site root, so the worker's scope is the whole app (a /static/ URL would limit it).

    In the language the user chose on the pages: a browser fetches its worker without the page's language.
    """
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
    with translation.override(language):
        return _service_worker(request)


def _service_worker(request):
    body = render_to_string(
        "core/sw.js",
        {
            "version": worker_version(),
            "static_urls": [static(name) for name in OFFLINE_STATIC],
            "outbox_url": static("js/outbox.js"),
            "snapshot_url": reverse("offline_snapshot"),
            # The page a navigation gets offline when the phone kept no copy of it.
            "texts": {
                "title": _("Offline"),
                "heading": _("No connection"),
                "body": _(
                    "This page was not saved on this phone. Pages you opened before, and the forms for "
                    "field work, open without a connection."
                ),
                "back": _("Back to the start page"),
            },
            "login_url": reverse(settings.LOGIN_URL) if "/" not in settings.LOGIN_URL else settings.LOGIN_URL,
        },
        request=request,
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at most daily anyway; no-cache makes them check on each visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Lishui small-town environment renovation"),
        "short_name": _("Town renovation"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "lang": "zh-CN",
        "icons": [
            {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
