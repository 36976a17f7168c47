"""Who may see and do what in a collaborative's measures.

A collaborative is found through the user's own selectors (404 when it is not
visible); `CollaborativeAccess` then says whether the person manages its measures
(program staff) or follows its teams' submissions (staff and coaches). A team's own
records are read only for the teams the user sees (`teams_visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import coach_program_ids, is_program_staff
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from teams.models import Team, TeamStatus
from teams.selectors import teams_visible_to


def collaborative_for(*, user: User, collaborative_id: UUID | str) -> Collaborative:
    """A collaborative `user` may see, or Collaborative.DoesNotExist (a 404)."""
    return collaboratives_visible_to(user=user).get(public_id=collaborative_id)


@dataclass(frozen=True)
class CollaborativeAccess:
    """What one person may see and do in a collaborative's measures."""

    is_staff: bool
    is_coach: bool

    @property
    def can_manage(self) -> bool:
        """Measure set, periods, whole-collaborative imports: program staff."""
        return self.is_staff

    @property
    def can_see_status(self) -> bool:
        """Late and missing submissions: staff and coaches."""
        return self.is_staff or self.is_coach


def collaborative_access(*, user: User, collaborative: Collaborative) -> CollaborativeAccess:
    return CollaborativeAccess(
        is_staff=is_program_staff(user=user, program=collaborative.program),
        is_coach=collaborative.program_id in coach_program_ids(user=user),
    )


def collaborative_teams_query_for(*, user: User, collaborative: Collaborative) -> QuerySet[Team]:
    """Active teams of the collaborative whose own records `user` may read, by name, not
    yet read: a page of them (core.paging) reads only its rows."""
    return (
        teams_visible_to(user=user)
        .filter(collaborative=collaborative, status=TeamStatus.ACTIVE)
        .order_by("name", "pk")
    )


def collaborative_teams_for(*, user: User, collaborative: Collaborative) -> list[Team]:
    """Active teams of the collaborative whose own records `user` may read (one query)."""
    return list(collaborative_teams_query_for(user=user, collaborative=collaborative))
