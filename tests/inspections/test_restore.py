"""Nothing lost: an archived item comes back through the page and the API, with its history intact."""

import pytest

from inspections.choices import FindingEventKind, FindingStatus
from inspections.models import Finding, FindingEvent
from inspections.services.findings import finding_archive
from tests.inspections.factories import FindingFactory, FindingPhotoFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def archived(township, users):
    """A sent-back item of 碧湖镇 with a photo and two events, archived by the county official."""
    finding = FindingFactory(township=township, status=FindingStatus.REJECTED, reopen_count=1)
    FindingPhotoFactory(finding=finding)
    FindingEvent.objects.create(finding=finding, kind=FindingEventKind.CREATED, actor=users["inspector"])
    finding_archive(finding_id=finding.pk, by=users["county_official"], reason="重复填报")
    return Finding.objects.get(pk=finding.pk)


def kinds(finding) -> list[str]:
    return list(finding.events.order_by("at", "pk").values_list("kind", flat=True))


def listed_ids(client) -> list[int]:
    return [f.pk for f in client.get("/inspections/findings/").context["findings"]]


def test_archived_item_is_found_and_restored_on_the_page(client_as, users, archived):
    client = client_as(users["inspector"])
    assert archived.pk not in listed_ids(client)
    assert "/inspections/findings/archived/" in client.get("/inspections/findings/").content.decode()
    archived_page = client.get("/inspections/findings/archived/")
    assert [f.pk for f in archived_page.context["findings"]] == [archived.pk]

    page = client.get(f"/inspections/findings/{archived.pk}/").content.decode()
    assert "该问题已归档" in page and f"/inspections/findings/{archived.pk}/restore/" in page
    assert "恢复" in page

    response = client.post(f"/inspections/findings/{archived.pk}/restore/", {"reason": "误归档，问题仍存在"})
    assert response.status_code == 302 and response["Location"] == f"/inspections/findings/{archived.pk}/"
    finding = Finding.objects.get(pk=archived.pk)
    assert not finding.archived
    assert finding.status == FindingStatus.REJECTED and finding.reopen_count == 1  # as it was
    assert finding.photos.count() == 1
    assert kinds(finding) == ["created", "archived", "restored"]  # history intact, one event more
    event = finding.events.latest("pk")
    assert event.actor == users["inspector"] and event.note == "误归档，问题仍存在" and event.at
    assert finding.history.first().archived is False
    assert archived.pk in listed_ids(client)
    assert archived.pk not in [
        f.pk for f in client.get("/inspections/findings/archived/").context["findings"]
    ]
    shown = client.get(f"/inspections/findings/{archived.pk}/").content.decode()
    assert "已恢复" in shown and "误归档，问题仍存在" in shown


