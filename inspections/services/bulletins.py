"""Writes for inspection bulletins (督查通报)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require
from townships.models import City, Township
from townships.scope import has_role, visible_townships

from ..choices import (
    BulletinStatus,
    InspectionStatus,
)
from ..errors import WorkflowError
from ..models import (
    Bulletin,
    Finding,
    Inspection,
    InspectionRound,
)
from ..permissions import PUBLISHERS
from ..querysets import rounds_visible_to
from .findings import NOT_A_CHOICE, ensure_in_scope


def bulletin_create(
    *,
    by,
    city: City,
    title: str,
    round: InspectionRound | None = None,  # noqa: A002
    number: str = "",
    body: str = "",
    issued_on: datetime.date | None = None,
    townships: Iterable[Township] = (),
    findings: Iterable[Finding] | None = None,
) -> Bulletin:
    """Compose a draft bulletin; without explicit findings it lists the round's items of `townships`."""
    require(has_role(by, PUBLISHERS), _("Only the city office composes bulletins."))
    ensure_in_scope("round", round, rounds_visible_to(by).filter(city=city))
    township_ids = {t.pk for t in townships}
    if visible_townships(by).filter(pk__in=township_ids, county__city=city).count() != len(township_ids):
        raise ValidationError({"townships": NOT_A_CHOICE})
    if findings is not None:
        findings = list(findings)
        visible = Finding.objects.visible_to(by).filter(township__county__city=city)
        if visible.filter(pk__in=[f.pk for f in findings]).count() != len({f.pk for f in findings}):
            raise ValidationError({"findings": NOT_A_CHOICE})
    bulletin = Bulletin(
        city=city,
        round=round,
        title=title,
        number=(number or "").strip(),
        body=body,
        issued_on=issued_on,
        created_by=by,
    )
    bulletin.full_clean(exclude=["city", "round", "created_by"])
    bulletin.save()
    if findings is None:
        qs = Finding.objects.listed().filter(township__county__city=city)
        if round is not None:
            qs = qs.filter(inspection__round=round)
        if township_ids:
            qs = qs.filter(township_id__in=township_ids)
        findings = qs
    bulletin.findings.set(list(findings))
    return bulletin


@transaction.atomic
def bulletin_publish(
    *, bulletin_id: int, by, number: str = "", issued_on: datetime.date | None = None
) -> Bulletin:
    """Publish a bulletin with its number (文号) and date; its round's inspections become published."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
    require(has_role(by, PUBLISHERS), _("Only the city office publishes bulletins."))
    if bulletin.status != BulletinStatus.DRAFT:
        raise WorkflowError(_("This bulletin is already published."))
    bulletin.number = (number or bulletin.number).strip()
    bulletin.issued_on = issued_on or bulletin.issued_on
    if not bulletin.number:
        raise ValidationError({"number": _("A bulletin needs its document number (文号) before publishing.")})
    if bulletin.issued_on is None:
        raise ValidationError({"issued_on": _("A bulletin needs its date before publishing.")})
    taken = ValidationError({"number": _("Another bulletin already has this document number.")})
    # Numbers are unique per city: holding the city row makes a concurrent publish wait and then see
    # this one's number; the constraint still answers for any other writer of numbers.
    City.objects.select_for_update().filter(pk=bulletin.city_id).first()
    if (
        Bulletin.objects.filter(city_id=bulletin.city_id, number=bulletin.number)
        .exclude(pk=bulletin.pk)
        .exists()
    ):
        raise taken
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = timezone.now()
    bulletin.published_by = by
    try:
        with transaction.atomic():
            bulletin.save(update_fields=["number", "issued_on", "status", "published_at", "published_by"])
    except IntegrityError as exc:
        raise taken from exc
    inspection_ids = bulletin.findings.exclude(inspection=None).values("inspection_id")
    # One by one so that simple_history records each change.
    for inspection in Inspection.objects.filter(pk__in=inspection_ids, status=InspectionStatus.SUBMITTED):
        inspection.status = InspectionStatus.PUBLISHED
        inspection.save(update_fields=["status"])
    return bulletin
