"""Writes for projects. Views, the API and tasks call these; nothing else saves these models."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.guards import required_text
from core.numbers import finite_decimal

from .choices import (
    FAST_TRACK_MODES,
    HOUSEHOLD_STAGE_DATE_FIELD,
    HOUSEHOLD_STAGE_ORDER,
    PROJECT_STATUS_DATE_FIELD,
    PROJECT_STATUS_ORDER,
    HouseholdStage,
    ProjectStatus,
)
from .models import AgentOwner, Expenditure, Funding, Household, Milestone, Project, ProjectProgress
from .permissions import ensure_can_edit, ensure_can_edit_agents
from .querysets import live_money_totals


class WorkflowError(ValidationError):
    """A state change the rules do not allow; the message says why."""


# Fields a project edit may touch; status, progress and approval records have their own services.
PROJECT_EDITABLE_FIELDS = (
    "township",
    "track",
    "name",
    "code",
    "description",
    "budget",
    "scattered_hard_to_price",
    "procurement_mode",
    "approval_deadline",
    "agent_owner",
    "contractor",
    "manager",
    "planned_start",
    "planned_end",
    "demolition_target_area",
)
HOUSEHOLD_EDITABLE_FIELDS = (
    "owner_name",
    "address",
    "area",
    "incentive_bank",
    "loan_rate_before",
    "loan_rate_after",
    "note",
)


def _missing_step_message(missing: str) -> str:
    messages = {
        ProjectStatus.APPROVED: _("Cannot skip a step: the project must be approved first."),
        ProjectStatus.BUILDING: _("Cannot skip a step: construction must start first."),
        ProjectStatus.COMPLETED: _("Cannot skip a step: the project must be completed first."),
        HouseholdStage.SIGNED: _("Cannot skip a step: the household must be signed first."),
        HouseholdStage.DEMOLISHED: _("Cannot skip a step: the household must be demolished first."),
    }
    return messages[missing]


def _check_step(order: list[str], current: str, wanted: str) -> None:
    """Only the next step is allowed; the error names the step that is missing."""
    if wanted not in order:
        raise WorkflowError(_("Unknown step."))
    here, there = order.index(current), order.index(wanted)
    if there <= here:
        raise WorkflowError(_("This step has already been reached."))
    if there > here + 1:
        raise WorkflowError(_missing_step_message(order[here + 1]))


def _full_clean(instance, exclude=None) -> None:
    # Constraints too (the partial unique project code), so bad input is a message, not an IntegrityError.
    instance.full_clean(exclude=exclude)


def _refuse_unknown(fields: dict, editable) -> None:
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _set_fields(instance, fields: dict, editable) -> None:
    """Set the given fields, refusing (at the first) one that this form of edit may not change."""
    for name, value in fields.items():
        if name not in editable:
            raise ValidationError(_("These fields cannot be set here: %(f)s") % {"f": name})
        setattr(instance, name, value)


def _project_for_edit(project_id: int, by) -> Project:
    """The project's row, locked, once the user may edit it."""
    project = Project.objects.select_for_update().select_related("township__county").get(pk=project_id)
    ensure_can_edit(by, project.township)
    return project


def _household_for_edit(household_id: int, by) -> Household:
    household = (
        Household.objects.select_for_update().select_related("project__township__county").get(pk=household_id)
    )
    ensure_can_edit(by, household.project.township)
    return household


def _locked_project(project_id: int, by) -> Project:
    project = _project_for_edit(project_id, by)
    if project.archived:
        raise WorkflowError(_("This project is archived."))
    return project


@transaction.atomic
def project_create(*, by, fields: dict) -> Project:
    """Register a project; the fast-track rule and the other invariants are checked by the model."""
    _refuse_unknown(fields, PROJECT_EDITABLE_FIELDS)
    project = Project(**fields)
    if project.township_id:
        ensure_can_edit(by, project.township)
    _full_clean(project)
    project.save()
    return project


@transaction.atomic
def project_update(*, project_id: int, by, fields: dict) -> Project:
    """Change a project's registry fields; history keeps the previous values."""
    project = _project_for_edit(project_id, by)
    _set_fields(project, fields, PROJECT_EDITABLE_FIELDS)
    if "township" in fields:
        ensure_can_edit(by, project.township)
    _full_clean(project)
    project.save()
    return project


