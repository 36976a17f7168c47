"""Content-Security-Policy violation reports: parsing, logging and rate limiting.

django-csp writes the policy (config/settings.py, CONTENT_SECURITY_POLICY); browsers
post what it blocked to /csp-report/ (core.views.csp_report). A report is
untrusted input from anyone, so it is bounded in size and rate, parsed strictly,
and logged as one warning per violation with the directive, the blocked address and
the page, each cut to scheme, host and path: query strings can carry tokens or
e-mail addresses, and cookies or samples of page text are never logged.

Two formats arrive: `application/csp-report` (the `report-uri` directive, one
`{"csp-report": {...}}` object) and `application/reports+json` (the Reporting API of
`report-to`, a list of reports of which only `csp-violation` ones are ours).
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core.cache import count_in_window

logger = logging.getLogger(__name__)

#: Largest report body taken; real reports are a few hundred bytes.
MAX_REPORT_BYTES = 64 * 1024
#: Reports logged from one Reporting API batch at most; the rest are dropped.
MAX_REPORTS_PER_BATCH = 20
#: Longest field kept in the log line.
MAX_FIELD = 200

LEGACY_TYPES = {"application/csp-report", "application/json"}
REPORTING_API_TYPES = {"application/reports+json"}

_UNITS = {"s": 1, "m": 60, "h": 3600}
_UNSAFE = re.compile(r"[^\x21-\x7e]")


class BadReport(ValueError):
    """The body is not a report we understand (400)."""


@dataclass(frozen=True)
class Violation:
    directive: str
    blocked: str
    document: str
    disposition: str


def parse_rate(rate: str) -> tuple[int, int]:
    """`"60/m"` -> (60, 60): how many requests per how many seconds."""
    amount, _, unit = rate.partition("/")
    return int(amount), _UNITS[unit.strip() or "m"]


def allow_report(client_ip: str) -> bool:
    """Count one report from `client_ip` in the current window; False past the limit.

    A fixed window in the cache (add, then incr), like the login limits: while the
    cache is down FailOpenRedisCache answers as if stored, so reports are let
    through rather than refused (core/cache.py).
    """
    amount, seconds = parse_rate(settings.CSP_REPORT_RATE_LIMIT)
    window = int(time.time() // seconds)
    return count_in_window(f"csp-report:{client_ip}:{window}", seconds) <= amount


def _clean(value: object) -> str:
    """A short printable string: no line breaks or control characters in the log."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return _UNSAFE.sub("?", text)[:MAX_FIELD]


def _address(value: object) -> str:
    """A URL cut to scheme, host and path; keywords such as `inline` or `eval` as is."""
    text = value if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc:
        return _clean(f"{parts.scheme}://{parts.hostname or ''}{parts.path}")
    if parts.scheme:  # data:, blob:, chrome-extension: ... never their payload
        return _clean(f"{parts.scheme}:")
    return _clean(text.split("?", 1)[0].split("#", 1)[0])


def _legacy(report: object) -> Violation:
    if not isinstance(report, dict) or not isinstance(report.get("csp-report"), dict):
        raise BadReport('expected {"csp-report": {...}}')
    body = report["csp-report"]
    return Violation(
        directive=_clean(body.get("effective-directive") or body.get("violated-directive")),
        blocked=_address(body.get("blocked-uri")),
        document=_address(body.get("document-uri")),
        disposition=_clean(body.get("disposition") or "enforce"),
    )


def _reporting_api(reports: object) -> list[Violation]:
    if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
        raise BadReport("expected a list of reports")
    found = []
    for report in reports[:MAX_REPORTS_PER_BATCH]:
        body = report.get("body")
        if report.get("type") != "csp-violation" or not isinstance(body, dict):
            continue
        found.append(
            Violation(
                directive=_clean(body.get("effectiveDirective")),
                blocked=_address(body.get("blockedURL")),
                document=_address(body.get("documentURL") or report.get("url")),
                disposition=_clean(body.get("disposition") or "enforce"),
            )
        )
    return found


def parse_reports(body: bytes, content_type: str) -> list[Violation]:
    """The violations in a report body; BadReport for anything else."""
    if content_type not in LEGACY_TYPES | REPORTING_API_TYPES:
        raise BadReport(f"unsupported content type {content_type!r}")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadReport("not JSON") from error
    if content_type in REPORTING_API_TYPES:
        return _reporting_api(data)
    return [_legacy(data)]


def log_violations(violations: list[Violation]) -> None:
    """One warning per violation, for the operators to see what the policy blocks."""
    for violation in violations:
        logger.warning(
            "CSP violation (%s): %s blocked %s on %s",
            violation.disposition,
            violation.directive,
            violation.blocked,
            violation.document,
        )
