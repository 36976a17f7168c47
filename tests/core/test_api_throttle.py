"""API throttles count anonymous and failed requests too (issue 13, item 6).

DRF checks throttles after authentication and permissions, so an anonymous or
bad-token request used to answer 401 for ever, never counted. Now such a request counts
against the throttles per client address and answers 429 once over the limit
(core/api/throttling.py); an authenticated one counts per user.
"""

from contextlib import contextmanager

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from accounts.services import api_token_revoke, api_token_rotate
from core.api.views import UserScopedAPIView
from tests.core.test_healthz import redis_down  # noqa: F401 - the cache-down fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/teams/"
GENEROUS = "1000/min"


@contextmanager
def rates(anon: str = GENEROUS, user: str = GENEROUS, failed: str = GENEROUS, **more):
    """Small rates for one test (the settings' own are far above what a test sends),
    and `more` REST_FRAMEWORK settings."""
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user, "api_failed_auth": failed},
        **more,
    }
    with override_settings(REST_FRAMEWORK=rest):
        yield


def codes(client: APIClient, n: int, **extra) -> list[int]:
    return [client.get(URL, **extra).status_code for _ in range(n)]


def token_client(key: str = "not-a-real-token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_anonymous_requests_are_throttled_not_refused_for_ever():
    with rates(anon="3/min"):
        assert codes(APIClient(), 3) == [401, 401, 401]
        response = APIClient().get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith(
        "Too many requests without valid credentials from this address. Expected available in"
    )


def test_invalid_and_revoked_tokens_count_against_their_own_stricter_rate(tenant_a):
    revoked = api_token_rotate(user=tenant_a.member)
    api_token_revoke(user=tenant_a.member)
    with rates(failed="3/min"):
        assert codes(token_client(), 2) == [401, 401]
        assert codes(token_client(revoked), 2) == [401, 429]
        response = token_client(revoked).get(URL)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_a_failed_auth_storm_locks_out_neither_other_addresses_nor_valid_tokens(tenant_a):
    key = Token.objects.create(user=tenant_a.member).key
    with rates(failed="2/min"):
        assert codes(token_client(), 4, REMOTE_ADDR="10.0.0.1") == [401, 401, 429, 429]
        # Another address is refused as before, not throttled.
        assert codes(token_client(), 1, REMOTE_ADDR="10.0.0.2") == [401]
        # A valid token from the storming address still works (one address behind NAT).
        assert codes(token_client(key), 1, REMOTE_ADDR="10.0.0.1") == [200]


def test_a_spoofed_x_forwarded_for_does_not_dodge_the_throttle():
    client = APIClient()
    with rates(failed="2/min"):
        client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        got = [client.get(URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(3)]
    assert got == [401, 401, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client():
    with rates(failed="1/min", NUM_PROXIES=1):
        first = token_client().get(URL, HTTP_X_FORWARDED_FOR="spoof, 203.0.113.1")
        again = token_client().get(URL, HTTP_X_FORWARDED_FOR="203.0.113.1")
        other = token_client().get(URL, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert [first.status_code, again.status_code, other.status_code] == [401, 429, 401]


def test_a_token_user_is_throttled_by_the_user_rate(tenant_a):
    key = Token.objects.create(user=tenant_a.member).key
    with rates(user="2/min", anon="1/min", failed="1/min"):
        assert codes(token_client(key), 3) == [200, 200, 429]
        # Per user: another user from the same address is not throttled.
        other = Token.objects.create(user=tenant_a.lead).key
        assert codes(token_client(other), 1) == [200]


def test_a_session_user_is_throttled_by_the_user_rate(tenant_a):
    client = APIClient()
    client.force_login(tenant_a.member)
    with rates(user="2/min"):
        assert codes(client, 3) == [200, 200, 429]


def test_a_user_the_permissions_refuse_is_throttled_too(tenant_a, settings):
    """Staff without an authenticator are refused (403) before DRF's throttles run."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    Authenticator.objects.filter(user=tenant_a.staff).delete()
    key = Token.objects.create(user=tenant_a.staff).key
    with rates(user="2/min"):
        assert codes(token_client(key), 3) == [403, 403, 429]
        response = token_client(key).get(URL)
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["message"].startswith("Request was throttled.")


class RefusesInItsHandler(UserScopedAPIView):
    """Refuses after the throttles have run."""

    def get(self, request, *args, **kwargs):
        raise PermissionDenied("No.")


def test_a_refusal_after_the_throttles_ran_is_counted_once(tenant_a):
    def call() -> int:
        request = APIRequestFactory().get("/")
        force_authenticate(request, user=tenant_a.member)
        return RefusesInItsHandler.as_view()(request).status_code

    with rates(user="2/min"):
        assert [call() for _ in range(3)] == [403, 403, 429]


def test_one_setting_turns_every_api_throttle_off(tenant_a):
    key = Token.objects.create(user=tenant_a.member).key
    with (
        rates(anon="1/min", user="1/min", failed="1/min"),
        override_settings(API_THROTTLE_ENABLED=False),
    ):
        assert codes(APIClient(), 3) == [401, 401, 401]
        assert codes(token_client(), 3) == [401, 401, 401]
        assert codes(token_client(key), 3) == [200, 200, 200]


@pytest.mark.usefixtures("redis_down")
def test_with_the_cache_down_the_throttles_fail_open(tenant_a):
    from core import cache as fail_open

    fail_open.FailOpenRedisCache._last_warning = 0.0
    key = Token.objects.create(user=tenant_a.member).key
    with rates(anon="1/min", user="1/min", failed="1/min"):
        assert codes(APIClient(), 3) == [401, 401, 401]
        assert codes(token_client(), 3) == [401, 401, 401]
        assert codes(token_client(key), 3) == [200, 200, 200]
