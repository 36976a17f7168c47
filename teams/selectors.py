"""Scoped reads of facilities, teams, memberships, invitations and progress ratings.

Who sees a team's records (PRODUCT.md, privacy model): its members, its
assigned coaches, and the program's staff. Everyone else gets nothing, and
views turn "nothing" into a 404. Within that circle, `team_access` says who may
change what (403 for the rest).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids
from collaboratives.models import CollaborativeStatus, Phase
from core import clock
from core.clock import current_month
from core.models import AuditEvent

from .models import (
    IHI_SCALE,
    CoachAssignment,
    Facility,
    Invitation,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
)

#: A coach and a team that disagree by this much about the same month should talk.
GAP_THRESHOLD = Decimal("1.0")


# --- teams -----------------------------------------------------------------------


def teams_visible_to(*, user: User) -> QuerySet[Team]:
    """Teams whose records `user` may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Team.objects.none()
    condition = Q(memberships__user=user, memberships__is_active=True)
    staff_ids = staff_program_ids(user=user)
    if staff_ids:
        condition |= Q(program_id__in=staff_ids)
    coach_ids = coach_program_ids(user=user)
    if coach_ids:
        condition |= Q(coach_assignments__coach=user, program_id__in=coach_ids)
    visible_ids = Team.objects.filter(condition).values("pk")
    return Team.objects.filter(pk__in=visible_ids).select_related("collaborative", "facility")


def team_get_for(*, user: User, public_id) -> Team:
    """One visible team, or Team.DoesNotExist (a 404 for the view)."""
    return teams_visible_to(user=user).get(public_id=public_id)


def teams_coached_by(*, user: User) -> QuerySet[Team]:
    """The teams a coach is assigned to, across collaboratives and programs."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    return (
        Team.objects.filter(
            coach_assignments__coach=user, program_id__in=coach_program_ids(user=user)
        )
        .select_related("collaborative", "facility", "program")
        .order_by("collaborative__title", "name")
    )


def team_memberships_of(*, user: User) -> QuerySet[TeamMembership]:
    """The user's own active team memberships, newest collaborative first."""
    if not getattr(user, "is_authenticated", False):
        return TeamMembership.objects.none()
    return (
        TeamMembership.objects.filter(user=user, is_active=True)
        .select_related("team", "team__collaborative", "team__program")
        .order_by("-team__collaborative__start_date", "team__name")
    )


