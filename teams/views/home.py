"""The home page: send each person to what matters to them.

Here, in teams, because deciding where someone belongs needs their team memberships
as well as their program roles.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from collaboratives.models import CollaborativeStatus
from collaboratives.selectors import collaboratives_public
from core.public import public_view

from ..models import Team, TeamMembership, TeamStatus
from ..selectors import role_summary


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """Staff: their collaboratives. Coaches: their teams. Team members: their team.
    Visitors: the collaboratives that are recruiting."""
    if not request.user.is_authenticated:
        return render(request, "teams/landing.html", {"recruiting": collaboratives_public()[:12]})
    roles = role_summary(user=request.user)
    if roles.is_staff:
        return redirect("collaboratives:staff_list")
    if roles.is_coach:
        return redirect("dashboards:coach")
    if roles.team_memberships:
        return redirect("teams:detail", team_id=_main_team(roles.team_memberships).public_id)
    return render(request, "teams/welcome.html", {"recruiting": collaboratives_public()[:12]})


def _main_team(memberships: list[TeamMembership]) -> Team:
    """The team a member most likely came for: an active team of a running collaborative,
    then any active team, then the newest (memberships come newest first)."""

    def rank(membership: TeamMembership) -> tuple[bool, bool]:
        team = membership.team
        return (
            team.status != TeamStatus.ACTIVE,
            team.collaborative.status != CollaborativeStatus.ACTIVE,
        )

    return min(memberships, key=rank).team
