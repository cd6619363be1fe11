"""Writes for acceptance. Views, API and commands call these; the township status changes only here."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require, required_text
from inspections.choices import FindingSource
from inspections.models import Team
from inspections.querysets import teams_visible_to
from inspections.services.findings import finding_create
from townships.choices import Role, TownshipStatus
from townships.models import Township
from townships.scope import has_role, visible_townships

from . import events
from .choices import (
    AFTER_PASS,
    NEEDS,
    ApplicationStatus,
    Decision,
    Level,
    ModelStatus,
    PlanStatus,
    ReviewResult,
    ReviewStatus,
    StatusEventKind,
)
from .models import Application, Expert, ItemScore, PlanEntry, Review, Scheme, SpotCheck, StatusEvent
from .scoring import compute_total, item_points

PLAN_PROPOSERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
PLAN_CONFIRMERS = (Role.CITY_OFFICE,)
APPLICANTS = (Role.COUNTY_OFFICIAL, Role.TOWNSHIP_STAFF)
# Who schedules and scores a review at each level: the team's recorder on site files findings too,
# so these are roles that may file them.
REVIEWERS = {
    Level.COUNTY: (Role.COUNTY_OFFICIAL, Role.INSPECTOR, Role.CITY_OFFICE),
    Level.CITY: (Role.CITY_OFFICE, Role.INSPECTOR),
    Level.PROVINCE: (Role.CITY_OFFICE, Role.INSPECTOR),
}
DECIDERS = (Role.PROVINCE,)
RECOMMENDERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
SPOT_CHECKERS = (Role.PROVINCE, Role.CITY_OFFICE)
# Default deadline of a finding that an on-site deduction puts on the rectification list.
FINDING_DEADLINE_DAYS = 30
OPEN_APPLICATION = [
    ApplicationStatus.FILED,
    ApplicationStatus.COUNTY_PASSED,
    ApplicationStatus.CITY_PASSED,
    ApplicationStatus.PROVINCE_SCORED,
    ApplicationStatus.RETURNED,
]


def can_propose(user, township) -> bool:
    return has_role(user, PLAN_PROPOSERS, township)


def can_confirm_plan(user, township) -> bool:
    return has_role(user, PLAN_CONFIRMERS, township)


def can_apply(user, township) -> bool:
    return has_role(user, APPLICANTS, township)


def can_review(user, township, level: str) -> bool:
    return has_role(user, REVIEWERS[level], township)


def can_review_any(user, township) -> bool:
    return any(can_review(user, township, level) for level in REVIEWERS)


def can_decide(user, township) -> bool:
    return has_role(user, DECIDERS, township)


def can_recommend(user, township) -> bool:
    return has_role(user, RECOMMENDERS, township)


def can_spot_check(user, township) -> bool:
    return has_role(user, SPOT_CHECKERS, township)


def _township_in_scope(by, township) -> Township:
    """The township row, locked; out of scope answers like a missing one."""
    try:
        return visible_townships(by).select_for_update().select_related("county").get(pk=township.pk)
    except Township.DoesNotExist:
        raise ValidationError({"township": _("Select a valid choice.")}) from None


def _set_status(
    township: Township, *, to: str, kind: str, by, application=None, review=None, spot_check=None, note=""
):
    """The one place the township's status changes: the row (its history) and the event that says why."""
    township = Township.objects.select_for_update().get(pk=township.pk)
    before = township.status
    if before != to:
        township.status = to
        township._history_user = by
        township.save(update_fields=["status"])
    StatusEvent.objects.create(
        township=township,
        kind=kind,
        from_status=before,
        to_status=to,
        application=application,
        review=review,
        spot_check=spot_check,
        actor=by,
        note=note,
    )
    return township


# --- the annual plan ---


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


# --- applications ---


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


# --- reviews ---


def _in_scope(queryset, objects, field):
    ids = {o.pk for o in objects}
    if ids and queryset.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({field: _("Select a valid choice.")})


@transaction.atomic
def review_schedule(
    *,
    application_id: int,
    by,
    level: str,
    reviewed_on: datetime.date,
    teams: Iterable[Team] = (),
    experts: Iterable[Expert] = (),
) -> Review:
    app = _locked_application(application_id)
    if level not in REVIEWERS:
        raise ValidationError({"level": _("Select a valid choice.")})
    require(can_review(by, app.township, level), _("Your role does not run this level of review."))
    if app.status != NEEDS[level]:
        raise ValidationError(
            {
                "level": _("A %(level)s can start only when the level below has passed (now: %(status)s).")
                % {"level": Level(level).label, "status": app.get_status_display()}
            }
        )
    if app.reviews.filter(level=level, status=ReviewStatus.SCHEDULED).exists():
        raise ValidationError({"level": _("A review at this level is already scheduled.")})
    teams, experts = list(teams), list(experts)
    _in_scope(teams_visible_to(by), teams, "teams")
    _in_scope(Expert.objects.filter(active=True), experts, "experts")
    review = Review.objects.create(application=app, level=level, reviewed_on=reviewed_on, scheduled_by=by)
    review.teams.set(teams)
    review.experts.set(experts)
    events.review_scheduled(review)
    return review


