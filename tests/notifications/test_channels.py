"""Group robots as channels (issue 18) against a real HTTP server on loopback (robot_server.py):
signed DingTalk digests, WeCom's 4,096 bytes, a refused secret, filters, and secrets never shown."""

import datetime
import json
import logging

import pytest
from django.contrib.auth import get_user_model

from inspections.models import Finding
from notifications.channels import channel_save
from notifications.choices import ChannelStatus, DeliveryStatus, NotificationLevel
from notifications.models import Channel, ChannelBatch, ChannelDelivery, Notification
from renovation.overdue import scan_overdue
from townships.models import County

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def liandu(lishui):
    return County.objects.get(code="331102")


def overdue_items(township, n, *, description="集镇主街垃圾清运不及时", days=3, **extra):
    Finding.objects.bulk_create(
        Finding(
            township=township,
            description=f"{description}（第{i + 1}处）",
            deadline=TODAY - datetime.timedelta(days=days),
            **extra,
        )
        for i in range(n)
    )


def add_channel(client, *, name, kind="dingtalk", county, webhook, secret="", events=(), min_severity=""):
    data = {
        "name": name,
        "kind": kind,
        "county": county.pk if county else "",
        "webhook": webhook,
        "secret": secret,
        "min_severity": min_severity,
        "mention": "on",
        "status": "active",
        "events": list(events),
    }
    response = client.post("/notifications/channels/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Channel.objects.get(name=name)


def test_a_county_digest_arrives_signed_once_per_scan(client_as, users, township, liandu, robot, committed):
    channel = add_channel(
        client_as(users["city_office"]),
        name="莲都区镇治办工作群",
        county=liandu,
        webhook=robot.dingtalk_url,
        secret=robot.robot.secret,
    )
    overdue_items(township, 3)
    with committed():
        scan_overdue(today=TODAY)
    (post,) = robot.robot.posts
    assert post.answer["errcode"] == 0 and post.delivered  # the receiver checked token, timestamp and sign
    assert post.path == "/robot/send" and set(post.query) == {"access_token", "timestamp", "sign"}
    text = post.body["markdown"]["text"]
    assert post.body["msgtype"] == "markdown"
    # The item text itself, not only a link; the county and the day.
    assert "莲都区" in text and "集镇主街垃圾清运不及时（第1处）" in text and "逾期 3 天" in text
    assert "/inspections/findings/" in text
    delivery = ChannelDelivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == (channel, DeliveryStatus.SENT, 1)

    # A rerun of the day's scan, and a second scan the same day, post nothing more.
    with committed():
        scan_overdue(today=TODAY)
    assert len(robot.robot.posts) == 1 and ChannelBatch.objects.count() == 1


def test_the_city_group_hears_every_county_and_filters_hold(
    client_as, users, township, other_township, robot, committed
):
    city_client = client_as(users["city_office"])
    add_channel(
        city_client, name="丽水市镇治办群", county=None, webhook=robot.dingtalk_url, secret=robot.robot.secret
    )
    add_channel(
        city_client,
        name="莲都区严重问题群",
        county=township.county,
        webhook=robot.wecom_url,
        kind="wecom",
        events=[NotificationLevel.CHASED],
        min_severity="critical",
    )
    overdue_items(township, 1)
    overdue_items(other_township, 1, description="龙泉店招破损")
    with committed():
        scan_overdue(today=TODAY)
    # Two digests (莲都区, 龙泉市) to the city's group; the county's group takes chases only.
    assert sorted(p.path for p in robot.robot.posts) == ["/robot/send", "/robot/send"]
    texts = " ".join(p.body["markdown"]["text"] for p in robot.robot.posts)
    assert "莲都区" in texts and "龙泉市" in texts

    minor, critical = (
        Finding.objects.filter(township=township)[0],
        Finding.objects.create(
            township=township, description="危房临街未设围挡", deadline=TODAY, severity="critical"
        ),
    )
    official = client_as(users["county_official"])
    with committed():
        official.post(f"/inspections/findings/{minor.pk}/chase/")
        official.post(f"/inspections/findings/{critical.pk}/chase/")
    wecom = [p for p in robot.robot.posts if p.path.startswith("/cgi-bin/")]
    assert len(wecom) == 1 and "危房临街未设围挡" in wecom[0].body["markdown"]["content"]
    # The city's group carries every event: both chases.
    assert len(robot.robot.posts) == 2 + 2 + 1


def test_an_event_mentions_the_people_concerned_by_mobile(client_as, users, township, robot, committed):
    staff = users["township_staff"]
    assert (
        client_as(staff)
        .post("/notifications/preferences/", {"delivery": "email", "mobile": "13800001111"})
        .status_code
        == 302
    )
    add_channel(
        client_as(users["city_office"]),
        name="莲都区群",
        county=township.county,
        webhook=robot.dingtalk_url,
        secret=robot.robot.secret,
        events=[NotificationLevel.CHASED],
    )
    item = Finding.objects.create(
        township=township, description="公厕保洁不到位", deadline=TODAY, assignee=staff
    )
    with committed():
        client_as(users["county_official"]).post(
            f"/inspections/findings/{item.pk}/chase/", {"note": "今天下班前处理"}
        )
    (post,) = robot.robot.posts
    assert post.body["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}
    assert "@13800001111" in post.body["markdown"]["text"]
    assert (
        "公厕保洁不到位" in post.body["markdown"]["text"]
        and "今天下班前处理" in post.body["markdown"]["text"]
    )


def test_wecom_messages_stay_within_4096_bytes_on_character_boundaries(
    client_as, users, township, robot, committed
):
    add_channel(
        client_as(users["city_office"]),
        name="企业微信群",
        kind="wecom",
        county=township.county,
        webhook=robot.wecom_url,
    )
    overdue_items(township, 60, description="沿街立面空调外机、雨棚、店招破损严重影响集镇风貌需要整改" * 2)
    with committed():
        scan_overdue(today=TODAY)
    posts = robot.robot.posts
    assert len(posts) > 1 and all(p.answer["errcode"] == 0 for p in posts)
    contents = [p.body["markdown"]["content"] for p in posts]
    assert all(len(c.encode()) <= 4096 for c in contents)
    assert f"（1/{len(posts)}）" in contents[0] and f"（{len(posts)}/{len(posts)}）" in contents[-1]
    joined = "".join(contents)
    for i in (1, 30, 60):
        assert f"（第{i}处）" in joined
    assert ChannelDelivery.objects.get().parts_sent == len(posts)


def test_a_refused_secret_fails_the_channel_and_tells_the_city_office_once(
    client_as, users, township, robot, committed
):
    city = users["city_office"]
    channel = add_channel(
        client_as(city),
        name="签名错误的群",
        county=township.county,
        webhook=robot.dingtalk_url,
        secret="SECwrong-secret",
    )
    overdue_items(township, 2)
    with committed():
        scan_overdue(today=TODAY)
    (post,) = robot.robot.posts
    assert post.answer["errcode"] == 310000
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.FAILED and "310000" in channel.status_note
    assert ChannelDelivery.objects.get().status == DeliveryStatus.FAILED
    (notice,) = Notification.objects.filter(level=NotificationLevel.CHANNEL_FAILED)
    assert (
        notice.recipient == city
        and "签名错误的群" in notice.text
        and notice.link == f"/notifications/channels/{channel.pk}/"
    )
    # A failed channel gets nothing more until the city office fixes it.
    with committed():
        client_as(users["county_official"]).post(f"/inspections/findings/{Finding.objects.first().pk}/chase/")
    assert len(robot.robot.posts) == 1
    assert Notification.objects.filter(level=NotificationLevel.CHANNEL_FAILED).count() == 1

    # Fixed on the settings page (the secret only; the address is kept) and set active: it posts again.
    response = client_as(city).post(
        f"/notifications/channels/{channel.pk}/",
        {
            "name": channel.name,
            "kind": "dingtalk",
            "county": township.county.pk,
            "secret": robot.robot.secret,
            "status": "active",
            "mention": "on",
        },
    )
    assert response.status_code == 302
    with committed():
        client_as(users["county_official"]).post(f"/inspections/findings/{Finding.objects.last().pk}/chase/")
    assert [p.answer["errcode"] for p in robot.robot.posts] == [310000, 0]


def test_secrets_never_appear_in_a_page_an_api_answer_or_a_log_line(
    client_as, api_as, users, township, robot, committed, caplog
):
    caplog.set_level(logging.DEBUG)
    city = users["city_office"]
    secrets = [robot.robot.token, robot.robot.secret, robot.robot.wecom_key]
    client = client_as(city)
    good = add_channel(
        client, name="钉钉群", county=township.county, webhook=robot.dingtalk_url, secret=robot.robot.secret
    )
    add_channel(client, name="企微群", kind="wecom", county=township.county, webhook=robot.wecom_url)
    add_channel(
        client,
        name="坏群",
        county=None,
        webhook=robot.dingtalk_url.replace(robot.robot.token, "wrong-token-abc"),
        secret="SECbadbad",
    )
    overdue_items(township, 2)
    with committed():
        scan_overdue(today=TODAY)
    assert {p.answer["errcode"] for p in robot.robot.posts} == {0, 300001}
    # Stored encrypted: not even the database holds them in clear.
    row = Channel.objects.filter(pk=good.pk).values().get()
    assert not any(s in json.dumps(row, default=str) for s in secrets)

    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "pass-1234-word")
    pages = [
        (city, "/notifications/channels/"),
        (city, f"/notifications/channels/{good.pk}/"),
        (city, "/notifications/channels/new/"),
        (city, "/notifications/"),
        (admin, "/admin/notifications/channel/"),
        (admin, f"/admin/notifications/channel/{good.pk}/change/"),
        (admin, "/admin/notifications/channelbatch/"),
        (admin, f"/admin/notifications/channelbatch/{ChannelBatch.objects.first().pk}/change/"),
    ]
    for user, path in pages:
        response = client_as(user).get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not any(s in body for s in secrets), path
    assert "/robot/send?…" in client_as(city).get("/notifications/channels/").content.decode()
    for path in ("/api/v1/notifications/", "/api/v1/findings/"):
        answer = api_as(city).get(path)
        assert answer.status_code == 200 and not any(s in answer.content.decode() for s in secrets), path
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records and not any(s in logged for s in secrets)
    errors = " ".join(ChannelDelivery.objects.values_list("last_error", flat=True)) + " ".join(
        Channel.objects.values_list("status_note", flat=True)
    )
    assert not any(s in errors for s in secrets)


def test_only_the_city_office_configures_channels(client_as, users, township, robot):
    for role in ("county_official", "township_staff", "inspector", "province"):
        assert client_as(users[role]).get("/notifications/channels/").status_code == 403, role
    assert client_as(users["county_official"]).post("/notifications/channels/new/", {}).status_code == 403
    channel = channel_save(
        by=users["city_office"],
        name="群",
        kind="dingtalk",
        county=township.county,
        webhook=robot.dingtalk_url,
    )
    assert (
        client_as(users["county_official"]).get(f"/notifications/channels/{channel.pk}/").status_code == 403
    )


@pytest.mark.parametrize("rows", [1, 40])
def test_channel_list_queries_do_not_grow_with_rows(
    client_as, users, township, robot, rows, django_assert_num_queries
):
    for i in range(rows):
        channel_save(
            by=users["city_office"],
            name=f"群{i}",
            kind="dingtalk",
            county=township.county,
            webhook=robot.dingtalk_url,
        )
    client = client_as(users["city_office"])
    # session, user with memberships, unread count in the header, page count, page (city and county joined)
    with django_assert_num_queries(5):
        assert client.get("/notifications/channels/").status_code == 200
