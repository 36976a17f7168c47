"""What the team services share: the team lock, and the statuses that close a team."""

from __future__ import annotations

from ..models import (
    Team,
    TeamStatus,
)

#: Teams that no longer take part: nobody new joins them.
CLOSED_TEAM_STATUSES = (TeamStatus.DECLINED, TeamStatus.WITHDRAWN)


def lock_team(team: Team) -> Team:
    """Lock the team row: changes to one team's membership or status then happen one at
    a time, so two leads demoting each other cannot leave the team without a lead, and
    two staff cannot approve and decline the same application at once."""
    return (
        Team.objects.select_for_update(of=("self",))
        .select_related("collaborative", "program")
        .get(pk=team.pk)
    )
