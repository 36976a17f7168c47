""" "What is due next" on the team home: a small registry that every app adds to.

The team home asks one question, `due_next(team=..., user=...)`, and shows the
answers sorted by due date. Each feature that gives a team work (monthly data,
surveys, learning sessions, evaluations) registers a provider here instead of
the team page learning about every feature:

    from teams.due import DueItem, register_due_provider

    @register_due_provider
    def data_period_due(*, team, user, access):
        ...
        yield DueItem(title="Enter May's data", due=date(2026, 6, 10), url=...)

A provider receives the team, the user and their `TeamAccess` (so it need not
query roles again), reads only that team's records, and returns or yields
DueItems. Register it when its module is imported, e.g. from its app's
AppConfig.ready().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import clock

from .models import RatingKind, Team
from .selectors import (
    InvitationState,
    TeamAccess,
    invitations_to_follow_up,
    rating_kinds_owed_by,
    rating_status,
    team_access,
)


@dataclass(frozen=True)
class DueItem:
    """One thing a person should do for a team, and by when."""

    title: str
    due: date | None
    url: str
    detail: str = ""

    @property
    def is_late(self) -> bool:
        return self.due is not None and self.due < clock.today()


DueProvider = Callable[..., Iterable[DueItem]]

_providers: list[DueProvider] = []


def register_due_provider(provider: DueProvider) -> DueProvider:
    """Add a provider (usable as a decorator); registering twice keeps one copy."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def due_providers() -> tuple[DueProvider, ...]:
    return tuple(_providers)


def due_next(*, team: Team, user: User, access: TeamAccess | None = None) -> list[DueItem]:
    """Everything due for `user` in `team`, soonest first (undated items last)."""
    access = access or team_access(user=user, team=team)
    items: list[DueItem] = []
    for provider in _providers:
        items.extend(provider(team=team, user=user, access=access))
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max, item.title))


# --- the team app's own providers --------------------------------------------------------

#: An invitation unanswered for this long deserves a reminder from the lead.
INVITATION_FOLLOW_UP_AFTER = timedelta(days=7)


@register_due_provider
def self_rating_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """The lead rates the team's progress each month it owes one (the rule the coach's
    side shares: teams.selectors.rating_rule); due by the month's end."""
    if RatingKind.SELF not in rating_kinds_owed_by(access):
        return []  # spares the query for everyone but the lead
    status = rating_status(team=team, access=access)
    if RatingKind.SELF not in status.owed:
        return []
    month = status.expectation.month
    url = reverse("teams:progress", kwargs={"team_id": team.public_id}) + "#self-rating"
    return [
        DueItem(
            title=f"Rate your team's progress for {month:%B %Y}",
            due=status.expectation.due,
            url=url,
            detail="Choose a score on the IHI scale and say why, so your coach can compare.",
        )
    ]


@register_due_provider
def invitations_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """Invitations that were not answered in a week, or expired: the lead follows up."""
    if not access.is_lead:
        return []
    url = reverse("teams:members", kwargs={"team_id": team.public_id}) + "#invitations"
    items = []
    for invitation in invitations_to_follow_up(team=team, older_than=INVITATION_FOLLOW_UP_AFTER):
        if invitation.state == InvitationState.EXPIRED:
            title = f"The invitation to {invitation.email} expired: send it again"
        else:
            title = f"Follow up the invitation to {invitation.email}"
        due = timezone.localtime(invitation.expires_at).date()
        items.append(DueItem(title=title, due=due, url=url))
    return items
