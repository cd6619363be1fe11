"""The copies of an uploaded photo are made by a real Celery worker after the request has answered."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.choices import PhotoDerivatives
from inspections.models import FindingPhoto
from tests.inspections.conftest import jpeg_bytes
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis]


def test_upload_answers_then_a_worker_makes_the_copies(
    celery_worker_process, users, township, api_as, client_as
):
    finding = FindingFactory(township=township)
    response = api_as(users["inspector"]).post(
        f"/api/v1/findings/{finding.pk}/photos/",
        {
            "stage": "before",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(2000, 1000), content_type="image/jpeg")],
        },
    )
    assert response.status_code == 201
    photo = FindingPhoto.objects.get(finding=finding)
    deadline = time.monotonic() + 90
    while photo.derivatives == PhotoDerivatives.PENDING and time.monotonic() < deadline:
        time.sleep(0.3)
        photo.refresh_from_db()
    assert photo.derivatives == PhotoDerivatives.READY, celery_worker_process["log"].read_text()[-2000:]
    thumb = client_as(users["county_official"]).get(photo.thumb_url)
    assert thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 160)
