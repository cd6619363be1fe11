"""The grid intake flow through the API as a source system's account (issue 21, build 1)."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from inspections.models import Finding, FindingPhoto
from inspections.services.findings import finding_submit, finding_verify
from intake.models import GridEvent, IntakeSource
from tests.factories import make_member, track
from tests.inspections.conftest import jpeg_bytes
from tests.inspections.factories import FindingFactory
from townships.choices import Role
from townships.models import County

pytestmark = [pytest.mark.django_db]
EVENTS = "/api/v1/intake/events/"


def photo(name="grid.jpg", color=(200, 40, 40)):
    return SimpleUploadedFile(name, jpeg_bytes(color=color), content_type="image/jpeg")


def test_create_duplicate_accept_and_follow_the_finding(
    api_as, client_as, grid_client, users, township, payload
):
    api = api_as(grid_client)
    body = payload()
    created = api.post(EVENTS, {**body, "photos": [photo()]}, format="multipart")
    assert created.status_code == 201, created.json()
    event = created.json()
    assert event["status"] == "pending" and event["finding"] is None
    assert event["township_code"] == "331102100" and event["track"] == "road_occupation"
    assert len(event["photos"]) == 1
    sha = event["photos"][0]["sha256"]

    # A retry of the same report (even with other content) answers the first event, 200, nothing new.
    again = api.post(EVENTS, {**body, "description": "重发"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == event["id"] and again.json()["description"] == body["description"]
    assert GridEvent.objects.count() == 1

    # The county official accepts it on the triage page.
    official = client_as(users["county_official"])
    answer = official.post(
        f"/intake/{event['id']}/accept/",
        {
            "description": body["description"],
            "track": track("road_occupation").pk,
            "severity": "major",
            "deadline": "2030-06-30",
            "responsible_person": "碧湖镇城管中队",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    finding = Finding.objects.get(grid_events__pk=event["id"])
    assert finding.source == "grid" and finding.township == township and finding.severity == "major"
    assert finding.latitude is not None and finding.location == body["address"]
    # Photos kept: the same bytes became the finding's before photo.
    assert list(FindingPhoto.objects.filter(finding=finding).values_list("stage", "sha256")) == [
        ("before", sha)
    ]

    # On the township's rectification list, with source 网格员.
    staff = client_as(users["township_staff"])
    page = staff.get(f"/inspections/findings/?township={township.pk}&source=grid")
    assert page.status_code == 200 and body["description"] in page.content.decode()
    listed = api_as(users["township_staff"]).get("/api/v1/findings/", {"source": "grid"}).json()
    assert [row["id"] for row in listed["results"]] == [finding.pk]

    # The sending system reads the outcome and the finding's status, which follows the workflow.
    seen = api.get(f"{EVENTS}{event['id']}/").json()
    assert seen["status"] == "accepted"
    assert seen["finding"]["id"] == finding.pk and seen["finding"]["status"] == "open"
    finding_submit(
        finding_id=finding.pk, by=users["township_staff"], note="已清理", photos=[photo("after.jpg")]
    )
    finding_verify(finding_id=finding.pk, by=users["county_official"])
    seen = api.get(f"{EVENTS}{event['id']}/").json()
    assert seen["finding"]["status"] == "closed" and seen["finding"]["closed_at"]

    # A second accept (a double click, a retry) changes nothing.
    official = client_as(users["county_official"])
    twice = official.post(
        f"/intake/{event['id']}/accept/", {"description": "x", "severity": "minor", "deadline": "2030-06-30"}
    )
    assert twice.status_code == 400
    assert Finding.objects.filter(source="grid").count() == 1


def test_merge_into_an_open_item_nearby(api_as, client_as, grid_client, users, township, payload):
    near = FindingFactory(
        township=township, track=track("road_occupation"), latitude="28.290100", longitude="119.795000"
    )
    far = FindingFactory(
        township=township, track=track("road_occupation"), latitude="28.300000", longitude="119.795000"
    )
    other_track = FindingFactory(township=township, track=track("sanitation"))
    api = api_as(grid_client)
    event = api.post(EVENTS, {**payload(), "photos": [photo()]}, format="multipart").json()

    official = client_as(users["county_official"])
    page = official.get(f"/intake/{event['id']}/").content.decode()
    suggested = page.split("suggested", 1)  # the page marks what lies within 50 m
    assert f"#{near.pk} " in page and f"#{far.pk} " in page and f"#{other_track.pk} " not in page
    assert len(suggested) == 2 or "建议" in page
    candidates = page[page.index("merge") :]
    assert candidates.index(f"#{near.pk} ") < candidates.index(f"#{far.pk} ")  # nearest first

    # Another track's item is not a choice.
    refused = official.post(f"/intake/{event['id']}/merge/", {"finding": other_track.pk})
    assert refused.status_code == 400
    answer = official.post(f"/intake/{event['id']}/merge/", {"finding": near.pk})
    assert answer.status_code == 302
    seen = api.get(f"{EVENTS}{event['id']}/").json()
    assert seen["status"] == "merged" and seen["finding"]["id"] == near.pk
    assert near.photos.filter(stage="before").count() == 1
    merged = near.events.get(kind="merged")  # on the item's timeline, with the report's id
    assert event["external_id"] in merged.note and merged.actor == users["county_official"]
    assert Finding.objects.count() == 3


def test_reject_with_a_reason(api_as, client_as, grid_client, users, payload):
    api = api_as(grid_client)
    event = api.post(EVENTS, payload(), format="json").json()
    official = client_as(users["county_official"])
    assert official.post(f"/intake/{event['id']}/reject/", {"reason": ""}).status_code == 400
    assert (
        official.post(f"/intake/{event['id']}/reject/", {"reason": "非整治范围，已转交村委"}).status_code
        == 302
    )
    seen = api.get(f"{EVENTS}{event['id']}/").json()
    assert seen["status"] == "rejected" and seen["reject_reason"] == "非整治范围，已转交村委"
    assert seen["finding"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"external_id": ""}, "external_id"),
        ({"township_code": "331181001"}, "township_code"),  # 龙泉: outside the account's scope
        ({"township_code": "999999999"}, "township_code"),
        ({"track": "nonsense"}, "track"),
        ({"latitude": "91"}, "latitude"),
        ({"longitude": None}, "longitude"),  # latitude without longitude
        ({"source_system": "someone-else"}, "source_system"),
        ({"reported_at": "2099-01-01T00:00:00+08:00"}, "reported_at"),
        ({"reported_at": "yesterday"}, "reported_at"),
        ({"description": ""}, "description"),
    ],
)
def test_bad_payloads_answer_400_with_the_field(api_as, grid_client, payload, change, field):
    answer = api_as(grid_client).post(EVENTS, {**payload(), **change}, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json(), answer.json()
    assert not GridEvent.objects.exists()


def test_a_bad_photo_refuses_the_event(api_as, grid_client, payload):
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    answer = api_as(grid_client).post(EVENTS, {**payload(), "photos": [photo(), bad]}, format="multipart")
    assert answer.status_code == 400 and "photos" in answer.json()
    assert not GridEvent.objects.exists()


def test_missing_fields_and_non_objects(api_as, grid_client):
    api = api_as(grid_client)
    answer = api.post(EVENTS, {}, format="json")
    assert answer.status_code == 400
    assert {"source_system", "external_id", "township_code", "reported_at", "reporter", "description"} <= set(
        answer.json()
    )
    assert api.post(EVENTS, [1, 2], format="json").status_code == 400


def test_intake_token_reads_only_its_own_townships_events_and_writes_nothing_else(
    api_as, client_as, grid_client, users, payload, lishui
):
    longquan = make_member(Role.API_CLIENT, username="longquan-4p", county=County.objects.get(code="331181"))
    IntakeSource.objects.create(code="longquan-4p", name="龙泉市基层治理四平台", client=longquan)
    theirs = api_as(longquan).post(
        EVENTS, payload(source_system="longquan-4p", township_code="331181001"), format="json"
    )
    assert theirs.status_code == 201
    api = api_as(grid_client)
    mine = api.post(EVENTS, payload(), format="json").json()

    assert api.get(f"{EVENTS}{theirs.json()['id']}/").status_code == 404
    assert [row["id"] for row in api.get(EVENTS).json()["results"]] == [mine["id"]]
    # Not a way to send for another system's township either.
    assert api.post(EVENTS, payload(source_system="longquan-4p"), format="json").status_code == 400

    finding = FindingFactory(township=lishui.get(code="331102100"), status="submitted")
    assert api.post(f"/api/v1/findings/{finding.pk}/verify/", {}, format="json").status_code == 403
    assert api.post("/api/v1/inspections/", {}, format="json").status_code == 403
    assert api.post("/api/v1/yellow-cards/", {}, format="json").status_code == 403
    # The triage page refuses its role.
    page = client_as(grid_client).post(f"/intake/{mine['id']}/accept/", {"deadline": "2030-01-01"})
    assert page.status_code == 403
    assert GridEvent.objects.get(pk=mine["id"]).status == "pending"


def test_the_read_only_api_client_stays_read_only(api_as, users, grid_client, payload):
    answer = api_as(users["api_client"]).post(EVENTS, payload(), format="json")
    assert answer.status_code == 403
    assert api_as(users["county_official"]).post(EVENTS, payload(), format="json").status_code == 403
    # A source that is switched off no longer sends.
    IntakeSource.objects.filter(code="liandu-4p").update(active=False)
    assert api_as(grid_client).post(EVENTS, payload(), format="json").status_code == 403


def test_officials_read_the_queue_in_their_scope(api_as, users, grid_client, payload):
    event = api_as(grid_client).post(EVENTS, payload(), format="json").json()
    assert api_as(users["county_official"]).get(f"{EVENTS}{event['id']}/").status_code == 200
    assert api_as(users["other_county_official"]).get(f"{EVENTS}{event['id']}/").status_code == 404
    rows = api_as(users["county_official"]).get(EVENTS, {"status": "pending", "county": "331102"}).json()
    assert rows["count"] == 1
    assert api_as(users["county_official"]).get(EVENTS, {"status": "nonsense"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_event(api_as, grid_client, payload, settings, tmp_path):
    """Four deliveries of one report at once: one 201, three 200 with the same id, one row."""
    body = payload()
    barrier = threading.Barrier(4)
    answers = []

    def send():
        try:
            api = api_as(grid_client)
            barrier.wait()
            response = api.post(EVENTS, body, format="json")
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in answers) == [200, 200, 200, 201]
    assert len({pk for _, pk in answers}) == 1
    assert GridEvent.objects.count() == 1


def test_schema_documents_the_intake_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/intake/events/"]["post"]
    assert {"201", "200", "400", "403"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "/api/v1/intake/events/{id}/" in schema["paths"]


def test_event_dates_are_real_dates(api_as, grid_client, payload):
    event = api_as(grid_client).post(EVENTS, payload(), format="json").json()
    assert datetime.datetime.fromisoformat(event["received_at"])
