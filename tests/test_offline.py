"""Issue 19: what a phone keeps for field work (core.offline): worker, manifest and the scoped snapshot."""

import pytest

from tests.factories import make_member
from townships.choices import Role

pytestmark = [pytest.mark.django_db]


def test_the_worker_is_served_from_the_root_with_its_version(client, users):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'var VERSION = "' in body and "/static/js/outbox.js" in body
    assert "/static/inspections/inspection_form.js" in body  # an app's offline page brings its script
    assert "没有网络连接" in body  # the offline page in the user's language


def test_the_manifest_makes_the_app_installable(client):
    data = client.get("/manifest.webmanifest").json()
    assert data["start_url"] == "/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    from django.contrib.staticfiles import finders

    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_pages_link_the_manifest_and_carry_the_outbox(client_as, users):
    page = client_as(users["inspector"]).get("/inspections/new/").content.decode()
    assert 'rel="manifest"' in page and "js/outbox.js" in page
    assert "data-outbox-badge" in page and "data-offline=" in page


def test_the_snapshot_is_the_users_scope(client_as, users, township, other_township):
    staff = client_as(users["township_staff"]).get("/offline/snapshot/").json()
    assert [t["code"] for t in staff["townships"]] == [township.code]
    assert {t["code"] for t in staff["tracks"]} >= {"sanitation"}
    names = {p["name"] for p in staff["people"]}
    assert users["api_client"].get_full_name() not in names or not users["api_client"].get_full_name()
    assert all("api_client" not in p["roles"] for p in staff["people"])
    assert staff["pages"] == []  # township staff file no inspections; their fix forms are cached as seen
    assert staff["csrf_token"] and staff["version"] and staff["schema"] == 1

    official = client_as(users["county_official"]).get("/offline/snapshot/").json()
    codes = {t["code"] for t in official["townships"]}
    assert township.code in codes and other_township.code not in codes
    assert official["pages"] == ["/inspections/new/"]


def test_the_snapshot_answers_304_while_unchanged(client_as, users, township):
    client = client_as(users["county_official"])
    first = client.get("/offline/snapshot/")
    etag = first["ETag"]
    assert client.get("/offline/snapshot/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_member(Role.TOWNSHIP_STAFF, username="newcomer", township=township)
    changed = client.get("/offline/snapshot/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_snapshot_needs_a_login(client):
    assert client.get("/offline/snapshot/").status_code == 302


# session, user, then townships, tracks, people, their memberships and teams: one each, however many rows.
QUERIES = 7


@pytest.mark.parametrize("many", [False, True])
def test_snapshot_queries_do_not_grow_with_rows(
    client_as, users, township, lishui, many, django_assert_num_queries
):
    if many:
        for index, place in enumerate(lishui.filter(county__code="331102")[:10]):
            make_member(Role.TOWNSHIP_STAFF, username=f"staff{index}", township=place)
    client = client_as(users["county_official"])
    client.get("/offline/snapshot/")  # the session and scope, as on any page
    with django_assert_num_queries(QUERIES):
        client.get("/offline/snapshot/")
