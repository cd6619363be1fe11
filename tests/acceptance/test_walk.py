"""A township from plan to 摘帽 through the pages, checking its status and history at every step."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from acceptance.models import Application, PlanEntry, Review, StatusEvent
from inspections.models import Finding
from tests.inspections.conftest import jpeg_bytes
from townships.models import Township

pytestmark = [pytest.mark.django_db]
TODAY = datetime.date(2026, 6, 1)


def _status(township):
    return Township.objects.get(pk=township.pk).status


def _history(township):
    return list(
        Township.history.filter(id=township.pk).order_by("history_date").values_list("status", flat=True)
    )


def _score_every_track(client, review, scheme, *, deduct=None):
    """Post each track's screen as a phone would; `deduct` = (item code, places, note, photo)."""
    items = list(scheme.items.filter(children__isnull=True).select_related("track"))
    tracks = {i.track.code if i.track_id else "general" for i in items}
    for track in sorted(tracks):
        page = client.get(f"/acceptance/reviews/{review.pk}/score/?track={track}")
        assert page.status_code == 200
        data = {"track": track, "save": "1"}
        for item in items:
            if (item.track.code if item.track_id else "general") != track:
                continue
            if item.deduction_per is not None:
                data[f"i{item.pk}-deductions"] = "0"
            else:
                data[f"i{item.pk}-points"] = str(item.max_points)
            if deduct and deduct[0] == item.code:
                data[f"i{item.pk}-deductions"] = str(deduct[1])
                data[f"i{item.pk}-note"] = deduct[2]
                data[f"i{item.pk}-photos"] = deduct[3]
        response = client.post(f"/acceptance/reviews/{review.pk}/score/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(f"/acceptance/reviews/{review.pk}/finish/")
    assert response.status_code == 302
    review.refresh_from_db()
    return review


def _schedule(client, app, level):
    return client.post(
        f"/acceptance/applications/{app.pk}/reviews/", {"level": level, "reviewed_on": TODAY.isoformat()}
    )


def test_plan_to_revoked_through_the_pages(client, users, township, scheme):
    county, city, province = users["county_official"], users["city_office"], users["province"]
    staff, inspector = users["township_staff"], users["inspector"]
    assert _status(township) == "planned"

    # 1. the county proposes, the city office confirms: the township is under way
    client.force_login(county)
    assert (
        client.post("/acceptance/plan/propose/", {"year": 2026, "township": township.pk}).status_code == 302
    )
    entry = PlanEntry.objects.get(township=township, year=2026)
    assert entry.status == "proposed"
    assert client.post(f"/acceptance/plan/{entry.pk}/confirm/").status_code == 403  # the city's to confirm
    client.force_login(city)
    assert client.post(f"/acceptance/plan/{entry.pk}/confirm/").status_code == 302
    assert _status(township) == "in_progress"
    assert _history(township)[-1] == "in_progress"

    # 2. the township files its application
    client.force_login(staff)
    response = client.post(
        "/acceptance/applications/new/",
        {
            "township": township.pk,
            "year": 2026,
            "round": "mid_year",
            "self_score": "88",
            "self_assessment": "自评",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    app = Application.objects.get(township=township)
    assert app.status == "filed"

    # 3. a city review before the county passed is refused
    client.force_login(city)
    response = _schedule(client, app, "city")
    assert response.status_code == 400
    assert not Review.objects.exists()

    # 4. county self-check on a phone, with a deduction that puts a finding on the list
    client.force_login(county)
    response = _schedule(client, app, "county")
    assert response.status_code == 302
    review = Review.objects.get(application=app, level="county")
    photo = SimpleUploadedFile("b1.jpg", jpeg_bytes(), content_type="image/jpeg")
    review = _score_every_track(client, review, scheme, deduct=("B1", 2, "集镇东侧垃圾堆放两处", photo))
    # site: (18 + 30) / 50 × 50 = 48; the rest full: 10 + 30 + 10 → 98
    assert str(review.total) == "98.00" and review.result == "pass"
    finding = Finding.objects.get(source="acceptance")
    assert finding.township == township and "垃圾堆放" in finding.description
    assert finding.photos.count() == 1
    assert review.scores.get(item__code="B1").finding == finding
    app.refresh_from_db()
    assert app.status == "county_passed"
    assert _status(township) == "in_progress"

    # 5. city check
    client.force_login(city)
    assert _schedule(client, app, "city").status_code == 302
    review = _score_every_track(client, Review.objects.get(application=app, level="city"), scheme)
    assert review.result == "pass"
    app.refresh_from_db()
    assert app.status == "city_passed"

    # 6. provincial review, scored by the team's inspector on site
    assert _schedule(client, app, "county").status_code == 400  # the county level is done
    client.force_login(inspector)
    assert _schedule(client, app, "province").status_code == 302
    review = _score_every_track(client, Review.objects.get(application=app, level="province"), scheme)
    assert str(review.total) == "100.00"
    app.refresh_from_db()
    assert app.status == "province_scored"
    assert _status(township) == "in_progress"

    # 7. the provincial office decides 达标
    client.force_login(city)
    assert (
        client.post(f"/acceptance/applications/{app.pk}/decide/", {"decision": "passed"}).status_code == 403
    )
    client.force_login(province)
    assert (
        client.post(f"/acceptance/applications/{app.pk}/decide/", {"decision": "passed"}).status_code == 302
    )
    assert _status(township) == "passed"
    assert _history(township)[-1] == "passed"

    # 8. recommended as 省级样板 by the city, confirmed by the province
    client.force_login(province)
    assert client.post(f"/acceptance/applications/{app.pk}/decide/", {"decision": "model"}).status_code == 400
    client.force_login(city)
    assert client.post(f"/acceptance/applications/{app.pk}/recommend/").status_code == 302
    client.force_login(province)
    assert client.post(f"/acceptance/applications/{app.pk}/decide/", {"decision": "model"}).status_code == 302
    assert _status(township) == "model"

    # 9. a later spot check fails: 摘帽, linked to the spot check that did it
    response = client.post(
        f"/acceptance/applications/{app.pk}/spot-checks/",
        {"checked_on": "2026-11-20", "passed": "no", "note": "回头看发现反弹"},
    )
    assert response.status_code == 302
    assert _status(township) == "revoked"
    events = list(StatusEvent.objects.filter(township=township).order_by("at", "pk"))
    assert [e.kind for e in events] == ["planned", "passed", "model", "revoked"]
    assert [(e.from_status, e.to_status) for e in events] == [
        ("planned", "in_progress"),
        ("in_progress", "passed"),
        ("passed", "model"),
        ("model", "revoked"),
    ]
    assert events[1].review.level == "province"
    assert events[-1].spot_check.note == "回头看发现反弹"
    assert _history(township)[-4:] == ["in_progress", "passed", "model", "revoked"]

    # the application page shows the whole story
    page = client.get(f"/acceptance/applications/{app.pk}/").content.decode()
    assert "回头看发现反弹" in page


def test_a_failed_review_sends_the_application_back_with_the_items(client, users, township, scheme):
    from .factories import plan

    plan(township, users["city_office"])
    client.force_login(users["township_staff"])
    client.post(
        "/acceptance/applications/new/",
        {"township": township.pk, "year": 2026, "round": "mid_year", "self_score": "70"},
    )
    app = Application.objects.get()
    client.force_login(users["county_official"])
    _schedule(client, app, "county")
    review = Review.objects.get()
    # B2 scored 0 of 30: site 20/50 × 50 = 20, total 70 < 80
    items = {i.code: i for i in scheme.items.all()}
    client.post(
        f"/acceptance/reviews/{review.pk}/score/",
        {
            "track": "road_occupation",
            f"i{items['B2'].pk}-points": "0",
            f"i{items['B2'].pk}-note": "主干道占道经营严重",
        },
    )
    for track in ("general", "planning", "sanitation"):
        data = {"track": track}
        for i in items.values():
            if not i.children.exists() and (i.track.code if i.track_id else "general") == track:
                data[f"i{i.pk}-points" if i.deduction_per is None else f"i{i.pk}-deductions"] = (
                    str(i.max_points) if i.deduction_per is None else "0"
                )
        assert client.post(f"/acceptance/reviews/{review.pk}/score/", data).status_code == 302
    client.post(f"/acceptance/reviews/{review.pk}/finish/")
    review.refresh_from_db()
    app.refresh_from_db()
    assert (str(review.total), review.result, app.status) == ("70.00", "fail", "returned")
    page = client.get(app.get_absolute_url()).content.decode()
    assert "主干道占道经营严重" in page
    client.force_login(users["township_staff"])
    assert client.post(f"/acceptance/applications/{app.pk}/resubmit/").status_code == 302
    app.refresh_from_db()
    assert app.status == "filed"
