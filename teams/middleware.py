"""Request middleware that needs to know people's teams."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .selectors import viewer_time_zone


class ViewerTimeZoneMiddleware:
    """Every page shows times in the viewer's zone (teams.selectors.viewer_time_zone).

    Activating it here makes every template date filter, `{{ moment|zoned }}` and
    `core.timezones.format_local` use it. The API is left in UTC: its clients get
    ISO 8601 instants and convert them themselves. "Today" (core.clock) stays in the
    site's or a collaborative's zone, whoever looks. Costs one query per page for a
    person who has not chosen a zone (none for those who have, and for visitors).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or user is None:
            timezone.deactivate()
        else:
            timezone.activate(viewer_time_zone(user=user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