@transaction.atomic
def project_advance(*, project_id: int, by, to_status: str, on: datetime.date | None = None) -> Project:
    """Move a project one step along planned → approved → building → completed → accepted."""
    project = _project_for_edit(project_id, by)
    _check_step(PROJECT_STATUS_ORDER, project.status, to_status)
    if to_status == ProjectStatus.APPROVED and project.is_fast_track and not project.fast_track_approved_on:
        raise WorkflowError(
            _("Record the fast-track approval (reviewer and date) before approving the project.")
        )
    on = on or localdate()
    previous_dates = [
        getattr(project, f)
        for s, f in PROJECT_STATUS_DATE_FIELD.items()
        if PROJECT_STATUS_ORDER.index(s) < PROJECT_STATUS_ORDER.index(to_status)
    ]
    if any(d and on < d for d in previous_dates):
        raise WorkflowError(_("A step cannot be dated before the step it follows."))
    date_field = PROJECT_STATUS_DATE_FIELD[ProjectStatus(to_status)]
    project.status = to_status
    setattr(project, date_field, on)
    project.save(update_fields=["status", date_field])
    return project


@transaction.atomic
def project_report_progress(
    *, project_id: int, by, percent: int, reported_on: datetime.date | None = None, note: str = ""
) -> ProjectProgress:
    """Record a physical-progress report; the project shows the latest one."""
    project = _project_for_edit(project_id, by)
    report = ProjectProgress(
        project=project, percent=percent, reported_on=reported_on or localdate(), note=note, reported_by=by
    )
    _full_clean(report, exclude=["project", "reported_by"])
    report.save()
    latest = (
        project.progress_reports.order_by("-reported_on", "-pk").values_list("percent", flat=True).first()
    )
    if latest != project.progress_percent:
        project.progress_percent = latest
        project.save(update_fields=["progress_percent"])
    return report


@transaction.atomic
def project_record_fast_track_approval(
    *, project_id: int, by, reviewer: str, approved_on: datetime.date, notes: str = ""
) -> Project:
    """Record who approved the fast-track review, when, and what they noted."""
    project = _project_for_edit(project_id, by)
    if project.procurement_mode not in FAST_TRACK_MODES:
        raise WorkflowError(_("Only a fast-track project has a fast-track approval."))
    reviewer = required_text(reviewer, field="reviewer", message=_("Name the reviewer."))
    project.fast_track_reviewer, project.fast_track_approved_on = reviewer, approved_on
    project.fast_track_notes = notes
    project.save(update_fields=["fast_track_reviewer", "fast_track_approved_on", "fast_track_notes"])
    return project


@transaction.atomic
def project_complete_approvals(*, project_id: int, by, completed_on: datetime.date | None = None) -> Project:
    """Mark a build-first project's approvals as completed, which ends its approval deadline."""
    project = _project_for_edit(project_id, by)
    if not project.approval_deadline:
        raise WorkflowError(_("This project has no approval deadline."))
    if project.approvals_completed_on:
        raise WorkflowError(_("The approvals are already completed."))
    project.approvals_completed_on = completed_on or localdate()
    project.save(update_fields=["approvals_completed_on"])
    return project


@transaction.atomic
def project_archive(*, project_id: int, by) -> Project:
    """Hide a project from lists and scans; it and its records stay as evidence."""
    project = _project_for_edit(project_id, by)
    if project.archived:
        raise WorkflowError(_("This project is already archived."))
    project.archived = True
    project._history_user = by  # the history row says who, also outside a request
    project.save(update_fields=["archived"])
    return project


@transaction.atomic
def project_restore(*, project_id: int, by) -> Project:
    """Bring an archived project back into lists and scans, as it was (same roles as archiving)."""
    project = _project_for_edit(project_id, by)
    if not project.archived:
        raise WorkflowError(_("This project is not archived, so there is nothing to restore."))
    project.archived = False
    project._history_user = by
    project.save(update_fields=["archived"])
    return project


@transaction.atomic
def milestone_create(*, project_id: int, by, name: str, due_date: datetime.date, note: str = "") -> Milestone:
    """Add a milestone with its due date."""
    project = _locked_project(project_id, by)
    milestone = Milestone(project=project, name=name, due_date=due_date, note=note)
    _full_clean(milestone, exclude=["project"])
    milestone.save()
    return milestone


@transaction.atomic
def milestone_mark_done(*, milestone_id: int, by, done_on: datetime.date | None = None) -> Milestone:
    """Record that a milestone was reached."""
    milestone = (
        Milestone.objects.select_for_update().select_related("project__township__county").get(pk=milestone_id)
    )
    ensure_can_edit(by, milestone.project.township)
    if milestone.done_on:
        raise WorkflowError(_("This milestone is already done."))
    milestone.done_on = done_on or localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


# Callers hold the projects' rows locked (select_for_update) or have no concurrent writer (bulk
# generation): an UPDATE that waited for another writer's row lock keeps its older snapshot and
# would miss that writer's rows. savepoint=False: one UPDATE needs no SAVEPOINT round trips.
@transaction.atomic(savepoint=False)
def project_money_refresh(*, project_ids: Iterable[int]) -> int:
    """Store the funding and spent totals of these projects from their rows, in one UPDATE."""
    # .update(), not save(): a derived total is no registry change, so it writes no history row.
    return Project.objects.filter(pk__in=list(project_ids)).update(**live_money_totals())


