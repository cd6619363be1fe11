"""What standings adds to the township map data (registered in StandingsConfig.ready)."""

from decimal import Decimal

from django.db.models import Aggregate, Count, FloatField
from django.utils.translation import gettext as _

from inspections.models import FindingPhoto
from townships.geo import LAT_RANGE, LON_RANGE

from .models import TownshipStanding


class Median(Aggregate):
    """PostgreSQL's continuous median: robust against one photo taken far from the town."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def standing_feature_properties(township_ids) -> dict[int, dict]:
    """Each township's warning colour and findings, from the rows the warning board reads."""
    rows = TownshipStanding.objects.filter(township_id__in=township_ids).values_list(
        "township_id", "colour", "open_findings", "overdue_findings"
    )
    return {
        pk: {"colour": colour, "open_findings": open_, "overdue_findings": overdue}
        for pk, colour, open_, overdue in rows
    }


def photo_location_suggestion(township):
    """The median EXIF GPS of the township's finding photos taken inside Lishui, or None."""
    found = FindingPhoto.objects.filter(
        finding__township=township,
        latitude__range=LAT_RANGE,
        longitude__range=LON_RANGE,
    ).aggregate(lat=Median("latitude"), lon=Median("longitude"), n=Count("pk"))
    if not found["n"]:
        return None
    q = Decimal("0.000001")
    basis = _("median GPS of %(n)s finding photos") % {"n": found["n"]}
    return Decimal(found["lat"]).quantize(q), Decimal(found["lon"]).quantize(q), basis
