"""A nudge: a short e-mail from the coach to a team that has gone quiet.

One per team per 24 hours, whoever sends it (a team hearing from two coaches on the
same day is nagged, not helped): counted with core.cache.count_in_window, and each
recipient's e-mail carries a dedupe key for the day, so that even while Redis is down
(when the counter lets people through) nobody gets the same nudge twice in a day.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core import clock
from core.audit import audit_record
from core.cache import count_in_window
from core.emails import Recipient, absolute_url, email_enqueue
from teams.models import Team, TeamMembership

#: One nudge per team in this many seconds.
NUDGE_WINDOW_SECONDS = 24 * 3600
NUDGE_MESSAGE_MAX_LENGTH = 1000


class NudgeLimited(Exception):
    """The team was already nudged in the last 24 hours."""


def _recipients(team: Team) -> list[User]:
    return [
        m.user
        for m in TeamMembership.objects.filter(
            program_id=team.program_id, team=team, is_active=True
        ).select_related("user")
        if m.user.is_active
    ]


@transaction.atomic
def team_nudge_send(*, team: Team, actor: User, message: str = "") -> list[Recipient]:
    """E-mail the team's active members a nudge from `actor` (their coach or program
    staff: the caller checked), with an optional personal message, through the
    outbox; audited. Raises NudgeLimited when the team was nudged in the last 24 hours
    and ValidationError for a message that is too long. Returns who was e-mailed."""
    message = (message or "").strip()
    if len(message) > NUDGE_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": f"Keep the message under {NUDGE_MESSAGE_MAX_LENGTH:,} characters."}
        )
    people = _recipients(team)
    if not people:
        raise ValidationError("The team has no active members to nudge yet.")
    if count_in_window(f"dashboards:nudge:{team.pk}", NUDGE_WINDOW_SECONDS) > 1:
        raise NudgeLimited(f"{team.name} was already nudged in the last 24 hours.")
    day = clock.today().isoformat()
    path = reverse("teams:detail", kwargs={"team_id": team.public_id})
    url = absolute_url(path)
    for person in people:
        email_enqueue(
            to=person.email,
            template="dashboards_nudge",
            context={
                "recipient": person,
                "team": team,
                "program": team.program,
                "coach": actor.display_name,
                "message": message,
                "url": url,
            },
            program=team.program,
            dedupe_key=f"nudge:{team.public_id}:{person.public_id}:{day}",
            kind="nudge",
            notice_url=path,
        )
    audit_record(
        actor=actor,
        verb="team.nudged",
        target=team,
        data={"notified": len(people), "message": bool(message)},
    )
    return [Recipient.of(person, "member") for person in people]
