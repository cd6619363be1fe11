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