@transaction.atomic
def funding_add(
    *, project_id: int, by, source_level: str, amount: Decimal, received_on=None, note: str = ""
) -> Funding:
    """Record funds allocated to a project from one source level."""
    project = _locked_project(project_id, by)
    funding = Funding(
        project=project, source_level=source_level, amount=amount, received_on=received_on, note=note
    )
    _full_clean(funding, exclude=["project"])
    funding.save()
    project_money_refresh(project_ids=[project.pk])  # the row is locked by _locked_project: no lost update
    return funding


@transaction.atomic
def expenditure_add(
    *, project_id: int, by, spent_on: datetime.date, amount: Decimal, description: str
) -> Expenditure:
    """Record money spent on a project."""
    project = _locked_project(project_id, by)
    expenditure = Expenditure(
        project=project, spent_on=spent_on, amount=amount, description=description, recorded_by=by
    )
    _full_clean(expenditure, exclude=["project", "recorded_by"])
    expenditure.save()
    project_money_refresh(project_ids=[project.pk])
    return expenditure


@transaction.atomic
def household_create(*, project_id: int, by, fields: dict) -> Household:
    """Add an unsigned household to a project; its stage then moves only through household_advance."""
    project = _locked_project(project_id, by)
    _refuse_unknown(fields, HOUSEHOLD_EDITABLE_FIELDS)
    household = Household(project=project, **fields)
    _full_clean(household, exclude=["project"])
    household.save()
    return household


@transaction.atomic
def household_update(*, household_id: int, by, fields: dict) -> Household:
    """Correct a household's details (not its stage)."""
    household = _household_for_edit(household_id, by)
    _set_fields(household, fields, HOUSEHOLD_EDITABLE_FIELDS)
    _full_clean(household, exclude=["project"])
    household.save()
    return household


@transaction.atomic
def household_advance(*, household_id: int, by, to_stage: str, on: datetime.date | None = None) -> Household:
    """Sign one, demolish one, renovate one: move a household one step, never skipping."""
    household = _household_for_edit(household_id, by)
    _check_step(HOUSEHOLD_STAGE_ORDER, household.stage, to_stage)
    on = on or localdate()
    previous = [getattr(household, f) for f in HOUSEHOLD_STAGE_DATE_FIELD.values() if getattr(household, f)]
    if previous and on < max(previous):
        raise WorkflowError(_("A step cannot be dated before the step it follows."))
    date_field = HOUSEHOLD_STAGE_DATE_FIELD[HouseholdStage(to_stage)]
    household.stage = to_stage
    setattr(household, date_field, on)
    household.save(update_fields=["stage", date_field])
    return household


@transaction.atomic
def agent_owner_save(*, by, fields: dict, agent_owner_id: int | None = None) -> AgentOwner:
    """Create or change an agent-owner company."""
    ensure_can_edit_agents(by)
    if agent_owner_id:
        agent = AgentOwner.objects.select_for_update().get(pk=agent_owner_id)
        for name, value in fields.items():
            setattr(agent, name, value)
    else:
        agent = AgentOwner(**fields)
    _full_clean(agent)
    agent.save()
    return agent


# --- Household import from .xlsx: every invalid row is reported; nothing is saved unless all are valid ---

