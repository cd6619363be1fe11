"""The API's FilterBackend builds fields only for given filters and answers as if it built them all."""

import pytest
from django.test import RequestFactory
from django_filters.rest_framework import DjangoFilterBackend

from inspections.api.views.findings import FindingViewSet
from inspections.filtersets import FindingFilterSet
from inspections.models import Finding
from projects.api.views import ProjectViewSet
from tests.inspections.factories import FindingFactory
from townships.api.views import TownshipViewSet
from townships.filtersets import TownshipFilterSet
from townships.models import Township

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def finding(township):
    return FindingFactory(township=township)


def test_only_the_given_filters_get_a_form_field(users):
    request = RequestFactory().get("/")
    request.user = users["city_office"]
    data = {"county": "331102", "overdue": "true", "deadline_after": "2026-01-01", "unknown": "x"}
    lean = FindingFilterSet(data, Finding.objects.all(), request=request, only_given=True)
    assert lean.is_valid(), lean.errors
    assert set(lean.form.fields) == {"county", "overdue", "deadline_after"}
    full = FindingFilterSet(data, Finding.objects.all(), request=request)
    assert len(full.form.fields) == len(FindingFilterSet.base_filters)
    assert str(lean.qs.query) == str(full.qs.query)


def test_a_suffixed_widget_counts_as_given(lishui):
    # a range filter's widget reads name_min/name_max: a key with the filter's name and a suffix keeps it
    filterset = TownshipFilterSet({"plan_year_min": "2020"}, Township.objects.all(), only_given=True)
    assert "plan_year" in filterset.form.fields


def same_answer(api, monkeypatch, view, url, **params):
    lean = api.get(url, params)
    with monkeypatch.context() as m:
        m.setattr(view, "filter_backends", [DjangoFilterBackend])
        stock = api.get(url, params)
    assert lean.status_code == stock.status_code
    assert lean.content == stock.content
    return lean


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"county": "331102"},
        {"county": "331102", "category": "general_town"},
        {"county": "nowhere"},  # an invalid choice: the same 400 and message
        {"plan_year": "soon"},
        {"in_programme": "true", "search": "碧湖"},
    ],
)
def test_townships_answer_as_with_every_field(api_as, users, monkeypatch, params):
    same_answer(api_as(users["city_office"]), monkeypatch, TownshipViewSet, "/api/v1/townships/", **params)


@pytest.mark.parametrize(
    "params",
    [
        {"county": "331102", "overdue": "true"},
        {"status": "open", "severity": "major"},
        {"status": "nonsense"},
        {"deadline_before": "not a date"},
        {"township": "999999"},
    ],
)
def test_findings_answer_as_with_every_field(api_as, users, finding, monkeypatch, params):
    response = same_answer(
        api_as(users["city_office"]), monkeypatch, FindingViewSet, "/api/v1/findings/", **params
    )
    if "nonsense" in params.values() or "not a date" in params.values() or "township" in params:
        assert response.status_code == 400


def test_projects_answer_as_with_every_field(api_as, users, monkeypatch):
    api = api_as(users["city_office"])
    same_answer(api, monkeypatch, ProjectViewSet, "/api/v1/projects/", over_budget="true")
    same_answer(api, monkeypatch, ProjectViewSet, "/api/v1/projects/", fast_track="maybe")


def test_the_browsable_api_still_shows_every_filter(client, users):
    client.force_login(users["city_office"])
    page = client.get("/api/v1/findings/?county=331102", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    body = page.content.decode()
    for name in FindingFilterSet.base_filters:
        assert f'name="{name}"' in body, name
