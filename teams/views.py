"""Team pages. Thin: selectors in, templates out."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .selectors import team_coaches, team_members, team_role_of, teams_coached_by, teams_visible_to


@login_required
def team_detail(request: HttpRequest, team_id) -> HttpResponse:
    """The team's home: goals, members, coaches, its collaborative."""
    team = get_object_or_404(teams_visible_to(user=request.user), public_id=team_id)
    return render(
        request,
        "teams/detail.html",
        {
            "team": team,
            "members": team_members(team=team),
            "coaches": team_coaches(team=team),
            "my_role": team_role_of(user=request.user, team=team),
        },
    )


@login_required
def coach_home(request: HttpRequest) -> HttpResponse:
    """A coach's teams across collaboratives and programs."""
    return render(request, "teams/coach_home.html", {"teams": teams_coached_by(user=request.user)})
