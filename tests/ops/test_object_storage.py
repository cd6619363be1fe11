"""Evidence photos in a real S3 bucket (SeaweedFS on loopback, tests/conftest.py `s3_server`).

Upload, scoped download, no public URL, the SHA-256 checked by the store, the copies made by the task,
the move of local media into the bucket and backup/restore of the bucket.
"""

import base64
import hashlib
import io
import os
import subprocess
import tarfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from core import storage as media
from inspections.choices import PhotoDerivatives
from inspections.models import FindingPhoto
from tests.conftest import database_url, s3_environ
from tests.inspections.conftest import jpeg_bytes
from tests.inspections.factories import FindingFactory, FindingPhotoFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db]


def _objects(storage) -> list[str]:
    return list(media.walk(storage))


def _upload(api, finding, data: bytes, name="site.jpg"):
    return api.post(
        f"/api/v1/findings/{finding.pk}/photos/",
        {"stage": "before", "photos": [SimpleUploadedFile(name, data, content_type="image/jpeg")]},
    )


def test_upload_goes_into_the_bucket_verified_and_is_served_only_in_scope(
    s3_storage,
    s3_server,
    api_as,
    client_as,
    users,
    township,
    other_township,
    django_capture_on_commit_callbacks,
):
    data = jpeg_bytes(width=2400, height=1800)
    finding = FindingFactory(township=township)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api_as(users["inspector"]), finding, data)
    assert response.status_code == 201, response.content
    photo = FindingPhoto.objects.get(finding=finding)
    digest = hashlib.sha256(data).hexdigest()
    assert photo.sha256 == digest

    # In the bucket byte for byte; the store itself recorded the SHA-256 it checked on upload.
    head = s3_server["client"].head_object(
        Bucket=s3_storage.bucket_name,
        Key=f"{s3_storage.prefix}/{photo.original.name}",
        ChecksumMode="ENABLED",
    )
    assert head["Metadata"]["sha256"] == digest
    assert head["ChecksumSHA256"] == base64.b64encode(bytes.fromhex(digest)).decode()
    assert media.read_bytes(s3_storage, photo.original.name) == data
    assert media.stored_sha256(s3_storage, photo.original.name) == digest

    # The task made the copies (eager here), into the bucket too.
    assert photo.derivatives == PhotoDerivatives.READY
    assert set(_objects(s3_storage)) == {photo.original.name, photo.image.name, photo.thumbnail.name}
    display = Image.open(s3_storage.open(photo.image.name))
    assert max(display.size) == 1600

    # Served through the scoped view, streamed from the bucket.
    mine = client_as(users["county_official"])
    original = mine.get(photo.original_url)
    assert original.status_code == 200 and b"".join(original.streaming_content) == data
    assert original["Content-Length"] == str(len(data))
    thumb = mine.get(photo.thumb_url)
    assert thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)
    # Out of scope: 404 for every variant.
    other = client_as(users["other_county_official"])
    for variant in ("original", "display", "thumb"):
        assert other.get(photo.url(variant)).status_code == 404


def test_no_public_url(
    s3_storage, s3_server, api_as, client_as, users, township, django_capture_on_commit_callbacks
):
    finding = FindingFactory(township=township)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _upload(api_as(users["inspector"]), finding, jpeg_bytes())
    photo = FindingPhoto.objects.get(finding=finding)
    page = client_as(users["county_official"]).get(f"/inspections/findings/{finding.pk}/").content.decode()
    api = api_as(users["county_official"]).get(f"/api/v1/findings/{finding.pk}/").content.decode()
    for text in (page, api, answer.content.decode()):
        assert s3_server["endpoint"] not in text and s3_storage.bucket_name not in text
        assert "X-Amz-Signature" not in text and "AWSAccessKeyId" not in text
    # The object's own URL at the S3 server, without a signature, is refused.
    for name in (photo.original.name, photo.thumbnail.name):
        with pytest.raises(urllib.error.HTTPError) as refused:
            url = f"{s3_server['endpoint']}/{s3_storage.bucket_name}/{s3_storage.prefix}/{name}"
            urllib.request.urlopen(url)  # noqa: S310
        assert refused.value.code == 403


