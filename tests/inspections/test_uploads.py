"""Bad files are refused with a clear message and leave nothing behind: no rows, no media."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.models import Finding, FindingEvent, FindingPhoto, Inspection
from tests.inspections.conftest import jpeg_bytes, media_files
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]


def text_as_jpg():
    return SimpleUploadedFile("notes.jpg", "这不是照片，只是文字。".encode() * 20, content_type="image/jpeg")


def truncated_jpeg():
    data = jpeg_bytes(width=800, height=600)
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


def bomb_png():
    out = io.BytesIO()
    Image.new("1", (8000, 7500)).save(out, format="PNG")  # 60 megapixels, a few KB on disk
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")


def huge_file():
    data = jpeg_bytes() + b"\0" * (25 * 1024 * 1024)
    return SimpleUploadedFile("huge.jpg", data, content_type="image/jpeg")


BAD_FILES = {
    "text renamed .jpg": (text_as_jpg, "不是可识别的照片"),
    "truncated JPEG": (truncated_jpeg, "已损坏或不完整"),
    "60-megapixel PNG": (bomb_png, "超过 50 百万像素"),
    "25 MB file": (huge_file, "超过 20 MB"),
}


def assert_nothing_written(settings, finding, status="open"):
    finding.refresh_from_db()
    assert finding.status == status
    assert not FindingPhoto.objects.exists()
    assert not FindingEvent.objects.filter(finding=finding).exists()
    assert media_files(settings) == []


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_refused_in_the_fix_form(case, client_as, users, township, settings, make_photo):
    make, message = BAD_FILES[case]
    finding = FindingFactory(township=township)
    response = client_as(users["township_staff"]).post(
        f"/inspections/findings/{finding.pk}/submit/", {"note": "已整改", "photos": [make_photo(), make()]}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_written(settings, finding)


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_refused_by_the_api(case, api_as, users, township, settings):
    make, message = BAD_FILES[case]
    finding = FindingFactory(township=township)
    response = api_as(users["township_staff"]).post(
        f"/api/v1/findings/{finding.pk}/photos/", {"stage": "after", "photos": [make()]}
    )
    assert response.status_code == 400
    assert message in str(response.json())
    assert_nothing_written(settings, finding)


def test_bad_photo_refuses_the_whole_inspection(client_as, users, township, settings, make_photo):
    data = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "0",
        "findings-0-description": "好照片的问题",
        "findings-0-deadline": "2030-01-01",
        "findings-0-severity": "minor",
        "findings-0-photos": [make_photo()],
        "findings-1-description": "坏照片的问题",
        "findings-1-deadline": "2030-01-01",
        "findings-1-severity": "minor",
        "findings-1-photos": [text_as_jpg()],
        "submit": "1",
    }
    response = client_as(users["county_official"]).post("/inspections/new/", data)
    assert response.status_code == 400 and "第 2 个问题" in response.content.decode()
    assert not Inspection.objects.exists() and not Finding.objects.exists()
    assert media_files(settings) == []


def test_files_are_removed_when_the_transaction_fails(users, township, settings, make_photo, monkeypatch):
    from inspections.services import findings
    from inspections.services.findings import finding_submit

    finding = FindingFactory(township=township)

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(findings, "record_event", boom)
    with pytest.raises(RuntimeError):
        finding_submit(
            finding_id=finding.pk, by=users["township_staff"], note="x", photos=[make_photo(), make_photo()]
        )
    assert_nothing_written(settings, finding)


def test_good_photo_keeps_original_and_reads_exif(
    users, township, gps_photo, django_capture_on_commit_callbacks
):
    import hashlib

    from inspections.services.findings import finding_photos_add

    finding = FindingFactory(township=township)
    original = gps_photo.read()
    gps_photo.seek(0)
    # The copies are made by a task queued on commit (eager here).
    with django_capture_on_commit_callbacks(execute=True):
        (photo,) = finding_photos_add(
            finding_id=finding.pk, by=users["inspector"], files=[gps_photo], stage="before"
        )
    photo.refresh_from_db()
    with photo.original.open("rb") as fh:
        assert fh.read() == original
    assert photo.sha256 == hashlib.sha256(original).hexdigest()
    assert photo.taken_at == datetime.datetime(2019, 3, 10, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Lishui
    assert (str(photo.latitude), str(photo.longitude)) == ("28.290000", "119.795000")
    # EXIF orientation 6: the 80×40 sensor image is shown upright as 40×80.
    assert (photo.width, photo.height) == (40, 80)
    with photo.thumbnail.open("rb") as fh:
        assert Image.open(fh).size == (40, 80)
    assert not str(photo.original.name).startswith("findings/") and "evidence/" in photo.original.name
