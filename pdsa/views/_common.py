"""What every PDSA page does first: find the team (404 if invisible) and the caller's powers."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse

from core.http import get_or_404
from teams.selectors import team_and_access_or_404

from ..selectors import cycle_get

EDIT_REFUSED = "Only the team's members log and edit its cycles; coaches and staff comment."


def team_cycle_or_404(request: HttpRequest, team_id, cycle_id):
    """The team, the caller's access to it and one of its live cycles (404 if either is
    invisible or missing)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    cycle = get_or_404(cycle_get, team=team, public_id=cycle_id)
    return team, access, cycle


def cycle_page_url(team, cycle, name: str = "cycle_detail") -> str:
    """The address of one of a cycle's pages (its detail page unless named)."""
    return reverse(f"pdsa:{name}", kwargs={"team_id": team.public_id, "cycle_id": cycle.public_id})


def with_change_rows(revisions: Iterable, labels: dict[str, str]) -> list:
    """Revisions for a history table: each with `rows`, a changed field's label and its
    old and new values."""
    out = []
    for revision in revisions:
        revision.rows = [
            {"label": labels.get(name, name), "old": pair[0], "new": pair[1]}
            for name, pair in revision.changes.items()
        ]
        out.append(revision)
    return out
