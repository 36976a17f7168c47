"""What every measures page does first: find the team or collaborative (404 when the
user may not see it) and the caller's powers (403 for what they may not do)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
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


def require(allowed: bool, message: str) -> None:
    """403 for a person who may see the page's subject but not do this."""
    if not allowed:
        raise PermissionDenied(message)


def get_or_404(fn, **kwargs):
    """Call a selector that raises DoesNotExist, answering 404 instead."""
    try:
        return fn(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("Not found.") from None


def file_format(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"
