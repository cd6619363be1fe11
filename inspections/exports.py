"""The rectification ledger as an export (core.exports): the list page's rows for its filters.

Rows are read as plain values, not model instances: the province-wide ledger is 300,000 rows and
building an instance (with its township, county, track and assignee) per row costs more than
writing the row (docs/performance.md).
"""

from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from core.exports import Export, register
from core.xlsx import Table

from .choices import FindingSource, FindingStatus, Severity
from .models import Finding
from .selectors import finding_list

DESCRIPTION = 3  # the column index of 问题描述, the wide one


def findings_table() -> Table:
    return Table(
        title=_("Rectification ledger"),
        headers=[
            _("No."),
            _("county"),
            _("township"),
            _("problem description"),
            _("track"),
            _("location"),
            _("severity"),
            _("source"),
            _("deadline"),
            _("person responsible"),
            _("status"),
            _("days overdue"),
            _("times sent back"),
            _("closed at"),
        ],
        wide=(DESCRIPTION,),
        widths={0: 9, 5: 24, 9: 18, 13: 17},
    )


def _findings(user, params):
    try:
        return finding_list(user=user, filters=params or None)
    except ValidationError:  # as the page: invalid filters list nothing
        return Finding.objects.none()


def findings_count(user, params) -> int:
    return _findings(user, params).order_by().count()


def _responsible(first: str, last: str, username: str | None, person: str) -> str:
    # Finding.responsible_label over values: the assignee's full name (as get_full_name) or login.
    if username is None:
        return person
    name = f"{first} {last}".strip() or username
    return f"{name}（{person}）" if person else name


def findings_rows(user, params):
    severity, source, status = (dict(c.choices) for c in (Severity, FindingSource, FindingStatus))
    severity, source, status = ({k: str(v) for k, v in d.items()} for d in (severity, source, status))
    values = (
        _findings(user, params)
        .with_days_overdue(localdate())
        .values_list(
            "pk",
            "township__county__name",
            "township__name",
            "description",
            "track__name",
            "location",
            "severity",
            "source",
            "deadline",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__username",
            "responsible_person",
            "status",
            "overdue_by",
            "reopen_count",
            "closed_at",
        )
    )
    for (
        pk,
        county,
        township,
        description,
        track,
        location,
        sev,
        src,
        deadline,
        first,
        last,
        username,
        person,
        state,
        overdue_by,
        reopened,
        closed_at,
    ) in values.iterator(chunk_size=5000):
        yield (
            pk,
            county,
            township,
            description,
            track or "",
            location,
            severity.get(sev, sev),
            source.get(src, src),
            deadline,
            _responsible(first or "", last or "", username, person),
            status.get(state, state),
            overdue_by.days if overdue_by is not None else 0,
            reopened,
            closed_at,
        )


FINDINGS = Export(name="inspections.findings", table=findings_table, rows=findings_rows, count=findings_count)


def register_exports() -> None:
    register(FINDINGS)
