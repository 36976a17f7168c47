"""What the team services share: the team lock, the statuses that close a team, and
ending a coach's assignment."""

from __future__ import annotations

from accounts.models import User
from core.audit import audit_record

from ..models import (
    CoachAssignment,
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


def coach_assignment_end(assignment: CoachAssignment, *, actor: User | None) -> None:
    """Unassign a coach from a team, audited on the team (inside the caller's transaction)."""
    assignment.delete()
    audit_record(
        actor=actor,
        verb="team.coach_unassigned",
        target=assignment.team,
        data={"coach": str(assignment.coach.public_id)},
    )
