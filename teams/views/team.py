"""The team home: what is due, goals, members, coaches, phase, features' panels and
recent activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.memo import page_memo
from core.panels import TEAM_AIM, TEAM_HOME, render_panels

from ..due import due_next
from ..selectors import (
    team_and_access_or_404,
    team_coaches,
    team_current_phase,
    team_members,
    team_recent_activity,
)


def _NAME_FIELDS(relation: str) -> tuple[str, ...]:  # noqa: N802 - reads as a constant
    """The fields User.display_name reads, through `relation`."""
    return tuple(f"{relation}__{field}" for field in ("full_name", "email", "credentials"))


@login_required
def team_detail(request: HttpRequest, team_id) -> HttpResponse:
    """The team's home: what is due, goals, members, coaches, phase and recent activity."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    phase, next_phase = team_current_phase(team=team)
    # The due list and the panels read the same things (the team's measure set, the
    # periods): once each for the page. Reading it writes nothing.
    with page_memo():
        return render(
            request,
            "teams/detail.html",
            {
                "team": team,
                "access": access,
                "my_role": access.role,
                # Names and roles only: the page shows nothing else of these people.
                "members": team_members(team=team).only("role", *_NAME_FIELDS("user")),
                "coaches": team_coaches(team=team).only(*_NAME_FIELDS("coach")),
                "phase": phase,
                "next_phase": next_phase,
                "due_items": due_next(team=team, user=request.user, access=access),
                "panels": render_panels(TEAM_HOME, request=request, team=team),
                # The team's aim, once written, replaces its application's goals (pdsa).
                "aim_panels": render_panels(TEAM_AIM, request=request, team=team, access=access),
                "activity": team_recent_activity(team=team),
            },
        )
