"""Yellow cards through HTTP and the API: issue, escalate, lift only once every item is closed."""

import datetime

import pytest

from inspections.models import Finding, YellowCard, YellowCardEvent
from inspections.services.cards import yellow_card_issue
from inspections.services.findings import finding_submit, finding_verify
from tests.inspections.factories import FindingFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def open_items(township):
    return [
        FindingFactory(township=township, description="老街垃圾未清", deadline=datetime.date(2020, 1, 1)),
        FindingFactory(township=township, description="线缆仍未整理", deadline=datetime.date(2020, 2, 1)),
    ]


def close(finding, users):
    finding_submit(finding_id=finding.pk, by=users["township_staff"], note="已整改", photos=[_photo()])
    finding_verify(finding_id=finding.pk, by=users["inspector"])


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.inspections.conftest import jpeg_bytes

    return SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg")


def test_issue_escalate_lift_through_http(client_as, users, township, open_items):
    city = client_as(users["city_office"])
    response = city.post(
        "/inspections/yellow-cards/new/", {"township": township.pk, "reason": "整改严重滞后"}
    )
    assert response.status_code == 302
    card = YellowCard.objects.get()
    assert set(card.findings.all()) == set(open_items) and card.level == "warning"

    url = f"/inspections/yellow-cards/{card.pk}/"
    assert city.post(url + "escalate/", {"reason": ""}).status_code == 400
    assert city.post(url + "escalate/", {"reason": "一周内无进展，予以通报"}).status_code == 302
    refused = city.post(url + "escalate/", {"reason": "联合媒体曝光"})
    assert refused.status_code == 400 and "媒体" in refused.content.decode()
    response = city.post(
        url + "escalate/",
        {
            "reason": "仍未整改，联合市级媒体曝光",
            "outlet": "丽水日报",
            "exposure_date": "2026-11-25",
            "link": "https://www.lsnews.com.cn/example",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.level, card.outlet, str(card.exposure_date)) == ("media", "丽水日报", "2026-11-25")

    refused = city.post(url + "lift/", {"note": ""})
    assert refused.status_code == 400 and "2 个关联问题尚未销号" in refused.content.decode()
    close(open_items[0], users)
    assert "1 个关联问题尚未销号" in city.post(url + "lift/", {}).content.decode()
    close(open_items[1], users)
    assert city.post(url + "lift/", {"note": "问题全部销号"}).status_code == 302
    card.refresh_from_db()
    assert card.status == "lifted" and card.lifted_by == users["city_office"] and card.lifted_at

    steps = [
        (e.kind, e.actor.username, e.from_level, e.to_level, e.outlet)
        for e in YellowCardEvent.objects.order_by("at", "pk")
    ]
    assert steps == [
        ("issued", "city", "", "warning", ""),
        ("escalated", "city", "warning", "bulletin", ""),
        ("escalated", "city", "bulletin", "media", "丽水日报"),
        ("lifted", "city", "media", "", ""),
    ]
    page = city.get(url).content.decode()
    for text in (
        "整改严重滞后",
        "一周内无进展，予以通报",
        "丽水日报",
        "问题全部销号",
        users["city_office"].get_full_name(),
    ):
        assert text in page
    assert card.history.count() >= 4


def test_second_active_card_refused_ui_and_api(client_as, api_as, users, township, open_items):
    yellow_card_issue(by=users["city_office"], township=township, reason="第一张黄牌")
    response = client_as(users["city_office"]).post(
        "/inspections/yellow-cards/new/", {"township": township.pk, "reason": "第二张"}
    )
    assert response.status_code == 400 and "已有生效的黄牌" in response.content.decode()
    response = api_as(users["city_office"]).post(
        "/api/v1/yellow-cards/", {"township": township.pk, "reason": "第二张"}, format="json"
    )
    assert response.status_code == 400 and "已有生效的黄牌" in str(response.json())
    assert YellowCard.objects.count() == 1


def test_only_the_city_office_issues(client_as, api_as, users, township):
    assert client_as(users["county_official"]).get("/inspections/yellow-cards/new/").status_code == 403
    response = api_as(users["county_official"]).post(
        "/api/v1/yellow-cards/", {"township": township.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not YellowCard.objects.exists()


def test_the_api_ladder(api_as, users, township, open_items, other_township):
    api = api_as(users["city_office"])
    card = api.post(
        "/api/v1/yellow-cards/", {"township": township.pk, "reason": "滞后"}, format="json"
    ).json()
    assert card["level"] == "warning" and card["item_count"] == 2
    url = f"/api/v1/yellow-cards/{card['id']}/"
    assert api.post(url + "escalate/", {"reason": "通报"}, format="json").json()["level"] == "bulletin"
    bad = api.post(url + "escalate/", {"reason": "曝光"}, format="json")
    assert bad.status_code == 400 and "outlet" in bad.json()
    body = api.post(
        url + "escalate/",
        {"reason": "曝光", "outlet": "丽水日报", "exposure_date": "2026-11-25"},
        format="json",
    ).json()
    assert body["level"] == "media"
    body = api.post(
        url + "escalate/",
        {"reason": "问政", "outlet": "丽水电视台《问政》", "exposure_date": "2026-11-27"},
        format="json",
    ).json()
    assert body["level"] == "questioning"
    top = api.post(url + "escalate/", {"reason": "再升级"}, format="json")
    assert top.status_code == 400 and "最高" in str(top.json())
    assert api.post(url + "lift/", {}, format="json").status_code == 400
    for finding in open_items:
        close(finding, users)
    lifted = api.post(url + "lift/", {"note": "已全部销号"}, format="json").json()
    assert lifted["status"] == "lifted" and [e["kind"] for e in lifted["events"]] == [
        "issued",
        "escalated",
        "escalated",
        "escalated",
        "lifted",
    ]
    # Scope: township staff see their card, the other county's official does not.
    assert api_as(users["township_staff"]).get(url).status_code == 200
    assert api_as(users["other_county_official"]).get(url).status_code == 404


def test_board_and_township_page(client_as, users, township, open_items, django_assert_num_queries):
    yellow_card_issue(by=users["city_office"], township=township, reason="整改滞后", findings=open_items)
    client = client_as(users["city_office"])
    board = client.get("/inspections/yellow-cards/")
    cards = list(board.context["cards"])
    assert len(cards) == 1 and (cards[0].item_count, cards[0].closed_count) == (2, 0)
    assert "碧湖镇" in board.content.decode()
    page = client_as(users["township_staff"]).get(township.get_absolute_url()).content.decode()
    assert "yellow-card yellow-card--warning" in page and "整改滞后" in page
    assert page.index("yellow-card--warning") < page.index("facts-title")


def test_board_constant_queries(client_as, users, lishui):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(users["city_office"])
    townships = list(lishui.filter(county__code="331102").order_by("code"))

    def issue(ts):
        for t in ts:
            finding = FindingFactory(township=t, deadline=datetime.date(2020, 1, 1))
            yellow_card_issue(by=users["city_office"], township=t, reason="滞后", findings=[finding])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/inspections/yellow-cards/")
        return len(ctx.captured_queries)

    issue(townships[:1])
    first = queries()
    issue(townships[1:])
    assert queries() == first
    assert Finding.objects.count() == len(townships)
