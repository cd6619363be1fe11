"""Writes for inspections and their findings: filing, fix, verify, send back, archive (photos: photos.py)."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelChoiceField
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require, required_text
from townships.freshness import townships_changed
from townships.models import Township, Track
from townships.scope import roles_for, visible_people

from ..choices import (
    FindingEventKind,
    FindingSource,
    FindingStatus,
    InspectionMode,
    InspectionStatus,
    PhotoStage,
    Severity,
)
from ..errors import WorkflowError
from ..events import findings_assigned_on_commit, record_event
from ..models import (
    Finding,
    FindingEvent,
    FindingPhoto,
    Inspection,
    InspectionRound,
    Team,
)
from ..permissions import (
    ASSIGNEE_ROLES,
    can_file,
    ensure_can_add_photos,
    ensure_can_archive,
    ensure_can_chase,
    ensure_can_restore,
    ensure_can_submit_fix,
    ensure_can_verify,
)
from ..photos import (
    media_guard,
    photos_check_pixels,
    photos_process,
)
from ..querysets import rounds_visible_to, teams_visible_to
from .photos import _save_photos


def locked_finding(finding_id: int, by, ensure, *args) -> Finding:
    """The item's row, locked, once `ensure(by, finding, *args)` lets the user act on it."""
    finding = Finding.objects.select_for_update().select_related("township").get(pk=finding_id)
    ensure(by, finding, *args)
    return finding


# --- inspections and findings ---


# Django's own "not one of the available choices": the one answer for an id of another scope and an
# id that does not exist, on the forms (ModelChoiceField) and, as a second line, in these services.
NOT_A_CHOICE = ModelChoiceField.default_error_messages["invalid_choice"]


def ensure_in_scope(field: str, obj, queryset) -> None:
    """A referenced object (round, team, assignee, repeat_of, finding) must be one `queryset` holds."""
    if obj is not None and not queryset.filter(pk=obj.pk).exists():
        raise ValidationError({field: NOT_A_CHOICE})


def check_assignee(assignee, township: Township, by) -> None:
    ensure_in_scope("assignee", assignee, visible_people(by))
    if assignee is not None and not (roles_for(assignee, township) & set(ASSIGNEE_ROLES)):
        # The filer can already see this person; the message still names the township only.
        raise ValidationError(
            {"assignee": _("The assignee has no role in %(township)s.") % {"township": township}}
        )


def _finding_row(*, township, by, data: dict, inspection: Inspection | None) -> Finding:
    finding = Finding(
        township=township,
        inspection=inspection,
        source=data.get("source") or FindingSource.INSPECTION,
        track=data.get("track"),
        description=(data.get("description") or "").strip(),
        location=data.get("location") or "",
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        severity=data.get("severity") or Severity.MINOR,
        deadline=data.get("deadline"),
        assignee=data.get("assignee"),
        responsible_person=data.get("responsible_person") or "",
        assigning_leader=data.get("assigning_leader") or "",
        promised_date=data.get("promised_date"),
        reply_required=bool(data.get("reply_required")),
        repeat_of=data.get("repeat_of"),
        created_by=by,
    )
    if not finding.description:
        raise ValidationError({"description": _("Describe the problem.")})
    if finding.deadline is None:
        raise ValidationError({"deadline": _("Set a deadline for the fix.")})
    if inspection is not None and finding.deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the inspection date.")})
    check_assignee(finding.assignee, township, by)
    ensure_in_scope("repeat_of", finding.repeat_of, Finding.objects.visible_to(by))
    finding.full_clean(
        exclude=["township", "inspection", "track", "assignee", "created_by", "closed_by", "repeat_of"]
    )
    return finding


@transaction.atomic
def finding_create(
    *,
    by,
    township: Township,
    description: str,
    deadline: datetime.date,
    track: Track | None = None,
    source: str = FindingSource.INSPECTION,
    inspection: Inspection | None = None,
    location: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    severity: str = Severity.MINOR,
    assignee=None,
    responsible_person: str = "",
    assigning_leader: str = "",
    promised_date: datetime.date | None = None,
    reply_required: bool = False,
    photos: Iterable = (),
) -> Finding:
    """Put one item on a township's rectification list, with its before photos."""
    require(can_file(by, township), _("You may not file findings for this township."))
    processed = photos_process(photos)
    data = {
        "track": track,
        "source": source,
        "description": description,
        "deadline": deadline,
        "location": location,
        "latitude": latitude,
        "longitude": longitude,
        "severity": severity,
        "assignee": assignee,
        "responsible_person": responsible_person,
        "assigning_leader": assigning_leader,
        "promised_date": promised_date,
        "reply_required": reply_required,
    }
    with media_guard():
        return _finding_insert(township=township, by=by, data=data, inspection=inspection, photos=processed)


