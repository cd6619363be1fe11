"""The warning map: county outlines and one dot per township, drawn as server-side SVG.

No tiles, no script: the outlines ship with the app (townships/data/lishui_counties.geojson) and the
page works on an intranet with no internet and prints as it shows. A dot's colour is the township's
TownshipStanding.colour, the same row the warning board reads; its size grows with open findings.
"""

import math

from django.conf import settings
from django.urls import reverse

from townships.geo import county_outlines
from townships.scope import township_filter

from .choices import WarningColour
from .models import TownshipStanding

WIDTH = 640
PAD = 12
MIN_R, MAX_R = 4.0, 16.0


def dot_radius(open_findings: int) -> float:
    """Area grows with the count (radius with its square root), capped so dots stay readable."""
    return round(min(MAX_R, MIN_R + 1.6 * math.sqrt(max(open_findings, 0))), 1)


class _Projection:
    """Equirectangular at the map's mean latitude: at county scale the distortion is below a pixel."""

    def __init__(self, rings):
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - self.lon0) * self.kx
        span_y = self.lat1 - min(lats)
        self.scale = (WIDTH - 2 * PAD) / span_x
        self.height = round(span_y * self.scale + 2 * PAD)

    def __call__(self, lon, lat) -> tuple[float, float]:
        return (
            round(PAD + (float(lon) - self.lon0) * self.kx * self.scale, 1),
            round(PAD + (self.lat1 - float(lat)) * self.scale, 1),
        )


def _path(ring, project) -> str:
    return "M" + "L".join("{},{}".format(*project(lon, lat)) for lon, lat in ring[:-1]) + "Z"


def warning_map(user, county=None) -> dict:
    """Outlines, dots and the table rows of the map (one query: the standings in scope)."""
    features = county_outlines()["features"]
    if county is not None:
        features = [f for f in features if f["properties"]["code"] == county.code] or features
    rings = [ring for f in features for ring in f["geometry"]["coordinates"]]
    project = _Projection(rings)
    standings = TownshipStanding.objects.filter(township_filter(user, prefix="township__"))
    if county is not None:
        standings = standings.filter(county=county)
    rows = list(
        standings.order_by("county__code", "township__code").values(
            "township_id",
            "township__name",
            "township__latitude",
            "township__longitude",
            "county__name",
            "colour",
            "open_findings",
            "overdue_findings",
        )
    )
    dots = []
    for row in rows:
        row["url"] = reverse("townships:township_detail", args=[row["township_id"]])
        if row["township__latitude"] is None or row["township__longitude"] is None:
            continue
        x, y = project(row["township__longitude"], row["township__latitude"])
        dots.append({**row, "x": x, "y": y, "r": dot_radius(row["open_findings"])})
    # Big dots first, so a small one is never hidden under a big neighbour.
    dots.sort(key=lambda d: -d["r"])
    outlines = []
    for f in features:
        lx, ly = project(*f["properties"]["label_point"])
        outlines.append(
            {
                "code": f["properties"]["code"],
                "name": f["properties"]["name"],
                "d": "".join(_path(ring, project) for ring in f["geometry"]["coordinates"]),
                "label_x": lx,
                "label_y": ly,
            }
        )
    return {
        "width": WIDTH,
        "height": project.height,
        "outlines": outlines,
        "dots": dots,
        "rows": table_rows(rows),
        "more": max(0, len(rows) - settings.MAP_TABLE_ROWS),
        "unlocated": len(rows) - len(dots),
    }


SEVERITY = {WarningColour.RED: 0, WarningColour.YELLOW: 1, WarningColour.BLUE: 2}


def table_rows(rows: list[dict]) -> list[dict]:
    """Every township in registry order, or past settings.MAP_TABLE_ROWS (a province-wide view) the
    most urgent ones: red before yellow before blue, more open findings first; the warning board
    lists them all."""
    if len(rows) <= settings.MAP_TABLE_ROWS:
        return rows
    urgent = sorted(rows, key=lambda r: (SEVERITY.get(r["colour"], 3), -r["open_findings"]))
    return urgent[: settings.MAP_TABLE_ROWS]
