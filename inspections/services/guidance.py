"""Writes for specialist guidance visits (专项指导): record a visit, turn its follow-up items into findings."""

import datetime
import hashlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import document_check
from townships.models import Township, Track

from ..choices import FindingSource, GuidanceTopic, Severity, TeamKind
from ..errors import WorkflowError
from ..models import Finding, GuidanceAttachment, GuidanceFollowUp, GuidanceVisit, Team
from ..permissions import ensure_can_follow_up, ensure_can_record_guidance
from ..photos import media_guard, save_file
from ..querysets import teams_visible_to
from .findings import NOT_A_CHOICE, ensure_in_scope, finding_create

MAX_FOLLOW_UPS = 50


def _attachments_read(files: Iterable) -> list[tuple[str, str, bytes]]:
    """Check every file by content before anything is written: (name, content type, bytes)."""
    read, errors = [], []
    for upload in files or ():
        try:
            kind = document_check(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        upload.seek(0)
        name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
        read.append((name, kind.content_type, upload.read()))
    if errors:
        raise ValidationError({"attachments": errors})
    return read


@transaction.atomic
def guidance_visit_create(
    *,
    by,
    township: Township,
    track: Track,
    team: Team,
    visited_on: datetime.date,
    topics: Sequence[str],
    advice: str,
    follow_ups: Sequence[str] = (),
    attachments: Iterable = (),
) -> GuidanceVisit:
    """Record one visit with its follow-up items (one per entry) and attachments (photos, PDF, Office)."""
    ensure_can_record_guidance(by, township)
    ensure_in_scope("team", team, teams_visible_to(by))
    if team is not None and team.kind != TeamKind.SPECIALIST:
        raise ValidationError({"team": _("A guidance visit is made by a specialist group.")})
    if track is None:
        raise ValidationError({"track": _("Choose the track the visit was about.")})
    if team is None:
        raise ValidationError({"team": NOT_A_CHOICE})
    topics = list(dict.fromkeys(topics or ()))
    if not topics:
        raise ValidationError({"topics": _("Choose at least one topic.")})
    if any(topic not in GuidanceTopic.values for topic in topics):
        raise ValidationError({"topics": NOT_A_CHOICE})
    items = [text.strip() for text in follow_ups or () if text and text.strip()]
    if len(items) > MAX_FOLLOW_UPS:
        raise ValidationError(
            {"follow_ups": _("At most %(n)d follow-up items per visit.") % {"n": MAX_FOLLOW_UPS}}
        )
    files = _attachments_read(attachments)
    visit = GuidanceVisit(
        township=township,
        track=track,
        team=team,
        visited_on=visited_on,
        topics=topics,
        advice=(advice or "").strip(),
        created_by=by,
    )
    visit.full_clean(exclude=["township", "track", "team", "created_by"])
    with media_guard():
        visit.save()
        GuidanceFollowUp.objects.bulk_create(
            [GuidanceFollowUp(visit=visit, description=text) for text in items]
        )
        for name, content_type, data in files:
            row = GuidanceAttachment(
                visit=visit,
                original_name=name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=by,
            )
            save_file(row.file, name, data)
            row.save()
    return visit


@transaction.atomic
def guidance_follow_up_to_finding(
    *,
    follow_up_id: int,
    by,
    deadline: datetime.date,
    severity: str = Severity.MINOR,
    responsible_person: str = "",
) -> Finding:
    """The follow-up item goes onto the township's rectification list, source 专项指导; once only."""
    follow_up = (
        GuidanceFollowUp.objects.select_for_update(of=("self",))
        .select_related("visit__township__county", "visit__track")
        .get(pk=follow_up_id)
    )
    visit = follow_up.visit
    ensure_can_follow_up(by, visit)
    if follow_up.finding_id is not None:
        raise WorkflowError(_("This follow-up item is already on the rectification list."))
    finding = finding_create(
        by=by,
        township=visit.township,
        source=FindingSource.GUIDANCE,
        track=visit.track,
        description=follow_up.description,
        deadline=deadline,
        severity=severity or Severity.MINOR,
        responsible_person=responsible_person or "",
    )
    follow_up.finding = finding
    follow_up.save(update_fields=["finding"])
    return finding
