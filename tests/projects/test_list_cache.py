"""The projects API list is cached under a token that database triggers change on every committed write.

These tests commit (transactional_db): the triggers are deferred to COMMIT, and inside a test's own
transaction the list is never cached (core.versions.data_version returns None there).
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.versions import data_version
from projects.models import AgentOwner, Project
from projects.services.money import funding_add
from tests.projects.factories import AgentOwnerFactory, ProjectFactory
from townships.models import County, Township

URL = "/api/v1/projects/"


@pytest.fixture
def listed(transactional_db, township, users):
    owner = AgentOwnerFactory(company="丽水城建代建公司")
    return ProjectFactory(township=township, name="碧湖镇污水管网提升", agent_owner=owner)


def row(api, pk, **params) -> dict:
    body = api.get(URL, params).json()
    return next(r for r in body["results"] if r["id"] == pk)


def test_a_repeated_list_is_answered_from_the_cache(listed, api_as, users, django_assert_num_queries):
    api = api_as(users["city_office"])
    first = api.get(URL, {"county": "331102"})
    with django_assert_num_queries(2):  # the token and the user; no filter, no page query
        again = api.get(URL, {"county": "331102"})
    assert again.content == first.content and first.json()["count"] == 1


def test_every_write_path_shows_at_once(listed, api_as, users, township):
    api = api_as(users["city_office"])
    assert row(api, listed.pk)["name"] == "碧湖镇污水管网提升"
    # through the API (a service)
    api.patch(f"{URL}{listed.pk}/", {"name": "碧湖镇污水管网提升（二期）"}, format="json")
    assert row(api, listed.pk)["name"] == "碧湖镇污水管网提升（二期）"
    # a service with no request: money
    funding_add(
        project_id=listed.pk, by=users["city_office"], source_level="city", amount=Decimal("300000.00")
    )
    assert row(api, listed.pk)["funding_total"] == "300000.00"
    # a bulk UPDATE that no signal sees, on each table the row shows
    Township.objects.filter(pk=township.pk).update(name="碧湖镇（新）")
    assert row(api, listed.pk)["township_name"] == "碧湖镇（新）"
    AgentOwner.objects.filter(pk=listed.agent_owner_id).update(company="新代建公司")
    assert row(api, listed.pk)["agent_owner_company"] == "新代建公司"
    County.objects.filter(pk=township.county_id).update(code="339999")
    assert row(api, listed.pk)["county"] == "339999"
    # raw SQL
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET progress_percent = 40 WHERE id = %s", [listed.pk])
    assert row(api, listed.pk)["progress_percent"] == 40
    # archiving takes it off the list
    Project.objects.filter(pk=listed.pk).update(archived=True)
    assert api.get(URL).json()["count"] == 0


def test_the_token_changes_once_per_committed_transaction(listed, township):
    before = data_version("projects")
    with transaction.atomic():
        for n in range(3):
            ProjectFactory(township=township, name=f"项目{n}")
        assert connection.in_atomic_block and data_version("projects") is None  # never cached mid-transaction
    after = data_version("projects")
    assert after not in (None, before)
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.update(progress_percent=99)
        raise RuntimeError("rolled back")
    assert data_version("projects") == after  # nothing committed, nothing changed


def test_scopes_and_filters_have_their_own_answers(listed, api_as, users, other_township):
    ProjectFactory(township=other_township, name="外县项目")
    city = api_as(users["city_office"])
    county = api_as(users["county_official"])
    assert city.get(URL).json()["count"] == 2
    assert county.get(URL).json()["count"] == 1  # the city office's cached answer is not the county's
    assert city.get(URL, {"county": "331102"}).json()["count"] == 1
    assert city.get(URL).json()["count"] == 2


def test_a_bad_filter_is_a_400_every_time(listed, api_as, users):
    api = api_as(users["city_office"])
    assert api.get(URL, {"county": "nowhere"}).status_code == 400
    assert api.get(URL, {"county": "nowhere"}).status_code == 400


def test_inside_a_transaction_nothing_is_cached(db, township, api_as, users):
    ProjectFactory(township=township)
    api = api_as(users["city_office"])
    api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL).json()["count"] == 1
    # the page query ran again, and the token was never read
    assert any('FROM "projects_project"' in q["sql"] for q in queries.captured_queries)
    assert not any("core_data_version" in q["sql"] for q in queries.captured_queries)


def test_cache_control_no_cache_gets_a_fresh_answer(listed, api_as, users):
    api = api_as(users["city_office"])
    api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL, HTTP_CACHE_CONTROL="no-cache").json()["count"] == 1
    assert any('FROM "projects_project"' in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        api.get(URL)
    assert not any('FROM "projects_project"' in q["sql"] for q in queries.captured_queries)
