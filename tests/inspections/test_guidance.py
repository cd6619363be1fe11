"""Specialist guidance visits (专项指导) through HTTP: record, list per township/track/team, follow up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import Finding, GuidanceFollowUp, GuidanceVisit, Team
from tests.factories import track
from tests.inspections.conftest import jpeg_bytes
from townships.models import County

pytestmark = [pytest.mark.django_db]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def specialists(lishui):
    """莲都区's sanitation specialist group."""
    return Team.objects.create(
        name="莲都区卫生乡镇创建专项组",
        kind="specialist",
        track=track("sanitation"),
        county=County.objects.get(code="331102"),
    )


def visit_form(where, group, **extra):
    form = {
        "township": where.pk,
        "track": track("sanitation").pk,
        "team": group.pk,
        "visited_on": "2026-11-10",
        "topics": ["policy", "technical"],
        "advice": "建议增设垃圾分类投放点，落实门前三包。",
        "follow_ups": "农贸市场东侧垃圾房改造\n背街小巷保洁频次提高到每日两次",
    }
    return {**form, **extra}


def test_record_a_visit_and_follow_it_up(client_as, users, township, specialists):
    inspector = client_as(users["inspector"])
    assert inspector.get("/inspections/guidance/new/").status_code == 200
    answer = inspector.post(
        "/inspections/guidance/new/",
        visit_form(
            township,
            specialists,
            attachments=[
                SimpleUploadedFile("方案审查意见.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("现场.jpg", jpeg_bytes(), content_type="image/jpeg"),
            ],
        ),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    visit = GuidanceVisit.objects.get()
    assert answer["Location"] == visit.get_absolute_url()
    assert visit.topics == ["policy", "technical"] and visit.follow_ups.count() == 2
    assert visit.attachments.count() == 2

    page = inspector.get(visit.get_absolute_url()).content.decode()
    assert "农贸市场东侧垃圾房改造" in page and "方案审查意见.pdf" in page
    attachment = visit.attachments.get(original_name="方案审查意见.pdf")
    download = inspector.get(attachment.get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]

    # On the township page, per track and counted per team.
    assert (
        "建议增设垃圾分类" not in inspector.get(f"/townships/{township.pk}/").content.decode()
    )  # advice stays on the visit
    assert visit.get_absolute_url() in inspector.get(f"/townships/{township.pk}/").content.decode()
    assert (
        visit.get_absolute_url() in inspector.get("/inspections/guidance/?track=sanitation").content.decode()
    )
    assert (
        visit.get_absolute_url()
        not in inspector.get("/inspections/guidance/?track=planning").content.decode()
    )
    listing = inspector.get("/inspections/guidance/").context
    assert listing["team_counts"] == [
        {
            "team_id": specialists.pk,
            "team__name": specialists.name,
            "visits": 1,
            "follow_ups": 2,
            "findings": 0,
        }
    ]

    # A follow-up item becomes a finding with source 专项指导, once.
    item = visit.follow_ups.first()
    official = client_as(users["county_official"])
    answer = official.post(
        f"/inspections/guidance/follow-ups/{item.pk}/finding/",
        {"severity": "major", "deadline": "2030-03-31"},
    )
    assert answer.status_code == 302
    finding = Finding.objects.get(guidance_follow_up=item)
    assert (
        finding.source == "guidance" and finding.track.code == "sanitation" and finding.township == township
    )
    assert finding.get_source_display() in ("专项指导", "Specialist guidance")
    again = official.post(
        f"/inspections/guidance/follow-ups/{item.pk}/finding/",
        {"severity": "major", "deadline": "2030-03-31"},
    )
    assert again.status_code == 400
    assert Finding.objects.filter(source="guidance").count() == 1
    staff = client_as(users["township_staff"])
    assert (
        f"/inspections/findings/{finding.pk}/"
        in staff.get("/inspections/findings/?source=guidance").content.decode()
    )


def test_who_may_record_and_see(client_as, users, township, specialists):
    staff = client_as(users["township_staff"])
    assert staff.get("/inspections/guidance/new/").status_code == 403
    official = client_as(users["county_official"])
    assert official.post("/inspections/guidance/new/", visit_form(township, specialists)).status_code == 302
    visit = GuidanceVisit.objects.get()
    other = client_as(users["other_county_official"])
    assert other.get(visit.get_absolute_url()).status_code == 404
    item = visit.follow_ups.first()
    assert (
        other.post(
            f"/inspections/guidance/follow-ups/{item.pk}/finding/", {"deadline": "2030-01-01"}
        ).status_code
        == 404
    )
    staff = client_as(users["township_staff"])
    assert staff.get(visit.get_absolute_url()).status_code == 200  # the township reads its own visits
    assert (
        staff.post(
            f"/inspections/guidance/follow-ups/{item.pk}/finding/", {"deadline": "2030-01-01"}
        ).status_code
        == 403
    )


def test_bad_visits_are_refused_with_the_field(client_as, users, township, specialists, lishui):
    inspector = client_as(users["inspector"])
    supervision = Team.objects.create(name="督导组", kind="supervision", county=township.county)
    cases = [
        ({"topics": []}, "topics"),
        ({"team": supervision.pk}, "team"),
        ({"advice": ""}, "advice"),
        ({"township": lishui.get(code="331181001").pk}, "township"),
        (
            {"attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")]},
            "attachments",
        ),
    ]
    for change, field in cases:
        answer = inspector.post("/inspections/guidance/new/", visit_form(township, specialists, **change))
        assert answer.status_code == 400, change
        assert field in answer.context["form"].errors, (change, answer.context["form"].errors)
    assert not GuidanceVisit.objects.exists()


