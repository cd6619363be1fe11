"""The reads of grid events: the triage queue (page and API), one event, and where it could merge."""

import math
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, Sqrt
from django.http import Http404
from django.shortcuts import get_object_or_404

from inspections.choices import FindingStatus
from inspections.models import Finding

from .filtersets import GridEventFilterSet
from .models import GridEvent

# Newest first: the sending system and the triager both look for what just came in.
LIST_ORDER = ("-received_at", "-pk")
# A merge is suggested for open items of the same track at most this far away.
SUGGEST_WITHIN_M = 50
METRES_PER_DEGREE = 111_195  # on a sphere of the mean Earth radius


def grid_event_filterset(*, user, filters: Mapping | None, only_given: bool = False) -> GridEventFilterSet:
    qs = GridEvent.objects.visible_to(user).order_by(*LIST_ORDER)
    return GridEventFilterSet(filters, queryset=qs, user=user, only_given=only_given)


def grid_event_list(*, user, filters: Mapping | None = None, only_given: bool = False) -> QuerySet[GridEvent]:
    """The events `user` may read, filtered, newest first; invalid filters raise ValidationError."""
    filterset = grid_event_filterset(user=user, filters=filters, only_given=only_given)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def grid_event_get(*, user, pk, queryset: QuerySet | None = None) -> GridEvent:
    qs = queryset if queryset is not None else GridEvent.objects.all()
    try:
        return get_object_or_404(qs.visible_to(user), pk=pk)
    except (TypeError, ValueError, ValidationError) as exc:
        raise Http404 from exc


def with_distance(findings: QuerySet, latitude, longitude) -> QuerySet:
    """Annotate `distance_m` from a point (an equirectangular approximation: exact enough at 50 m)."""
    if latitude is None or longitude is None:
        return findings.annotate(distance_m=Value(None, output_field=FloatField()))
    lat0, lon0 = float(latitude), float(longitude)
    east = METRES_PER_DEGREE * math.cos(math.radians(lat0))
    dy = (Cast(F("latitude"), FloatField()) - Value(lat0)) * Value(float(METRES_PER_DEGREE))
    dx = (Cast(F("longitude"), FloatField()) - Value(lon0)) * Value(east)
    return findings.annotate(distance_m=Sqrt(dy * dy + dx * dx, output_field=FloatField()))


def merge_candidates(*, event: GridEvent, user) -> QuerySet[Finding]:
    """Open items of the event's township (and track, when it has one) that `user` may read: nearest first.

    Those within SUGGEST_WITHIN_M carry `suggested`; items without coordinates come last.
    """
    qs = (
        Finding.objects.listed()
        .visible_to(user)
        .exclude(status=FindingStatus.CLOSED)
        .filter(township_id=event.township_id)
    )
    if event.track_id:
        qs = qs.filter(track_id=event.track_id)
    return with_distance(qs, event.latitude, event.longitude).order_by(
        F("distance_m").asc(nulls_last=True), "deadline", "pk"
    )


def merge_suggestions(*, event: GridEvent, user, limit: int = 50) -> list[Finding]:
    """The candidates as the triage page lists them, each with `suggested` set."""
    rows = list(merge_candidates(event=event, user=user).select_related("track")[:limit])
    for row in rows:
        row.suggested = row.distance_m is not None and row.distance_m <= SUGGEST_WITHIN_M
    return rows
