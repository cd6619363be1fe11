"""Issue 19 on the standings pages: the warnings filter takes a name, and scores say their scale."""

import pytest

from standings.models import Ranking
from standings.services import ranking_compute, standings_refresh
from tests.standings.factories import AS_OF

pytestmark = [pytest.mark.django_db]


def _prepare(make, n):
    make(n)
    standings_refresh(as_of=AS_OF)
    Ranking.objects.filter(status="draft").delete()
    ranking_compute(period="2026-03")


def test_warning_board_filters_by_a_typed_township_name(client_as, api_as, users, many_townships):
    _prepare(many_townships, 12)
    client = client_as(users["city_office"])
    response = client.get("/standings/warnings/", {"township": "测试镇1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "输入一个数字" not in html and "Enter a number" not in html
    names = {s.township.name for s in response.context["snapshots"]}
    assert names == {"测试镇1", "测试镇10", "测试镇11"}
    # an id still works, for the scripts that pass one
    one = response.context["snapshots"][0].township
    assert {
        s.township.pk for s in client.get("/standings/warnings/", {"township": one.pk}).context["snapshots"]
    } == {one.pk}
    body = api_as(users["city_office"]).get("/api/v1/warnings/", {"township": "测试镇11"}).json()
    assert [r["township"] for r in body["results"]] and body["count"] == 1


def test_rankings_say_their_scale(client_as, users, many_townships):
    _prepare(many_townships, 3)
    client = client_as(users["city_office"])
    for url in ("/standings/rankings/2026-03/", "/standings/warnings/", "/standings/counties/339900/"):
        html = client.get(url).content.decode()
        assert "得分口径" in html and "可超过 100 分" in html, url
