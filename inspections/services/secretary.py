"""Writes for secretary-assigned items (书记交办件), their replies and performance-pay deductions."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require, required_text
from townships.models import Township, Track
from townships.scope import has_role

from ..choices import (
    DeductionKind,
    DeductionStatus,
    FindingEventKind,
    FindingSource,
    FindingStatus,
)
from ..errors import WorkflowError
from ..events import deductions_on_commit, record_event
from ..models import (
    Deduction,
    Finding,
)
from ..permissions import SECRETARY_FILERS, ensure_can_decide_deduction, ensure_can_reply
from ..querysets import days_overdue
from .findings import check_assignee, locked_finding


@transaction.atomic
def secretary_item_create(
    *,
    by,
    township: Township,
    description: str,
    assigning_leader: str,
    promised_date: datetime.date,
    assignee=None,
    responsible_person: str = "",
    location: str = "",
    reply_required: bool = True,
    track: Track | None = None,
) -> Finding:
    """Record a point assigned by the party secretary (书记交办件); its deadline is the promised date."""

    require(
        has_role(by, SECRETARY_FILERS, township), _("You may not record assigned items for this township.")
    )
    errors = {}
    if not (assigning_leader or "").strip():
        errors["assigning_leader"] = _("Name the assigning leader.")
    if not (description or "").strip():
        errors["description"] = _("Describe the assigned point.")
    if promised_date is None:
        errors["promised_date"] = _("Give the promised date.")
    if not assignee and not (responsible_person or "").strip():
        errors["responsible_person"] = _("Name the cadre responsible.")
    if errors:
        raise ValidationError(errors)
    check_assignee(assignee, township, by)
    finding = Finding(
        township=township,
        source=FindingSource.SECRETARY,
        track=track,
        description=description.strip(),
        location=location,
        deadline=promised_date,
        promised_date=promised_date,
        assigning_leader=assigning_leader.strip(),
        assignee=assignee,
        responsible_person=(responsible_person or "").strip(),
        reply_required=reply_required,
        created_by=by,
    )
    finding.full_clean(
        exclude=["township", "track", "assignee", "created_by", "closed_by", "inspection", "repeat_of"]
    )
    finding.save()
    record_event(finding, kind=FindingEventKind.CREATED, actor=by, to_status=FindingStatus.OPEN)
    return finding


@transaction.atomic
def finding_reply(*, finding_id: int, by, reply: str) -> Finding:
    """Record the written reply a secretary-assigned item requires."""
    finding = locked_finding(finding_id, by, ensure_can_reply)
    reply = required_text(reply, field="reply", message=_("Write the reply."))
    finding.reply, finding.reply_at = reply, timezone.now()
    finding.save(update_fields=["reply", "reply_at"])
    record_event(finding, kind=FindingEventKind.REPLIED, actor=by, note=finding.reply)
    return finding


def deduction_terms() -> tuple[str, Decimal]:
    kind = settings.SECRETARY_DEDUCTION_KIND
    if kind not in DeductionKind.values:
        kind = DeductionKind.PERCENTAGE
    return kind, Decimal(str(settings.SECRETARY_DEDUCTION_VALUE))


def deductions_propose(*, today: datetime.date) -> int:
    """One proposed deduction per overdue secretary item, however often this runs."""
    kind, value = deduction_terms()
    items = (
        Finding.objects.secretary()
        .overdue(today)
        .filter(deduction__isnull=True)
        .select_related("assignee")
        .only("pk", "township_id", "deadline", "status", "assignee", "responsible_person")
    )
    rows = [
        Deduction(
            finding_id=f.pk,
            township_id=f.township_id,
            person_id=f.assignee_id,
            person_name=f.responsible_label,
            kind=kind,
            value=value,
            days_overdue=days_overdue(f.deadline, f.status, today),
        )
        for f in items
    ]
    before = Deduction.objects.count()
    # The one-to-one on finding keeps it single even when two runs overlap.
    Deduction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if rows:
        deductions_on_commit(
            Deduction.objects.filter(
                finding_id__in=[r.finding_id for r in rows], status=DeductionStatus.PROPOSED
            ).values_list("pk", flat=True)
        )
    return Deduction.objects.count() - before


@transaction.atomic
def deduction_confirm(*, deduction_id: int, by, note: str = "") -> Deduction:
    """Confirm a proposed deduction (the township secretary or the city office)."""
    return _deduction_decide(deduction_id=deduction_id, by=by, status=DeductionStatus.CONFIRMED, note=note)


@transaction.atomic
def deduction_waive(*, deduction_id: int, by, reason: str) -> Deduction:
    """Waive a proposed deduction, with the reason."""
    return _deduction_decide(deduction_id=deduction_id, by=by, status=DeductionStatus.WAIVED, note=reason)


def _deduction_decide(*, deduction_id: int, by, status: str, note: str) -> Deduction:
    deduction = Deduction.objects.select_for_update().select_related("township").get(pk=deduction_id)
    ensure_can_decide_deduction(by, deduction)
    if deduction.status != DeductionStatus.PROPOSED:
        raise WorkflowError(_("This deduction has already been decided."))
    if status == DeductionStatus.WAIVED and not (note or "").strip():
        raise ValidationError({"reason": _("Give the reason for waiving.")})
    deduction.status, deduction.decided_by, deduction.decided_at = status, by, timezone.now()
    deduction.decision_note = (note or "").strip()
    deduction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    deductions_on_commit([deduction.pk], actor_id=by.pk)
    return deduction