def test_api_records_lists_and_counts(api_as, users, township, specialists):
    body = {
        "township": township.pk,
        "track": "sanitation",
        "team": specialists.pk,
        "visited_on": "2026-11-12",
        "topics": ["plan_review"],
        "advice": "立面改造方案需与老街风貌协调。",
        "follow_ups": ["修改老街立面方案并报县专项组复审"],
    }
    created = api_as(users["county_official"]).post("/api/v1/guidance-visits/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["topics"] == ["plan_review"] and len(created.json()["follow_ups"]) == 1
    api = api_as(users["api_client"])
    rows = api.get("/api/v1/guidance-visits/", {"track": "sanitation", "township": township.pk}).json()
    assert rows["count"] == 1
    assert api.get("/api/v1/guidance-visits/", {"topic": "policy"}).json()["count"] == 0
    assert api.get("/api/v1/guidance-visits/by-team/").json() == [
        {"team": specialists.pk, "team_name": specialists.name, "visits": 1, "follow_ups": 1, "findings": 0}
    ]
    assert api.post("/api/v1/guidance-visits/", body, format="json").status_code == 403
    assert (
        api_as(users["township_staff"]).post("/api/v1/guidance-visits/", body, format="json").status_code
        == 403
    )
    bad = api_as(users["county_official"]).post(
        "/api/v1/guidance-visits/", {**body, "topics": ["x"]}, format="json"
    )
    assert bad.status_code == 400 and "topics" in bad.json()
    assert (
        api_as(users["other_county_official"])
        .get(f"/api/v1/guidance-visits/{created.json()['id']}/")
        .status_code
        == 404
    )


def _visits(n, township, team, user):
    visits = GuidanceVisit.objects.bulk_create(
        [
            GuidanceVisit(
                township=township,
                track=track("sanitation"),
                team=team,
                visited_on="2026-10-01",
                topics=["policy"],
                advice="建议",
                created_by=user,
            )
            for _ in range(n)
        ]
    )
    GuidanceFollowUp.objects.bulk_create([GuidanceFollowUp(visit=v, description="跟进") for v in visits])


@pytest.mark.parametrize("n", [1, 30])
def test_list_page_queries(client_as, users, township, specialists, django_assert_num_queries, n):
    _visits(n, township, specialists, users["inspector"])
    client = client_as(users["county_official"])
    client.get("/inspections/guidance/")
    # session, user, count, per team, notices badge, filter choices (counties, tracks, teams), page
    with django_assert_num_queries(9):
        response = client.get("/inspections/guidance/")
    assert len(response.context["visits"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_api_list_queries(api_as, users, township, specialists, django_assert_num_queries, n):
    _visits(n, township, specialists, users["inspector"])
    api = api_as(users["county_official"])
    # token+user+memberships, count, page, follow-ups, attachments
    with django_assert_num_queries(5):
        assert api.get("/api/v1/guidance-visits/").json()["count"] == n
    with django_assert_num_queries(2):  # token+user+memberships, the counts
        assert api.get("/api/v1/guidance-visits/by-team/").json()[0]["visits"] == n


def test_township_panel_costs_the_same_at_one_and_many(client_as, users, township, specialists):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(users["county_official"])
    _visits(1, township, specialists, users["inspector"])
    client.get(f"/townships/{township.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/townships/{township.pk}/")
    _visits(29, township, specialists, users["inspector"])
    with CaptureQueriesContext(connection) as many:
        client.get(f"/townships/{township.pk}/")
    assert len(one) == len(many)
