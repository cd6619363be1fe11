"""Issue 15 item 3: items of a draft inspection exist only for whoever may see the draft (its filer).

Pages, their POST actions, the photo files, the exports and the API all read findings through
FindingQuerySet.visible_to, so each door answers the same: 404 for everyone else, nothing changed.
"""

import io

import pytest
from openpyxl import load_workbook

from inspections.models import Finding, FindingEvent
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory

pytestmark = [pytest.mark.django_db]

OTHERS = ("city_office", "county_official", "township_staff", "province")
ACTIONS = ("submit", "verify", "reject", "archive", "restore", "photos", "reply")
API_ACTIONS = ("submit", "verify", "reject", "archive", "restore", "photos")


@pytest.fixture
def draft_item(users, township):
    inspection = InspectionFactory(
        township=township, filed_by=users["inspector"], status="draft", submitted_at=None
    )
    finding = FindingFactory(
        township=township, inspection=inspection, reply_required=True, description="草稿里的问题"
    )
    photo = FindingPhotoFactory(finding=finding, uploaded_by=users["inspector"])
    return inspection, finding, photo


@pytest.mark.parametrize("role", OTHERS)
def test_the_page_and_its_actions_answer_404(client_as, users, draft_item, role):
    inspection, finding, photo = draft_item
    client = client_as(users[role])
    assert client.get(f"/inspections/findings/{finding.pk}/").status_code == 404
    for action in ACTIONS:
        response = client.post(
            f"/inspections/findings/{finding.pk}/{action}/", {"note": "已整改", "reason": "x", "reply": "x"}
        )
        assert response.status_code == 404, action
    assert client.get(f"/inspections/photos/{photo.pk}/thumb/").status_code == 404
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.post(f"/inspections/{inspection.pk}/submit/").status_code == 404
    finding.refresh_from_db()
    assert finding.status == "open" and not finding.archived
    assert not FindingEvent.objects.filter(finding=finding).exclude(kind="created").exists()


@pytest.mark.parametrize("role", OTHERS)
def test_the_api_and_the_lists_agree(client_as, api_as, users, draft_item, role):
    inspection, finding, _photo = draft_item
    FindingFactory(township=finding.township, description="清单上的问题")
    api = api_as(users[role])
    assert api.get(f"/api/v1/findings/{finding.pk}/").status_code == 404
    refused = 403 if role == "province" else 404  # a read-only role is refused any write first
    for action in API_ACTIONS:
        assert api.post(f"/api/v1/findings/{finding.pk}/{action}/", {}).status_code == refused, action
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert finding.pk not in [r["id"] for r in api.get("/api/v1/findings/").json()["results"]]
    client = client_as(users[role])
    assert "草稿里的问题" not in client.get("/inspections/findings/").content.decode()
    export = client.get("/inspections/findings/export/")
    cells = [
        c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row
    ]
    assert "草稿里的问题" not in cells and "清单上的问题" in cells


def test_the_filer_sees_the_draft_and_its_items(client_as, api_as, users, draft_item):
    inspection, finding, photo = draft_item
    inspector = users["inspector"]
    client = client_as(inspector)
    assert client.get(f"/inspections/findings/{finding.pk}/").status_code == 200
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
    assert api_as(inspector).get(f"/api/v1/findings/{finding.pk}/").status_code == 200
    assert list(Finding.objects.visible_to(inspector)) == [finding]
    assert not Finding.objects.visible_to(users["county_official"]).exists()
