import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "local",
        "broker": "not_configured",
        "tasks": "in_process",
    }


def test_healthz_reports_an_unreachable_broker_without_failing(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"
    assert response.json()["cache"] == "unavailable"
    assert response.json()["status"] == "degraded"


def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_is_exempt_from_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


DOWN = "redis://127.0.0.1:1/0"  # nothing listens there


@pytest.fixture
def redis_down(settings):
    """REDIS_URL set, Redis not answering: the cache as production configures it."""
    settings.REDIS_URL = DOWN
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": DOWN,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_with_the_cache_down_sign_in_and_the_api_keep_working(redis_down, tenant_a, caplog):
    from django.core.cache import cache
    from django.test import Client

    from accounts.services import api_token_rotate
    from core import cache as fail_open

    fail_open.FailOpenRedisCache._last_warning = 0.0
    assert cache.get("anything", "default") == "default"
    response = Client().post(
        "/accounts/login/", {"login": tenant_a.member.email, "password": "wrong"}
    )
    assert response.status_code == 200  # the form again, with its error: not a 500
    key = api_token_rotate(user=tenant_a.member)
    api = Client().get("/api/v1/teams/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200
    assert "cache unavailable" in caplog.text


def test_persistent_connections_are_checked_before_reuse():
    """After a database restart the next request reconnects instead of failing on a
    dead connection (scripts/fault_drill.py restarts PostgreSQL under the running app)."""
    from django.db import connection

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
