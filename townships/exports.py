"""The progress reports as an export (core.exports): the list page's rows for its filters.

Every township reports every track month after month: province-wide that is tens of thousands of
rows, so beyond the inline limit it runs in the background.
"""

from types import SimpleNamespace

from django.utils.translation import gettext as _

from core.exports import Export, register
from core.xlsx import Table

from .filtersets import ProgressReportFilterSet
from .models import ProgressReport
from .scope import scoped


def progress_reports_table() -> Table:
    return Table(
        title=_("Progress report ledger"),
        headers=[
            _("county"),
            _("township code"),
            _("township"),
            _("track"),
            _("target quantity"),
            _("unit"),
            _("report date"),
            _("cumulative quantity"),
            _("note"),
            _("reported by"),
        ],
        wide=(8,),
    )


def progress_reports(user):
    """The list page's reports: in scope, newest first."""
    return (
        scoped(ProgressReport.objects.all(), user, "target__township")
        .select_related("target__township__county", "target__track", "reported_by")
        .order_by("-reported_on", "-pk")
    )


def _reports(user, params):
    queryset = progress_reports(user)
    return ProgressReportFilterSet(params, queryset=queryset, request=SimpleNamespace(user=user)).valid_qs


def progress_reports_count(user, params) -> int:
    return _reports(user, params).order_by().count()


def progress_reports_rows(user, params):
    for r in _reports(user, params).iterator(chunk_size=2000):
        yield (
            r.target.township.county.name,
            r.target.township.code,
            r.target.township.name,
            r.target.track.name,
            r.target.quantity,
            r.target.unit,
            r.reported_on,
            r.cumulative_quantity,
            r.note,
            r.reported_by.get_full_name() or r.reported_by.username if r.reported_by else "",
        )


PROGRESS_REPORTS = Export(
    name="townships.progress_reports",
    table=progress_reports_table,
    rows=progress_reports_rows,
    count=progress_reports_count,
)


def register_exports() -> None:
    register(PROGRESS_REPORTS)
