"""Asking the team's coaches for feedback: when a team moves a cycle to Study, Act or
Complete, the cycle starts waiting for feedback (pdsa.services.cycles) and each
assigned coach gets one e-mail and one notice in their inbox (core.emails: one
producer, two channels), until a coach comments (pdsa.services.comments)."""

from accounts.models import User
from accounts.selectors import coach_program_ids
from core.emails import absolute_url, email_enqueue
from teams.models import CoachAssignment

from ..models import Cycle
from ..stages import stage_label
from ..timeline import cycle_url


def _coaches(cycle: Cycle) -> list[User]:
    """The team's assigned coaches who still hold the coach role in its program."""
    assignments = CoachAssignment.objects.filter(
        team_id=cycle.team_id, program_id=cycle.program_id, coach__is_active=True
    ).select_related("coach")
    return sorted(
        (a.coach for a in assignments if cycle.program_id in coach_program_ids(user=a.coach)),
        key=lambda coach: coach.email,
    )


def feedback_requested(*, cycle: Cycle, actor: User) -> int:
    """Tell the coaches that `cycle` waits for their feedback; returns how many were
    told. Call inside the transaction that set `awaiting_feedback_since`: the dedupe
    key names that wait, so a repeated call adds nothing and a later wait (after a
    coach's comment ended this one) tells them again."""
    if cycle.awaiting_feedback_since is None:
        return 0
    team = cycle.team
    path = cycle_url(team, cycle.public_id)
    since = int(cycle.awaiting_feedback_since.timestamp())
    told = 0
    for coach in _coaches(cycle):
        if coach.pk == actor.pk:
            continue
        email_enqueue(
            to=coach.email,
            template="pdsa_feedback",
            context={
                "recipient": coach,
                "cycle": cycle,
                "team": team,
                "program": team.program,
                "author": actor.display_name,
                "stage": stage_label(cycle.stage),
                "cycle_url": absolute_url(path),
            },
            program=team.program,
            dedupe_key=f"pdsa-feedback:{cycle.public_id}:{since}:{coach.public_id}",
            kind="pdsa_feedback",
            notice_url=path,
        )
        told += 1
    return told
