"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import role_summary


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's roles, for the top bar; computed only if a page uses it."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: role_summary(user=user, for_navigation=True))}