def _finding_insert(*, township, by, data, inspection, photos) -> Finding:
    if data.get("latitude") is None and data.get("longitude") is None:
        # Nothing typed twice: a before photo that knows where it was taken places the item.
        located = next((p for p in photos or () if p.latitude is not None and p.longitude is not None), None)
        if located is not None:
            data = {**data, "latitude": located.latitude, "longitude": located.longitude}
    finding = _finding_row(township=township, by=by, data=data, inspection=inspection)
    finding.save()
    record_event(finding, kind=FindingEventKind.CREATED, actor=by, to_status=FindingStatus.OPEN)
    if photos:
        _save_photos(finding, photos, stage=PhotoStage.BEFORE, by=by)
    return finding


@transaction.atomic
def inspection_create(
    *,
    by,
    township: Township,
    inspected_on: datetime.date,
    mode: str = InspectionMode.OPEN,
    team: Team | None = None,
    round: InspectionRound | None = None,  # noqa: A002 - the domain's word
    score: Decimal | None = None,
    summary: str = "",
    findings: Sequence[dict] = (),
    submit: bool = False,
) -> Inspection:
    """File an inspection with any number of findings (each a dict of finding fields plus `photos`)."""
    require(can_file(by, township), _("You may not file inspections for this township."))
    ensure_in_scope("team", team, teams_visible_to(by))
    ensure_in_scope("round", round, rounds_visible_to(by).filter(city_id=township.county.city_id))
    # Decode every photo of every finding before writing anything, once their sum of pixels fits.
    photos_check_pixels([upload for data in findings for upload in data.get("photos") or ()])
    processed = []
    errors = []
    for index, data in enumerate(findings, start=1):
        try:
            processed.append(photos_process(data.get("photos") or ()))
        except ValidationError as exc:
            errors.extend(
                _("Finding %(n)s: %(error)s") % {"n": index, "error": message} for message in exc.messages
            )
    if errors:
        raise ValidationError(errors)
    inspection = Inspection(
        township=township,
        inspected_on=inspected_on,
        mode=mode,
        team=team,
        round=round,
        score=score,
        summary=summary,
        filed_by=by,
    )
    inspection.full_clean(exclude=["township", "team", "round", "filed_by"])
    with media_guard():
        inspection.save()
        for data, photos in zip(findings, processed, strict=True):
            fields = {k: v for k, v in data.items() if k != "photos"}
            _finding_insert(township=township, by=by, data=fields, inspection=inspection, photos=photos)
        if submit:
            inspection_submit(inspection_id=inspection.pk, by=by)
            inspection.refresh_from_db()
    return inspection


@transaction.atomic
def inspection_submit(*, inspection_id: int, by) -> Inspection:
    """Submit a draft inspection: its findings go onto the township's rectification list."""
    inspection = Inspection.objects.select_for_update().select_related("township").get(pk=inspection_id)
    require(can_file(by, inspection.township), _("You may not submit inspections for this township."))
    if inspection.status != InspectionStatus.DRAFT:
        raise WorkflowError(_("Only a draft inspection can be submitted."))
    if not inspection.findings.exists() and inspection.mode != InspectionMode.ACCEPTANCE:
        raise WorkflowError(_("Add at least one finding before submitting (or record an acceptance score)."))
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.save(update_fields=["status", "submitted_at"])
    findings_assigned_on_commit(inspection.findings.values_list("pk", flat=True))
    townships_changed([inspection.township_id])  # its findings are on the list from now on
    return inspection


@transaction.atomic
def finding_photos_add(
    *, finding_id: int, by, files: Iterable, stage: str = PhotoStage.AFTER
) -> list[FindingPhoto]:
    """Attach photos to a finding (before photos by filers, after photos by the township)."""
    finding = locked_finding(finding_id, by, ensure_can_add_photos, stage)
    if finding.status == FindingStatus.CLOSED or finding.archived:
        raise WorkflowError(_("This item is closed; its evidence can no longer change."))
    processed = photos_process(files)
    if not processed:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    with media_guard():
        held = set(finding.photos.values_list("pk", flat=True))
        saved = _save_photos(finding, processed, stage=stage, by=by)
        added = [photo for photo in saved if photo.pk not in held]
        if added:
            record_event(
                finding,
                kind=FindingEventKind.PHOTO,
                actor=by,
                note=_("%(count)d %(stage)s photo(s)")
                % {"count": len(added), "stage": PhotoStage(stage).label},
            )
    return saved


@transaction.atomic
def finding_report_merge(*, finding_id: int, by, note: str, photos: Iterable = ()) -> Finding:
    """Another report of the same problem joins an open item: a timeline entry and its photos (before)."""
    finding = locked_finding(finding_id, by, ensure_can_add_photos, PhotoStage.BEFORE)
    if finding.status == FindingStatus.CLOSED or finding.archived:
        raise WorkflowError(_("This item is closed; its evidence can no longer change."))
    processed = photos_process(photos)
    with media_guard():
        if processed:
            _save_photos(finding, processed, stage=PhotoStage.BEFORE, by=by)
        record_event(finding, kind=FindingEventKind.MERGED, actor=by, note=(note or "").strip())
    return finding


