"""Every new list page and endpoint costs the same number of queries at 1 and at many rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acceptance.models import Application, ItemScore, PlanEntry, Review, SpotCheck
from acceptance.services.reviews import review_finish, review_items_score, review_schedule
from inspections.models import Team
from tests.factories import TownshipFactory

from .factories import make_expert, make_scheme

pytestmark = [pytest.mark.django_db]

PAGES = {
    # session, user, memberships, then the page's own: count + page (+ prefetches)
    "/acceptance/": 6,
    "/acceptance/applications/": 5,
    "/acceptance/readiness/?year=2026": 11,  # plan, targets, findings, cards, applications, scheme, counties
    "/acceptance/schemes/": 6,
    "/acceptance/experts/": 5,
}
ENDPOINTS = {
    "/api/v1/acceptance-plans/": 3,
    "/api/v1/acceptance-applications/": 3,
    "/api/v1/acceptance-spot-checks/": 3,
    "/api/v1/acceptance-schemes/": 5,
    "/api/v1/experts/": 3,
    "reviews": 6,
}


def _rows(n, users, county, scheme, start=0):
    """n townships on the plan, each with an application, a scored review, a spot check, an expert."""
    city = users["city_office"]
    apps = []
    for i in range(start, start + n):
        township = TownshipFactory(county=county, code=f"{county.code}9{i:02d}", name=f"查询镇{i}")
        entry = PlanEntry.objects.create(
            year=2026, city_id=county.city_id, township=township, proposed_by=city, status="confirmed"
        )
        app = Application.objects.create(
            plan_entry=entry,
            township=township,
            year=2026,
            scheme=scheme,
            self_score=Decimal("85"),
            filed_by=city,
        )
        review = review_schedule(
            application_id=app.pk, by=users["county_official"], level="county", reviewed_on="2026-06-01"
        )
        review_items_score(
            review_id=review.pk,
            by=users["county_official"],
            scores=[{"item": item.pk} for item in scheme.items.filter(children__isnull=True)],
        )
        review_finish(review_id=review.pk, by=users["county_official"])
        SpotCheck.objects.create(
            application=app, township=township, checked_on="2026-10-01", passed=True, recorded_by=city
        )
        make_expert(name=f"专家{i}")
        apps.append(app)
    return apps


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def world(users, lishui):
    from townships.models import County

    scheme = make_scheme()
    county = County.objects.get(code="331102")
    return users, county, scheme


def test_pages_at_one_and_many(client, world, django_assert_num_queries):
    users, county, scheme = world
    client.force_login(users["city_office"])
    _rows(1, users, county, scheme)
    for path, expected in PAGES.items():
        with django_assert_num_queries(expected):
            assert client.get(path).status_code == 200
    _rows(12, users, county, scheme, start=1)
    for path, expected in PAGES.items():
        with django_assert_num_queries(expected):
            assert client.get(path).status_code == 200


def test_endpoints_at_one_and_many(api_as, world, django_assert_num_queries):
    users, county, scheme = world
    api = api_as(users["city_office"])
    first = _rows(1, users, county, scheme)[0]
    paths = {**ENDPOINTS}
    reviews = f"/api/v1/acceptance-applications/{first.pk}/reviews/"
    for path, expected in paths.items():
        with django_assert_num_queries(expected):
            assert api.get(reviews if path == "reviews" else path).status_code == 200
    _rows(12, users, county, scheme, start=1)
    # many reviews on one application too (earlier rounds' scored reviews, with their scores)
    earlier = first.reviews.get()
    for _n in range(6):
        copy = Review.objects.create(
            application=first,
            level="county",
            reviewed_on="2026-05-01",
            status="scored",
            scheduled_by=users["city_office"],
        )
        copy.teams.set(Team.objects.all()[:1])
        ItemScore.objects.bulk_create(
            ItemScore(review=copy, item_id=s.item_id, points=s.points) for s in earlier.scores.all()
        )
    for path, expected in paths.items():
        with django_assert_num_queries(expected):
            assert api.get(reviews if path == "reviews" else path).status_code == 200
