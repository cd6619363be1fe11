import importlib

import pytest

pytestmark = pytest.mark.django_db


def test_login_locks_out_after_repeated_failures(client, users):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "city", "password": "wrong"})
    assert response.status_code in (403, 429)
    assert "账号已锁定" in response.content.decode()
    # even the right password is refused while locked
    response = client.post("/accounts/login/", {"username": "city", "password": "pass-1234-word"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_token_endpoint_is_locked_out_too(client, users):
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "city", "password": "wrong"})
    response = client.post("/api/v1/auth/token/", {"username": "city", "password": "pass-1234-word"})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.content.decode()


def test_other_users_are_not_locked_by_someone_elses_failures(client, users):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "city", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "liandu", "password": "pass-1234-word"})
    assert response.status_code == 302


def test_secrets_can_come_from_files(tmp_path, monkeypatch):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-file-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("ALLOWED_HOSTS", "zzb.example.gov.cn")
    from renovation.settings import production

    module = importlib.reload(production)
    assert module.SECRET_KEY == "from-a-file-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
    assert module.SESSION_COOKIE_SECURE and module.CSRF_COOKIE_SECURE
    assert module.SECURE_HSTS_SECONDS >= 31536000


def test_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
