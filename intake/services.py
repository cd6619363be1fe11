"""Writes for grid intake: receive an event from a source system, then triage it (accept, merge, reject).

The finding an accepted event becomes is written by inspections' own service, photos included; this
app only decides which finding and records the outcome on the event.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import required_text
from inspections.choices import FindingSource, Severity
from inspections.errors import WorkflowError
from inspections.models import Finding
from inspections.photos import PhotoError, media_guard, photo_derivatives, photos_process, save_file
from inspections.services import findings as finding_services
from townships.choices import Role
from townships.models import Track
from townships.scope import has_role, visible_townships

from .choices import GridEventStatus
from .models import GridEvent, GridEventPhoto, IntakeSource
from .selectors import merge_candidates

TRIAGERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
# A report dated further ahead than this is a clock or format error at the sender.
CLOCK_SKEW = datetime.timedelta(hours=1)


def can_send(user) -> bool:
    """The intake permission: the account sends for at least one active source system."""
    return bool(
        user is not None
        and user.is_authenticated
        and IntakeSource.objects.filter(client=user, active=True).exists()
    )


def can_triage(user, township) -> bool:
    return has_role(user, TRIAGERS, township)


def ensure_can_send(user) -> None:
    if not can_send(user):
        raise PermissionDenied(_("Only the account of a registered source system may send grid events."))


def ensure_can_triage(user, event: GridEvent) -> None:
    if not can_triage(user, event.township):
        raise PermissionDenied(_("Only county officials and the city office triage grid reports."))


def _not_pending(event: GridEvent) -> WorkflowError:
    return WorkflowError(
        _("This report was already triaged: %(outcome)s.") % {"outcome": event.get_status_display()}
    )


@transaction.atomic
def grid_event_receive(
    *,
    by,
    source_system: str,
    external_id: str,
    township_code: str,
    reported_at: datetime.datetime,
    reporter: str,
    description: str,
    grid_code: str = "",
    category: str = "",
    track_code: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Iterable = (),
) -> tuple[GridEvent, bool]:
    """Record one report; (event, created). The same (source system, external id) answers the first one.

    Exactly once: the unique constraint decides between concurrent retries; the loser rolls back its
    savepoint (and its files) and answers the winner's event.
    """
    ensure_can_send(by)
    source = IntakeSource.objects.filter(client=by, active=True, code=source_system).first()
    if source is None:
        raise ValidationError({"source_system": _("This account does not send for that source system.")})
    external_id = (external_id or "").strip()
    if not external_id:
        raise ValidationError({"external_id": _("Give the report's id in the source system.")})
    existing = GridEvent.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing, False
    township = visible_townships(by).filter(code=township_code).first()
    if township is None:
        # An unknown code and one outside the account's scope answer alike.
        raise ValidationError({"township_code": _("No township with this code is in your scope.")})
    track = None
    if track_code:
        track = Track.objects.filter(code=track_code).first()
        if track is None:
            raise ValidationError({"track": _("Unknown track code.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if reported_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"reported_at": _("The report time is in the future.")})
    try:
        processed = photos_process(photos)
    except PhotoError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    event = GridEvent(
        source=source,
        external_id=external_id,
        township=township,
        reported_at=reported_at,
        reporter=(reporter or "").strip(),
        grid_code=grid_code or "",
        category=category or "",
        track=track,
        description=(description or "").strip(),
        address=address or "",
        latitude=latitude,
        longitude=longitude,
    )
    event.full_clean(exclude=["source", "township", "track", "finding", "triaged_by"], validate_unique=False)
    try:
        with media_guard(), transaction.atomic():
            event.save()
            for photo in processed:
                row = GridEventPhoto(
                    event=event,
                    original_name=photo.name,
                    content_type=photo.content_type,
                    size=len(photo.original),
                    sha256=photo.sha256,
                )
                photo.save_original(row.original)
                # the triage queue's small copy; accepted photos go through the findings' own pipeline
                save_file(row.thumbnail, "thumb.jpg", photo_derivatives(photo.original)[1])
                row.save()
    except IntegrityError:
        return GridEvent.objects.get(source=source, external_id=external_id), False
    return event, True


def _pending_event(event_id: int, by) -> GridEvent:
    """The report's row, locked, once the user may triage it and it still waits for that."""
    event = (
        GridEvent.objects.select_for_update(of=("self",))
        .select_related("township__county", "source")
        .get(pk=event_id)
    )
    ensure_can_triage(by, event)
    if event.status != GridEventStatus.PENDING:
        raise _not_pending(event)
    return event


def _uploads(event: GridEvent) -> list[SimpleUploadedFile]:
    """The event's original photos as uploads for inspections' photo pipeline (same bytes, same hash)."""
    uploads = []
    for photo in event.photos.all():
        with photo.original.open("rb") as handle:
            uploads.append(
                SimpleUploadedFile(photo.original_name or "photo.jpg", handle.read(), photo.content_type)
            )
    return uploads


def _triaged(
    event: GridEvent, *, by, status: str, finding: Finding | None = None, reason: str = ""
) -> GridEvent:
    event.status = status
    event.finding = finding
    event.reject_reason = reason
    event.triaged_by = by
    event.triaged_at = timezone.now()
    event.save(update_fields=["status", "finding", "reject_reason", "triaged_by", "triaged_at"])
    return event


@transaction.atomic
def grid_event_accept(
    *,
    event_id: int,
    by,
    deadline: datetime.date,
    track: Track | None = None,
    severity: str = Severity.MINOR,
    description: str = "",
    responsible_person: str = "",
) -> GridEvent:
    """The report becomes an item of its township's rectification list (source 网格员), its photos kept."""
    event = _pending_event(event_id, by)
    finding = finding_services.finding_create(
        by=by,
        township=event.township,
        source=FindingSource.GRID,
        description=(description or "").strip() or event.description,
        deadline=deadline,
        track=track or event.track,
        location=event.address,
        latitude=event.latitude,
        longitude=event.longitude,
        severity=severity or Severity.MINOR,
        responsible_person=responsible_person or "",
        photos=_uploads(event),
    )
    return _triaged(event, by=by, status=GridEventStatus.ACCEPTED, finding=finding)


@transaction.atomic
def grid_event_merge(*, event_id: int, by, finding: Finding) -> GridEvent:
    """The report is the same problem as an open item of its township and track: add its photos there."""
    event = _pending_event(event_id, by)
    if finding is None or not merge_candidates(event=event, user=by).filter(pk=finding.pk).exists():
        raise ValidationError(
            {"finding": _("Choose an open item of the same township and track to merge into.")}
        )
    finding_services.finding_report_merge(
        finding_id=finding.pk,
        by=by,
        note=_("Grid report %(id)s by %(reporter)s (%(source)s): %(text)s")
        % {
            "id": event.external_id,
            "reporter": event.reporter,
            "source": event.source.name,
            "text": event.description,
        },
        photos=_uploads(event),
    )
    return _triaged(event, by=by, status=GridEventStatus.MERGED, finding=finding)


@transaction.atomic
def grid_event_reject(*, event_id: int, by, reason: str) -> GridEvent:
    """Not a problem for the list (a duplicate of nothing, outside the programme, unfounded): say why."""
    event = _pending_event(event_id, by)
    reason = required_text(reason, field="reason", message=_("Give the reason for rejecting the report."))
    return _triaged(event, by=by, status=GridEventStatus.REJECTED, reason=reason)
