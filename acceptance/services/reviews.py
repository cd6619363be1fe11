"""Writes for reviews: schedule, score the items on site (a deduction with a note files a finding), finish."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require
from inspections.choices import FindingSource
from inspections.models import Team
from inspections.querysets import teams_visible_to
from inspections.services.findings import finding_create

from .. import events
from ..choices import (
    AFTER_PASS,
    NEEDS,
    ApplicationStatus,
    Level,
    ReviewResult,
    ReviewStatus,
)
from ..models import Application, Expert, ItemScore, Review
from ..scoring import compute_total, item_points
from .applications import _locked_application
from .roles import REVIEWERS, can_review

# Default deadline of a finding that an on-site deduction puts on the rectification list.
FINDING_DEADLINE_DAYS = 30


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
