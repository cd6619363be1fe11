"""The registry of exports: each app registers its lists here; small ones answer at once, large ones
run in the background.

An export is named (`inspections.findings`) and knows how to count and produce its rows for a user
and a query string, so a worker can rebuild it from the job's row alone. Which app runs background
jobs is not core's business: notifications registers the starter in its AppConfig.ready() (it owns
the job and the inbox), and the app that registers an export never imports it.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import redirect

from .xlsx import Table, requested_format, table_response

Rows = Callable[[object, QueryDict], Iterable[Sequence]]


@dataclass(frozen=True)
class Export:
    name: str
    table: Callable[[], Table]  # built per use: headers are translated in the user's language
    rows: Rows
    count: Callable[[object, QueryDict], int]


_exports: dict[str, Export] = {}
_starter: Callable[..., str] | None = None

# Not part of an export's query: the page number and the format are the request's, not the rows'.
NOT_FILTERS = ("format", "page")


def register(export: Export) -> Export:
    _exports[export.name] = export
    return export


def get_export(name: str) -> Export:
    return _exports[name]


def registered() -> dict[str, Export]:
    return dict(_exports)


def set_background_starter(starter: Callable[..., str]) -> None:
    """starter(user=, name=, params=, fmt=, total=) -> the URL of the job's page."""
    global _starter
    _starter = starter


def export_params(request) -> QueryDict:
    params = request.GET.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    return params


def inline_limit() -> int:
    return settings.EXPORT_INLINE_MAX_ROWS


def export_answer(request, name: str):
    """The download at once when it is small, else a background job and its progress page."""
    export = get_export(name)
    fmt = requested_format(request)
    params = export_params(request)
    total = export.count(request.user, params)
    if _starter is not None and total > inline_limit():
        return redirect(
            _starter(user=request.user, name=name, params=params.urlencode(), fmt=fmt, total=total)
        )
    return table_response(request, export.table(), export.rows(request.user, params), fmt=fmt)
