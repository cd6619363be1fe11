"""Writes for acceptance applications: file and resubmit."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.guards import require
from townships.models import Township

from ..choices import (
    ApplicationStatus,
    PlanStatus,
)
from ..models import Application, PlanEntry, Scheme
from .roles import _township_in_scope, can_apply

OPEN_APPLICATION = [
    ApplicationStatus.FILED,
    ApplicationStatus.COUNTY_PASSED,
    ApplicationStatus.CITY_PASSED,
    ApplicationStatus.PROVINCE_SCORED,
    ApplicationStatus.RETURNED,
]


def scheme_for(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year, active=True).order_by("-version").first()


@transaction.atomic
def application_create(
    *, by, township: Township, year: int, round: str, self_score: Decimal, self_assessment: str = ""
) -> Application:
    township = _township_in_scope(by, township)
    require(can_apply(by, township), _("Only the township or its county files an acceptance application."))
    entry = PlanEntry.objects.filter(year=year, township=township, status=PlanStatus.CONFIRMED).first()
    if entry is None:
        raise ValidationError(
            {"township": _("The township is not on the confirmed %(year)s plan.") % {"year": year}}
        )
    scheme = scheme_for(year)
    if scheme is None:
        raise ValidationError({"year": _("No scoring scheme is in force for %(year)s.") % {"year": year}})
    earlier = Application.objects.filter(township=township, year=year)
    if earlier.filter(status=ApplicationStatus.PASSED).exists():
        raise ValidationError(_("The township already passed this year; it skips the later round."))
    if earlier.filter(status__in=OPEN_APPLICATION).exists():
        raise ValidationError(_("The township already has an application under way this year."))
    if self_score is None or self_score < 0:
        raise ValidationError({"self_score": _("Enter the self-assessment score.")})
    return Application.objects.create(
        plan_entry=entry,
        township=township,
        year=year,
        round=round,
        scheme=scheme,
        self_score=self_score,
        self_assessment=self_assessment,
        filed_by=by,
    )


def _locked_application(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("township__county", "scheme")
        .get(pk=application_id)
    )


@transaction.atomic
def application_resubmit(*, application_id: int, by) -> Application:
    app = _locked_application(application_id)
    require(can_apply(by, app.township), _("Only the township or its county resubmits an application."))
    if app.status != ApplicationStatus.RETURNED:
        raise ValidationError(_("Only an application that was sent back can be resubmitted."))
    app.status, app.returned_from = app.returned_from or ApplicationStatus.FILED, ""
    app.save(update_fields=["status", "returned_from"])
    return app
