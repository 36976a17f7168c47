"""Pages that belong to no app: health and error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .public import public_view

logger = logging.getLogger(__name__)


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
    """Liveness for load balancers: 200 while the database answers.

    The broker's state is reported but does not fail the check: without Redis the
    web app keeps serving, and queued work is swept up when it returns.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001
        logger.error("healthz: database unavailable: %s", exc)
        database = "unavailable"
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "broker": _broker_status(),
        "tasks": "in_process" if settings.CELERY_TASK_ALWAYS_EAGER else "worker",
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A clear page instead of Django's technical CSRF message."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
