"""The same walk through /api/v1/ with token auth; another county's official gets 404."""

import pytest

from acceptance.models import StatusEvent
from inspections.models import Finding
from townships.models import Township

from .factories import full_marks

pytestmark = [pytest.mark.django_db]
BASE = "/api/v1/"


def _status(township):
    return Township.objects.get(pk=township.pk).status


def test_plan_to_revoked_through_the_api(api_as, users, township, scheme):
    county, city, province = (
        api_as(users["county_official"]),
        api_as(users["city_office"]),
        api_as(users["province"]),
    )
    staff, stranger = api_as(users["township_staff"]), api_as(users["other_county_official"])

    entry = county.post(f"{BASE}acceptance-plans/", {"year": 2026, "township": township.pk}, format="json")
    assert entry.status_code == 201, entry.json()
    assert county.post(f"{BASE}acceptance-plans/{entry.json()['id']}/confirm/").status_code == 403
    assert stranger.post(f"{BASE}acceptance-plans/{entry.json()['id']}/confirm/").status_code == 404
    assert city.post(f"{BASE}acceptance-plans/{entry.json()['id']}/confirm/").json()["status"] == "confirmed"
    assert _status(township) == "in_progress"
    assert county.get(f"{BASE}acceptance-plans/?year=2026&county=331102").json()["count"] == 1
    assert county.get(f"{BASE}acceptance-plans/?year=2025").json()["count"] == 0

    response = staff.post(
        f"{BASE}acceptance-applications/",
        {"township": township.pk, "year": 2026, "round": "mid_year", "self_score": "90"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    app = response.json()["id"]
    assert stranger.get(f"{BASE}acceptance-applications/{app}/").status_code == 404
    assert stranger.get(f"{BASE}acceptance-applications/").json()["count"] == 0

    def review(client, level, scores):
        return client.post(
            f"{BASE}acceptance-applications/{app}/reviews/",
            {"level": level, "reviewed_on": "2026-06-01", "scores": scores},
            format="json",
        )

    marks = full_marks(scheme)
    refused = review(city, "city", marks)
    assert refused.status_code == 400 and "level" in refused.json()
    assert review(stranger, "county", marks).status_code == 404

    b1 = scheme.items.get(code="B1")
    county_marks = [
        m if m["item"] != b1.pk else {**m, "deductions": 3, "note": "垃圾乱堆三处"} for m in marks
    ]
    scored = review(county, "county", county_marks)
    assert scored.status_code == 201, scored.json()
    body = scored.json()
    assert body["total"] == "97.00" and body["result"] == "pass"
    b1_score = next(s for s in body["scores"] if s["code"] == "B1")
    assert b1_score["points"] == "17.00"
    assert Finding.objects.get(pk=b1_score["finding"]).source == "acceptance"

    assert review(city, "city", marks).json()["result"] == "pass"
    assert review(api_as(users["inspector"]), "province", marks).json()["total"] == "100.00"
    assert (
        county.get(f"{BASE}acceptance-applications/{app}/reviews/?level=province").json()[0]["level"]
        == "province"
    )
    assert county.get(f"{BASE}acceptance-applications/?level=province&result=passed").json()["count"] == 0

    assert (
        city.post(
            f"{BASE}acceptance-applications/{app}/decide/", {"decision": "passed"}, format="json"
        ).status_code
        == 403
    )
    assert (
        stranger.post(
            f"{BASE}acceptance-applications/{app}/decide/", {"decision": "passed"}, format="json"
        ).status_code
        == 404
    )
    decided = province.post(
        f"{BASE}acceptance-applications/{app}/decide/", {"decision": "passed"}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["township_status"] == "passed"
    assert county.get(f"{BASE}acceptance-applications/?year=2026&result=passed").json()["count"] == 1

    assert (
        city.post(f"{BASE}acceptance-applications/{app}/recommend-model/").json()["model_status"]
        == "recommended"
    )
    assert (
        province.post(
            f"{BASE}acceptance-applications/{app}/decide/", {"decision": "model"}, format="json"
        ).json()["township_status"]
        == "model"
    )

    assert stranger.post(
        f"{BASE}acceptance-spot-checks/",
        {"application": app, "checked_on": "2026-11-01", "passed": False, "note": "x"},
        format="json",
    ).status_code in (400, 403)
    check = province.post(
        f"{BASE}acceptance-spot-checks/",
        {"application": app, "checked_on": "2026-11-01", "passed": False, "note": "抽检不合格"},
        format="json",
    )
    assert check.status_code == 201, check.json()
    assert _status(township) == "revoked"
    assert [e.kind for e in StatusEvent.objects.filter(township=township).order_by("at", "pk")] == [
        "planned",
        "passed",
        "model",
        "revoked",
    ]
    assert county.get(f"{BASE}acceptance-spot-checks/?result=revoked").json()["count"] == 1
    assert stranger.get(f"{BASE}acceptance-spot-checks/{check.json()['id']}/").status_code == 404
    assert api_as(users["api_client"]).post(f"{BASE}acceptance-plans/", {}, format="json").status_code == 403


def test_schemes_and_experts_read(api_as, users, scheme):
    from .factories import make_expert

    make_expert(name="李工")
    client = api_as(users["township_staff"])
    body = client.get(f"{BASE}acceptance-schemes/{scheme.pk}/").json()
    assert {c["code"] for c in body["components"]} == {"report", "ledger", "site", "office"}
    assert [i["code"] for i in body["items"]][:3] == ["A", "A1", "A2"]
    assert body["items"][1]["parent"] == "A"
    assert client.get(f"{BASE}experts/").json()["results"][0]["name"] == "李工"
