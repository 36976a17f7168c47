"""What every measures page does first: find the team or collaborative (404 when the
user may not see it) and the caller's powers (403 for what they may not do)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from collaboratives.models import Collaborative

from ..selectors import (
    CollaborativeAccess,
    collaborative_access,
    collaborative_for,
)


def collaborative_and_access(
    request: HttpRequest, collaborative_id
) -> tuple[Collaborative, CollaborativeAccess]:
    try:
        collaborative = collaborative_for(user=request.user, collaborative_id=collaborative_id)
    except Collaborative.DoesNotExist:
        raise Http404("No such collaborative.") from None
    return collaborative, collaborative_access(user=request.user, collaborative=collaborative)


def file_format(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"