IMPORT_COLUMNS = [
    # (field, header as offices write it, accepted alternatives)
    ("owner_name", "户主姓名", ("户主", "owner_name")),
    ("address", "地址", ("address",)),
    ("area", "面积(m²)", ("面积", "面积（m²）", "面积(平方米)", "area")),
    ("stage", "阶段", ("stage",)),
    ("signed_on", "签约日期", ("signed_on",)),
    ("demolished_on", "拆除日期", ("demolished_on",)),
    ("renovated_on", "整治日期", ("renovated_on",)),
    ("incentive_bank", "贷款银行", ("incentive_bank",)),
    ("loan_rate_before", "原月利率(‰)", ("原月利率", "loan_rate_before")),
    ("loan_rate_after", "优惠月利率(‰)", ("优惠月利率", "loan_rate_after")),
    ("note", "备注", ("note",)),
]
REQUIRED_IMPORT_COLUMNS = ("owner_name", "address", "area")
# The sheet is language-independent: Chinese labels and codes both work.
STAGE_WORDS = {
    "": HouseholdStage.UNSIGNED,
    "未签约": HouseholdStage.UNSIGNED,
    "未签": HouseholdStage.UNSIGNED,
    "已签约": HouseholdStage.SIGNED,
    "签约": HouseholdStage.SIGNED,
    "已拆除": HouseholdStage.DEMOLISHED,
    "拆除": HouseholdStage.DEMOLISHED,
    "已整治": HouseholdStage.RENOVATED,
    "整治": HouseholdStage.RENOVATED,
    **{s.value: s for s in HouseholdStage},
}
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)  # {"line": n, **raw text values}
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def households_read_xlsx(file) -> ImportPreview:
    """Read a sheet into raw rows (with their Excel line numbers) and check every one."""
    from openpyxl import load_workbook

    preview = ImportPreview()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        preview.errors.append((0, _("The file is not an Excel .xlsx workbook.")))
        return preview
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    positions = {}
    for name, title, alternatives in IMPORT_COLUMNS:
        for index, cell in enumerate(header):
            if cell in (title, *alternatives):
                positions[name] = index
                break
    missing = [
        title
        for name, title, _alt in IMPORT_COLUMNS
        if name in REQUIRED_IMPORT_COLUMNS and name not in positions
    ]
    if missing:
        preview.errors.append((1, _("Missing columns: %(cols)s") % {"cols": "、".join(missing)}))
        workbook.close()
        return preview
    for line, values in enumerate(rows, start=2):
        raw = {name: _text(values[i]) if i < len(values) else "" for name, i in positions.items()}
        if not any(raw.values()):
            continue
        if len(preview.rows) >= MAX_IMPORT_ROWS:
            preview.errors.append(
                (line, _("Too many rows; import at most %(n)s at a time.") % {"n": MAX_IMPORT_ROWS})
            )
            break
        preview.rows.append({"line": line, **raw})
    workbook.close()
    if not preview.rows and not preview.errors:
        preview.errors.append((2, _("The sheet has no household rows.")))
    households_check_rows(preview)
    return preview


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_decimal(text: str) -> Decimal | None:
    if not text:
        return None
    return finite_decimal(text.replace(",", ""))


def _household_from_raw(raw: dict) -> tuple[Household | None, list[str]]:
    problems, values = [], {}
    for name in ("owner_name", "address", "incentive_bank", "note"):
        values[name] = raw.get(name, "")
    titles = {name: title for name, title, _alt in IMPORT_COLUMNS}
    for name in ("area", "loan_rate_before", "loan_rate_after"):
        try:
            values[name] = _parse_decimal(raw.get(name, ""))
        except ValueError:
            problems.append(f"{titles[name]}: " + _("%(value)s is not a number") % {"value": raw.get(name)})
    for name in ("signed_on", "demolished_on", "renovated_on"):
        try:
            values[name] = _parse_date(raw.get(name, ""))
        except ValueError:
            problems.append(
                f"{titles[name]}: " + _("%(value)s is not a date (use 2026-03-01)") % {"value": raw.get(name)}
            )
    stage = STAGE_WORDS.get(raw.get("stage", ""))
    if stage is None:
        problems.append(
            _("unknown stage %(value)s (未签约/已签约/已拆除/已整治)") % {"value": raw.get("stage")}
        )
    values["stage"] = stage or HouseholdStage.UNSIGNED
    if problems:
        return None, problems
    household = Household(**values)
    try:
        household.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in Household._meta.fields}
        for name, messages in exc.message_dict.items():
            prefix = f"{labels[name]}: " if name in labels else ""
            problems.extend(prefix + m for m in messages)
        return None, problems
    return household, []


def households_check_rows(preview: ImportPreview) -> ImportPreview:
    """Validate every raw row; collect one error line per bad row."""
    for raw in preview.rows:
        _household, problems = _household_from_raw(raw)
        if problems:
            preview.errors.append((raw["line"], "；".join(problems)))
    preview.errors.sort(key=lambda item: item[0])
    return preview


@transaction.atomic
def households_import(*, project_id: int, by, rows: list[dict]) -> int:
    """Save imported households, all or none; returns how many were saved."""
    project = _locked_project(project_id, by)
    preview = households_check_rows(ImportPreview(rows=list(rows)))
    if preview.errors or not preview.rows:
        lines = "、".join(str(line) for line, _msg in preview.errors) or "—"
        raise ValidationError(_("Nothing was imported: rows %(lines)s are invalid.") % {"lines": lines})
    households = []
    for raw in preview.rows:
        household, _problems = _household_from_raw(raw)
        household.project = project
        households.append(household)
    bulk_create_with_history(households, Household, batch_size=500, default_user=by)
    return len(households)


def households_import_xlsx(*, project_id: int, by, file) -> tuple[int, ImportPreview]:
    """Read and import a sheet in one go (the API and tests); the preview page splits the two."""
    preview = households_read_xlsx(file)
    if preview.errors:
        return 0, preview
    return households_import(project_id=project_id, by=by, rows=preview.rows), preview
