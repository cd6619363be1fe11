"""Writes for the annual plan: propose and confirm."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require
from townships.choices import TownshipStatus
from townships.models import Township

from ..choices import (
    PlanStatus,
    StatusEventKind,
)
from ..models import PlanEntry
from .roles import _township_in_scope, can_confirm_plan, can_propose
from .status import _set_status


@transaction.atomic
def plan_propose(*, by, year: int, township: Township) -> PlanEntry:
    township = _township_in_scope(by, township)
    require(can_propose(by, township), _("You may not propose townships for the annual plan."))
    if PlanEntry.objects.filter(year=year, township=township).exists():
        raise ValidationError(
            {
                "township": _("%(township)s is already on the %(year)s plan.")
                % {"township": township, "year": year}
            }
        )
    return PlanEntry.objects.create(
        year=year, city_id=township.county.city_id, township=township, proposed_by=by
    )


@transaction.atomic
def plan_confirm(*, entry_id: int, by) -> PlanEntry:
    entry = PlanEntry.objects.select_for_update().select_related("township__county").get(pk=entry_id)
    require(can_confirm_plan(by, entry.township), _("Only the city office confirms the annual plan."))
    if entry.status != PlanStatus.PROPOSED:
        raise ValidationError(_("This entry is already confirmed."))
    entry.status, entry.confirmed_by, entry.confirmed_at = PlanStatus.CONFIRMED, by, timezone.now()
    entry.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    township = Township.objects.select_for_update().get(pk=entry.township_id)
    if township.plan_year != entry.year:
        township.plan_year = entry.year
        township._history_user = by
        township.save(update_fields=["plan_year"])
    to = TownshipStatus.IN_PROGRESS if township.status == TownshipStatus.PLANNED else township.status
    _set_status(township, to=to, kind=StatusEventKind.PLANNED, by=by, note=str(entry.year))
    return entry
