"""/csp-report/: browsers report policy violations here (core/csp.py).

It takes both report formats browsers send (the older application/csp-report from
report-uri and application/reports+json from report-to), logs one warning per
violation with the directive and the blocked address and nothing personal, and
answers bad input with 400 or 413, never a 500. It is rate limited per address and
keeps working (open) while the cache is down.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/csp-report/"

LEGACY = {
    "csp-report": {
        "document-uri": "https://qi.example/teams/abc/?email=lead@example.org",
        "referrer": "https://qi.example/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "blocked-uri": "https://evil.example/x.js?session=SECRET",
        "status-code": 200,
        "source-file": "https://qi.example/teams/abc/",
        "line-number": 12,
    }
}

MODERN = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://qi.example/pdsa/?token=SECRET",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://qi.example/pdsa/?token=SECRET",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "disposition": "enforce",
            "sample": "color: red",
            "statusCode": 200,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def _post(client: Client, body, content_type: str = "application/csp-report", **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **extra)


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.csp"]


def test_legacy_report_is_logged_with_directive_and_blocked_address(client, caplog):
    caplog.set_level(logging.WARNING, logger="core.csp")
    client.cookies["sessionid"] = "a-session-that-must-not-be-logged"
    response = _post(client, LEGACY)
    assert response.status_code == 204
    (message,) = _warnings(caplog)
    assert "script-src-elem" in message
    assert "https://evil.example/x.js" in message
    assert "/teams/abc/" in message
    # No query strings (tokens, e-mail addresses), no cookies.
    for secret in ("SECRET", "lead@example.org", "a-session-that-must-not-be-logged"):
        assert secret not in message


def test_reporting_api_batch_logs_each_csp_violation(client, caplog):
    caplog.set_level(logging.WARNING, logger="core.csp")
    response = _post(client, MODERN, content_type="application/reports+json")
    assert response.status_code == 204
    (message,) = _warnings(caplog)  # the deprecation report is not ours to log
    assert "style-src-attr" in message and "inline" in message
    assert "SECRET" not in message and "color: red" not in message


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/csp-report"),
        (b"[1, 2", "application/reports+json"),
        (b'"just a string"', "application/csp-report"),
        (b'{"csp-report": "no object"}', "application/csp-report"),
        (b"[1, 2, 3]", "application/reports+json"),
        (b"\xff\xfe", "application/csp-report"),
        (b'{"csp-report": {}}', "text/plain"),
    ],
)
def test_bad_input_answers_400_not_500(client, body, content_type):
    assert _post(client, body, content_type=content_type).status_code == 400


def test_oversized_body_answers_413(client):
    padding = "x" * (70 * 1024)
    body = {"csp-report": {**LEGACY["csp-report"], "script-sample": padding}}
    assert _post(client, body).status_code == 413


def test_only_post(client):
    assert client.get(URL).status_code == 405


def test_no_csrf_token_needed():
    """Browsers send reports without our CSRF token."""
    client = Client(enforce_csrf_checks=True)
    assert _post(client, LEGACY).status_code == 204


def test_reports_are_rate_limited_per_address(client, settings, caplog):
    caplog.set_level(logging.WARNING, logger="core.csp")
    settings.CSP_REPORT_RATE_LIMIT = "3/m"
    codes = [_post(client, LEGACY).status_code for _ in range(5)]
    assert codes == [204, 204, 204, 429, 429]
    assert len(_warnings(caplog)) == 3
    other = _post(client, LEGACY, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 204


def test_with_the_cache_down_reports_are_still_taken(client, settings, caplog):
    down = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": down,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CSP_REPORT_RATE_LIMIT = "1/m"
    caplog.set_level(logging.WARNING, logger="core.csp")
    codes = [_post(client, LEGACY).status_code for _ in range(3)]
    assert codes == [204, 204, 204]
    assert len(_warnings(caplog)) == 3
