"""A real Celery worker consuming from the real Redis broker (tests/conftest.py: celery_worker_process)."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model

from inspections.models import Finding
from notifications.choices import EmailStatus, NotificationKind, NotificationLevel
from notifications.models import Notification, ScanRun
from notifications.services.notices import notify
from renovation.overdue import scan_overdue
from renovation.tasks import scan_overdue_task
from tests.conftest import ROOT
from tests.factories import make_member, track
from townships.choices import Role

from .conftest import TODAY, mailed_ids, subprocess_env, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis]
User = get_user_model()


def _all_delivered():
    return not Notification.objects.filter(
        email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING]
    ).exists()


def _assert_each_sent_mailed_once(mail_dir):
    ids = mailed_ids(mail_dir)
    sent = set(Notification.objects.filter(email_status=EmailStatus.SENT).values_list("pk", flat=True))
    assert len(ids) == len(set(ids)), "an e-mail went out twice"
    assert set(ids) == sent, "an e-mail is missing"
    return ids


def test_worker_delivers_a_notification_end_to_end(
    celery_worker_process, township, users, mail_dir, settings
):
    staff = users["township_staff"]
    (pk,) = notify(
        recipients=[staff],
        obj=township,
        level=NotificationLevel.OVERDUE,
        kind=NotificationKind.FINDING,
        text="整改事项已逾期 1 天：碧湖镇：集镇主街垃圾清运不及时",
        link="/townships/1/",
    )  # autocommit here: the send is queued at once, to the worker's queue
    wait_for(_all_delivered, timeout=60, message="the worker did not send the e-mail")
    notification = Notification.objects.get(pk=pk)
    assert notification.email_status == EmailStatus.SENT and notification.attempts == 1
    assert _assert_each_sent_mailed_once(mail_dir) == [pk]
    (mail_file,) = mail_dir.glob("*.log")
    text = mail_file.read_text()
    assert f"To: {staff.email}" in text
    assert "Content-Type: text/plain" in text
    # Plain text, 8-bit UTF-8: the Chinese body is in the file as is, with the worker's SITE_URL.
    assert "集镇主街垃圾清运不及时" in text and "http://127.0.0.1:8000/townships/1/" in text
    assert "请勿回复" in text
    assert "notifications.send_notification" in celery_worker_process["log"].read_text()


def _findings(township, n: int, *, offset: int, assignees) -> None:
    sanitation = track()
    Finding.objects.bulk_create(
        Finding(
            township=township,
            track=sanitation,
            source="grid",
            description=f"第 {i} 项：沿街店招破损",
            deadline=TODAY - datetime.timedelta(days=offset),
            assignee=assignees[i % len(assignees)],
        )
        for i in range(n)
    )


def test_two_processes_scanning_at_once_send_nothing_twice(
    celery_worker_process, township, users, mail_dir, settings
):
    assignees = [make_member(Role.TOWNSHIP_STAFF, username=f"ganbu{i}", township=township) for i in range(3)]
    _findings(township, 60, offset=1, assignees=assignees)
    env = subprocess_env(
        settings, CELERY_TASK_DEFAULT_QUEUE=celery_worker_process["queue"], NOTIFICATIONS_SCAN_CHUNK="7"
    )
    command = [sys.executable, "manage.py", "scan_overdue", f"--date={TODAY.isoformat()}"]
    scans = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )  # noqa: S603
        for _ in range(2)
    ]
    outputs = [scan.communicate(timeout=120)[0] for scan in scans]
    assert [scan.returncode for scan in scans] == [0, 0], outputs
    # Each finding: its assignee and the township's staff, 4 people in all (overdue day 1); one
    # digest for 莲都区.
    assert Notification.objects.count() == 60 * 4 + 1
    assert (
        Notification.objects.filter(level=NotificationLevel.DIGEST).get().recipient
        == users["county_official"]
    )
    wait_for(_all_delivered, timeout=120, message="the worker did not send every e-mail")
    assert len(_assert_each_sent_mailed_once(mail_dir)) == 241


@pytest.fixture
def redelivery_in_seconds(monkeypatch):
    """Before the worker starts: redeliver a dead worker's task after 3 s; small scan chunks."""
    monkeypatch.setenv("TEST_VISIBILITY_TIMEOUT", "3")
    monkeypatch.setenv("NOTIFICATIONS_SCAN_CHUNK", "40")
    monkeypatch.setenv("NOTIFICATIONS_REQUEUE_AFTER", "0")
    monkeypatch.setenv("NOTIFICATIONS_SEND_LEASE", "5")


