"""What every PDSA page does first: find the team (404 if invisible) and the caller's powers."""

import uuid

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404


def require(allowed: bool, message: str) -> None:
    """403 for a person who may see the team's work but not do this."""
    if not allowed:
        raise PermissionDenied(message)


def get_or_404(fn, **kwargs):
    """Call a selector that raises DoesNotExist, answering 404 instead."""
    try:
        return fn(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("Not found.") from None


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query string, or None for anything else (never an error page)."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
