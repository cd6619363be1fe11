"""Two web nodes: two gunicorn servers on their own loopback ports and their own MEDIA_ROOT, sharing
only PostgreSQL, Redis and the S3 bucket, as compose's scaled `web` does behind nginx.

A session started on one works on the other; a photo uploaded through one (its copies made there) is
served by the other. Nothing a request needs may live in one process or on one disk.
"""

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.conftest import ROOT, _free_port, database_url, redis_url, s3_environ
from tests.inspections.conftest import jpeg_bytes
from tests.inspections.factories import FindingFactory

PASSWORD = "Nodes-Lishui-2026"
pytestmark = pytest.mark.redis


@pytest.fixture
def two_nodes(transactional_db, s3_server, tmp_path):
    if "bucket" not in s3_server:
        s3_server["client"].create_bucket(Bucket="test-media")
        s3_server["bucket"] = "test-media"
    prefix = f"nodes-{uuid.uuid4().hex[:10]}"
    common = {
        **os.environ,
        # Base settings as deployed (sessions in PostgreSQL, cache in Redis, media in S3), plain HTTP.
        "DJANGO_SETTINGS_MODULE": "renovation.settings.local",
        "DEBUG": "false",
        "SECRET_KEY": "nodes-test-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url(),
        # No worker here: each node makes the copies itself after the commit (eager tasks).
        "CELERY_BROKER_URL": "",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_HOST": "127.0.0.1",
        **s3_environ(s3_server, s3_server["bucket"], prefix),
    }
    nodes, procs = [], []
    for name in ("a", "b"):
        port = _free_port()
        media = tmp_path / f"media-{name}"
        media.mkdir()
        log = (tmp_path / f"gunicorn-{name}.log").open("w")
        procs.append(
            (
                subprocess.Popen(  # noqa: S603
                    [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
                    cwd=ROOT,
                    env={**common, "PORT": str(port), "MEDIA_ROOT": str(media)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                ),
                log,
            )
        )
        nodes.append(
            {"url": f"http://127.0.0.1:{port}", "media": media, "log": tmp_path / f"gunicorn-{name}.log"}
        )
    try:
        for node, (proc, _) in zip(nodes, procs, strict=True):
            deadline = time.monotonic() + 180
            while True:
                try:
                    if requests.get(f"{node['url']}/healthz", timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{node['log'].read_text()[-3000:]}")
                time.sleep(0.3)
        yield nodes
    finally:
        for proc, log in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            log.close()


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_session_and_a_photo_work_across_two_nodes(two_nodes, users, township, settings):
    a, b = two_nodes
    inspector = users["inspector"]
    # Hashed as the nodes' settings verify it (the tests' own hasher is a fast one they do not know).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    inspector.set_password(PASSWORD)
    inspector.save()
    finding = FindingFactory(township=township)

    # Log in on node A.
    browser = requests.Session()
    page = browser.get(f"{a['url']}/accounts/login/", timeout=120)
    answer = browser.post(
        f"{a['url']}/accounts/login/",
        data={"username": inspector.username, "password": PASSWORD, "csrfmiddlewaretoken": _token(page.text)},
        allow_redirects=False,
        timeout=120,
    )
    assert answer.status_code == 302, answer.text[:500]
    assert "sessionid" in browser.cookies

    # The same session on node B: the page answers as that user, not with the login form.
    detail = browser.get(f"{b['url']}/inspections/findings/{finding.pk}/", allow_redirects=False, timeout=120)
    assert detail.status_code == 200 and f"/inspections/findings/{finding.pk}/photos/" in detail.text

    # Upload a photo through node B's form...
    data = jpeg_bytes(width=2000, height=1500)
    answer = browser.post(
        f"{b['url']}/inspections/findings/{finding.pk}/photos/",
        data={"stage": "before", "csrfmiddlewaretoken": _token(detail.text)},
        files={"photos": ("site.jpg", data, "image/jpeg")},
        allow_redirects=False,
        timeout=120,
    )
    assert answer.status_code == 302, answer.text[:1000]
    from inspections.models import FindingPhoto

    photo = FindingPhoto.objects.get(finding=finding)
    assert photo.sha256 == hashlib.sha256(data).hexdigest() and photo.derivatives == "ready"

    # ...and it is served by node A, which never had it on its disk.
    original = browser.get(f"{a['url']}{photo.original_url}", timeout=120)
    assert original.status_code == 200 and original.content == data
    thumb = browser.get(f"{a['url']}{photo.thumb_url}", timeout=120)
    assert thumb.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 240)
    for node in (a, b):
        assert [p for p in node["media"].rglob("*") if p.is_file()] == []

    # Without the session: the login page.
    assert (
        requests.get(f"{a['url']}{photo.original_url}", allow_redirects=False, timeout=120).status_code == 302
    )
    # Logging out on node A ends the session on node B too.
    logout = browser.get(f"{a['url']}/inspections/findings/{finding.pk}/", timeout=120)
    browser.post(
        f"{a['url']}/accounts/logout/",
        data={"csrfmiddlewaretoken": _token(logout.text)},
        allow_redirects=False,
    )
    after = browser.get(f"{b['url']}/inspections/findings/{finding.pk}/", allow_redirects=False, timeout=120)
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]
