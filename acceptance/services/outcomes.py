"""Writes for the outcomes: the province's decision, the model recommendation, spot checks."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require, required_text
from townships.choices import TownshipStatus
from townships.models import Township

from .. import events
from ..choices import (
    ApplicationStatus,
    Decision,
    Level,
    ModelStatus,
    ReviewResult,
    ReviewStatus,
    StatusEventKind,
)
from ..models import Application, Review, SpotCheck
from .applications import _locked_application
from .roles import can_decide, can_recommend, can_spot_check
from .status import _set_status


def _last_province_review(app) -> Review | None:
    return (
        app.reviews.filter(level=Level.PROVINCE, status=ReviewStatus.SCORED)
        .order_by("-scored_at", "-pk")
        .first()
    )


@transaction.atomic
def application_decide(*, application_id: int, by, decision: str, note: str = "") -> Application:
    """The province office's 审核确认: 达标 / 未达标 after the provincial review, or 省级样板."""
    app = _locked_application(application_id)
    require(can_decide(by, app.township), _("Only the provincial office decides acceptance."))
    review = _last_province_review(app)
    if decision in (Decision.PASSED, Decision.FAILED):
        if app.status != ApplicationStatus.PROVINCE_SCORED or review is None:
            raise ValidationError(
                {"decision": _("Decide only after the provincial review has passed its score.")}
            )
        passed = decision == Decision.PASSED
        if passed and review.result != ReviewResult.PASS:
            raise ValidationError({"decision": _("The provincial review did not pass.")})
        app.status = ApplicationStatus.PASSED if passed else ApplicationStatus.FAILED
        app.decided_by, app.decided_at = by, timezone.now()
        app.save(update_fields=["status", "decided_by", "decided_at"])
        _set_status(
            app.township,
            # a township that fails keeps the status it had
            to=TownshipStatus.PASSED if passed else app.township.status,
            kind=StatusEventKind.PASSED if passed else StatusEventKind.FAILED,
            by=by,
            application=app,
            review=review,
            note=note,
        )
    elif decision == Decision.MODEL:
        if app.status != ApplicationStatus.PASSED or app.model_status != ModelStatus.RECOMMENDED:
            raise ValidationError(
                {"decision": _("Only a passed township recommended as a model can be confirmed.")}
            )
        if app.township.status != TownshipStatus.PASSED:
            raise ValidationError({"decision": _("The township no longer holds the title.")})
        app.model_status = ModelStatus.CONFIRMED
        app.save(update_fields=["model_status"])
        _set_status(
            app.township,
            to=TownshipStatus.MODEL,
            kind=StatusEventKind.MODEL,
            by=by,
            application=app,
            review=review,
            note=note,
        )
    else:
        raise ValidationError({"decision": _("Select a valid choice.")})
    events.application_decided(app, decision, str(Decision(decision).label))
    return app


@transaction.atomic
def application_recommend(*, application_id: int, by) -> Application:
    """The locality recommends a passed township as 省级样板, at or above the scheme's threshold."""
    app = _locked_application(application_id)
    require(can_recommend(by, app.township), _("Only the city or county office recommends a model."))
    if app.status != ApplicationStatus.PASSED or app.model_status != ModelStatus.NONE:
        raise ValidationError(_("Only a passed township not yet recommended can be recommended."))
    threshold = app.scheme.model_threshold
    if threshold is None:
        raise ValidationError(_("The scheme has no model threshold yet; the office enters it first."))
    review = _last_province_review(app)
    if review is None or review.total < threshold:
        raise ValidationError(
            _("The provincial score is below the model threshold (%(t)s).") % {"t": threshold}
        )
    app.model_status = ModelStatus.RECOMMENDED
    app.save(update_fields=["model_status"])
    return app


@transaction.atomic
def spot_check_record(
    *, application_id: int, by, checked_on: datetime.date, passed: bool, note: str = ""
) -> SpotCheck:
    """A 抽检 of a passed township; failing it revokes the title (摘帽)."""
    app = _locked_application(application_id)
    require(can_spot_check(by, app.township), _("Only the provincial or city office records spot checks."))
    township = Township.objects.select_for_update().get(pk=app.township_id)
    if app.status != ApplicationStatus.PASSED or township.status not in (
        TownshipStatus.PASSED,
        TownshipStatus.MODEL,
    ):
        raise ValidationError(_("Only a township holding the title is spot-checked."))
    if not passed:
        required_text(note, field="note", message=_("Say why the spot check failed."))
    check = SpotCheck.objects.create(
        application=app, township=township, checked_on=checked_on, passed=passed, note=note, recorded_by=by
    )
    _set_status(
        township,
        # passing keeps the title as it is (达标 or 样板); failing takes it away
        to=township.status if passed else TownshipStatus.REVOKED,
        kind=StatusEventKind.SPOT_KEPT if passed else StatusEventKind.REVOKED,
        by=by,
        application=app,
        spot_check=check,
        note=note,
    )
    events.spot_check_recorded(check)
    return check
