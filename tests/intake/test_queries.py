"""Query counts of the triage queue (page and API) at one and at many events."""

import pytest

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("n", [1, 30])
def test_queue_page_queries(client_as, users, make_events, django_assert_num_queries, n):
    make_events(n)
    client = client_as(users["county_official"])
    client.get("/intake/")  # warm: the session and the translation catalogue
    # session, user, unread notices (header), count, the filter's counties, page
    with django_assert_num_queries(6):
        response = client.get("/intake/")
    assert response.status_code == 200
    assert response.content.decode().count('class="badge badge--pending"') == n


@pytest.mark.parametrize("n", [1, 30])
def test_api_list_queries(api_as, grid_client, make_events, django_assert_num_queries, n):
    make_events(n)
    api = api_as(grid_client)
    # token+user+memberships, the account's sources (it sees its own events), count, page, photos
    with django_assert_num_queries(5):
        response = api.get("/api/v1/intake/events/")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 30])
def test_api_list_queries_for_an_official(api_as, users, make_events, django_assert_num_queries, n):
    make_events(n)
    api = api_as(users["county_official"])
    # token+user+memberships, count, page, photos
    with django_assert_num_queries(4):
        response = api.get("/api/v1/intake/events/", {"status": "pending"})
    assert response.json()["count"] == n


def test_township_panel_costs_one_query_whatever_the_number(client_as, users, township, make_events):
    """The township page's section of waiting reports: one query at 1 and at 30 events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(users["county_official"])
    client.get(f"/townships/{township.pk}/")
    with CaptureQueriesContext(connection) as none:
        client.get(f"/townships/{township.pk}/")
    make_events(1)
    with CaptureQueriesContext(connection) as one:
        page = client.get(f"/townships/{township.pk}/").content.decode()
    assert "/intake/?township=" in page
    make_events(29)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/townships/{township.pk}/")
    assert len(one) == len(many) == len(none)