def test_worker_killed_mid_batch_then_restarted_finishes_it(
    redelivery_in_seconds, celery_worker_process, township, users, mail_dir, settings, tmp_path
):
    assignees = [make_member(Role.TOWNSHIP_STAFF, username=f"ganbu{i}", township=township) for i in range(10)]
    User.objects.filter(pk__in=[a.pk for a in assignees[2:]]).update(email="")  # in-app only
    total = 800
    _findings(township, total, offset=-2, assignees=assignees)  # due soon: assignee only
    queue = celery_worker_process["queue"]

    scan_overdue_task.apply_async(args=[TODAY.isoformat()], queue=queue)
    wait_for(
        lambda: Notification.objects.exists(), timeout=60, interval=0.01, message="the scan did not start"
    )
    celery_worker_process["process"].send_signal(signal.SIGKILL)
    celery_worker_process["process"].wait(timeout=10)
    at_kill = Notification.objects.count()
    assert 0 < at_kill < total, f"the scan was not interrupted mid-batch ({at_kill} of {total})"

    time.sleep(1)
    celery_worker_process["restart"]()
    # The unacknowledged chunk comes back (acks_late + visibility timeout, and the restarted
    # worker's resume) and the scan finishes.
    wait_for(lambda: Notification.objects.count() == total, timeout=120, message="the batch was not finished")
    wait_for(_all_delivered, timeout=120, message="the restarted worker did not send every e-mail")
    assert Finding.objects.count() == total
    assert Notification.objects.values("object_id").distinct().count() == total  # nothing missed
    mailed = _assert_each_sent_mailed_once(mail_dir)
    assert len(mailed) == total * 2 // 10  # the two assignees with an address
    assert "renovation.scan_overdue_chunk" in celery_worker_process["log"].read_text()
    assert os.environ.get("TEST_VISIBILITY_TIMEOUT") == "3"


@pytest.fixture
def scan_chunks_of_300(monkeypatch):
    """Before the worker starts: chunks of 300 items, Redis's own redelivery left at an hour."""
    monkeypatch.setenv("NOTIFICATIONS_SCAN_CHUNK", "300")


@pytest.mark.parametrize("celery_worker_process", [{"pool": "prefork", "concurrency": 2}], indirect=True)
def test_whole_worker_killed_mid_scan_resumes_on_restart(
    scan_chunks_of_300, celery_worker_process, township, users, settings
):
    assignees = [make_member(Role.TOWNSHIP_STAFF, username=f"ganbu{i}", township=township) for i in range(5)]
    User.objects.filter(pk__in=[a.pk for a in assignees]).update(email="")  # in-app only: no sends
    total = 6_000
    _findings(township, total, offset=-2, assignees=assignees)  # due soon: one notice, the assignee's

    scan_overdue_task.apply_async(args=[TODAY.isoformat()], queue=celery_worker_process["queue"])
    wait_for(
        lambda: Notification.objects.exists(), timeout=60, interval=0.02, message="the scan did not start"
    )
    celery_worker_process["kill"]()  # SIGKILL to the main process and its pool children at once
    at_kill = Notification.objects.count()
    assert 0 < at_kill < total, f"the scan was not interrupted mid-way ({at_kill} of {total})"
    run = ScanRun.objects.get()
    assert run.chunks.filter(done_at__isnull=True).exists()

    celery_worker_process["restart"]()
    # The killed worker's messages stay unacknowledged for the visibility timeout (an hour here):
    # only the restarted worker's resume can finish the scan within the minute.
    wait_for(
        lambda: ScanRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists(),
        timeout=60,
        message=f"the scan was not resumed ({Notification.objects.count()} of {total} notices)",
    )
    assert Notification.objects.count() == total
    assert Notification.objects.values("object_id").distinct().count() == total  # each item once
    assert set(Notification.objects.values_list("level", flat=True)) == {NotificationLevel.DUE_SOON}
    assert not run.chunks.filter(done_at__isnull=True).exists()
    # The chunks the dead worker held were queued again by the restarted worker's resume.
    assert "scan_overdue resumed" in celery_worker_process["log"].read_text()
    # An uninterrupted scan of the same data adds nothing: every expected notice is there.
    assert sum(scan_overdue(today=TODAY)["findings"].values()) == 0
    assert Notification.objects.count() == total