def team_members(*, team: Team) -> QuerySet[TeamMembership]:
    """Active members of a team the caller already may see."""
    return (
        TeamMembership.objects.filter(team=team, program_id=team.program_id, is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def team_coaches(*, team: Team) -> QuerySet[CoachAssignment]:
    """Coach assignments of a team the caller already may see."""
    return (
        CoachAssignment.objects.filter(team=team, program_id=team.program_id)
        .select_related("coach")
        .order_by("coach__full_name")
    )


def team_role_of(*, user: User, team: Team) -> str | None:
    """The user's role in `team`, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def is_team_lead(*, user: User, team: Team) -> bool:
    return team_role_of(user=user, team=team) == TeamRole.LEAD


@dataclass(frozen=True)
class TeamAccess:
    """What one person may do with one team they can see.

    Computed once per request (two small queries and the cached program roles),
    so that views, templates and the API ask the same questions the same way.
    """

    role: str | None = None
    is_staff: bool = False
    is_assigned_coach: bool = False

    @property
    def is_lead(self) -> bool:
        return self.role == TeamRole.LEAD

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_manage_members(self) -> bool:
        """Invite, revoke, resend, change roles, remove: the team's leads and program staff."""
        return self.is_lead or self.is_staff

    @property
    def can_rate_as_coach(self) -> bool:
        """Coach ratings: coaches assigned to the team, and program staff."""
        return self.is_staff or self.is_assigned_coach

    @property
    def can_self_rate(self) -> bool:
        """The team's self-rating is the lead's to give."""
        return self.is_lead

    @property
    def can_see_emails(self) -> bool:
        """E-mail addresses are for teammates, the team's coaches and staff only."""
        return self.is_member or self.is_staff or self.is_assigned_coach

    @property
    def rating_kinds(self) -> list[str]:
        kinds = []
        if self.can_rate_as_coach:
            kinds.append(RatingKind.COACH)
        if self.can_self_rate:
            kinds.append(RatingKind.SELF)
        return kinds


def team_access(*, user: User, team: Team) -> TeamAccess:
    """The caller's powers over `team` (all False for anyone outside it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return TeamAccess()
    is_coach = team.program_id in coach_program_ids(user=user) and (
        CoachAssignment.objects.filter(team=team, coach=user).exists()
    )
    return TeamAccess(
        role=team_role_of(user=user, team=team),
        is_staff=team.program_id in staff_program_ids(user=user),
        is_assigned_coach=is_coach,
    )


def team_current_phase(
    *, team: Team, today: date | None = None
) -> tuple[Phase | None, Phase | None]:
    """(current phase, next phase) of the team's collaborative, in one query.

    Phases never overlap, so the first phase that has not ended is either running
    today (current) or the next one to start (the team is between phases).
    """
    today = today or clock.today()
    upcoming = (
        Phase.objects.filter(
            program_id=team.program_id,
            collaborative_id=team.collaborative_id,
            end_date__gte=today,
        )
        .order_by("start_date")
        .first()
    )
    if upcoming is None:
        return None, None
    if upcoming.start_date <= today:
        return upcoming, None
    return None, upcoming


def facilities_visible_to(*, user: User) -> QuerySet[Facility]:
    """Facilities of the programs the user works in (staff and coaches), plus their teams'."""
    if not getattr(user, "is_authenticated", False):
        return Facility.objects.none()
    program_ids = staff_program_ids(user=user) | coach_program_ids(user=user)
    return Facility.objects.filter(
        Q(program_id__in=program_ids) | Q(teams__in=teams_visible_to(user=user))
    ).distinct()


# --- invitations -------------------------------------------------------------------


class InvitationState:
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ACCEPTED = "accepted"


def token_hash(token: str) -> str:
    """The stored form of an invitation token: only the e-mailed link holds the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_state(invitation: Invitation, *, now=None) -> str:
    """Open, expired, revoked or accepted: used or revoked beats expired."""
    now = now or clock.now()
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.OPEN


def invitation_by_secret_token(*, token: str) -> Invitation | None:
    """The invitation a link points to, in whichever program, or None.

    Deliberately not scoped by user: the invitee may have no account yet, and the
    random token (only its hash is stored) is what authorises reading it. Callers
    show the invitee only the team, collaborative and role.
    """
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("team", "team__collaborative", "team__facility", "program", "invited_by")
        .first()
    )


def team_invitations(*, team: Team) -> QuerySet[Invitation]:
    """Every invitation of a team the caller already may see (for lookups by id)."""
    return Invitation.objects.filter(team=team, program_id=team.program_id).select_related(
        "team", "team__collaborative", "program"
    )


def team_open_invitations(*, team: Team) -> list[Invitation]:
    """Invitations not yet accepted or revoked (expired ones included, to resend)."""
    now = clock.now()
    invitations = list(
        Invitation.objects.filter(
            team=team,
            program_id=team.program_id,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("invited_by")
        .order_by("email")
    )
    for invitation in invitations:
        invitation.state = invitation_state(invitation, now=now)
    return invitations


# --- progress ratings ------------------------------------------------------------


def score_definition(score: Decimal | None) -> str:
    """The IHI scale's words for a score ("" for none)."""
    if score is None:
        return ""
    return IHI_SCALE.get(Decimal(score).quantize(Decimal("0.1")), "")


def progress_ratings_for(*, team: Team) -> QuerySet[ProgressRating]:
    """Every rating of a team the caller may see, newest month first.

    `is_current` marks the newest row of its month and kind: re-rating a month adds
    a row, and the earlier ones stay as history.
    """
    newer = ProgressRating.objects.filter(
        team_id=OuterRef("team_id"),
        kind=OuterRef("kind"),
        month=OuterRef("month"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return (
        ProgressRating.objects.filter(team=team, program_id=team.program_id)
        .select_related("rated_by", "team")
        .annotate(is_current=~Exists(newer))
        .order_by("-month", "-created_at", "-pk")
    )


def gap_label(gap: Decimal | None) -> str:
    """The gap between coach and team, in words ("" when only one of them rated)."""
    if gap is None:
        return ""
    if gap >= GAP_THRESHOLD:
        return f"Gap of {gap}: talk it through"
    if gap:
        return f"Difference of {gap}"
    return "Same score"


class _GapWords:
    """Words and a colour class for a `gap` attribute, for templates."""

    gap: Decimal | None

    @property
    def needs_talk(self) -> bool:
        return self.gap is not None and self.gap >= GAP_THRESHOLD

    @property
    def gap_label(self) -> str:
        return gap_label(self.gap)

    @property
    def gap_status(self) -> str:
        return "gap" if self.needs_talk else "close"


@dataclass
class MonthRatings(_GapWords):
    """One month of a team's progress: the current coach and self rating side by side."""

    month: date
    coach: ProgressRating | None = None
    self_rating: ProgressRating | None = None
    replaced: list[ProgressRating] = field(default_factory=list)

    @property
    def gap(self) -> Decimal | None:
        if self.coach is None or self.self_rating is None:
            return None
        return abs(self.coach.score - self.self_rating.score)


def progress_history(*, team: Team) -> list[MonthRatings]:
    """A team's ratings grouped by month (newest first), in one query.

    Rows come newest first, so the first coach row and the first self row of each
    month are the current ones; later rows of the month are the replaced history.
    """
    months: dict[date, MonthRatings] = {}
    for rating in progress_ratings_for(team=team):
        rating.definition = score_definition(rating.score)
        entry = months.setdefault(rating.month, MonthRatings(month=rating.month))
        if rating.kind == RatingKind.COACH and entry.coach is None:
            entry.coach = rating
        elif rating.kind == RatingKind.SELF and entry.self_rating is None:
            entry.self_rating = rating
        else:
            entry.replaced.append(rating)
    return list(months.values())


@dataclass
class LatestScore:
    month: date
    score: Decimal

    @property
    def definition(self) -> str:
        return score_definition(self.score)


@dataclass
class TeamScores(_GapWords):
    """The latest coach and self scores of one team, and the newest month's gap."""

    team: Team
    coach: LatestScore | None = None
    self_rating: LatestScore | None = None
    gap_month: date | None = None
    gap: Decimal | None = None
    coach_rated_this_month: bool = False

    @property
    def rating_due(self) -> bool:
        """A monthly coach rating is expected: an active team of a running collaborative.

        Closed collaboratives and communities of practice require no new data.
        """
        return (
            not self.coach_rated_this_month
            and self.team.status == TeamStatus.ACTIVE
            and self.team.collaborative.status == CollaborativeStatus.ACTIVE
        )


def team_scores(*, teams: Iterable[Team], this_month: date | None = None) -> dict[int, TeamScores]:
    """Latest coach and self scores for many teams, in one query whatever their number.

    A window function keeps only the current row of each (team, kind, month); the
    gap is taken from the newest month in which both the coach and the team rated,
    because scores of different months are not comparable.
    """
    this_month = this_month or current_month()
    teams = list(teams)
    result = {team.pk: TeamScores(team=team) for team in teams}
    if not teams:
        return result
    rows = (
        ProgressRating.objects.filter(
            program_id__in={team.program_id for team in teams}, team_id__in=list(result)
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("team_id"), F("kind"), F("month")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("team_id", "kind", "month", "score")
        .order_by("team_id", "-month")
    )
    pending: dict[int, dict[date, dict[str, Decimal]]] = {}
    for team_id, kind, month, score in rows:
        scores = result[team_id]
        latest = LatestScore(month=month, score=score)
        if kind == RatingKind.COACH:
            scores.coach = scores.coach or latest
            if month == this_month:
                scores.coach_rated_this_month = True
        else:
            scores.self_rating = scores.self_rating or latest
        by_month = pending.setdefault(team_id, {}).setdefault(month, {})
        by_month[kind] = score
        if scores.gap_month is None and len(by_month) == 2:
            scores.gap_month = month
            scores.gap = abs(by_month[RatingKind.COACH] - by_month[RatingKind.SELF])
    return result


def _need_rank(scores: TeamScores) -> tuple:
    """Rating due this month first, then the largest gap, then the lowest score; teams
    that need no rating (ended collaboratives, applications) last."""
    needs_nothing = not scores.rating_due and not scores.coach_rated_this_month
    return (
        needs_nothing,
        not scores.rating_due,
        -(scores.gap or Decimal(0)),
        scores.coach.score if scores.coach else Decimal(0),
        scores.team.name.lower(),
    )


def coach_dashboard(*, user: User) -> list[TeamScores]:
    """A coach's assigned teams across collaboratives, ranked by need, in two queries."""
    teams = list(teams_coached_by(user=user))
    scores = team_scores(teams=teams)
    return sorted((scores[team.pk] for team in teams), key=_need_rank)


# --- recent activity ------------------------------------------------------------------


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


def invitations_to_follow_up(*, team: Team, older_than: timedelta) -> list[Invitation]:
    """Open invitations sent more than `older_than` ago, or already expired."""
    now = clock.now()
    invitations = [
        invitation
        for invitation in team_open_invitations(team=team)
        if invitation.state == InvitationState.EXPIRED
        or (invitation.last_sent_at or invitation.created_at) <= now - older_than
    ]
    return invitations
