"""A team's recent activity, in words, from the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Value

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
    """The team's latest audit events, in two queries.

    Audit rows point at their target by type and public id, so the ids of the
    team's memberships, invitations, ratings and coach assignments are gathered in
    one UNION query and the events of the team's program are filtered by them.
    """
    related = (
        TeamMembership.objects.filter(team=team)
        .annotate(audit_type=Value("teams.teammembership"))
        .values_list("audit_type", "public_id")
        .order_by()
        .union(
            Invitation.objects.filter(team=team)
            .annotate(audit_type=Value("teams.invitation"))
            .values_list("audit_type", "public_id")
            .order_by(),
            ProgressRating.objects.filter(team=team)
            .annotate(audit_type=Value("teams.progressrating"))
            .values_list("audit_type", "public_id")
            .order_by(),
            CoachAssignment.objects.filter(team=team)
            .annotate(audit_type=Value("teams.coachassignment"))
            .values_list("audit_type", "public_id")
            .order_by(),
            all=True,
        )
    )
    ids_by_type: dict[str, list[str]] = {}
    for target_type, public_id in related:
        ids_by_type.setdefault(target_type, []).append(str(public_id))
    condition = Q(target_type="teams.team", target_id=str(team.public_id))
    for target_type, ids in ids_by_type.items():
        condition |= Q(target_type=target_type, target_id__in=ids)
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
