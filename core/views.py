"""Pages that belong to no app: health, error pages, the accessibility statement, the
one-click unsubscribe link of e-mails and the endpoint for Content-Security-Policy
reports."""

import logging
from datetime import date

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import csp
from .notification_kinds import DIGEST
from .notifications import unsubscribe, unsubscription_from_token
from .public import public_view

logger = logging.getLogger(__name__)

#: When the accessibility statement was last reviewed against the product. Change it
#: with the statement (templates/core/accessibility.html), never from the clock: the
#: date says when these claims were checked, not when the page was read.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 7)


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "not_configured"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "unavailable"
        logger.warning("healthz: broker unavailable: %s", exc)
        return "unavailable"


@public_view
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Health for load balancers: 503 only when the database does not answer.

    Without the database nothing can be served, so the instance should leave the
    pool. Redis (the cache and the broker) is reported but does not fail the check:
    without it the site keeps serving (the cache fails open, core/cache.py; e-mails
    wait in the outbox and the beat sweeper queues them when it returns), so the
    status is "degraded" with HTTP 200, for monitoring to alert on while the load
    balancer keeps the instance in the pool.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001
        logger.error("healthz: database unavailable: %s", exc)
        database = "unavailable"
    broker = _broker_status()
    if database != "ok":
        status = "error"
    elif broker == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    body = {
        "status": status,
        "database": database,
        # The cache and the broker are the same Redis (REDIS_URL).
        "cache": broker if settings.REDIS_URL else "local",
        "broker": broker,
        "tasks": "in_process" if settings.CELERY_TASK_ALWAYS_EAGER else "worker",
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A clear page instead of Django's technical CSRF message."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


@public_view
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """What the product promises about accessibility, how that is tested, what is known
    not to work yet, and whom to tell about a barrier. Public: a barrier may stop
    someone before they can sign in."""
    return render(
        request,
        "core/accessibility.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )


@public_view
@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Take a browser's Content-Security-Policy violation report and log it (core/csp.py).

    Public and without CSRF token: browsers send reports on their own, for anyone.
    So it is bounded (413 past MAX_REPORT_BYTES), strict (400 for anything that is
    not a report) and rate limited per address (429), and never answers 500.
    """
    if not csp.allow_report(get_adapter(request).get_client_ip(request)):
        return HttpResponse(status=429)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
    if declared > csp.MAX_REPORT_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain")
    body = request.read(csp.MAX_REPORT_BYTES + 1)
    if len(body) > csp.MAX_REPORT_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain")
    try:
        violations = csp.parse_reports(body, request.content_type)
    except csp.BadReport as error:
        return HttpResponse(f"Not a CSP report: {error}.", status=400, content_type="text/plain")
    csp.log_violations(violations)
    return HttpResponse(status=204)


def _mask(email: str) -> str:
    """ "j***@example.org": enough for the person to recognise, little for anyone else
    the e-mail was forwarded to."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check Django's middleware would have made (the view is exempt so that
    the one-click POST passes): the 403 page, or None when the request passes."""
    return CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, None, (), {})


@public_view
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link every e-mail of a kind that can be turned off carries.

    No sign-in: the signed token (core.notifications) names the person and the kind.
    GET only shows what the link would turn off and a button: link scanners and
    mail previews fetch links, and must not unsubscribe anyone. POST turns it off:
    the person's click on that button (checked for CSRF like any form), or a mail
    provider's one-click request (RFC 8058), which carries no cookie and no token,
    only the body `List-Unsubscribe=One-Click`, and is exempt for exactly that body.
    The answer to a POST is the page itself, never a redirect (RFC 8058, 3.1).
    A token that is not ours answers 404 with a page that says what to do.
    """
    unsubscription = unsubscription_from_token(token)
    if unsubscription is None:
        return render(request, "core/unsubscribe_invalid.html", status=404)
    done = False
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        refusal = None if one_click else _csrf_refusal(request)
        if refusal is not None:
            return refusal
        unsubscribe(unsubscription)
        done = True
    return render(
        request,
        "core/unsubscribe.html",
        {
            "u": unsubscription,
            "is_digest": unsubscription.kind.key == DIGEST,
            "address": _mask(unsubscription.user.email),
            "done": done,
        },
    )


#: Where the JSON API lives: a path under it that matches no route answers like the API.
API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL that matches no route (handler404).

    Under /api/ the answer is the API's JSON error shape (core.api.exceptions), as the
    schema documents, not the HTML page a person gets: a client reading the id of a
    nested object that is no UUID would otherwise be handed HTML.
    """
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": {"code": "not_found", "message": "Not found."}}, status=404)
    return defaults.page_not_found(request, exception)
