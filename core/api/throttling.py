"""API throttles that also count the requests the API refuses.

DRF's `APIView.initial()` authenticates, checks permissions and only then checks
throttles. A request without credentials is refused by the permission check (401),
one with a bad or revoked token by the authentication itself (401), one the
permissions refuse (staff without an authenticator, 403) by the permission check: all
before any throttle has counted them. The anonymous rate never applied, and a client
could hammer the API with bad tokens for ever.

The fix sits in the one place every API view's refusal passes through, the project's
exception handler (`core.api.exceptions`, DRF's `EXCEPTION_HANDLER`): a request refused
by authentication or permissions is run through the view's throttles there, and
answers 429 with Retry-After instead of 401/403 once it is over a limit. This covers
every API view, ours and third-party ones, without reordering DRF's `initial()`
(which `core.api.views` seals) or repeating the check in an authentication class and
a permission class. Each throttle notes on the request that it has counted it, so a
refusal raised after the throttles ran (in a handler) is not counted twice. A request
whose credentials failed also counts against `api_failed_auth`, a stricter rate per
client address.

A refused request is throttled only when it is refused: a valid token from the same
address still works while that address is locked out of failed attempts (clinics and
hospitals share one address behind NAT). Token keys are 160 random bits, so the
throttle limits load, not guessing.

Rates are read from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` on each request (DRF's
own classes read them once, at import), so `override_settings` changes them; a rate of
None turns one throttle off and `API_THROTTLE_ENABLED = False` turns them all off. The
client address is DRF's `get_ident`: REMOTE_ADDR, or the address the outermost of
`NUM_PROXIES` trusted proxies saw (set from `TRUSTED_PROXY_COUNT`), never a spoofable
X-Forwarded-For by default. Counts live in the cache, which fails open
(`core.cache`): with Redis down every request is let through.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import exceptions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

#: Set on a request that failed authentication, for `FailedAuthRateThrottle`.
FAILED_AUTH_MARK = "api_failed_authentication"
#: Names of the throttle scopes that have already counted a request.
COUNTED_MARK = "api_throttle_scopes_counted"


class LiveRateMixin:
    """Read the rate from the current settings and honour `API_THROTTLE_ENABLED`;
    note on the request that this scope counted it, so that it counts it once."""

    scope: str

    def get_rate(self) -> str | None:
        if not getattr(settings, "API_THROTTLE_ENABLED", True):
            return None
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        counted = vars(request).setdefault(COUNTED_MARK, set())
        if self.scope in counted:
            return True
        allowed = super().allow_request(request, view)
        if getattr(self, "key", None) is not None:  # set once the request is counted
            counted.add(self.scope)
        return allowed


class AnonRateThrottle(LiveRateMixin, throttling.AnonRateThrottle):
    """Anonymous requests, per client address (`anon`)."""


class UserRateThrottle(LiveRateMixin, throttling.UserRateThrottle):
    """Authenticated requests per user (`user`); anonymous ones per client address."""


class FailedAuthRateThrottle(LiveRateMixin, throttling.SimpleRateThrottle):
    """Requests whose credentials failed, per client address (`api_failed_auth`)."""

    scope = "api_failed_auth"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not getattr(request, FAILED_AUTH_MARK, False):
            return None  # not a failed authentication: not this throttle's business
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


#: What `initial()` raises before the throttles run, and so must count.
REFUSALS = (
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
    exceptions.PermissionDenied,
)


class RefusedThrottled(exceptions.Throttled):
    """429 for a client address that sent too many requests without valid credentials."""

    default_detail = "Too many requests without valid credentials from this address."


def throttle_refused_request(exc: Exception, context: dict) -> exceptions.Throttled | None:
    """Count a request refused by authentication or permissions against the view's
    throttles; return the 429 to answer instead when it is over a limit, else None."""
    if not isinstance(exc, REFUSALS):
        return None
    request, view = context.get("request"), context.get("view")
    # Only once authentication has run: a throttle reads the user.
    if request is None or view is None or "_user" not in vars(request):
        return None
    if isinstance(exc, exceptions.AuthenticationFailed):
        setattr(request, FAILED_AUTH_MARK, True)
    waits = [
        throttle.wait()
        for throttle in view.get_throttles()
        if not throttle.allow_request(request, view)
    ]
    if not waits:
        return None
    wait = max((w for w in waits if w is not None), default=None)
    # A signed-in person refused by a permission gets the usual message.
    throttled = exceptions.Throttled if request.user.is_authenticated else RefusedThrottled
    return throttled(wait=wait)
