import pytest

from tests.factories import CountyFactory, TargetFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def test_token_endpoint(client, users):
    response = client.post("/api/v1/auth/token/", {"username": "city", "password": "pass-1234-word"})
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40
    bad = client.post("/api/v1/auth/token/", {"username": "city", "password": "wrong"})
    assert bad.status_code == 400


def test_anonymous_gets_401(client, lishui):
    assert client.get("/api/v1/townships/").status_code == 401


def test_townships_by_county_with_token(api_as, users):
    response = api_as(users["city_office"]).get("/api/v1/townships/", {"county": "331181"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 19
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"][0]["county"] == "331181"


def test_unknown_county_code_is_a_400(api_as, users):
    response = api_as(users["city_office"]).get("/api/v1/townships/", {"county": "999999"})
    assert response.status_code == 400
    assert "county" in response.json()


def test_county_official_scope(api_as, users, other_township):
    api = api_as(users["county_official"])
    assert api.get(f"/api/v1/townships/{other_township.pk}/").status_code == 404
    body = api.get("/api/v1/townships/", {"page_size": 500}).json()
    assert body["count"] == 15
    assert all(row["county"] == "331102" for row in body["results"])
    assert api.get("/api/v1/townships/", {"county": "331181"}).json()["count"] == 0
    assert [c["code"] for c in api.get("/api/v1/counties/").json()["results"]] == ["331102"]


def test_filters_and_search(api_as, users):
    api = api_as(users["province"])
    assert api.get("/api/v1/townships/", {"search": "碧湖"}).json()["count"] == 1
    assert (
        api.get("/api/v1/townships/", {"county": "331102", "category": "township_market"}).json()["count"]
        == 5
    )
    assert api.get("/api/v1/townships/", {"in_programme": "true"}).json()["count"] == 173
    assert api.get("/api/v1/townships/", {"plan_year": 2030}).json()["count"] == 0
    assert api.get("/api/v1/cities/").json()["results"][0]["code"] == "331100"


def test_page_size_capped_at_500(api_as, users):
    response = api_as(users["province"]).get("/api/v1/townships/", {"page_size": 10000})
    assert len(response.json()["results"]) == 173


def test_tracks_and_targets(api_as, users, township, other_township):
    TargetFactory(township=township)
    TargetFactory(township=other_township)
    tracks = api_as(users["township_staff"]).get("/api/v1/tracks/").json()
    assert len(tracks) == 6
    targets = api_as(users["township_staff"]).get("/api/v1/targets/").json()
    assert targets["count"] == 1
    assert targets["results"][0]["township_code"] == "331102100"
    assert targets["results"][0]["track"] == "sanitation"


def test_read_only_roles_cannot_write(api_as, users):
    response = api_as(users["api_client"]).post("/api/v1/townships/", {})
    assert response.status_code in (403, 405)


def test_township_endpoint_query_count_is_constant(api_as, users, django_assert_num_queries):
    county = CountyFactory(code="339902", name="接口县")
    api = api_as(users["province"])
    TownshipFactory(county=county)
    # token+user+memberships, county filter lookup, the page with its total (COUNT(*) OVER ())
    with django_assert_num_queries(3):
        assert api.get("/api/v1/townships/", {"county": "339902"}).json()["count"] == 1
    TownshipFactory.create_batch(49, county=county)
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/townships/", {"county": "339902"}).json()["results"]) == 50


def test_schema_and_docs_served_offline(client, users):
    client.force_login(users["city_office"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/townships/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
