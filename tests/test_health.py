import pytest

pytestmark = pytest.mark.django_db


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_floor_needs_auth_and_answers_constant(client, api_as, users):
    assert client.get("/api/v1/floor/").status_code == 401
    assert api_as(users["api_client"]).get("/api/v1/floor/").json() == {"ok": True}


def test_csp_header_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
