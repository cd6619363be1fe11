"""The warning map: dots in the warning board's colours, sized by open findings; the GeoJSON answer."""

import datetime
import json
import re
from decimal import Decimal

import geojson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standings.maps import dot_radius
from standings.models import TownshipStanding
from standings.services import standings_refresh, standings_refresh_and_snapshot
from tests.factories import ProgressReportFactory, TargetFactory, track
from tests.standings.factories import AS_OF, DUE, START, finding
from townships.geo import county_outlines

pytestmark = [pytest.mark.django_db]

DOT = re.compile(r'data-township="(\d+)" data-colour="(\w+)" data-open="(\d+)"')


def locate_all(townships):
    """Every township a point south of its county's label point (a small deterministic grid)."""
    points = {f["properties"]["code"]: f["properties"]["label_point"] for f in county_outlines()["features"]}
    for i, t in enumerate(townships.select_related("county").order_by("code")):
        lon, lat = points[t.county.code]
        t.latitude = Decimal(str(round(lat - 0.1 + (i % 5 - 2) * 0.02, 6)))
        t.longitude = Decimal(str(round(lon + (i // 5 % 5 - 2) * 0.02, 6)))
        t.save(update_fields=["latitude", "longitude"])


@pytest.fixture
def warned(lishui):
    """莲都区's first 12 townships behind (0 % done), a little behind (30 %) or on track (60 %) at 50 %
    expected, some with open findings; every Lishui township located."""
    liandu = list(lishui.filter(county__code="331102").order_by("code")[:12])
    for i, t in enumerate(liandu):
        target = TargetFactory(
            township=t, track=track("sanitation"), quantity=Decimal(100), start_date=START, due_date=DUE
        )
        ProgressReportFactory(
            target=target,
            reported_on=AS_OF - datetime.timedelta(days=1),
            cumulative_quantity=Decimal((0, 30, 60)[i % 3]),
        )
        for _ in range(i % 4):
            finding(t)
    locate_all(lishui)
    standings_refresh_and_snapshot(as_of=AS_OF)
    return liandu


def _dots(html: str) -> dict[int, tuple[str, int]]:
    return {int(pk): (colour, int(n)) for pk, colour, n in DOT.findall(html)}


def test_dots_take_the_warning_boards_colours(client_as, users, warned):
    html = client_as(users["city_office"]).get("/").content.decode()
    dots = _dots(html)
    standings = {s.township_id: (s.colour, s.open_findings) for s in TownshipStanding.objects.all()}
    assert len(dots) == 173 and dots == standings
    assert {"red", "yellow", "blue"} <= {c for c, _ in dots.values()}
    # the warning board of the period (snapshots) agrees township by township
    board = client_as(users["city_office"]).get("/standings/warnings/", {"county": "331102"}).content.decode()
    rows = re.findall(
        r'badge badge--(red|yellow|blue)">[^<]*</span>\s*</td><td><a href="/townships/(\d+)/"', board
    )
    assert rows and all(dots[int(pk)][0] == colour for colour, pk in rows)


TABLE_ROW = re.compile(r'<tr data-township="(\d+)" data-colour="(\w+)">')


def test_a_long_table_lists_the_most_urgent_and_points_to_the_board(client_as, users, warned, settings):
    """Past MAP_TABLE_ROWS (a province-wide view) the table keeps the reds first, then the yellows,
    most open findings first, and sends the reader to the warning board for the rest; the map still
    draws every township. A city's 173 fit under the default, so its table lists them all."""
    client = client_as(users["city_office"])
    assert len(TABLE_ROW.findall(client.get("/").content.decode())) == 173
    settings.MAP_TABLE_ROWS = 5
    html = client.get("/").content.decode()
    shown = [(int(pk), colour) for pk, colour in TABLE_ROW.findall(html)]
    standings = {
        s.township_id: s for s in TownshipStanding.objects.order_by("county__code", "township__code")
    }
    severity = {"red": 0, "yellow": 1, "blue": 2}
    # a tie keeps the registry order
    urgent = sorted(standings.values(), key=lambda s: (severity[s.colour], -s.open_findings))
    assert [pk for pk, _ in shown] == [s.township_id for s in urgent[:5]]
    assert all(standings[pk].colour == colour for pk, colour in shown)
    assert len(_dots(html)) == 173
    assert "仅列出最紧迫的乡镇；其余 168 个见" in html and 'href="/standings/warnings/"' in html


def test_dot_size_grows_with_open_findings(client_as, users, warned):
    html = client_as(users["city_office"]).get("/").content.decode()
    sized = re.findall(r'r="([\d.]+)" data-township="(\d+)"', html)
    radii = {int(pk): float(r) for r, pk in sized}
    for t in warned:
        assert radii[t.pk] == dot_radius(TownshipStanding.objects.get(pk=t.pk).open_findings)
    assert dot_radius(0) < dot_radius(1) < dot_radius(3) <= dot_radius(10_000) == 16.0


def test_county_page_shows_its_outline_and_townships(client_as, users, warned):
    html = client_as(users["county_official"]).get("/standings/counties/331102/").content.decode()
    assert re.findall(r'class="map-county" d="[^"]+" data-county="(\d+)"', html) == ["331102"]
    assert set(_dots(html)) == set(
        TownshipStanding.objects.filter(county__code="331102").values_list("township_id", flat=True)
    )
    # each dot links to its township
    assert f'href="/townships/{warned[0].pk}/" class="map-dot-link"' in html


def test_geojson_answer_is_valid_rfc7946(api_as, users, warned):
    response = api_as(users["api_client"]).get("/api/v1/townships/", {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    collection = geojson.loads(response.content)
    assert collection.is_valid, collection.errors()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 173
    for feature in data["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and 118 < lon < 121 and 27 < lat < 30  # lon first
        assert feature["properties"]["colour"] in ("red", "yellow", "blue")
    # filters apply as on the JSON list
    county = api_as(users["api_client"]).get("/api/v1/townships/", {"format": "geojson", "county": "331102"})
    assert {f["properties"]["county"] for f in json.loads(county.content)["features"]} == {"331102"}


def test_shipped_county_outlines_are_valid_rfc7946():
    data = county_outlines()
    collection = geojson.loads(json.dumps(data))
    assert collection.is_valid, collection.errors()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes == {"331102", "331121", "331122", "331123", "331124", "331125", "331126", "331127", "331181"}
    for f in data["features"]:
        ring = f["geometry"]["coordinates"][0]
        area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2
        assert ring[0] == ring[-1] and area > 0  # closed, exterior counterclockwise (RFC 7946 §3.1.6)


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url,params", [("/api/v1/townships/", {"format": "geojson"}), ("/standings/counties/331102/", {})]
)
def test_map_queries_do_not_grow_with_townships(client_as, users, lishui, url, params):
    client = client_as(users["city_office"])
    one = lishui.filter(code="331102100")
    locate_all(one)
    standings_refresh(as_of=AS_OF, township_ids=list(one.values_list("pk", flat=True)))
    small = _count(client, url, **params)
    locate_all(lishui)
    standings_refresh(as_of=AS_OF)
    large = _count(client, url, **params)
    assert small == large, (small, large)


def test_located_points_move_the_overview_cache(client_as, users, warned):
    client = client_as(users["city_office"])
    first = _dots(client.get("/").content.decode())
    t = warned[0]
    t.latitude, t.longitude = None, None
    t.save(update_fields=["latitude", "longitude"])
    assert t.pk in first and t.pk not in _dots(client.get("/").content.decode())


def test_geojson_errors_keep_the_api_error_shape(client, api_as, users, lishui):
    anonymous = client.get("/api/v1/townships/", {"format": "geojson"})
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/json"
    assert "detail" in json.loads(anonymous.content)
    detail = api_as(users["city_office"]).get(
        f"/api/v1/townships/{lishui.first().pk}/", {"format": "geojson"}
    )
    assert detail.status_code == 404  # a single township has no GeoJSON form
