"""Issue 19: an Idempotency-Key makes a resent POST replay the first answer (API and pages)."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.idempotency import purge_expired
from core.models import SubmissionToken
from inspections.models import Finding, FindingPhoto, Inspection

from .conftest import jpeg_bytes

pytestmark = [pytest.mark.django_db]


def _payload(township, description="河道垃圾"):
    return {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings": [{"description": description, "deadline": "2030-01-31"}],
    }


def test_a_replayed_key_returns_the_first_answer_and_creates_nothing(api_as, users, township):
    api = api_as(users["county_official"])
    key = str(uuid.uuid4())
    first = api.post("/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Inspection.objects.count() == 1 and Finding.objects.count() == 1
    # A new key is a new filing.
    other = api.post(
        "/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert other.status_code == 201 and Inspection.objects.count() == 2


def test_the_same_key_with_a_different_body_answers_422(api_as, users, township):
    api = api_as(users["county_official"])
    key = str(uuid.uuid4())
    assert (
        api.post(
            "/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=key
        ).status_code
        == 201
    )
    different = api.post(
        "/api/v1/inspections/", _payload(township, "线缆乱拉"), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert different.status_code == 422
    assert "Idempotency-Key" in different.json()["detail"]
    assert Inspection.objects.count() == 1 and not Finding.objects.filter(description="线缆乱拉").exists()


def test_a_key_still_running_answers_409(api_as, users, township):
    official = users["county_official"]
    key = uuid.uuid4()
    SubmissionToken.objects.create(token=key, user=official, state=SubmissionToken.State.RUNNING)
    api = api_as(official)
    response = api.post(
        "/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=str(key)
    )
    assert response.status_code == 409 and response["Retry-After"]
    assert not Inspection.objects.exists()


def test_a_key_of_a_request_that_died_long_ago_can_be_used_again(api_as, users, township, settings):
    official = users["county_official"]
    key = uuid.uuid4()
    row = SubmissionToken.objects.create(token=key, user=official, state=SubmissionToken.State.RUNNING)
    SubmissionToken.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=settings.IDEMPOTENCY_STALE_SECONDS + 1)
    )
    response = api_as(official).post(
        "/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=str(key)
    )
    assert response.status_code == 201 and Inspection.objects.count() == 1


def test_an_error_answer_frees_the_key(api_as, users, township):
    api = api_as(users["county_official"])
    key = str(uuid.uuid4())
    bad = {**_payload(township), "inspected_on": ""}
    assert api.post("/api/v1/inspections/", bad, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 400
    assert not SubmissionToken.objects.exists()
    fixed = api.post("/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert fixed.status_code == 201


def test_a_key_is_the_senders_own(api_as, users, township, lishui):
    key = str(uuid.uuid4())
    payload = _payload(township)
    assert (
        api_as(users["county_official"])
        .post("/api/v1/inspections/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
        .status_code
        == 201
    )
    # Another user's request with that key is refused, never handed the first user's answer.
    response = api_as(users["city_office"]).post(
        "/api/v1/inspections/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 422 and Inspection.objects.count() == 1


def test_a_key_that_is_not_a_uuid_answers_400(api_as, users, township):
    response = api_as(users["county_official"]).post(
        "/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert response.status_code == 400 and not Inspection.objects.exists()


def test_photo_uploads_replay_by_key_and_are_deduped_by_content(api_as, users, township):
    api = api_as(users["county_official"])
    assert api.post("/api/v1/inspections/", _payload(township), format="json").status_code == 201
    finding = Finding.objects.get()
    url = f"/api/v1/findings/{finding.pk}/photos/"
    content = jpeg_bytes(color=(1, 2, 3))
    key = str(uuid.uuid4())

    def upload(name="a.jpg", data=content, **extra):
        photo = SimpleUploadedFile(name, data, content_type="image/jpeg")
        return api.post(url, {"stage": "before", "photos": [photo]}, **extra)

    first = upload(HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    # The same multipart body sent again (a new boundary) is the same request: replayed.
    again = upload(HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    # Without a key, the same photo again is recognised by its SHA-256 and not stored twice.
    third = upload("copy.jpg")
    assert third.status_code == 201
    assert FindingPhoto.objects.filter(finding=finding).count() == 1
    assert upload(data=jpeg_bytes(color=(9, 9, 9))).status_code == 201
    assert FindingPhoto.objects.filter(finding=finding).count() == 2


def test_page_forms_replay_by_key(client_as, users, township):
    client = client_as(users["county_official"])
    data = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
        "findings-0-description": "垃圾堆放未清理",
        "findings-0-deadline": "2030-06-30",
        "findings-0-severity": "minor",
        "submit": "1",
    }
    key = str(uuid.uuid4())
    first = client.post("/inspections/new/", data, HTTP_IDEMPOTENCY_KEY=key)
    # The outbox gives every send a fresh page token; the key is what ties the sends together.
    second = client.post(
        "/inspections/new/", {**data, "submission_token": str(uuid.uuid4())}, HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == Inspection.objects.get().get_absolute_url()


def test_answers_are_forgotten_after_the_ttl(api_as, users, township, settings):
    api = api_as(users["county_official"])
    key = str(uuid.uuid4())
    api.post("/api/v1/inspections/", _payload(township), format="json", HTTP_IDEMPOTENCY_KEY=key)
    SubmissionToken.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS, seconds=1)
    )
    assert purge_expired() == 1 and not SubmissionToken.objects.exists()


def test_the_schema_documents_the_header_and_its_answers(api_as, users):
    schema = api_as(users["city_office"]).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/inspections/"]["post"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header" and header["schema"]["format"] == "uuid"
    assert {"409", "422"} <= set(operation["responses"])
    assert "Idempotency-Key" not in str(schema["paths"]["/api/v1/findings/"]["get"].get("parameters", []))


def test_a_photo_with_gps_places_an_item_filed_without_coordinates(client_as, users, township, gps_photo):
    data = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
        "findings-0-description": "路灯损坏",
        "findings-0-deadline": "2030-06-30",
        "findings-0-severity": "minor",
        "findings-0-photos": [gps_photo],
        "submit": "1",
    }
    assert client_as(users["county_official"]).post("/inspections/new/", data).status_code == 302
    finding = Finding.objects.get()
    assert (str(finding.latitude), str(finding.longitude)) == ("28.290000", "119.795000")


def test_without_script_a_form_error_names_the_photos_to_choose_again(client_as, users, township, make_photo):
    data = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "100",
        "findings-0-description": "路灯损坏",
        "findings-0-deadline": "",
        "findings-0-severity": "minor",
        "findings-0-photos": [make_photo("河道.jpg"), make_photo("路灯.jpg")],
        "submit": "1",
    }
    response = client_as(users["county_official"]).post("/inspections/new/", data)
    assert response.status_code == 400
    assert "照片尚未保存，请重新选择：河道.jpg、路灯.jpg" in response.content.decode()


def test_a_body_over_the_limit_with_a_key_still_answers_413(api_as, users, township, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    finding_photos = [
        SimpleUploadedFile(f"{n}.jpg", jpeg_bytes(color=(n, n, n)), content_type="image/jpeg")
        for n in range(3)
    ]
    api = api_as(users["county_official"])
    api.post("/api/v1/inspections/", _payload(township), format="json")
    finding = Finding.objects.get()
    response = api.post(
        f"/api/v1/findings/{finding.pk}/photos/",
        {"stage": "before", "photos": finding_photos},
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 413 and not SubmissionToken.objects.exists()
