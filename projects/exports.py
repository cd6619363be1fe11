"""The project ledger as an export (core.exports): the list page's rows for its filters.

Province-wide it is tens of thousands of projects, so beyond the inline limit it runs in the
background like the rectification ledger.
"""

from types import SimpleNamespace

from django.utils.translation import gettext as _

from core.exports import Export, register
from core.xlsx import Table

from .choices import FAST_TRACK_MODES
from .filtersets import ProjectFilterSet
from .selectors import project_list


def projects_table() -> Table:
    return Table(
        title=_("Project ledger"),
        headers=[
            _("project code"),
            _("name"),
            _("county"),
            _("beneficiary township"),
            _("track"),
            _("budget (10k yuan)"),
            _("procurement mode"),
            _("fast-track"),
            _("scattered work hard to price"),
            _("agent owner"),
            _("status"),
            _("progress %"),
            _("funding (10k yuan)"),
            _("spent (10k yuan)"),
            _("over budget"),
            _("approval deadline"),
        ],
        widths={1: 30},
    )


def _projects(user, params):
    # The filter set reads the user from a request (its township choices): a worker has only the user.
    queryset = project_list(user=user)
    return ProjectFilterSet(params, queryset=queryset, request=SimpleNamespace(user=user)).valid_qs


def projects_count(user, params) -> int:
    return _projects(user, params).order_by().count()


def projects_rows(user, params):
    yes, no = _("yes"), _("no")
    for p in _projects(user, params).iterator(chunk_size=2000):
        yield (
            p.code,
            p.name,
            p.township.county.name,
            p.township.name,
            p.track.name,
            p.budget / 10000,
            p.get_procurement_mode_display(),
            yes if p.procurement_mode in FAST_TRACK_MODES else no,
            yes if p.scattered_hard_to_price else no,
            p.agent_owner.company if p.agent_owner else "",
            p.get_status_display(),
            p.progress_percent,
            p.funding_total / 10000,
            p.spent_total / 10000,
            yes if p.over_budget else no,
            p.approval_deadline,
        )


PROJECTS = Export(name="projects.projects", table=projects_table, rows=projects_rows, count=projects_count)


def register_exports() -> None:
    register(PROJECTS)
