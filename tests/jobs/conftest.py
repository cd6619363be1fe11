import datetime
import os
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from inspections.choices import FindingSource
from inspections.models import Finding
from tests.conftest import database_url, redis_url
from tests.factories import make_member, track
from townships.choices import Role

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def assignee(township):
    """The person responsible for the items: a 碧湖镇 cadre other than users["township_staff"]."""
    return make_member(Role.TOWNSHIP_STAFF, username="zhangsan", township=township)


@pytest.fixture
def make_finding(township):
    def _make(*, offset: int, assignee=None, **extra) -> Finding:
        """A finding whose deadline was `offset` days before TODAY (negative: still ahead)."""
        return Finding.objects.create(
            township=extra.pop("township_obj", township),
            track=track(),
            source=extra.pop("source", FindingSource.GRID),
            description=extra.pop("description", "主街立面广告牌破损未整改"),
            deadline=TODAY - datetime.timedelta(days=offset),
            assignee=assignee,
            **extra,
        )

    return _make


@pytest.fixture
def make_project(township):
    from projects.models import Project

    def _make(**extra) -> Project:
        return Project.objects.create(
            township=extra.pop("township_obj", township),
            track=track(),
            name=extra.pop("name", "集镇主街线乱拉整治"),
            budget=Decimal("1500000"),
            **extra,
        )

    return _make


def mailed_ids(mail_dir: Path) -> list[int]:
    """Notification ids of every e-mail the worker wrote (file backend), duplicates kept."""
    ids = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        ids += [int(m) for m in re.findall(r"^X-Notification-Id: (\d+)$", path.read_text(), flags=re.M)]
    return ids


def wait_for(predicate, *, timeout: float, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s: {message}")


def subprocess_env(settings, **extra) -> dict:
    """Environment for a process that shares the test database and broker, like the test worker."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renovation.settings.worker_test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


@pytest.fixture
def mail_dir(settings) -> Path:
    """Where the test worker's file e-mail backend writes (renovation/settings/worker_test.py)."""
    return Path(settings.MEDIA_ROOT).parent / "mail"
