"""The progress roll-up shared by the `progress/` endpoint and the pages: one query per grouping."""

from django.db.models import F

from townships.scope import township_filter

from .choices import GroupBy
from .models import TownshipStanding, TrackStanding


def progress_rows(user, group_by: str, *, county=None, track=None):
    """A values() queryset of roll-up rows in the user's scope (not yet evaluated)."""
    scope = township_filter(user, prefix="township__")
    if group_by == GroupBy.TRACK or track is not None:
        qs = TrackStanding.objects.filter(scope)
        if county is not None:
            qs = qs.filter(county=county)
        if track is not None:
            qs = qs.filter(track=track)
        if group_by == GroupBy.TRACK:
            return qs.by_track()
        if group_by == GroupBy.COUNTY:
            return qs.rollup("county_id", "county__code", "county__name").order_by("county__code")
        return qs.rollup("township_id", "township__code", "township__name", "county__code").order_by(
            "township__code"
        )
    qs = TownshipStanding.objects.filter(scope)
    if county is not None:
        qs = qs.filter(county=county)
    if group_by == GroupBy.COUNTY:
        return qs.by_county()
    return qs.values(
        "township_id",
        "township__code",
        "township__name",
        "county__code",
        "target_quantity",
        "done_quantity",
        "percent",
        "expected_percent",
        "gap",
        "colour",
        "open_findings",
        "overdue_findings",
        targets=F("target_count"),
    ).order_by("township__code")


def normalise(row: dict, group_by: str) -> dict:
    """Map a roll-up row onto the API/table shape."""
    if group_by == GroupBy.TRACK:
        ident, code, name, county = row["track_id"], row["track__code"], row["track__name"], None
    elif group_by == GroupBy.COUNTY:
        ident, code, name, county = (
            row["county_id"],
            row["county__code"],
            row["county__name"],
            row["county__code"],
        )
    else:
        ident, code, name = row["township_id"], row["township__code"], row["township__name"]
        county = row["county__code"]
    return {
        "group_by": group_by,
        "id": ident,
        "code": code,
        "name": name,
        "county": county,
        "targets": row["targets"] or 0,
        "target_quantity": row["target_quantity"] or 0,
        "done_quantity": row["done_quantity"] or 0,
        "percent": row["percent"],
        "expected_percent": row["expected_percent"],
        "gap": row["gap"],
        "colour": row["colour"],
        "open_findings": row["open_findings"] or 0,
        "overdue_findings": row["overdue_findings"] or 0,
    }
