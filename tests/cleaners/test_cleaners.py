"""保洁员持证上岗: the register, certified rates counted in the database, the ledger, expiry notices."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate
from openpyxl import Workbook, load_workbook

from cleaners.models import Cleaner
from cleaners.services import COLUMNS
from cleaners.tasks import notify_expiring_certificates_task
from notifications.models import Notification

pytestmark = [pytest.mark.django_db]

TODAY = localdate()
VALID = TODAY + datetime.timedelta(days=365)


def cleaner(township, i=0, *, passed=True, expiry=VALID, active=True):
    return Cleaner.objects.create(
        township=township,
        name=f"保洁员{township.code}-{i}",
        area=f"{township.name}主街{i}段",
        training_date=TODAY - datetime.timedelta(days=30),
        test_result="passed" if passed else "failed",
        certificate_no=f"JN{township.code}{i:03d}" if passed else "",
        certificate_expiry=expiry if passed else None,
        active=active,
    )


def staff_register(townships):
    """Per township: 3 certified, 1 failed, 1 expired, 1 who left (certified but not counted)."""
    for t in townships:
        for i in range(3):
            cleaner(t, i)
        cleaner(t, 3, passed=False)
        cleaner(t, 4, expiry=TODAY - datetime.timedelta(days=1))
        cleaner(t, 5, active=False)


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response


def test_rates_are_counted_in_the_database(api_as, users, lishui):
    liandu = list(lishui.filter(county__code="331102").order_by("code")[:4])
    staff_register(liandu)
    api = api_as(users["city_office"])
    queries, response = _count(api, "/api/v1/cleaner-rates/", group_by="township")
    rows = {r["code"]: r for r in response.json()}
    assert set(rows) == {t.code for t in liandu}
    assert all((r["cleaners"], r["certified"], r["certified_rate"]) == (5, 3, "60.00") for r in rows.values())
    _q, response = _count(api, "/api/v1/cleaner-rates/", group_by="county")
    assert response.json() == [
        {
            "county": "331102",
            "code": "331102",
            "name": "莲都区",
            "cleaners": 20,
            "certified": 12,
            "certified_rate": "60.00",
        }
    ]


@pytest.mark.parametrize(
    "url,params",
    [
        ("/api/v1/cleaner-rates/", {"group_by": "township"}),
        ("/api/v1/cleaner-rates/", {"group_by": "county"}),
        ("/api/v1/cleaners/", {}),
        ("/cleaners/", {}),
        ("/cleaners/", {"county": "331102"}),
        ("/cleaners/export/", {}),
    ],
)
def test_rates_and_lists_cost_the_same_at_one_and_many_townships(client_as, users, lishui, url, params):
    client = client_as(users["city_office"])
    townships = list(lishui.filter(county__code="331102").order_by("code"))
    staff_register(townships[:1])
    one, _ = _count(client, url, **params)
    staff_register(townships[1:])
    many, _ = _count(client, url, **params)
    assert one == many, (one, many)
    assert (
        many <= 9
    )  # session, user, scope, then at most: count, page, rates by county and township, the county choices


def test_township_page_shows_the_rate(client_as, users, township, django_assert_max_num_queries):
    staff_register([township])
    client = client_as(users["township_staff"])
    response = client.get(f"/townships/{township.pk}/")
    assert "60.0%" in response.content.decode()


def test_scope(api_as, users, township, other_township):
    mine, theirs = cleaner(township), cleaner(other_township)
    api = api_as(users["township_staff"])
    assert [r["id"] for r in api.get("/api/v1/cleaners/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/cleaners/{theirs.pk}/").status_code == 404
    assert api.get("/api/v1/cleaner-rates/", {"group_by": "bogus"}).status_code == 400


def _xlsx(rows, header=COLUMNS):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "cleaners.xlsx"
    return buffer


GOOD = ["331102100", "张三", "碧湖镇碧湖大街", "2026-03-01", "合格", "BH-001", VALID.isoformat()]


def test_import_with_a_bad_row_is_refused_whole_with_its_line(client_as, users, township):
    client = client_as(users["township_staff"])
    upload = _xlsx(
        [
            GOOD,
            ["331102100", "李四", "新村路", "2026-03-01", "合格", "", ""],
            ["331102100", "王五", "", "2026-13-01", "优秀", "BH-001", ""],  # line 4: four problems
            ["331181001", "赵六", "龙渊路", "", "待考", "", ""],  # line 5: another township's
        ]
    )
    response = client.post("/cleaners/import/", {"file": upload})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [e.split("：")[0] for e in errors] == ["第 4 行", "第 5 行"]  # lines 2 and 3 are fine
    assert len(errors[0].split("；")) == 6 and "2" in errors[0].split("；")[-1]  # same number as line 2
    assert "331181001" in errors[1]
    assert not response.context.get("preview")
    assert not Cleaner.objects.exists()


def test_import_preview_then_confirm_then_export_round_trip(client_as, users, township):
    client = client_as(users["township_staff"])
    upload = _xlsx([GOOD, ["331102100", "李四", "新村路", "2026-03-01", "待考", "", ""]])
    response = client.post("/cleaners/import/", {"file": upload})
    assert len(response.context["preview"]) == 2 and not Cleaner.objects.exists()
    response = client.post("/cleaners/import/", {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert Cleaner.objects.get(name="张三").certificate_no == "BH-001"
    exported = client.get("/cleaners/export/")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # a Chinese title row, then the import's columns
    assert rows[0][0] == "保洁员名册" and list(rows[1][: len(COLUMNS)]) == list(COLUMNS) and len(rows) == 4
    # the export imports back unchanged (updates by township and name, nothing new)
    back = _xlsx([[c if c is not None else "" for c in row[: len(COLUMNS)]] for row in rows[2:]])
    response = client.post("/cleaners/import/", {"file": back})
    assert not response.context.get("errors"), response.context.get("errors")
    client.post("/cleaners/import/", {"payload": response.context["payload"]})
    assert Cleaner.objects.count() == 2


def test_expiring_certificates_notify_the_township_once(users, township, other_township):
    soon = cleaner(township, 1, expiry=TODAY + datetime.timedelta(days=30))
    cleaner(township, 2, expiry=TODAY + datetime.timedelta(days=31))  # not yet
    cleaner(township, 3, expiry=TODAY - datetime.timedelta(days=1))  # already expired: not certified
    cleaner(other_township, 4, expiry=TODAY + datetime.timedelta(days=3))  # no staff there in the fixture
    assert notify_expiring_certificates_task.apply().get() == 1
    assert notify_expiring_certificates_task.apply().get() == 0  # a rerun sends nothing twice
    notices = Notification.objects.filter(kind="certificate")
    assert [(n.recipient_id, n.object_id) for n in notices] == [(users["township_staff"].pk, soon.pk)]
    assert soon.certificate_no in notices[0].text and "/cleaners/?township=" in notices[0].link


def test_beat_runs_the_scan_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["cleaner-certificates"]
    assert entry["task"] == "cleaners.tasks.notify_expiring_certificates_task"
    assert json.dumps(sorted(entry)) == '["schedule", "task"]'
