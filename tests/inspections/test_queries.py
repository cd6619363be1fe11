"""Lists cost the same number of queries at 1 row and at 50, photos and assignees included."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.inspections.factories import FindingFactory, FindingPhotoFactory, InspectionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def make_findings(township, users):
    def _make(n):
        inspection = InspectionFactory(township=township, filed_by=users["county_official"])
        for i in range(n):
            finding = FindingFactory(
                township=township,
                inspection=inspection,
                assignee=users["township_staff"] if i % 2 else UserFactory(),
                deadline=datetime.date(2020, 1, 1) + datetime.timedelta(days=i * 30),
            )
            FindingPhotoFactory(finding=finding, stage="before")
            FindingPhotoFactory(finding=finding, stage="after")

    return _make


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# session, user with memberships (scope), the header's unread-notice count, count, page, photos
# prefetch, and the filter form's choices: county, track, round (the township picker lists none)
PAGE_QUERIES = 9
# user by token with memberships, the page's ids with the total, those rows, their photos
API_QUERIES = 4


def test_finding_list_page_constant_queries(client_as, users, make_findings, django_assert_num_queries):
    client = client_as(users["county_official"])
    make_findings(1)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/inspections/findings/")
    assert len(response.context["findings"]) == 1
    make_findings(49)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/inspections/findings/")
    assert len(response.context["findings"]) == 50
    html = response.content.decode()
    assert html.count("/thumb/") == 100 and "is-overdue" in html


def test_finding_endpoint_constant_queries(api_as, users, make_findings, django_assert_num_queries):
    api = api_as(users["county_official"])
    make_findings(1)
    with django_assert_num_queries(API_QUERIES):
        assert api.get("/api/v1/findings/").json()["count"] == 1
    make_findings(49)
    with django_assert_num_queries(API_QUERIES):
        body = api.get("/api/v1/findings/").json()
    assert body["count"] == 50 and all(len(r["photos"]) == 2 for r in body["results"])
    assert all(r["assignee"] for r in body["results"])


@pytest.mark.parametrize(
    "url",
    ["/inspections/list/", "/inspections/review/", "/inspections/bulletins/", "/inspections/rounds/"],
)
def test_other_lists_constant_queries(url, client_as, users, make_findings):
    client = client_as(users["city_office"])
    make_findings(1)
    first = count_queries(lambda: client.get(url))
    make_findings(50)
    assert count_queries(lambda: client.get(url)) == first


def test_township_counts_is_one_query(township, lianzhu, django_assert_num_queries):
    from inspections.models import Finding

    today = datetime.date(2026, 6, 1)
    FindingFactory(township=township, deadline=datetime.date(2026, 1, 1))
    FindingFactory(township=township, deadline=datetime.date(2027, 1, 1))
    FindingFactory(
        township=township, deadline=datetime.date(2026, 1, 1), status="closed", closed_at="2026-02-01T00:00Z"
    )
    FindingFactory(township=lianzhu, deadline=datetime.date(2026, 5, 1), status="rejected")
    with django_assert_num_queries(1):
        rows = {r["township"]: r for r in Finding.objects.township_counts(today)}
    assert rows[township.pk] == {"township": township.pk, "found": 3, "closed": 1, "open": 2, "overdue": 1}
    assert rows[lianzhu.pk] == {"township": lianzhu.pk, "found": 1, "closed": 0, "open": 1, "overdue": 1}
    days = {f.township_id: f.days_overdue for f in Finding.objects.overdue(today).with_days_overdue(today)}
    assert days == {township.pk: 151, lianzhu.pk: 31}


@pytest.fixture
def make_card_rows(users, lishui):
    """Per township: a yellow card, an overdue secretary item with its deduction, and a proposal."""
    from inspections.services.cards import yellow_card_proposals_generate
    from inspections.services.secretary import secretary_item_create

    townships = iter(lishui.filter(county__city__code="331100").order_by("code"))

    def _make(n):
        for _ in range(n):
            township = next(townships)
            FindingFactory(township=township, deadline=datetime.date(2020, 1, 1))
            secretary_item_create(
                by=users["city_office"],
                township=township,
                description="交办件",
                assigning_leader="书记",
                promised_date=datetime.date(2020, 1, 1),
                responsible_person="某干部",
            )
        yellow_card_proposals_generate(today=datetime.date(2026, 6, 30))

    return _make


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/yellow-cards/?status=",
        "/inspections/yellow-cards/proposals/?status=",
        "/inspections/deductions/",
        "/inspections/secretary/",
        "/api/v1/yellow-card-proposals/",
        "/api/v1/deductions/",
    ],
)
def test_card_lists_constant_queries(url, client_as, users, make_card_rows, settings):
    settings.YELLOW_CARD_LONG_OVERDUE_DAYS = 30
    client = client_as(users["city_office"])
    make_card_rows(1)
    first = count_queries(lambda: client.get(url))
    make_card_rows(50)
    response = client.get(url)
    assert response.status_code == 200
    assert count_queries(lambda: client.get(url)) == first


def test_yellow_card_endpoint_constant_queries(api_as, users, lishui, django_assert_num_queries):
    from inspections.services.cards import yellow_card_issue

    api = api_as(users["city_office"])
    townships = list(lishui.filter(county__city__code="331100").order_by("code")[:50])

    def issue(ts):
        for t in ts:
            finding = FindingFactory(township=t, deadline=datetime.date(2020, 1, 1))
            yellow_card_issue(by=users["city_office"], township=t, reason="滞后", findings=[finding])

    issue(townships[:1])
    # user by token with memberships, count, page (with item counts), findings prefetch, events prefetch
    with django_assert_num_queries(5):
        assert api.get("/api/v1/yellow-cards/").json()["count"] == 1
    issue(townships[1:])
    with django_assert_num_queries(5):
        body = api.get("/api/v1/yellow-cards/").json()
    assert body["count"] == 50 and all(r["item_count"] == 1 for r in body["results"])
