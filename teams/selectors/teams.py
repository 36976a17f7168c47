"""Teams a person may see, and what they may do with each.

Who sees a team's records (PRODUCT.md, privacy model): its members, its
assigned coaches, and the program's staff. Everyone else gets nothing, and
views turn "nothing" into a 404. Within that circle, `team_access` says who may
change what (403 for the rest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_or_coach_program_ids, staff_program_ids
from collaboratives.models import Collaborative, Phase
from core import clock

from ..models import (
    CoachAssignment,
    Facility,
    RatingKind,
    Team,
    TeamMembership,
    TeamRole,
)


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


def team_or_404(*, user: User, team_id) -> Team:
    """The team named in a URL if `user` may read its records; else Http404.

    The one way every page and API view finds its team: a team the user may not
    see answers exactly like one that does not exist.
    """
    try:
        return teams_visible_to(user=user).select_related("program").get(public_id=team_id)
    except (Team.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such team.") from None


def team_and_access_or_404(*, user: User, team_id) -> tuple[Team, TeamAccess]:
    """`team_or_404` and the caller's powers over that team (for 403s and templates), in
    one query: the caller's role in the team and whether they coach it are read with
    the team (what `team_access` asks in two more), since nearly every team page and
    team API call starts here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        team = team_or_404(user=user, team_id=team_id)  # a 404: no one may see a team
        return team, TeamAccess()
    own = Q(team=OuterRef("pk"), is_active=True, user=user)
    role = TeamMembership.objects.filter(own).order_by().values("role")[:1]
    read = {"_viewer_role": Subquery(role)}
    coaching = coach_program_ids(user=user)
    if coaching:  # only a coach somewhere may coach this team: no subquery for the rest
        assigned = CoachAssignment.objects.filter(team=OuterRef("pk"), coach=user)
        read["_viewer_coaches"] = Exists(assigned)
    try:
        team = teams_visible_to(user=user).select_related("program").annotate(**read)
        team = team.get(public_id=team_id)
    except (Team.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such team.") from None
    access = TeamAccess(
        user_id=user.pk,
        role=team._viewer_role,
        is_staff=team.program_id in staff_program_ids(user=user),
        is_assigned_coach=team.program_id in coaching and team._viewer_coaches,
    )
    return team, access


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
    # One membership per team and person (teams_membership_unique): no ordering, so the
    # model's default one (by team name and member name) does not join two tables.
    roles = TeamMembership.objects.filter(team=team, user=user, is_active=True).values_list(
        "role", flat=True
    )
    return next(iter(roles.order_by()[:1]), None)


def is_team_lead(*, user: User, team: Team) -> bool:
    return team_role_of(user=user, team=team) == TeamRole.LEAD


#: Roles that do the team's work (log cycles, enter data); the sponsor only reads.
WORKING_ROLES = (TeamRole.LEAD, TeamRole.MEMBER, TeamRole.DATA_CONTACT)


@dataclass(frozen=True)
class TeamAccess:
    """What one person may do with one team they can see: the one place every app's
    pages, templates and API ask, so that a rule is written once.

    Computed once per request (two small queries and the cached program roles). The
    team writes its own work; its coaches and program staff review it; staff also
    correct and restore (PRODUCT.md). Feature sections below name each feature's rules
    in those terms.
    """

    role: str | None = None
    is_staff: bool = False
    is_assigned_coach: bool = False
    user_id: int | None = None

    @property
    def is_lead(self) -> bool:
        return self.role == TeamRole.LEAD

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def does_team_work(self) -> bool:
        """Lead, member or data contact: the people who do the team's work."""
        return self.role in WORKING_ROLES

    @property
    def is_reviewer(self) -> bool:
        """The team's assigned coaches and program staff review its work."""
        return self.is_staff or self.is_assigned_coach

    @property
    def speaks_as_team(self) -> bool:
        """Pages address the viewer as the team ("Our measures", "Next period to enter")
        only when they belong to it; coaches and program staff read the team's name."""
        return self.is_member

    @property
    def can_restore(self) -> bool:
        """Put back what was deleted (cycles, files, values): program staff."""
        return self.is_staff

    # --- members and ratings (teams) ---

    @property
    def can_manage_members(self) -> bool:
        """Invite, revoke, resend, change roles, remove: the team's leads and program staff."""
        return self.is_lead or self.is_staff

    @property
    def can_rate_as_coach(self) -> bool:
        """Coach ratings: coaches assigned to the team, and program staff."""
        return self.is_reviewer

    @property
    def can_self_rate(self) -> bool:
        """The team's self-rating is the lead's to give."""
        return self.is_lead

    @property
    def can_see_emails(self) -> bool:
        """E-mail addresses are for teammates, the team's coaches and staff only."""
        return self.is_member or self.is_reviewer

    @property
    def rating_kinds(self) -> list[str]:
        kinds = []
        if self.can_rate_as_coach:
            kinds.append(RatingKind.COACH)
        if self.can_self_rate:
            kinds.append(RatingKind.SELF)
        return kinds

    # --- improvement work (pdsa) ---

    @property
    def can_edit_cycles(self) -> bool:
        """Log and fill in PDSA cycles, propose change ideas: the working members."""
        return self.does_team_work

    @property
    def can_edit_change_ideas(self) -> bool:
        return self.does_team_work

    @property
    def can_edit_diagram(self) -> bool:
        """Aim and driver diagram: the team's lead."""
        return self.is_lead

    @property
    def can_share(self) -> bool:
        """Share a ramp's story with the collaborative: the team's lead."""
        return self.is_lead

    @property
    def can_comment(self) -> bool:
        return self.is_reviewer or self.does_team_work

    def can_delete_cycle(self, cycle) -> bool:
        """A cycle's author or the team's lead."""
        return self.does_team_work and (self.is_lead or cycle.created_by_id == self.user_id)

    # --- measures ---

    @property
    def can_enter_data(self) -> bool:
        return self.does_team_work or self.is_staff

    @property
    def can_edit_handed_in(self) -> bool:
        """Change a submitted or reviewed period: staff only (the team asks for a return)."""
        return self.is_staff

    @property
    def can_review(self) -> bool:
        """Review or return submitted data: the team's coaches and staff."""
        return self.is_reviewer

    @property
    def can_edit_chart(self) -> bool:
        """Baseline, phases and chart settings: the team or its coach."""
        return self.can_enter_data or self.is_assigned_coach

    @property
    def can_choose_measures(self) -> bool:
        return self.is_lead or self.is_staff


def team_access(*, user: User, team: Team) -> TeamAccess:
    """The caller's powers over `team` (all False for anyone outside it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return TeamAccess()
    is_coach = team.program_id in coach_program_ids(user=user) and (
        CoachAssignment.objects.filter(team=team, coach=user).exists()
    )
    return TeamAccess(
        user_id=user.pk,
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
    program_ids = staff_or_coach_program_ids(user=user)
    return Facility.objects.filter(
        Q(program_id__in=program_ids) | Q(teams__in=teams_visible_to(user=user))
    ).distinct()


def teams_of_collaborative(*, collaborative: Collaborative, statuses: tuple[str, ...] = ()):
    """Teams of a collaborative with everything a roster shows, in a fixed number of queries.

    For staff pages only (the caller checked the role): members' and coaches'
    names and e-mail addresses are included.
    """
    teams = Team.objects.filter(collaborative=collaborative).select_related(
        "facility", "applied_by"
    )
    if statuses:
        teams = teams.filter(status__in=statuses)
    return teams.order_by("facility__state", "name").prefetch_related(
        Prefetch(
            "memberships",
            queryset=TeamMembership.objects.filter(is_active=True)
            .select_related("user")
            .order_by("role", "user__full_name"),
            to_attr="active_memberships",
        ),
        Prefetch(
            "coach_assignments",
            queryset=CoachAssignment.objects.select_related("coach").order_by("coach__full_name"),
            to_attr="assignments",
        ),
    )
