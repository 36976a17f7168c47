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


def scale_choice(request: HttpRequest, *, anchor: str) -> dict:
    """Small multiples on one scale (`?scale=shared`) or each on its own: the choice, and
    the link that switches it (keeping the page's other choices; `anchor` brings the
    reader back to the charts)."""
    shared = request.GET.get("scale") == "shared"
    params = request.GET.copy()
    if shared:
        params.pop("scale", None)
    else:
        params["scale"] = "shared"
    query = params.urlencode()
    return {"shared": shared, "toggle_url": f"?{query}#{anchor}" if query else f"?#{anchor}"}
