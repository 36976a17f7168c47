"""The base of API views nested under a team (`teams/<team_id>/`), for every app."""

from __future__ import annotations

from functools import cached_property

from core.api.views import ScopedAPIView
from teams.models import Team
from teams.selectors import TeamAccess, team_access, team_or_404


class TeamScopedAPIView(ScopedAPIView):
    """Scope: the team named by `team_id`, if the caller may read its records
    (`team_or_404`: members, assigned coaches, program staff); else 404.

    `self.team` is that team, whatever a subclass narrows the scope to (a cycle or a
    period of the team: override `get_scope`, call super() first). `self.access` is
    the caller's `TeamAccess` (computed on first use, once): handlers answer 403 from
    it when the caller may see the team but lacks the role.
    """

    team: Team

    def get_scope(self):
        self.team = team_or_404(user=self.request.user, team_id=self.kwargs["team_id"])
        return self.team

    @cached_property
    def access(self) -> TeamAccess:
        return team_access(user=self.request.user, team=self.team)