@transaction.atomic
def finding_submit(*, finding_id: int, by, note: str, photos: Iterable = ()) -> Finding:
    """The township submits its fix: a note and at least one after photo (new since it was sent back)."""
    finding = locked_finding(finding_id, by, ensure_can_submit_fix)
    if finding.archived or finding.status not in (FindingStatus.OPEN, FindingStatus.REJECTED):
        raise WorkflowError(_("Only an open or sent-back item can be submitted as fixed."))
    required_text(note, field="note", message=_("Say what was done to fix it."))
    processed = photos_process(photos)
    has_after = finding.photos.filter(
        stage=PhotoStage.AFTER, uploaded_at__gte=finding.status_changed_at
    ).exists()
    if not processed and not has_after:
        raise ValidationError({"photos": _("Add at least one photo taken after the fix.")})
    with media_guard():
        if processed:
            _save_photos(finding, processed, stage=PhotoStage.AFTER, by=by)
        previous = finding.status
        finding.status = FindingStatus.SUBMITTED
        finding.status_changed_at = timezone.now()
        finding.save(update_fields=["status", "status_changed_at"])
        record_event(
            finding,
            kind=FindingEventKind.SUBMITTED,
            actor=by,
            from_status=previous,
            to_status=FindingStatus.SUBMITTED,
            note=note.strip(),
        )
    return finding


@transaction.atomic
def finding_verify(*, finding_id: int, by, note: str = "") -> Finding:
    """An inspector or official checks the fix and closes the item (销号)."""
    finding = locked_finding(finding_id, by, ensure_can_verify)
    if finding.status != FindingStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted fix can be verified."))
    now = timezone.now()
    finding.status, finding.closed_at, finding.closed_by, finding.status_changed_at = (
        FindingStatus.CLOSED,
        now,
        by,
        now,
    )
    finding.save(update_fields=["status", "closed_at", "closed_by", "status_changed_at"])
    record_event(
        finding,
        kind=FindingEventKind.VERIFIED,
        actor=by,
        from_status=FindingStatus.SUBMITTED,
        to_status=FindingStatus.CLOSED,
        note=(note or "").strip(),
    )
    return finding


@transaction.atomic
def finding_reject(*, finding_id: int, by, reason: str) -> Finding:
    """Send a submitted fix back (退回) with the reason; the township must fix and submit again."""
    finding = locked_finding(finding_id, by, ensure_can_verify)
    if finding.status != FindingStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted fix can be sent back."))
    reason = required_text(reason, field="reason", message=_("Give the reason for sending it back."))
    finding.status = FindingStatus.REJECTED
    finding.reopen_count += 1
    finding.status_changed_at = timezone.now()
    finding.save(update_fields=["status", "reopen_count", "status_changed_at"])
    record_event(
        finding,
        kind=FindingEventKind.REJECTED,
        actor=by,
        from_status=FindingStatus.SUBMITTED,
        to_status=FindingStatus.REJECTED,
        note=reason,
    )
    return finding


@transaction.atomic
def finding_archive(*, finding_id: int, by, reason: str) -> Finding:
    """Take an item filed in error off the list without deleting it."""
    finding = locked_finding(finding_id, by, ensure_can_archive)
    reason = required_text(reason, field="reason", message=_("Give the reason for archiving."))
    if finding.archived:
        raise WorkflowError(_("This item is already archived."))
    finding.archived = True
    finding.save(update_fields=["archived"])
    record_event(finding, kind=FindingEventKind.ARCHIVED, actor=by, note=reason)
    return finding


@transaction.atomic
def finding_restore(*, finding_id: int, by, reason: str) -> Finding:
    """Bring an archived item back onto the list as it was: status, photos and history untouched."""
    finding = locked_finding(finding_id, by, ensure_can_restore)
    if not finding.archived:
        raise WorkflowError(_("This item is not archived, so there is nothing to restore."))
    reason = required_text(reason, field="reason", message=_("Give the reason for restoring."))
    finding.archived = False
    finding.save(update_fields=["archived"])
    record_event(finding, kind=FindingEventKind.RESTORED, actor=by, note=reason)
    return finding


# --- bulletins ---


@transaction.atomic
def finding_chase(*, finding_id: int, by, note: str = "") -> FindingEvent:
    """催办: tell the people responsible now, at most once per item per day (the timeline records it)."""
    finding = locked_finding(finding_id, by, ensure_can_chase)
    if finding.status == FindingStatus.CLOSED or finding.archived:
        raise WorkflowError(_("Only an item still open can be chased."))
    # The row lock above makes a second chase of the same moment wait, then see this one.
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    if finding.events.filter(kind=FindingEventKind.CHASED, at__gte=start).exists():
        raise WorkflowError(_("This item was already chased today; the people responsible have been told."))
    return record_event(finding, kind=FindingEventKind.CHASED, actor=by, note=(note or "").strip()[:500])
