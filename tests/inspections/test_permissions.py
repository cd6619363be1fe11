"""Scope: out of scope is 404; in scope but the wrong role is refused; nothing changes."""

import pytest

from inspections.models import Finding, FindingEvent, Inspection
from tests.inspections.factories import FindingFactory, FindingPhotoFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def finding(township):
    return FindingFactory(township=township, status="submitted")


def test_staff_of_another_township_get_404(client_as, api_as, users, finding):
    photo = FindingPhotoFactory(finding=finding)
    other = users["other_township_staff"]
    client = client_as(other)
    assert client.get(finding.get_absolute_url()).status_code == 404
    assert client.post(f"/inspections/findings/{finding.pk}/submit/", {"note": "x"}).status_code == 404
    assert client.get(f"/inspections/photos/{photo.pk}/thumb/").status_code == 404
    assert client.get("/inspections/findings/").context["paginator"].count == 0
    api = api_as(other)
    assert api.get(f"/api/v1/findings/{finding.pk}/").status_code == 404
    assert api.post(f"/api/v1/findings/{finding.pk}/photos/", {"stage": "after"}).status_code == 404
    assert api_as(users["other_county_official"]).get(f"/api/v1/findings/{finding.pk}/").status_code == 404


def test_township_staff_cannot_verify(client_as, api_as, users, finding):
    staff = users["township_staff"]
    assert (
        client_as(staff).post(f"/inspections/findings/{finding.pk}/verify/", {"note": ""}).status_code == 403
    )
    assert (
        client_as(staff).post(f"/inspections/findings/{finding.pk}/reject/", {"reason": "x"}).status_code
        == 403
    )
    assert client_as(staff).get("/inspections/review/").status_code == 403
    response = api_as(staff).post(f"/api/v1/findings/{finding.pk}/verify/", {}, format="json")
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.status == "submitted" and not FindingEvent.objects.filter(finding=finding).exists()


def test_county_official_cannot_file_for_another_countys_township(client_as, api_as, users, other_township):
    official = users["county_official"]
    data = {
        "township": other_township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-0-description": "越界填报",
        "findings-0-deadline": "2030-01-01",
        "findings-0-severity": "minor",
        "submit": "1",
    }
    response = client_as(official).post("/inspections/new/", data)
    assert response.status_code == 400 and "township" in response.context["form"].errors
    payload = {
        "township": other_township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings": [{"description": "越界填报", "deadline": "2030-01-01"}],
    }
    response = api_as(official).post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 400 and "township" in response.json()
    assert not Inspection.objects.exists() and not Finding.objects.exists()


def test_township_staff_cannot_file(client_as, users, township):
    assert client_as(users["township_staff"]).get("/inspections/new/").status_code == 403


def test_photo_view_serves_in_scope_only(client_as, users, township, make_photo):
    from inspections.services.findings import finding_photos_add

    finding = FindingFactory(township=township)
    (photo,) = finding_photos_add(
        finding_id=finding.pk, by=users["county_official"], files=[make_photo()], stage="before"
    )
    response = client_as(users["township_staff"]).get(f"/inspections/photos/{photo.pk}/original/")
    assert response.status_code == 200
    import hashlib

    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == photo.sha256
    assert client_as(users["other_township_staff"]).get(photo.thumb_url).status_code == 404
