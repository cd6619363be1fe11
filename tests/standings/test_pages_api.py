"""Pages and endpoints of standings, through HTTP, with their query budgets."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from standings.models import Ranking
from standings.services import ranking_compute, standings_refresh
from tests.standings.factories import AS_OF

pytestmark = [pytest.mark.django_db]


def _prepare(make, n):
    make(n)
    standings_refresh(as_of=AS_OF)
    Ranking.objects.filter(status="draft").delete()
    ranking_compute(period="2026-02")
    ranking_compute(period="2026-03")


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url,params",
    [
        ("/", {}),
        ("/api/v1/progress/", {"group_by": "county"}),
        ("/api/v1/progress/", {"group_by": "township"}),
        ("/api/v1/progress/", {"group_by": "track"}),
        ("/api/v1/progress/", {"group_by": "township", "track": "sanitation"}),
    ],
)
def test_overview_and_progress_use_constant_queries(client_as, users, many_townships, url, params):
    client = client_as(users["city_office"])
    _prepare(many_townships, 10)
    small, _ = _count(client, url, **params)
    from standings.models import RankingEntry, WarningSnapshot

    RankingEntry.objects.all().delete()
    WarningSnapshot.objects.all().delete()
    _prepare(many_townships, 200)
    large, response = _count(client, url, **params)
    assert small == large, (small, large)
    assert large <= 13  # 12, plus the overview cache's version query when the page is computed


def test_overview_numbers(client_as, users, many_townships):
    _prepare(many_townships, 10)
    response = client_as(users["city_office"]).get("/")
    content = response.content.decode()
    assert "全市总览" in content or "City overview" in content
    totals = response.context["totals"]
    # the ten test townships report 0..9 of 100 against 50 % expected; Lishui's have no targets
    assert totals["targets"] == 10
    assert float(totals["percent"]) == pytest.approx(4.5)
    assert totals["red"] == 10
    assert "<svg" in content and "<table" in content
    assert 'style="' not in content


def test_progress_rollup_values_and_scope(api_as, users, many_townships):
    _prepare(many_townships, 9)
    body = api_as(users["city_office"]).get("/api/v1/progress/", {"group_by": "county"}).json()
    rows = {r["code"]: r for r in body["results"]}
    # county 339900 holds townships 0, 3, 6 (done 0, 3, 6 of 100): mean 3 %
    assert rows["339900"]["percent"] == "3.00"
    assert rows["339900"]["expected_percent"] == "50.00"
    assert rows["339900"]["colour"] == "red"
    assert rows["339900"]["targets"] == 3
    assert {"open_findings", "overdue_findings", "target_quantity", "done_quantity"} <= set(rows["339900"])
    track = api_as(users["city_office"]).get("/api/v1/progress/", {"group_by": "track"}).json()["results"]
    assert [r["code"] for r in track][:2] == ["planning", "sanitation"]
    sanitation = next(r for r in track if r["code"] == "sanitation")
    assert sanitation["targets"] == 9 and sanitation["percent"] == "4.00"
    # a county official of 莲都区 sees none of the test counties
    body = api_as(users["county_official"]).get("/api/v1/progress/", {"group_by": "county"}).json()
    assert [r["code"] for r in body["results"]] == ["331102"]


def test_progress_bad_group_by_is_400(api_as, users):
    response = api_as(users["city_office"]).get("/api/v1/progress/", {"group_by": "planet"})
    assert response.status_code == 400
    assert "group_by" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/warnings/", "/api/v1/rankings/", "/standings/warnings/"])
def test_list_queries_same_at_1_and_50(client_as, users, many_townships, url):
    client = client_as(users["city_office"])
    from standings.models import RankingEntry, WarningSnapshot

    many_townships(1)
    standings_refresh(as_of=AS_OF)
    ranking_compute(period="2026-03")
    # keep only our one test township in the period
    RankingEntry.objects.exclude(county__code__startswith="3399").delete()
    WarningSnapshot.objects.exclude(county__code__startswith="3399").delete()
    one, response = _count(client, url, county="339900")
    assert (response.json()["count"] if url.startswith("/api") else response.context["paginator"].count) == 1
    many_townships(150)
    RankingEntry.objects.all().delete()
    WarningSnapshot.objects.all().delete()
    standings_refresh(as_of=AS_OF)
    ranking_compute(period="2026-03")
    many, response = _count(client, url, county="339900")
    assert (response.json()["count"] if url.startswith("/api") else response.context["paginator"].count) == 50
    assert one == many


def test_rankings_api_filters(api_as, users, many_townships):
    _prepare(many_townships, 6)
    api = api_as(users["api_client"])
    body = api.get("/api/v1/rankings/", {"period": "2026-03", "county": "339901"}).json()
    assert body["count"] == 2
    assert [r["county_rank"] for r in body["results"]] == [1, 2]
    assert body["results"][0]["township_code"] == "339901004"  # done 4 beats done 1
    assert body["results"][0]["status"] == "draft"
    warnings = api.get("/api/v1/warnings/", {"period": "2026-03", "county": "339901"}).json()
    assert warnings["count"] == 2 and warnings["results"][0]["colour"] == "red"


def test_ranking_pages_publish_and_print(client_as, users, many_townships, monkeypatch):
    import standings.services as services

    monkeypatch.setattr(services, "localdate", lambda: AS_OF)
    _prepare(many_townships, 6)
    city = client_as(users["city_office"])
    assert city.get("/standings/rankings/").status_code == 200
    page = city.get("/standings/rankings/2026-03/", {"county": "339900"})
    assert [e.township.code for e in page.context["entries"]] == ["339900003", "339900000"]
    response = city.post("/standings/rankings/2026-03/publish/")
    assert response.status_code == 302
    assert Ranking.objects.get(period="2026-03").status == "published"
    page = city.get("/standings/rankings/2026-03/")
    assert page.context["flags"]
    printed = city.get("/standings/rankings/2026-03/print/").content.decode()
    assert "print.css" in printed and "⚑" not in printed and "339900003" not in printed
    assert "干事创业流动红旗" in printed or "red flag" in printed


def test_only_city_office_may_publish(client_as, users, many_townships):
    _prepare(many_townships, 3)
    response = client_as(users["county_official"]).post("/standings/rankings/2026-03/publish/")
    assert response.status_code == 404
    assert Ranking.objects.get(period="2026-03").status == "draft"


def test_ranking_export_has_the_page_rows(client_as, users, many_townships):
    _prepare(many_townships, 12)
    client = client_as(users["city_office"])
    page = client.get("/standings/rankings/2026-03/", {"county": "339902"})
    export = client.get("/standings/rankings/2026-03/export/", {"county": "339902"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == [e.township.code for e in page.context["entries"]]


def test_warning_export_has_the_page_rows(client_as, users, many_townships):
    _prepare(many_townships, 8)
    client = client_as(users["city_office"])
    params = {"period": "2026-03", "county": "339901"}
    page = client.get("/standings/warnings/", params)
    export = client.get("/standings/warnings/export/", params)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in rows] == [s.township.code for s in page.context["snapshots"]]


def test_township_page_has_the_standing_panel(client_as, users, township):
    from tests.standings.factories import township_with_progress

    standings_refresh(as_of=AS_OF)
    response = client_as(users["township_staff"]).get(township.get_absolute_url())
    assert "standing-panel" in response.content.decode()
    other = township_with_progress(township.county, quantity=100, done=80, code="331102999")
    standings_refresh(as_of=AS_OF)
    content = client_as(users["city_office"]).get(other.get_absolute_url()).content.decode()
    assert "80.0%" in content and "<svg" in content


def test_county_page(client_as, users, many_townships, other_township):
    _prepare(many_townships, 6)
    response = client_as(users["city_office"]).get("/standings/counties/339900/")
    assert response.status_code == 200
    assert len(response.context["townships"]) == 2
    assert client_as(users["county_official"]).get("/standings/counties/331181/").status_code == 404


def test_warning_board_defaults_to_the_latest_period_worst_first(client_as, users, many_townships):
    _prepare(many_townships, 6)
    response = client_as(users["city_office"]).get("/standings/warnings/", {"county": "339900"})
    snapshots = list(response.context["snapshots"])
    assert {s.period for s in snapshots} == {"2026-03"}
    assert [s.township.code for s in snapshots] == [
        "339900000",
        "339900003",
    ]  # done 0 is further behind than 3
    older = client_as(users["city_office"]).get(
        "/standings/warnings/", {"period": "2026-02", "county": "339900"}
    )
    assert {s.period for s in older.context["snapshots"]} == {"2026-02"}


def test_ranking_periods_export_has_the_page_rows(client_as, users, many_townships):
    _prepare(many_townships, 2)
    client = client_as(users["city_office"])
    page = client.get("/standings/rankings/", {"status": "draft"})
    export = client.get("/standings/rankings/export/", {"status": "draft"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [r.period for r in page.context["rankings"]] == ["2026-03", "2026-02"]


def test_unfiltered_exports_have_every_row(client_as, users, many_townships):
    _prepare(many_townships, 4)
    client = client_as(users["county_official"])  # 莲都区: its 15 townships, no test county
    for url, expected in [
        ("/standings/rankings/2026-03/export/", 15),
        ("/standings/warnings/export/", 15),
        ("/standings/rankings/export/", 2),
    ]:
        rows = list(
            load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(min_row=3, values_only=True)
        )
        assert len(rows) == expected, url
