"""Geography: the county outlines shipped with the app and the township points of the map.

Higher apps add to a township's map feature without townships importing them (like core.panels):

    from townships.geo import register_feature_properties
    register_feature_properties(provider)   # provider(township_ids) -> {township id: {name: value}}

and suggest a township's location for an official to confirm:

    register_location_suggester(suggester)  # suggester(township) -> (latitude, longitude, basis) | None
"""

import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

OUTLINES = Path(__file__).parent / "data" / "lishui_counties.geojson"

# The rough box of Lishui (with a margin): a coordinate outside it is a typo or another city.
LAT_RANGE = (Decimal("27.0"), Decimal("29.5"))
LON_RANGE = (Decimal("118.3"), Decimal("120.8"))

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def coordinate_fields(*, checked: bool = True) -> tuple[models.DecimalField, models.DecimalField]:
    """A place's latitude and longitude, both optional, to six decimals (about 0.1 m).

    `checked`: the model refuses values off the globe, for coordinates a person or a source system
    sends; the registry's own and those read from a photo's EXIF are kept as they are.
    """
    latitude, longitude = (LATITUDE, LONGITUDE) if checked else ([], [])
    return (
        models.DecimalField(
            _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=latitude
        ),
        models.DecimalField(
            _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=longitude
        ),
    )


_property_providers: list[Callable] = []
_suggesters: list[Callable] = []


@cache
def county_outlines() -> dict:
    """The simplified county polygons (a file that ships with the code, read once per process)."""
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def register_feature_properties(provider: Callable) -> None:
    if provider not in _property_providers:
        _property_providers.append(provider)


def register_location_suggester(suggester: Callable) -> None:
    if suggester not in _suggesters:
        _suggesters.append(suggester)


def feature_properties(township_ids: list[int]) -> dict[int, dict]:
    """What the registered providers add to each township's feature (one query per provider)."""
    extra: dict[int, dict] = {pk: {} for pk in township_ids}
    for provider in _property_providers:
        for pk, values in provider(township_ids).items():
            extra.setdefault(pk, {}).update(values)
    return extra


def location_suggestion(township):
    """The first suggester's (latitude, longitude, basis) for this township, or None."""
    for suggester in _suggesters:
        found = suggester(township)
        if found:
            return found
    return None


def plausible_location(latitude, longitude) -> bool:
    return LAT_RANGE[0] <= latitude <= LAT_RANGE[1] and LON_RANGE[0] <= longitude <= LON_RANGE[1]


def township_feature_collection(rows: list[dict]) -> dict:
    """An RFC 7946 FeatureCollection: one Point per township with coordinates (lon, lat order)."""
    located = [r for r in rows if r["latitude"] is not None and r["longitude"] is not None]
    extra = feature_properties([r["id"] for r in located])
    features = []
    for row in located:
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        properties.update(extra.get(row["id"], {}))
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
