"""Township map points: set by the county office, imported from .xlsx, suggested from photo GPS."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from inspections.models import FindingPhoto
from tests.standings.factories import finding
from townships.models import Township

pytestmark = [pytest.mark.django_db]


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["乡镇代码", "纬度", "经度"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "locations.xlsx"
    return buffer


def test_county_office_sets_a_location_and_others_may_not(client_as, users, township, other_township):
    client = client_as(users["county_official"])
    url = f"/townships/{township.pk}/location/"
    assert client.post(url, {"latitude": "28.3512", "longitude": "119.7812"}).status_code == 302
    township.refresh_from_db()
    assert (township.latitude, township.longitude) == (Decimal("28.351200"), Decimal("119.781200"))
    assert township.history.count() >= 2  # the edit is in the township's history
    assert client.post(url, {"latitude": "39.9", "longitude": "116.4"}).status_code == 400  # Beijing
    assert client.post(url, {"latitude": "28.35"}).status_code == 400  # one without the other
    assert client.get(f"/townships/{other_township.pk}/location/").status_code == 404
    assert client_as(users["township_staff"]).get(url).status_code == 403


def test_location_import_refuses_the_whole_file_with_line_numbers(client_as, users, township):
    client = client_as(users["county_official"])
    upload = _xlsx([["331102100", 28.35, 119.78], ["331102101", "28.4", "abc"], ["331181001", 28.0, 119.1]])
    response = client.post("/townships/locations/import/", {"file": upload})
    errors = response.context["errors"]
    assert [e.split("：")[0] for e in errors] == ["第 3 行", "第 4 行"]
    assert not Township.objects.filter(latitude__isnull=False).exists()
    response = client.post("/townships/locations/import/", {"file": _xlsx([["331102100", 28.35, 119.78]])})
    assert [r["township"] for r in response.context["preview"]] == ["碧湖镇"]
    assert (
        client.post("/townships/locations/import/", {"payload": response.context["payload"]}).status_code
        == 302
    )
    assert Township.objects.get(pk=township.pk).latitude == Decimal("28.350000")


def _photo(f, lat, lon, user):
    return FindingPhoto.objects.create(
        finding=f,
        stage="before",
        original="x.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        image="x.jpg",
        thumbnail="x.jpg",
        width=1,
        height=1,
        latitude=lat,
        longitude=lon,
        uploaded_by=user,
    )


def test_suggestion_is_the_median_photo_gps_for_an_official_to_confirm(client_as, users, township):
    f = finding(township)
    for lat, lon in [("28.30", "119.70"), ("28.31", "119.71"), ("28.32", "119.72"), ("39.90", "116.40")]:
        _photo(f, Decimal(lat), Decimal(lon), users["inspector"])
    client = client_as(users["county_official"])
    response = client.get(f"/townships/{township.pk}/location/")
    lat, lon, basis = response.context["suggestion"]
    assert (lat, lon) == (Decimal("28.310000"), Decimal("119.710000"))  # the photo in Beijing is left out
    assert "3" in basis
    township.refresh_from_db()
    assert township.latitude is None  # nothing changes until the official confirms
    client.post(f"/townships/{township.pk}/location/", {"latitude": lat, "longitude": lon})
    township.refresh_from_db()
    assert township.latitude == lat
