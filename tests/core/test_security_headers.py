"""Content-Security-Policy and Permissions-Policy on every page (issue 13, item 5).

The policy is strict: scripts only from our own origin (or carrying the request's
nonce), never 'unsafe-inline' or 'unsafe-eval'; no plugins, no <base> hijacking, no
framing, forms post only to us; violations are reported to /csp-report/. These tests
read the headers the way a browser does, so they fail on any page that loses them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as project_urls

pytestmark = pytest.mark.django_db

REPORT_PATH = "/csp-report/"

#: Browser features the site never uses: no page may ask for them, nor may a frame.
DENIED_FEATURES = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "bluetooth",
    "serial",
    "hid",
    "midi",
    "magnetometer",
    "gyroscope",
    "accelerometer",
    "display-capture",
    "browsing-topics",
)


def parse_csp(header: str) -> dict[str, list[str]]:
    """{directive: [sources]} as a browser splits the header."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            policy.setdefault(tokens[0].lower(), tokens[1:])
    return policy


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pages(tenant) -> list[tuple[object, str]]:
    """(who, url) for pages of every kind: public, signed in, forms, charts, API docs."""
    team = {"team_id": tenant.team.public_id}
    return [
        (None, "/"),
        (None, reverse("accessibility")),
        (None, reverse("account_login")),
        (None, reverse("api-docs")),
        (None, "/no-such-page/"),
        (tenant.member, reverse("teams:detail", kwargs=team)),
        (tenant.lead, reverse("pdsa:cycle_create", kwargs=team)),
        (tenant.lead, reverse("measures:team_measures", kwargs=team)),
        (tenant.member, reverse("accounts:profile")),
        (tenant.coach, reverse("dashboards:coach")),
    ]


def _assert_strict_csp(response, where: str) -> None:
    assert "Content-Security-Policy" in response, f"no CSP on {where}"
    policy = parse_csp(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts, f"no script-src on {where}"
    assert "'unsafe-inline'" not in scripts, where
    assert "'unsafe-eval'" not in scripts, where
    assert "*" not in scripts and "data:" not in scripts, where
    assert policy["default-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'self'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["form-action"] == ["'self'"], where
    assert policy["report-uri"] == [REPORT_PATH], where
    assert policy["report-to"] == ["csp"], where


def test_every_kind_of_page_carries_a_strict_csp(tenant_a):
    for user, url in _pages(tenant_a):
        response = _client(user).get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        _assert_strict_csp(response, url)


def test_styles_are_strict_too(tenant_a):
    """No 'unsafe-inline' for styles either: templates and charts use classes and SVG
    presentation attributes, never style="" (the template scan below enforces it)."""
    response = _client(tenant_a.lead).get(
        reverse("measures:team_measures", kwargs={"team_id": tenant_a.team.public_id})
    )
    policy = parse_csp(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["style-src"]


def test_reports_go_to_the_report_endpoint(client):
    response = client.get("/")
    assert response["Reporting-Endpoints"] == f'csp="{REPORT_PATH}"'


def test_pages_carry_a_permissions_policy_denying_unused_features(tenant_a):
    for user, url in _pages(tenant_a):
        response = _client(user).get(url)
        header = response.get("Permissions-Policy", "")
        features = dict(item.strip().split("=", 1) for item in header.split(",") if "=" in item)
        for feature in DENIED_FEATURES:
            assert features.get(feature) == "()", (url, feature, header)
        # Full screen stays ours (charts, videos in resources), never a frame's.
        assert features.get("fullscreen") == "(self)", (url, header)


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("test/broken/", _broken), *project_urls]


def test_the_server_error_page_carries_the_policy(settings):
    """Django renders 500.html without a request: the header must still be there."""
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/test/broken/")
    assert response.status_code == 500
    _assert_strict_csp(response, "500")
    # The page styles itself from a static file, not an inline style the policy blocks.
    assert "style=" not in response.content.decode()


def test_swagger_ui_loads_its_start_script_from_a_url(client):
    """drf-spectacular's Swagger view would start the UI with an inline script; the
    split view serves that script from a URL, allowed by script-src 'self'."""
    page = client.get(reverse("api-docs"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>" not in html
    assert "<style>" not in html
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_browsable_api_pages_allow_style_attributes_only(tenant_a):
    """DRF's own templates use style="" on two buttons: allowed there, nothing else."""
    client = _client(tenant_a.lead)
    page = client.get("/api/v1/teams/", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    policy = parse_csp(page["Content-Security-Policy"])
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    data = client.get("/api/v1/teams/", HTTP_ACCEPT="application/json")
    assert "style-src-attr" not in parse_csp(data["Content-Security-Policy"])
    ordinary = client.get(reverse("accounts:profile"))
    assert "style-src-attr" not in parse_csp(ordinary["Content-Security-Policy"])
