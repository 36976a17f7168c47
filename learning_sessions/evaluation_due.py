""" "What is due next" on the team home: evaluations the person owes for events of the
team's collaborative they attended (registered with teams.due when the app is ready).

Due two weeks after the event ends, the last of the evaluation reminders (DOMAIN.md:
right after, then 7 and 14 days); the evaluation stays open after that.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from teams.due import DueItem, register_due_provider
from teams.models import Team
from teams.selectors import TeamAccess

from .evaluations import pending_evaluations_query
from .models import Event

EVALUATION_DUE_AFTER = timedelta(days=14)


@register_due_provider
def evaluations_due(*, team: Team, user: User, access: TeamAccess) -> Iterable[DueItem]:
    """One item per attended event of the team's collaborative still awaiting `user`'s
    evaluation (one query)."""
    events = Event.objects.filter(
        program_id=team.program_id, collaborative_id=team.collaborative_id
    )
    # The three fields the item shows, not the events and their collaborative.
    pending = pending_evaluations_query(user=user, events=events).values(
        "public_id", "title", "ends_at"
    )
    return [
        DueItem(
            title=f"Evaluate “{event['title']}”",
            due=timezone.localtime(event["ends_at"] + EVALUATION_DUE_AFTER).date(),
            url=reverse(
                "learning_sessions:event_evaluation", kwargs={"event_id": event["public_id"]}
            ),
            detail="A few questions about the session you attended; it takes two minutes.",
        )
        for event in pending
    ]
