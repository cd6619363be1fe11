"""Reads for acceptance: the page, the API and the exports consume the querysets these return."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404

from inspections.models import Finding, YellowCard
from townships.models import Target
from townships.scope import scoped

from .filtersets import ApplicationFilterSet, PlanEntryFilterSet, SpotCheckFilterSet
from .models import Application, PlanEntry, Review, SpotCheck


def plan_list(*, user, filters=None):
    qs = PlanEntry.objects.visible_to(user).select_related(
        "township", "township__county", "proposed_by", "confirmed_by"
    )
    return PlanEntryFilterSet(filters or {}, qs).qs.order_by("-year", "township__code")


def application_list(*, user, filters=None):
    qs = Application.objects.visible_to(user).with_related()
    return ApplicationFilterSet(filters or {}, qs).qs.order_by("-filed_at", "-pk")


def application_get(*, user, pk: int) -> Application:
    try:
        return (
            Application.objects.visible_to(user)
            .with_related()
            .prefetch_related(
                Prefetch(
                    "reviews", queryset=Review.objects.order_by("pk").prefetch_related("teams", "experts")
                ),
                "spot_checks",
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def review_get(*, user, pk: int) -> Review:
    try:
        return scoped(
            Review.objects.select_related("application__township__county", "application__scheme"),
            user,
            "application__township",
        ).get(pk=pk)
    except Review.DoesNotExist:
        raise Http404 from None


def spot_check_list(*, user, filters=None):
    qs = scoped(SpotCheck.objects.select_related("township", "township__county", "application"), user)
    return SpotCheckFilterSet(filters or {}, qs).qs


def readiness_rows(*, user, year: int, county: str = "") -> list[dict]:
    """Per township on the year's plan: progress per track, open/overdue findings, yellow card, the
    latest self-assessment and its gap to the pass mark; the most at risk first. Five queries whatever
    the number of townships."""
    from .services.applications import scheme_for

    entries = list(plan_list(user=user, filters={"year": year, **({"county": county} if county else {})}))
    ids = [e.township_id for e in entries]
    progress: dict[int, dict] = defaultdict(dict)
    for t in (
        Target.objects.filter(township_id__in=ids)
        .with_latest_progress()
        .values("township_id", "track__code", "track__name", "quantity", "done_quantity")
    ):
        percent = (t["done_quantity"] * 100 / t["quantity"]).quantize(Decimal("1")) if t["quantity"] else None
        progress[t["township_id"]][t["track__code"]] = {"name": t["track__name"], "percent": percent}
    counts = {c["township"]: c for c in Finding.objects.filter(township_id__in=ids).township_counts()}
    cards = set(YellowCard.objects.active().filter(township_id__in=ids).values_list("township_id", flat=True))
    latest = {}
    for app in (
        Application.objects.filter(township_id__in=ids, year=year)
        .order_by("township_id", "-filed_at", "-pk")
        .values("township_id", "self_score", "status", "pk")
    ):
        latest.setdefault(app["township_id"], app)
    scheme = scheme_for(year)
    pass_mark = scheme.pass_mark if scheme else None
    rows = []
    for entry in entries:
        app = latest.get(entry.township_id)
        score = app["self_score"] if app else None
        gap = (pass_mark - score) if (pass_mark is not None and score is not None) else None
        count = counts.get(entry.township_id, {})
        rows.append(
            {
                "entry": entry,
                "township": entry.township,
                "county": entry.township.county,
                "progress": progress.get(entry.township_id, {}),
                "open": count.get("open", 0),
                "overdue": count.get("overdue", 0),
                "yellow_card": entry.township_id in cards,
                "self_score": score,
                "gap": gap,
                "application": app,
            }
        )
    # At risk first: a gap to the pass mark (none filed counts as the largest), then overdue items.
    rows.sort(
        key=lambda r: (
            -(r["gap"] if r["gap"] is not None else Decimal("1000")),
            -r["overdue"],
            r["township"].code,
        )
    )
    return rows


def results_by_county(*, user, year: int) -> list[tuple]:
    """Every township of the year's plan with its outcome, grouped by county (the results bulletin)."""
    entries = list(plan_list(user=user, filters={"year": year}))
    apps = {}
    for app in Application.objects.filter(
        township_id__in=[e.township_id for e in entries], year=year
    ).order_by("township_id", "-filed_at", "-pk"):
        apps.setdefault(app.township_id, app)
    groups: dict = {}
    for entry in entries:
        app = apps.get(entry.township_id)
        if app is None:
            outcome = "none"
        elif app.model_status == "confirmed":
            outcome = "model"
        elif app.status in ("passed", "failed"):
            outcome = app.status
        else:
            outcome = "pending"
        groups.setdefault(entry.township.county, []).append(
            {"township": entry.township, "application": app, "outcome": outcome}
        )
    return sorted(groups.items(), key=lambda kv: kv[0].code)
