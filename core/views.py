"""Pages that belong to no single app: home, health, error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.selectors import role_summary
from collaboratives.selectors import collaboratives_public

from .public import public_view

logger = logging.getLogger(__name__)


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to what matters to them.

    Staff: their collaboratives. Coaches: their teams. Team members: their team.
    Visitors: the collaboratives that are recruiting.
    """
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"recruiting": collaboratives_public()[:12]})
    roles = role_summary(user=request.user)
    if roles.is_staff:
        return redirect("collaboratives:staff_list")
    if roles.is_coach:
        return redirect("teams:coach_home")
    if roles.team_memberships:
        return redirect("teams:detail", team_id=_main_team(roles.team_memberships).public_id)
    return render(request, "core/welcome.html", {"recruiting": collaboratives_public()[:12]})


def _main_team(memberships):
    """The team a member most likely came for: an active team of a running collaborative,
    then any active team, then the newest (memberships come newest first)."""

    def rank(membership) -> tuple[bool, bool]:
        team = membership.team
        return (team.status != "active", team.collaborative.status != "active")

    return min(memberships, key=rank).team


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
