"""The same loop through the REST API with token auth."""

import pytest

from inspections.models import Finding, FindingEvent, Inspection

pytestmark = [pytest.mark.django_db]


def test_the_whole_loop_through_the_api(api_as, users, township, make_photo):
    official, staff, inspector = users["county_official"], users["township_staff"], users["inspector"]
    api = api_as(official)
    payload = {
        "township": township.pk,
        "inspected_on": "2026-11-20",
        "mode": "covert",
        "submit": True,
        "findings": [
            {
                "track": "sanitation",
                "description": "河道垃圾",
                "deadline": "2030-01-31",
                "assignee": staff.pk,
            },
            {
                "track": "line_clutter",
                "description": "线缆乱拉",
                "deadline": "2030-02-28",
                "severity": "critical",
            },
        ],
    }
    response = api.post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    inspection = Inspection.objects.get(pk=response.json()["id"])
    first, second = inspection.findings.order_by("pk")
    response = api.post(
        f"/api/v1/findings/{first.pk}/photos/", {"stage": "before", "photos": [make_photo(), make_photo()]}
    )
    assert response.status_code == 201 and len(response.json()) == 2

    api = api_as(staff)
    listing = api.get("/api/v1/findings/", {"status": "open"}).json()
    assert listing["count"] == 2
    assert (
        api.post(f"/api/v1/findings/{first.pk}/submit/", {"note": "已清理"}, format="json").status_code == 400
    )
    response = api.post(
        f"/api/v1/findings/{first.pk}/submit/", {"note": "已清理", "photos": [make_photo("a.jpg")]}
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    api = api_as(inspector)
    illegal = api.post(f"/api/v1/findings/{second.pk}/verify/", {}, format="json")
    assert illegal.status_code == 400 and "只有已申请销号" in str(illegal.json())
    assert api.post(f"/api/v1/findings/{first.pk}/reject/", {}, format="json").status_code == 400
    response = api.post(f"/api/v1/findings/{first.pk}/reject/", {"reason": "仍有垃圾"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["reopen_count"] == 1

    api = api_as(staff)
    response = api.post(f"/api/v1/findings/{first.pk}/photos/", {"stage": "after", "photos": [make_photo()]})
    assert response.status_code == 201
    response = api.post(f"/api/v1/findings/{first.pk}/submit/", {"note": "彻底清理"}, format="json")
    assert response.json()["status"] == "submitted"

    response = api_as(inspector).post(f"/api/v1/findings/{first.pk}/verify/", {"note": "通过"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"

    detail = api_as(staff).get(f"/api/v1/findings/{first.pk}/").json()
    steps = [(e["kind"], e["actor"]) for e in detail["events"] if e["kind"] != "photo"]
    assert steps == [
        ("created", "liandu"),
        ("submitted", "bihu"),
        ("rejected", "inspector"),
        ("submitted", "bihu"),
        ("verified", "inspector"),
    ]
    assert len([p for p in detail["photos"] if p["stage"] == "after"]) == 2
    assert FindingEvent.objects.filter(finding=first, kind="photo").count() == 2


def test_findings_endpoint_filters(api_as, users, township, lianzhu, other_township):
    import datetime

    from tests.inspections.factories import FindingFactory

    FindingFactory(township=township, deadline=datetime.date(2020, 1, 1), source="media")
    FindingFactory(township=lianzhu, deadline=datetime.date(2030, 1, 1))
    FindingFactory(township=other_township, deadline=datetime.date(2020, 1, 1))
    api = api_as(users["city_office"])
    assert api.get("/api/v1/findings/").json()["count"] == 3
    assert api.get("/api/v1/findings/", {"county": "331102"}).json()["count"] == 2
    assert api.get("/api/v1/findings/", {"overdue": "true"}).json()["count"] == 2
    assert api.get("/api/v1/findings/", {"overdue": "true", "county": "331102"}).json()["count"] == 1
    assert api.get("/api/v1/findings/", {"source": "media"}).json()["count"] == 1
    assert api.get("/api/v1/findings/", {"township": lianzhu.pk}).json()["count"] == 1
    assert api.get("/api/v1/findings/", {"track": "sanitation"}).json()["count"] == 3
    assert api.get("/api/v1/findings/", {"deadline_before": "2025-01-01"}).json()["count"] == 2
    assert api.get("/api/v1/findings/", {"deadline_after": "2025-01-01"}).json()["count"] == 1
    row = api.get("/api/v1/findings/", {"overdue": "true", "county": "331102"}).json()["results"][0]
    assert row["overdue"] is True and row["days_overdue"] > 0
    assert api_as(users["county_official"]).get("/api/v1/findings/").json()["count"] == 2


def test_read_only_roles_cannot_write(api_as, users, township):
    from tests.inspections.factories import FindingFactory

    finding = FindingFactory(township=township)
    for role in ("province", "api_client"):
        api = api_as(users[role])
        assert api.get(f"/api/v1/findings/{finding.pk}/").status_code == 200
        assert api.post(f"/api/v1/findings/{finding.pk}/verify/", {}, format="json").status_code == 403
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_archive_keeps_the_item_but_takes_it_off_the_list(api_as, client_as, users, township):
    from tests.inspections.factories import FindingFactory

    finding = FindingFactory(township=township)
    assert (
        api_as(users["township_staff"])
        .post(f"/api/v1/findings/{finding.pk}/archive/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    api = api_as(users["county_official"])
    assert api.post(f"/api/v1/findings/{finding.pk}/archive/", {}, format="json").status_code == 400
    response = api.post(f"/api/v1/findings/{finding.pk}/archive/", {"reason": "重复录入"}, format="json")
    assert response.status_code == 200 and response.json()["archived"] is True
    assert api.get("/api/v1/findings/").json()["count"] == 0
    assert Finding.objects.filter(pk=finding.pk, archived=True).exists()
    assert FindingEvent.objects.get(finding=finding).kind == "archived"
    page = client_as(users["county_official"]).get(finding.get_absolute_url())
    assert page.status_code == 200 and "重复录入" in page.content.decode()
