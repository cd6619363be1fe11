"""The page, the API list and the export read findings through one function (selectors.finding_list):
for the same user and filters they list the same items, in the same order."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.inspections.factories import FindingFactory, InspectionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def findings(township, lishui, users):
    elsewhere = lishui.exclude(county=township.county).first()
    someone = UserFactory()
    their_draft = InspectionFactory(township=township, filed_by=someone, status="draft")
    my_draft = InspectionFactory(township=township, filed_by=users["county_official"], status="draft")
    listed = [
        FindingFactory(township=township, deadline=datetime.date(2020, 1, 1)),
        FindingFactory(township=township, deadline=datetime.date(2020, 1, 1), status="rejected"),
        FindingFactory(
            township=township,
            deadline=datetime.date(2031, 1, 1),
            source="secretary",
            assigning_leader="李书记",
        ),
        FindingFactory(
            township=township,
            deadline=datetime.date(2019, 6, 1),
            status="closed",
            closed_at="2019-06-02T10:00Z",
            closed_by=someone,
        ),
    ]
    FindingFactory(township=township, archived=True)
    FindingFactory(township=township, inspection=their_draft)
    FindingFactory(township=township, inspection=my_draft)  # the filer's working copy: not on the list
    FindingFactory(township=elsewhere)
    return listed


def _page_ids(client, query):
    response = client.get("/inspections/findings/", query)
    assert response.status_code == 200
    return [f.pk for f in response.context["findings"]]


def _api_ids(api, query):
    response = api.get("/api/v1/findings/", query)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def _export_ids(client, query):
    response = client.get("/inspections/findings/export/", query)
    assert response.status_code == 200
    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    "query", [{}, {"status": "open"}, {"overdue": "true"}, {"overdue": "false"}, {"source": "secretary"}]
)
def test_page_api_and_export_list_the_same_items(query, client_as, api_as, users, findings):
    user = users["county_official"]
    page = _page_ids(client_as(user), query)
    assert page == _api_ids(api_as(user), query) == _export_ids(client_as(user), query)
    assert set(page) <= {f.pk for f in findings}
    if not query:
        # soonest deadline first, pk breaking the tie
        assert page == [f.pk for f in sorted(findings, key=lambda f: (f.deadline, f.pk))]


def test_invalid_filters_list_nothing_and_the_api_says_why(client_as, api_as, users, findings):
    user = users["county_official"]
    query = {"status": "nonsense"}
    assert _page_ids(client_as(user), query) == [] == _export_ids(client_as(user), query)
    response = api_as(user).get("/api/v1/findings/", query)
    assert response.status_code == 400 and list(response.json()) == ["status"]


def test_one_item_is_read_as_on_its_page(client_as, api_as, users, findings, township):
    user = users["county_official"]
    archived = FindingFactory(township=township, archived=True)
    # the page shows an archived item (to restore it); the API item does not, its restore/ does
    assert client_as(user).get(f"/inspections/findings/{archived.pk}/").status_code == 200
    assert api_as(user).get(f"/api/v1/findings/{archived.pk}/").status_code == 404
    assert api_as(user).get("/api/v1/findings/abc/").status_code == 404
