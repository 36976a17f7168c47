""" "My upcoming sessions" on the team home (teams.due registry).

Two kinds of items for the person looking at a team's home, both from the team's own
collaborative: the events they hold a seat at (or wait for) that have not ended, and,
for the people who do the team's work or coach it, events open for registration that
start within the next two weeks and that they have not registered for.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.clock import now
from core.timezones import format_local
from teams.due import DueItem, register_due_provider
from teams.models import Team
from teams.selectors import TeamAccess

from .models import Event, Registration, RegistrationStatus

#: How far ahead open events are suggested.
OPEN_EVENTS_AHEAD = timedelta(days=14)
#: At most this many items of each kind, so the team home stays short.
MAX_ITEMS = 5


def _team_events(team: Team):
    return Event.objects.filter(
        program_id=team.program_id, collaborative_id=team.collaborative_id, ends_at__gt=now()
    ).select_related("collaborative")


def _url(event: Event) -> str:
    return reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})


@register_due_provider
def upcoming_sessions_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """The person's registered (or waiting-list) events of the team's collaborative."""
    rows = (
        Registration.objects.filter(
            program_id=team.program_id,
            user=user,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
            event__in=_team_events(team).filter(is_cancelled=False),
        )
        .select_related("event")
        .order_by("event__starts_at", "event_id")[:MAX_ITEMS]
    )
    items = []
    for registration in rows:
        event = registration.event
        waiting = registration.status == RegistrationStatus.WAITLISTED
        items.append(
            DueItem(
                title=f"Attend “{event.title}”",
                due=timezone.localtime(event.starts_at).date(),
                url=_url(event),
                detail=f"{format_local(event.starts_at)} · "
                + ("on the waiting list" if waiting else "you are registered"),
            )
        )
    return items


@register_due_provider
def open_sessions_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """Events starting in the next 14 days that the person could still register for."""
    if not (access.does_team_work or access.is_assigned_coach):
        return []
    mine = Registration.objects.filter(event=OuterRef("pk"), user=user).exclude(
        status=RegistrationStatus.CANCELLED
    )
    events = (
        _team_events(team)
        .filter(is_cancelled=False, starts_at__lte=now() + OPEN_EVENTS_AHEAD)
        .exclude(Exists(mine))
        .order_by("starts_at", "id")[:MAX_ITEMS]
    )
    return [
        DueItem(
            title=f"Register for “{event.title}”",
            due=timezone.localtime(event.starts_at).date(),
            url=_url(event),
            detail=f"{format_local(event.starts_at)} · open for registration",
        )
        for event in events
    ]
