"""Issue 15 item 8: unbounded input is refused with a clear 400/413 before any work, nothing stored."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from inspections.models import Finding, FindingPhoto, Inspection
from tests.inspections.conftest import jpeg_bytes
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]


def inspection(township, **extra):
    finding = {"description": "垃圾乱堆", "deadline": "2027-06-30", "track": "sanitation"}
    return {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings": [finding],
        **extra,
    }


def test_a_ten_megabyte_description_is_a_413_and_a_long_one_a_400(api_as, users, township):
    api = api_as(users["county_official"])
    body = inspection(township)
    body["findings"][0]["description"] = "脏" * (10 * 1024 * 1024 // 3)
    response = api.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 413 and "5 MB" in response.json()["detail"]
    body["findings"][0]["description"] = "脏" * 5001
    response = api.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "5000" in str(response.json()["findings"])
    assert not Inspection.objects.exists()


def test_reject_reasons_and_notes_are_bounded_in_the_api_and_the_page(api_as, client_as, users, township):
    finding = FindingFactory(township=township, status="submitted")
    long_reason = "未" * 5001
    response = api_as(users["county_official"]).post(
        f"/api/v1/findings/{finding.pk}/reject/", {"reason": long_reason}, format="json"
    )
    assert response.status_code == 400 and "5000" in str(response.json()["reason"])
    page = client_as(users["county_official"]).post(
        f"/inspections/findings/{finding.pk}/reject/", {"reason": long_reason}
    )
    assert page.status_code in (200, 400) and "5000" in page.content.decode()
    finding.refresh_from_db()
    assert finding.status == "submitted"


def test_at_most_a_hundred_nested_findings(api_as, users, township, settings):
    assert settings.INSPECTION_MAX_FINDINGS == 100
    body = inspection(township)
    body["findings"] = body["findings"] * 101
    response = api_as(users["county_official"]).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400 and "100" in str(response.json()["findings"])
    assert not Finding.objects.exists()
    body["findings"] = body["findings"][:100]
    assert (
        api_as(users["county_official"]).post("/api/v1/inspections/", body, format="json").status_code == 201
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-01-01", "2099-01-01"])
def test_implausible_dates_are_refused_everywhere(api_as, client_as, users, township, day):
    api = api_as(users["county_official"])
    response = api.post("/api/v1/inspections/", inspection(township, inspected_on=day), format="json")
    assert response.status_code == 400 and "2000-01-01" in str(response.json()["inspected_on"])
    body = inspection(township)
    body["findings"][0]["deadline"] = day
    response = api.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400 and "2000-01-01" in str(response.json()["findings"])
    page = client_as(users["county_official"]).post(
        "/inspections/new/",
        {
            "township": township.pk,
            "inspected_on": day,
            "mode": "open",
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
        },
    )
    assert "2000-01-01" in page.content.decode()
    assert not Inspection.objects.exists()


def test_a_body_over_the_form_limit_answers_json_413_in_the_api(api_as, users, township, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    finding = FindingFactory(township=township)
    response = api_as(users["township_staff"]).post(
        f"/api/v1/findings/{finding.pk}/submit/",
        {"note": "整" * 20_000, "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "MB" in response.json()["detail"]


def test_uploads_over_the_request_total_are_refused(api_as, client_as, users, township, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    finding = FindingFactory(township=township)
    big = [
        SimpleUploadedFile(f"{n}.jpg", b"\xff\xd8" + bytes(800_000), content_type="image/jpeg")
        for n in range(3)
    ]
    response = api_as(users["township_staff"]).post(f"/api/v1/findings/{finding.pk}/photos/", {"photos": big})
    assert response.status_code == 413 and "2 MB" in response.json()["detail"]
    for upload in big:
        upload.seek(0)
    page = client_as(users["township_staff"]).post(
        f"/inspections/findings/{finding.pk}/submit/", {"note": "已整改", "photos": big}
    )
    assert page.status_code == 413 and "text/html" in page["Content-Type"]
    assert "一次上传的文件合计不得超过 2 MB" in page.content.decode()
    assert not FindingPhoto.objects.exists()


def test_too_many_files_are_a_413(api_as, users, township, settings, make_photo):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    finding = FindingFactory(township=township)
    photos = [make_photo(f"{n}.jpg") for n in range(3)]
    response = api_as(users["township_staff"]).post(
        f"/api/v1/findings/{finding.pk}/photos/", {"photos": photos}
    )
    assert response.status_code == 413 and "2 个文件" in response.json()["detail"]


class Endless(io.RawIOBase):
    """A request body that would be 200 MB, counting what the server reads of it."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"x" * n
        self.read_bytes += n
        return n


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("findings/{pk}/photos/", "multipart/form-data; boundary=BOUNDARY"),
        ("inspections/", "application/json"),
    ],
)
def test_a_200_megabyte_body_is_refused_before_it_is_read(users, township, path, content_type):
    finding = FindingFactory(township=township)
    token = Token.objects.create(user=users["township_staff"])
    body = Endless(200 * 1024 * 1024)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/" + path.format(pk=finding.pk),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(body.size),
        "HTTP_AUTHORIZATION": f"Token {token.key}",
        "HTTP_ACCEPT_LANGUAGE": "zh-hans",
        "HTTP_HOST": "testserver",
    }
    statuses = []
    # As Django's test client does: the request must not close the connection holding the test's data.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
        payload = json.loads(b"".join(chunks))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses[0].startswith("413"), (statuses, payload)
    assert body.read_bytes < 1024 * 1024
    assert not FindingPhoto.objects.exists()


def test_pixels_are_summed_over_the_photos_of_a_request(api_as, users, township, settings, make_photo):
    settings.PHOTO_MAX_PIXELS_PER_REQUEST = 64 * 48 * 2
    finding = FindingFactory(township=township)
    api = api_as(users["township_staff"])
    three = [make_photo(f"{n}.jpg") for n in range(3)]
    response = api.post(f"/api/v1/findings/{finding.pk}/photos/", {"photos": three})
    assert response.status_code == 400 and "百万像素" in str(response.json())
    assert not FindingPhoto.objects.exists()
    two = [make_photo(f"{n}.jpg") for n in range(2)]
    assert api.post(f"/api/v1/findings/{finding.pk}/photos/", {"photos": two}).status_code == 201