def leaf_items(scheme):
    return list(scheme.items.filter(children__isnull=True).select_related("track").order_by("order", "pk"))


def _locked_review(review_id: int) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__township__county", "application__scheme")
        .get(pk=review_id)
    )


@transaction.atomic
def review_items_score(*, review_id: int, by, scores: Sequence[dict]) -> Review:
    """Record the points of some items (one track's screen); a deduction with a note files a finding.

    Each score: item (id), deductions (places found), points (or None for the per-place rule), vetoed,
    note, photos.
    """
    review = _locked_review(review_id)
    app = review.application
    require(can_review(by, app.township, review.level), _("Your role does not run this level of review."))
    if review.status != ReviewStatus.SCHEDULED:
        raise ValidationError(_("This review is already scored."))
    items = {item.pk: item for item in leaf_items(app.scheme)}
    existing = {s.item_id: s for s in review.scores.all()}
    given = [int(entry["item"]) for entry in scores]
    if len(given) != len(set(given)):
        raise ValidationError({"scores": _("Each item is scored once.")})
    for entry in scores:
        item = items.get(int(entry["item"]))
        if item is None:
            raise ValidationError(
                {"scores": _("Item %(item)s is not a scored item of this scheme.") % {"item": entry["item"]}}
            )
        deductions = int(entry.get("deductions") or 0)
        raw = entry.get("points")
        if raw is not None and Decimal(raw) > item.max_points:
            raise ValidationError(
                {
                    "scores": _("%(item)s: at most %(max)s points.")
                    % {"item": item.code, "max": item.max_points}
                }
            )
        points = item_points(item, deductions=deductions, points=None if raw in (None, "") else Decimal(raw))
        note = (entry.get("note") or "").strip()
        score = existing.get(item.pk) or ItemScore(review=review, item=item)
        score.deductions, score.points, score.note = deductions, points, note
        score.vetoed = bool(entry.get("vetoed")) and item.is_veto
        photos = list(entry.get("photos") or [])
        if score.finding_id is None and note and (points < item.max_points or score.vetoed):
            score.finding = finding_create(
                by=by,
                township=app.township,
                description=_("Acceptance %(level)s, item %(code)s %(name)s: %(note)s")
                % {"level": review.get_level_display(), "code": item.code, "name": item.name, "note": note},
                deadline=review.reviewed_on + datetime.timedelta(days=FINDING_DEADLINE_DAYS),
                track=item.track,
                source=FindingSource.ACCEPTANCE,
                photos=photos,
            )
        score.save()
    return review


@transaction.atomic
def review_finish(*, review_id: int, by) -> Review:
    """Compute the total from every item and the weights, decide pass/fail, move the application on."""
    review = _locked_review(review_id)
    app = Application.objects.select_for_update().get(pk=review.application_id)
    review.application = app
    require(can_review(by, app.township, review.level), _("Your role does not run this level of review."))
    if review.status != ReviewStatus.SCHEDULED:
        raise ValidationError(_("This review is already scored."))
    if app.status != NEEDS[review.level]:
        raise ValidationError(_("The application has moved on; this review can no longer be scored."))
    scheme = app.scheme
    if scheme.pass_mark is None:
        raise ValidationError(_("The scheme has no pass mark yet; the office enters it first."))
    items = leaf_items(scheme)
    scored = {s.item_id: (s.points, s.vetoed) for s in review.scores.all()}
    missing = [item.code for item in items if item.pk not in scored]
    if missing:
        raise ValidationError(_("Items not scored yet: %(items)s") % {"items": "、".join(missing)})
    weights = dict(scheme.components.values_list("code", "weight"))
    result = compute_total(items=items, weights=weights, scores=scored)
    review.total, review.vetoed = result.total, result.vetoed
    passed = not result.vetoed and result.total >= scheme.pass_mark
    review.result = ReviewResult.PASS if passed else ReviewResult.FAIL
    review.status, review.scored_by, review.scored_at = ReviewStatus.SCORED, by, timezone.now()
    review.save(update_fields=["total", "vetoed", "result", "status", "scored_by", "scored_at"])
    if passed:
        app.status = AFTER_PASS[review.level]
    else:
        app.status, app.returned_from = ApplicationStatus.RETURNED, app.status
    app.save(update_fields=["status", "returned_from"])
    events.review_scored(review)
    return review


@transaction.atomic
def review_record(
    *, application_id: int, by, level: str, reviewed_on, scores: Sequence[dict], teams=(), experts=()
) -> Review:
    """Schedule, score every item and finish in one go (the API's POST reviews/)."""
    review = review_schedule(
        application_id=application_id,
        by=by,
        level=level,
        reviewed_on=reviewed_on,
        teams=teams,
        experts=experts,
    )
    review_items_score(review_id=review.pk, by=by, scores=scores)
    return review_finish(review_id=review.pk, by=by)


def cost_points(review) -> list[ItemScore]:
    """The items that cost points: what a failed review sends back."""
    return [s for s in review.scores.select_related("item") if s.points < s.item.max_points or s.vetoed]


# --- outcomes ---


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
