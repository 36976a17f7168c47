""" "My upcoming sessions" on the team home (teams.due registry).

Two kinds of items for the person looking at a team's home, both from the team's own
collaborative: the events they hold a seat at (or wait for) that have not ended, and,
for the people who do the team's work or coach it, events open for registration that
start within the next two weeks and that they have not registered for.

Both kinds come from one read of the team's coming events with the person's
registration (`_coming_events`): inside the team home's core.memo.page_memo the two
providers share it, so the page asks the database once instead of twice.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.clock import now
from core.memo import memoized
from core.timezones import format_local
from teams.due import DueItem, register_due_provider
from teams.models import Team
from teams.selectors import TeamAccess

from .models import Event, Registration, RegistrationStatus

#: How far ahead open events are suggested.
OPEN_EVENTS_AHEAD = timedelta(days=14)
#: At most this many items of each kind, so the team home stays short.
MAX_ITEMS = 5

_HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


def _coming_events(team: Team, user: User) -> list[dict]:
    """The team's collaborative's events that have not ended and are not cancelled, that
    `user` holds a seat at or waits for, or that start within OPEN_EVENTS_AHEAD and they
    have not registered for (a cancelled registration counts as none): title, start,
    public id and `mine` (their registration's status or None), soonest first. One
    query, read once per page."""

    def read() -> list[dict]:
        moment = now()
        mine = Registration.objects.filter(
            program_id=team.program_id, event=OuterRef("pk"), user=user
        ).exclude(status=RegistrationStatus.CANCELLED)
        return list(
            Event.objects.filter(
                program_id=team.program_id,
                collaborative_id=team.collaborative_id,
                ends_at__gt=moment,
                is_cancelled=False,
            )
            .annotate(mine=Subquery(mine.values("status")[:1]))
            .filter(
                Q(mine__in=_HOLDING)
                | Q(mine__isnull=True, starts_at__lte=moment + OPEN_EVENTS_AHEAD)
            )
            .order_by("starts_at", "id")
            .values("public_id", "title", "starts_at", "mine")
        )

    return memoized(("learning_sessions.coming_events", team.pk, user.pk), read)


def _url(event: dict) -> str:
    return reverse("learning_sessions:event_detail", kwargs={"event_id": event["public_id"]})


@register_due_provider
def upcoming_sessions_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """The person's registered (or waiting-list) events of the team's collaborative."""
    held = [event for event in _coming_events(team, user) if event["mine"] is not None]
    return [
        DueItem(
            title=f"Attend “{event['title']}”",
            due=timezone.localtime(event["starts_at"]).date(),
            url=_url(event),
            detail=f"{format_local(event['starts_at'])} · "
            + (
                "on the waiting list"
                if event["mine"] == RegistrationStatus.WAITLISTED
                else "you are registered"
            ),
        )
        for event in held[:MAX_ITEMS]
    ]


@register_due_provider
def open_sessions_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """Events starting in the next 14 days that the person could still register for."""
    if not (access.does_team_work or access.is_assigned_coach):
        return []
    unregistered = [event for event in _coming_events(team, user) if event["mine"] is None]
    return [
        DueItem(
            title=f"Register for “{event['title']}”",
            due=timezone.localtime(event["starts_at"]).date(),
            url=_url(event),
            detail=f"{format_local(event['starts_at'])} · open for registration",
        )
        for event in unregistered[:MAX_ITEMS]
    ]
