"""A team's recent activity, in words, from the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from core.models import AuditEvent

from ..models import (
    CoachAssignment,
    Invitation,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    TeamRole,
)

_ROLE_WORDS = dict(TeamRole.choices)
_KIND_WORDS = {RatingKind.COACH: "coach rating", RatingKind.SELF: "team self-rating"}
#: The team's own records an audit event may name, by their audit target type.
_TEAM_TARGETS = {
    "teams.teammembership": TeamMembership,
    "teams.invitation": Invitation,
    "teams.progressrating": ProgressRating,
    "teams.coachassignment": CoachAssignment,
}


@dataclass
class ActivityItem:
    when: object
    actor: str
    summary: str


def _month_words(value: str | None) -> str:
    try:
        return date.fromisoformat(value).strftime("%B %Y") if value else ""
    except ValueError:
        return value or ""


def _describe(event: AuditEvent) -> str:
    """Plain words for an audit event; unknown verbs fall back to the verb itself."""
    data = event.data or {}
    role = _ROLE_WORDS.get(data.get("role", ""), data.get("role", ""))
    email = data.get("email", "")
    member = data.get("member", "")
    phrases = {
        "invitation.created": f"invited {email} to join as {role}",
        "invitation.resent": f"sent the invitation to {email} again",
        "invitation.revoked": f"withdrew the invitation to {email}",
        "invitation.accepted": f"accepted the invitation and joined as {role}",
        "team_membership.role_changed": (
            f"made {member} {_ROLE_WORDS.get(data.get('new_role', ''), '')}"
        ),
        "team_membership.removed": f"removed {member} from the team",
        "team_membership.left": "left the team",
        "progress_rating.created": (
            f"gave a {_KIND_WORDS.get(data.get('kind', ''), 'rating')} of "
            f"{data.get('score', '')} for {_month_words(data.get('month'))}"
        ),
    }
    if event.verb in phrases:
        return phrases[event.verb]
    words = event.verb.replace("_", " ").replace(".", " ")
    return f"{words}: {event.target_repr}" if event.target_repr else words


def team_recent_activity(*, team: Team, limit: int = 10) -> list[ActivityItem]:
    """The team's latest audit events, in one query.

    Audit rows point at their target by type and public id (as text), so the events
    of the team's program are filtered by the ids of the team and its memberships,
    invitations, ratings and coach assignments, read in a subquery of the same query
    (a separate read of those ids cost a round trip on every team home).
    """

    def ids_of(model, **team_is) -> QuerySet:
        return (
            model.objects.filter(**(team_is or {"team": team}))
            .order_by()
            .values_list(Cast("public_id", output_field=CharField()))
        )

    # One IN over the union of the ids, with the team's own: not an OR of IN (subquery)
    # terms, which PostgreSQL can only test row by row over every event of those types
    # (80 ms at 300,000 of them), while this probes the (target_type, target_id) index.
    # Public ids are UUIDs: an id of one type is never another's.
    target_ids = ids_of(Team, pk=team.pk).union(
        *(ids_of(model) for model in _TEAM_TARGETS.values()), all=True
    )
    condition = Q(target_type__in=["teams.team", *_TEAM_TARGETS], target_id__in=target_ids)
    events = (
        AuditEvent.objects.filter(program_id=team.program_id)
        .filter(condition)
        .select_related("actor")
        # What the sentence shows: the actor's printed name, the verb and its data.
        .only(
            "created_at",
            "verb",
            "data",
            "target_repr",
            "actor__full_name",
            "actor__email",
            "actor__credentials",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            when=event.created_at,
            actor=event.actor.display_name if event.actor else "Someone",
            summary=_describe(event),
        )
        for event in events
    ]
