"""Request middleware of the plumbing layer."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils.log import log_response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with one exception for DRF's browsable API pages.

    The browsable API's templates (rest_framework/base.html, not ours) position two
    buttons with style="" attributes. On those pages only, style attributes are
    allowed (`style-src-attr 'unsafe-inline'`); scripts, style elements and every
    other page stay strict. Overriding `get_policy_parts` is django-csp's documented
    way to vary the policy per response.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        renderer = getattr(response, "accepted_renderer", None)
        if not report_only and getattr(renderer, "format", None) == "api":
            parts.update = {**(parts.update or {}), "style-src-attr": [UNSAFE_INLINE]}
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy and Reporting-Endpoints on every response.

    Permissions-Policy refuses the browser features no page uses (camera, microphone,
    location, payment ...; settings.PERMISSIONS_POLICY) to us and to any frame, so an
    injected script cannot ask for them either. Reporting-Endpoints names where the
    Content-Security-Policy's `report-to` group posts (settings.REPORTING_ENDPOINTS).
    The policy itself comes from django-csp's middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )
        self.endpoints = ", ".join(
            f'{name}="{url}"' for name, url in settings.REPORTING_ENDPOINTS.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        if self.endpoints:
            response.headers.setdefault("Reporting-Endpoints", self.endpoints)
        return response


class ProductErrorPagesMiddleware:
    """With DEBUG on, show the product's own 404, 400 and 500 pages, not Django's.

    `make run` keeps DEBUG on (auto-reload, static files, the demo's relaxed
    settings) but people trying the product should meet the pages they will meet in
    production, not Django's technical pages that list every URL pattern or dump
    settings. Off when TECHNICAL_ERROR_PAGES is true (the default with DEBUG), and
    a no-op with DEBUG off, where Django already uses handler404/handler500. 403 needs
    nothing: Django renders 403.html even in DEBUG. Tracebacks still go to the log.

    It must be the innermost middleware: a URL that matches no pattern never reaches
    `process_exception` (Django turns it into its technical 404 right away), so its
    response is replaced here, where every other middleware (APPEND_SLASH, CSRF,
    messages) still sees the final response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not getattr(settings, "TECHNICAL_ERROR_PAGES", True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._active() and response.status_code == 404 and request.resolver_match is None:
            # No URL pattern matched: the response is Django's technical 404.
            exception = Resolver404({"path": request.path_info})
            response = get_exception_response(request, _resolver(), 404, exception)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._active() or isinstance(exception, PermissionDenied):
            return None
        if isinstance(exception, Http404):
            return get_exception_response(request, _resolver(), 404, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            response = get_exception_response(request, _resolver(), 400, exception)
        elif settings.DEBUG_PROPAGATE_EXCEPTIONS:
            return None
        else:
            signals.got_request_exception.send(sender=None, request=request)
            response = _resolver().resolve_error_handler(500)(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def _resolver():
    return get_resolver(get_urlconf())
