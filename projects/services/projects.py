"""Writes for a project: registry, status, progress, approvals, archive and milestones; the step and edit rules the other parts share."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from core.guards import required_text

from ..choices import (
    FAST_TRACK_MODES,
    PROJECT_STATUS_DATE_FIELD,
    PROJECT_STATUS_ORDER,
    HouseholdStage,
    ProjectStatus,
)
from ..models import Milestone, Project, ProjectProgress
from ..permissions import ensure_can_edit


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
