"""Group deliveries on the real Celery worker (tests/conftest.py) against the loopback robot: a
rate-limit answer is retried later and posts once; two worker processes and duplicate messages post
each digest once; a worker killed mid-send is resumed on restart. Counted at the receiver."""

import datetime
import re
import time

import pytest

from inspections.models import Finding
from notifications.channels import channel_save, queue_deliveries
from notifications.choices import DeliveryStatus
from notifications.models import ChannelDelivery
from renovation.overdue import scan_overdue
from tests.jobs.conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis]
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def quick_retries(monkeypatch):
    """Before the worker starts: a rate-limited post is retried after a second, not a minute."""
    monkeypatch.setenv("NOTIFICATIONS_CHANNEL_RETRY_BASE", "1")


def _counties_overdue(lishui, codes=("331102", "331181", "331121")):
    townships = [lishui.filter(county__code=code).order_by("code").first() for code in codes]
    for township in townships:
        Finding.objects.create(
            township=township,
            description=f"{township.name}集镇主街垃圾清运不及时",
            deadline=TODAY - datetime.timedelta(days=2),
        )
    return townships


def _city_channel(users, robot):
    return channel_save(
        by=users["city_office"],
        name="丽水市镇治办群",
        kind="dingtalk",
        county=None,
        webhook=robot.dingtalk_url,
        secret=robot.robot.secret,
    )


def _all_done():
    return not ChannelDelivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    ).exists()


def _ok_per_title(robot) -> dict[str, int]:
    counts: dict[str, int] = {}
    for post in robot.robot.ok_posts():
        title = post.body["markdown"]["title"]
        counts[title] = counts.get(title, 0) + 1
    return counts


def _no_secret_in(robot, text: str) -> None:
    for secret in (robot.robot.token, robot.robot.secret):
        assert secret not in text


def test_a_rate_limit_answer_is_retried_later_and_posts_once(
    quick_retries, celery_worker_process, users, township, robot
):
    _city_channel(users, robot)
    Finding.objects.create(
        township=township, description="桥头垃圾", deadline=TODAY - datetime.timedelta(days=2)
    )
    robot.robot.script = ["dingtalk_too_fast"]
    scan_overdue(today=TODAY)
    wait_for(_all_done, timeout=60, message="the delivery was not finished")
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert [p.answer["errcode"] for p in robot.robot.posts] == [130101, 0]
    assert len(robot.robot.ok_posts()) == 1
    # A duplicate message for the same delivery (a lost ack, a sweep) posts nothing.
    queue_deliveries([delivery.pk])
    queue_deliveries([delivery.pk])
    time.sleep(2)
    assert len(robot.robot.posts) == 2
    log = celery_worker_process["log"].read_text()
    assert "notifications.send_channel_delivery" in log and "Retry" in log
    _no_secret_in(robot, log)


@pytest.mark.parametrize("celery_worker_process", [{"pool": "prefork", "concurrency": 2}], indirect=True)
def test_two_worker_processes_and_duplicate_messages_post_each_digest_once(
    celery_worker_process, users, lishui, robot
):
    _city_channel(users, robot)
    _counties_overdue(lishui)
    robot.robot.delay = 0.3  # the duplicates arrive while the first post is in flight
    scan_overdue(today=TODAY)
    ids = list(ChannelDelivery.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    for _ in range(3):
        queue_deliveries(ids)
    wait_for(_all_done, timeout=60, message="the deliveries were not finished")
    time.sleep(2)  # the duplicates drain
    counts = _ok_per_title(robot)
    assert len(counts) == 3 and set(counts.values()) == {1}, counts
    assert len(robot.robot.posts) == 3
    assert set(ChannelDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_send_is_resumed_and_posts_each_digest_once(
    celery_worker_process, users, lishui, robot
):
    _city_channel(users, robot)
    _counties_overdue(lishui)
    robot.robot.hold_next = True  # the first post stays unanswered: the worker is mid-send
    scan_overdue(today=TODAY)
    assert robot.robot.holding.wait(timeout=60), "the worker did not post"
    sending = ChannelDelivery.objects.get(status=DeliveryStatus.SENDING)
    celery_worker_process["kill"]()  # SIGKILL, pool and all, while it waits for the robot's answer
    robot.robot.release.set()
    assert ChannelDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 0

    celery_worker_process["restart"]()
    # The killed worker's messages stay unacknowledged for the visibility timeout (an hour here):
    # only the restarted worker's resume (its own dead claim released, the rest queued) finishes.
    wait_for(_all_done, timeout=60, message="the deliveries were not resumed")
    assert set(ChannelDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    counts = _ok_per_title(robot)
    assert len(counts) == 3 and set(counts.values()) == {1}, counts
    # The one post in flight when the worker died reached the robot unanswered and was sent again:
    # the only repeat, the at-least-once window between the robot's answer and our update.
    unanswered = [p for p in robot.robot.posts if not p.delivered]
    assert len(unanswered) == 1 and len(robot.robot.posts) == 4
    sending.refresh_from_db()
    assert sending.attempts == 2
    log = celery_worker_process["log"].read_text()
    assert "group deliveries resumed" in log
    _no_secret_in(robot, log)
    assert not re.search(r"access_token=|sign=", log)