def test_the_store_refuses_bytes_that_do_not_match_the_hash(s3_storage):
    data = b"\xff\xd8 evidence"
    with pytest.raises(media.StoredBytesMismatch):
        media.put_verified(s3_storage, "evidence/x.jpg", data, sha256=hashlib.sha256(b"other").hexdigest())
    assert not s3_storage.exists("evidence/x.jpg")
    media.put_verified(s3_storage, "evidence/x.jpg", data, sha256=hashlib.sha256(data).hexdigest())
    assert media.sha256_of(s3_storage, "evidence/x.jpg") == hashlib.sha256(data).hexdigest()


def test_a_bad_file_is_refused_before_anything_is_stored(s3_storage, api_as, users, township):
    data = jpeg_bytes(width=800, height=600)
    finding = FindingFactory(township=township)
    response = _upload(api_as(users["inspector"]), finding, data[: len(data) // 2], name="cut.jpg")
    assert response.status_code == 400 and "已损坏或不完整" in str(response.json())
    assert _objects(s3_storage) == [] and not FindingPhoto.objects.exists()


def test_copies_twice_change_nothing_and_a_failure_shows(
    s3_storage, api_as, client_as, users, township, django_capture_on_commit_callbacks
):
    from inspections.services.photos import photo_derivatives_make

    finding = FindingFactory(township=township)
    with django_capture_on_commit_callbacks(execute=False):  # no worker: the copies stay to be made
        _upload(api_as(users["inspector"]), finding, jpeg_bytes(width=1000, height=800))
        _upload(api_as(users["inspector"]), finding, jpeg_bytes(width=900, height=700))
    first, second = FindingPhoto.objects.filter(finding=finding).order_by("pk")
    assert first.derivatives == PhotoDerivatives.PENDING and not first.thumbnail.name
    page = client_as(users["county_official"]).get(f"/inspections/findings/{finding.pk}/").content.decode()
    assert "正在生成展示图" in page
    placeholder = client_as(users["county_official"]).get(first.thumb_url)
    assert placeholder["Content-Type"] == "image/svg+xml" and placeholder["Cache-Control"] == "no-store"

    assert photo_derivatives_make(photo_id=first.pk) == "made"
    objects = _objects(s3_storage)
    assert photo_derivatives_make(photo_id=first.pk) == "done"
    assert _objects(s3_storage) == objects
    first.refresh_from_db()
    assert (first.derivatives, first.derivatives_attempts) == (PhotoDerivatives.READY, 1)

    # The original is gone from the store: retried, and on the last attempt marked failed with the reason.
    s3_storage.delete(second.original.name)
    with pytest.raises(FileNotFoundError):
        photo_derivatives_make(photo_id=second.pk)
    second.refresh_from_db()
    assert second.derivatives == PhotoDerivatives.PENDING and second.derivatives_attempts == 1
    with pytest.raises(FileNotFoundError):
        photo_derivatives_make(photo_id=second.pk, final=True)
    second.refresh_from_db()
    assert second.derivatives == PhotoDerivatives.FAILED and "FileNotFoundError" in second.derivatives_error
    page = client_as(users["county_official"]).get(f"/inspections/findings/{finding.pk}/").content.decode()
    assert "展示图未能生成" in page


def test_media_to_bucket_moves_verifies_and_resumes(s3_storage, settings, township, users):
    local = Path(settings.MEDIA_ROOT)
    good, damaged = jpeg_bytes(color=(1, 2, 3)), jpeg_bytes(color=(4, 5, 6))
    files = {
        "evidence/findings/original/a.jpg": good,
        "evidence/findings/original/b.jpg": damaged,
        "evidence/progress/report.pdf": b"%PDF-1.4 report",
        "exports/ledger.xlsx": b"PK ledger",
    }
    for name, data in files.items():
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(data)
    finding = FindingFactory(township=township)
    for name, data in (("a.jpg", good), ("b.jpg", b"what was uploaded")):
        FindingPhotoFactory(finding=finding, original=f"evidence/findings/original/{name}", sha256=_hex(data))
    # A run cut short earlier: one object is already there, verified.
    media.put_verified(
        s3_storage, "exports/ledger.xlsx", files["exports/ledger.xlsx"], sha256=_hex(b"PK ledger")
    )

    with pytest.raises(CommandError, match="1 file"):
        call_command("media_to_bucket", stdout=(out := _Out()), stderr=(err := _Out()))
    assert "moved 2, already in the bucket 1, failed 1" in out.text
    assert "b.jpg" in err.text and "SHA-256" in err.text
    assert sorted(_objects(s3_storage)) == sorted(set(files) - {"evidence/findings/original/b.jpg"})
    for name in _objects(s3_storage):
        assert media.read_bytes(s3_storage, name) == files[name]
        assert media.stored_sha256(s3_storage, name) == _hex(files[name])

    # Run again, the damaged file put aside: nothing is uploaded twice; --delete-local empties the disk.
    (local / "evidence/findings/original/b.jpg").unlink()
    call_command("media_to_bucket", "--delete-local", stdout=(out := _Out()))
    assert "moved 0, already in the bucket 3, failed 0" in out.text
    assert [p for p in local.rglob("*") if p.is_file()] == []


def test_backup_and_restore_cover_the_bucket(
    transactional_db, s3_storage, s3_server, settings, tmp_path, lishui
):
    objects = {"evidence/findings/original/a.jpg": jpeg_bytes(), "exports/ledger.csv": "﻿乡镇,问题\n".encode()}
    for name, data in objects.items():
        media.put_verified(s3_storage, name, data, sha256=_hex(data))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "renovation.settings.local",
        **s3_environ(s3_server, s3_storage.bucket_name, s3_storage.prefix),
    }
    out = tmp_path / "backup"
    subprocess.run(
        ["bash", str(ROOT / "scripts/backup.sh"), str(out)], env=env, check=True, capture_output=True
    )
    with tarfile.open(out / "media.tar.gz") as tar:
        assert sorted(m.name.removeprefix("./") for m in tar.getmembers() if m.isfile()) == sorted(objects)
    assert "media.sha256" in (out / "SHA256SUMS").read_text()

    # Into a new database and a new, empty bucket.
    target = f"restore-{uuid.uuid4().hex[:10]}"
    s3_server["client"].create_bucket(Bucket=target)
    database = f"restore_s3_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        subprocess.run(
            ["bash", str(ROOT / "scripts/restore.sh"), str(out)],
            env={**env, "DATABASE_URL": database_url(database), **s3_environ(s3_server, target)},
            check=True,
            capture_output=True,
        )
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for name, data in objects.items():
        body = s3_server["client"].get_object(Bucket=target, Key=name)
        assert body["Body"].read() == data and body["Metadata"]["sha256"] == _hex(data)

    # A damaged archive: the checksums fail and nothing is written.
    with (out / "media.tar.gz").open("ab") as fh:
        fh.write(b"tampered")
    empty = f"restore-{uuid.uuid4().hex[:10]}"
    s3_server["client"].create_bucket(Bucket=empty)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/restore.sh"), str(out)], env={**env, **s3_environ(s3_server, empty)}
    )
    assert result.returncode != 0
    assert s3_server["client"].list_objects_v2(Bucket=empty).get("KeyCount", 0) == 0


def _hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_a_store_write_that_fails_beside_the_request_leaves_nothing(
    s3_storage, s3_server, settings, api_as, users, township
):
    """The original travels to the store while the rows are written; when the store refuses it,
    the request fails and neither a photo row nor a timeline entry is left behind."""
    from botocore.exceptions import ClientError
    from django.core.files.storage import default_storage

    from tests.conftest import s3_options

    finding = FindingFactory(township=township)
    events = finding.events.count()
    refused = s3_options(s3_server, s3_storage.bucket_name, s3_storage.prefix)
    refused["OPTIONS"]["secret_key"] = "not-the-secret"  # the real server answers SignatureDoesNotMatch
    settings.STORAGES = {**settings.STORAGES, "default": refused}
    default_storage._setup()
    with pytest.raises(ClientError):
        _upload(api_as(users["inspector"]), finding, jpeg_bytes(width=800, height=600))
    assert not FindingPhoto.objects.filter(finding=finding).exists()
    assert finding.events.count() == events
