import json

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from notifications.models import Notification

from .conftest import TODAY

pytestmark = [pytest.mark.django_db]


def test_command_runs_the_same_scan(users, assignee, make_finding, capsys):
    make_finding(offset=1, assignee=assignee)
    call_command("scan_overdue", f"--date={TODAY.isoformat()}")
    result = json.loads(capsys.readouterr().out)
    assert result["findings"]["overdue"] == 2  # the assignee and the township staff
    assert result["digests"] == 1 and Notification.objects.count() == 3  # + 莲都区 digest
    call_command("scan_overdue", f"--date={TODAY.isoformat()}")
    assert json.loads(capsys.readouterr().out)["findings"]["overdue"] == 0


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("scan_overdue", "--date=2026-13-01")


def test_beat_runs_the_scan_at_eight_in_shanghai():
    entry = settings.CELERY_BEAT_SCHEDULE["scan-overdue"]
    assert entry["task"] == "renovation.scan_overdue"
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"

    from renovation.celery import app
    from renovation.tasks import scan_overdue_task

    assert scan_overdue_task.name in app.tasks and scan_overdue_task.acks_late
    assert scan_overdue_task.time_limit and scan_overdue_task.soft_time_limit


def test_every_task_is_scheduled_or_queued_by_the_code():
    from renovation.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # queued after commit by notifications.services.notices; the ping proves to health checks that a worker consumes
    # the scan's chunks and closing steps are queued by renovation.scan_overdue and its resume
    queued = {
        "notifications.send_notification",
        "renovation.ping",
        "renovation.scan_overdue_chunk",
        "renovation.scan_overdue_finish",
        # one per group-robot message and channel, queued after commit by notifications.channels
        "notifications.send_channel_delivery",
        # a photo's display copy and thumbnail, queued after the upload commits (inspections.services)
        "inspections.photo_derivatives",
        # a background export, queued when a list is too long to answer in the request (core.exports)
        "notifications.export_run",
        # the debounced refresh of the townships a committed write changed (standings.freshness)
        "standings.refresh_stale",
    }
    assert ours == scheduled | queued


def test_beat_sweeps_for_scans_of_dead_workers_and_a_worker_start_resumes():
    from celery.signals import worker_ready

    from renovation.celery import app
    from renovation.tasks import resume_scans_on_worker_start, scan_overdue_chunk_task

    entry = settings.CELERY_BEAT_SCHEDULE["resume-overdue-scan"]
    assert entry["task"] in app.tasks and entry["schedule"] == crontab(minute="*/5")
    assert scan_overdue_chunk_task.acks_late
    # A live claim is never taken for a dead one: the lease outlasts the chunk's hard limit.
    assert scan_overdue_chunk_task.time_limit < settings.NOTIFICATIONS_SCAN_LEASE
    assert any(receiver() is resume_scans_on_worker_start for _key, receiver in worker_ready.receivers)