def test_restore_through_the_api(api_as, users, archived):
    api = api_as(users["city_office"])
    assert api.get(f"/api/v1/findings/{archived.pk}/").status_code == 404  # off the list
    found = api.get("/api/v1/findings/archived/").json()
    assert found["count"] == 1 and found["results"][0]["id"] == archived.pk
    assert found["results"][0]["status"] == FindingStatus.REJECTED and len(found["results"][0]["photos"]) == 1
    response = api.post(f"/api/v1/findings/{archived.pk}/restore/", {"reason": "误归档"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == archived.pk and response.json()["status"] == FindingStatus.REJECTED
    assert not Finding.objects.get(pk=archived.pk).archived
    event = FindingEvent.objects.filter(finding=archived).latest("pk")
    assert (event.kind, event.actor, event.note) == ("restored", users["city_office"], "误归档")
    detail = api.get(f"/api/v1/findings/{archived.pk}/").json()
    assert [e["kind"] for e in detail["events"]] == ["created", "archived", "restored"]
    ids = [row["id"] for row in api.get("/api/v1/findings/").json()["results"]]
    assert archived.pk in ids
    assert api.get("/api/v1/findings/archived/").json()["count"] == 0


def test_restoring_an_item_that_is_not_archived_is_refused(client_as, api_as, users, township):
    finding = FindingFactory(township=township)
    client = client_as(users["county_official"])
    response = client.post(f"/inspections/findings/{finding.pk}/restore/", {"reason": "试试"})
    assert response.status_code == 400
    assert "该问题未归档，无需恢复。" in response.content.decode()
    response = api_as(users["county_official"]).post(
        f"/api/v1/findings/{finding.pk}/restore/", {"reason": "试试"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该问题未归档，无需恢复。"]}
    assert not FindingEvent.objects.filter(finding=finding).exists()
    assert not Finding.objects.get(pk=finding.pk).archived


def test_a_reason_is_required(client_as, api_as, users, archived):
    response = client_as(users["county_official"]).post(f"/inspections/findings/{archived.pk}/restore/", {})
    assert response.status_code == 400
    response = api_as(users["county_official"]).post(f"/api/v1/findings/{archived.pk}/restore/", {})
    assert response.status_code == 400 and "reason" in response.json()
    assert Finding.objects.get(pk=archived.pk).archived


@pytest.mark.parametrize("role", ["township_staff", "province", "api_client"])
def test_a_role_that_may_not_restore_gets_403(client_as, api_as, users, archived, role):
    user = users[role]
    client = client_as(user)
    assert client.post(f"/inspections/findings/{archived.pk}/restore/", {"reason": "x"}).status_code == 403
    assert client.get("/inspections/findings/archived/").status_code == 403
    assert api_as(user).get("/api/v1/findings/archived/").status_code == 403
    response = api_as(user).post(f"/api/v1/findings/{archived.pk}/restore/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    page = client.get(f"/inspections/findings/{archived.pk}/")
    assert page.status_code == 200 and "/restore/" not in page.content.decode()  # no button either
    assert Finding.objects.get(pk=archived.pk).archived
    assert kinds(archived) == ["created", "archived"]


def test_out_of_scope_is_404(client_as, api_as, users, other_township):
    finding = FindingFactory(township=other_township)
    finding_archive(finding_id=finding.pk, by=users["city_office"], reason="重复")
    official = users["county_official"]  # 莲都区; the item is in 龙泉市
    assert (
        client_as(official).post(f"/inspections/findings/{finding.pk}/restore/", {"reason": "x"}).status_code
        == 404
    )
    response = api_as(official).post(
        f"/api/v1/findings/{finding.pk}/restore/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert finding.pk not in [
        f.pk for f in client_as(official).get("/inspections/findings/archived/").context["findings"]
    ]
    assert Finding.objects.get(pk=finding.pk).archived


def test_role_is_checked_before_the_form(client_as, api_as, users, township):
    """A role that may not act is told 403, never shown field errors (issue 9, the matrix)."""
    finding = FindingFactory(township=township, status=FindingStatus.SUBMITTED)
    staff, inspector = users["township_staff"], users["inspector"]
    assert client_as(staff).post(f"/inspections/findings/{finding.pk}/reject/", {}).status_code == 403
    assert client_as(staff).post(f"/inspections/findings/{finding.pk}/archive/", {}).status_code == 403
    assert client_as(inspector).post(f"/inspections/findings/{finding.pk}/submit/", {}).status_code == 403
    assert client_as(inspector).post(f"/inspections/findings/{finding.pk}/photos/", {}).status_code == 403
    assert api_as(staff).post(f"/api/v1/findings/{finding.pk}/reject/", {}).status_code == 403
    assert api_as(inspector).post(f"/api/v1/findings/{finding.pk}/submit/", {}).status_code == 403
    # An inspector may add before photos: the stage decides, and then the form speaks (no photo: 400).
    response = client_as(inspector).post(f"/inspections/findings/{finding.pk}/photos/", {"stage": "before"})
    assert response.status_code == 400


def archive_new(n, township, users) -> None:
    """n assigned items of the township, each with a photo, archived by the city office."""
    for _ in range(n):
        finding = FindingFactory(township=township, assignee=users["township_staff"])
        FindingPhotoFactory(finding=finding)
        finding_archive(finding_id=finding.pk, by=users["city_office"], reason="重复")


def test_archived_list_queries_constant(
    client_as, users, township, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_as(users["county_official"])

    archive_new(1, township, users)
    with django_assert_max_num_queries(
        12
    ) as one:  # as the rectification list (tests/inspections/test_queries)
        assert len(client.get("/inspections/findings/archived/").context["findings"]) == 1
    archive_new(29, township, users)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/inspections/findings/archived/").context["findings"]) == 30


def test_archived_api_list_is_scoped_and_filtered(api_as, users, archived, other_township):
    elsewhere = FindingFactory(township=other_township)
    finding_archive(finding_id=elsewhere.pk, by=users["city_office"], reason="重复")
    FindingFactory(township=archived.township)  # listed, not archived
    city = api_as(users["city_office"])
    assert {r["id"] for r in city.get("/api/v1/findings/archived/").json()["results"]} == {
        archived.pk,
        elsewhere.pk,
    }
    county = api_as(users["county_official"])  # 莲都区 only
    assert [r["id"] for r in county.get("/api/v1/findings/archived/").json()["results"]] == [archived.pk]
    by_county = city.get("/api/v1/findings/archived/", {"county": other_township.county.code}).json()
    assert [r["id"] for r in by_county["results"]] == [elsewhere.pk]
    assert city.get("/api/v1/findings/archived/", {"status": "nonsense"}).status_code == 400


def test_archived_api_list_queries_constant(api_as, users, township, django_assert_num_queries):
    api = api_as(users["county_official"])

    archive_new(1, township, users)
    # the user, the page of ids with its total, the rows, the photos
    with django_assert_num_queries(4) as one:
        assert api.get("/api/v1/findings/archived/").json()["count"] == 1
    archive_new(29, township, users)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/findings/archived/").json()["results"]) == 30
