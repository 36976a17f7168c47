"""Scoped reads of aims, driver diagrams, change ideas, cycles, comments and ramps.

Visibility follows the team (teams.selectors.teams_visible_to): the team's
members, its assigned coaches and the program's staff see its records; views
find the team first and answer 404 when it is not visible, then read the team's
rows through the functions below, which always filter by the team's program and
team too. `teams.selectors.team_access` says who may change what (403 for the rest).

Shared ramps are the one window onto another team: other teams of the same
collaborative (same program) see a ramp its team chose to share.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids
from collaboratives.models import Collaborative
from core import clock
from measures.public import team_reported_measures
from teams.models import Team

from .models import (
    Aim,
    AimRevision,
    Attachment,
    ChangeIdea,
    ChangePackageItem,
    Comment,
    CommentReceipt,
    Cycle,
    CycleRevision,
    Driver,
    DriverKind,
    Stage,
)

#: A cycle the team has not touched for this long shows as stalled to its coach.
STALLED_AFTER = timedelta(days=30)

# --- aim and driver diagram ---------------------------------------------------------------


def aim_of(*, team: Team, with_author: bool = True) -> Aim | None:
    """The team's aim; `with_author` reads who last revised it in the same query (for
    the pages that show it; the team home does not)."""
    aims = Aim.objects.filter(program_id=team.program_id, team=team)
    if with_author:
        aims = aims.select_related("updated_by")
    return aims.first()


def aim_revisions(*, team: Team) -> QuerySet[AimRevision]:
    return AimRevision.objects.filter(program_id=team.program_id, team=team).select_related(
        "revised_by"
    )


def drivers_of(*, team: Team, include_retired: bool = True) -> QuerySet[Driver]:
    qs = Driver.objects.filter(program_id=team.program_id, team=team)
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.select_related("parent").order_by("kind", "position", "id")


def change_ideas_of(*, team: Team, include_retired: bool = True) -> QuerySet[ChangeIdea]:
    qs = ChangeIdea.objects.filter(program_id=team.program_id, team=team)
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.select_related("driver", "source_item").order_by("position", "id")


@dataclass
class DriverNode:
    """A driver with what hangs under it, for the diagram and its editing page."""

    driver: Driver
    secondaries: list["DriverNode"] = field(default_factory=list)
    ideas: list[ChangeIdea] = field(default_factory=list)


@dataclass
class DriverTree:
    aim: Aim | None
    primaries: list[DriverNode]
    unplaced_ideas: list[ChangeIdea]

    @property
    def is_empty(self) -> bool:
        return not self.primaries and not self.unplaced_ideas


def driver_tree(*, team: Team, include_retired: bool = False) -> DriverTree:
    """Aim -> primary drivers -> secondary drivers -> change ideas, in three queries.

    A change idea may hang off a primary driver directly; ideas whose driver was
    retired (or that have none) are listed apart so that nothing disappears.
    """
    drivers = list(drivers_of(team=team, include_retired=include_retired))
    nodes = {d.pk: DriverNode(driver=d) for d in drivers}
    primaries = []
    for driver in drivers:
        if driver.kind == DriverKind.PRIMARY:
            primaries.append(nodes[driver.pk])
        elif driver.parent_id in nodes:
            nodes[driver.parent_id].secondaries.append(nodes[driver.pk])
    unplaced = []
    for idea in change_ideas_of(team=team, include_retired=include_retired):
        node = nodes.get(idea.driver_id)
        if node is None:
            unplaced.append(idea)
        else:
            node.ideas.append(idea)
    return DriverTree(aim=aim_of(team=team), primaries=primaries, unplaced_ideas=unplaced)


def change_package_of(
    *, collaborative: Collaborative, include_retired: bool = False
) -> QuerySet[ChangePackageItem]:
    qs = ChangePackageItem.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    )
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.order_by("position", "title")


# --- cycles ------------------------------------------------------------------------------


def cycles_of_team(*, team: Team, include_deleted: bool = False) -> QuerySet[Cycle]:
    qs = Cycle.objects.filter(program_id=team.program_id, team=team)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return qs.select_related("change_idea", "created_by", "updated_by", "builds_on")


def deleted_cycles_of_team(*, team: Team) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(program_id=team.program_id, team=team, deleted_at__isnull=False)
        .select_related("change_idea", "deleted_by")
        .order_by("-deleted_at")
    )


@dataclass(frozen=True)
class CycleFilters:
    stage: str = ""
    change_idea: str = ""
    member: str = ""
    date_from: date | None = None
    date_to: date | None = None


def cycle_list(*, team: Team, user: User, filters: CycleFilters | None = None) -> QuerySet[Cycle]:
    """The team's cycles, newest update first, filtered, with the caller's unread
    comment count on each row (one query)."""
    filters = filters or CycleFilters()
    qs = cycles_of_team(team=team)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.change_idea:
        qs = qs.filter(change_idea__public_id=filters.change_idea)
    if filters.member:
        qs = qs.filter(Q(created_by__public_id=filters.member))
    if filters.date_from:
        qs = qs.filter(updated_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(updated_at__date__lte=filters.date_to)
    return qs.annotate(
        unread=Count(
            "comments__receipts",
            filter=Q(comments__receipts__user=user, comments__receipts__read_at__isnull=True),
            distinct=True,
        )
    ).order_by("-updated_at", "-id")


def cycle_get(*, team: Team, public_id, include_deleted: bool = False) -> Cycle:
    """One cycle of a team the caller may see, or Cycle.DoesNotExist."""
    return cycles_of_team(team=team, include_deleted=include_deleted).get(public_id=public_id)


def linkable_measures(*, team: Team, cycle: Cycle | None = None) -> QuerySet:
    """The measures a cycle of the team may link as the data showing its result: those
    the team reports (required, the optional ones it chose, its own), plus any the
    cycle already links (so an old link survives the team dropping an optional measure)."""
    linked_ids: list[int] = []
    if cycle is not None and cycle.pk:
        linked_ids = list(linked_measures_of(cycle=cycle).values_list("pk", flat=True))
    return team_reported_measures(team=team, also_ids=linked_ids)


def linked_measures_of(*, cycle: Cycle) -> QuerySet:
    """The measures the cycle links, by name."""
    return cycle.linked_measures.filter(cycle_links__program_id=cycle.program_id).order_by("name")


def cycle_revisions(*, cycle: Cycle) -> QuerySet[CycleRevision]:
    return CycleRevision.objects.filter(
        program_id=cycle.program_id, team_id=cycle.team_id, cycle=cycle
    ).select_related("revised_by")


def cycle_comments(*, cycle: Cycle, user: User | None = None) -> QuerySet[Comment]:
    """Comments of a cycle, oldest first; `is_unread` for `user` when given."""
    qs = Comment.objects.filter(
        program_id=cycle.program_id, team_id=cycle.team_id, cycle=cycle
    ).select_related("author")
    if user is not None:
        qs = qs.annotate(
            is_unread=Exists(
                CommentReceipt.objects.filter(
                    comment=OuterRef("pk"), user=user, read_at__isnull=True
                )
            )
        )
    return qs.order_by("created_at", "id")


def cycle_attachments(*, cycle: Cycle) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        program_id=cycle.program_id, team_id=cycle.team_id, cycle=cycle, deleted_at__isnull=True
    ).select_related("uploaded_by")


def removed_attachments(*, cycle: Cycle) -> QuerySet[Attachment]:
    """Files taken off the cycle, newest removal first (program staff can put them back)."""
    return (
        Attachment.objects.filter(
            program_id=cycle.program_id,
            team_id=cycle.team_id,
            cycle=cycle,
            deleted_at__isnull=False,
        )
        .select_related("uploaded_by")
        .order_by("-deleted_at")
    )


def unread_receipts(*, user: User, team: Team) -> QuerySet[CommentReceipt]:
    """The caller's unread comments on the team's live cycles."""
    return CommentReceipt.objects.filter(
        program_id=team.program_id,
        team=team,
        user=user,
        read_at__isnull=True,
        cycle__deleted_at__isnull=True,
    ).select_related("comment", "comment__author", "cycle")


# --- ramps -------------------------------------------------------------------------------


@dataclass
class Ramp:
    """A change idea's cycles in the order they build on each other."""

    change_idea: ChangeIdea
    cycles: list[Cycle]

    @property
    def is_complete(self) -> bool:
        """Every cycle finished: a team may share a ramp only then."""
        return bool(self.cycles) and all(c.is_complete for c in self.cycles)

    @property
    def latest_decision(self) -> str:
        decided = [c for c in self.cycles if c.decision]
        return decided[-1].get_decision_display() if decided else ""

    @property
    def scales(self) -> list[str]:
        """The sizes the ramp went through, in order, without repeats."""
        out: list[str] = []
        for cycle in self.cycles:
            label = cycle.get_scale_display() if cycle.scale else ""
            if label and (not out or out[-1] != label):
                out.append(label)
        return out


def order_ramp(cycles: Iterable[Cycle]) -> list[Cycle]:
    """Cycles in chain order: each root by creation, followed by what builds on it.

    Sets `ramp_position` (1-based) on each cycle for the timeline.
    """
    cycles = sorted(cycles, key=lambda c: (c.created_at, c.pk))
    ids = {c.pk for c in cycles}
    children: dict[int | None, list[Cycle]] = {}
    for cycle in cycles:
        parent = cycle.builds_on_id if cycle.builds_on_id in ids else None
        children.setdefault(parent, []).append(cycle)
    ordered: list[Cycle] = []
    seen: set[int] = set()

    def visit(cycle: Cycle) -> None:
        if cycle.pk in seen:
            return
        seen.add(cycle.pk)
        ordered.append(cycle)
        for child in children.get(cycle.pk, []):
            visit(child)

    for root in children.get(None, []):
        visit(root)
    for cycle in cycles:  # a loop without a root would otherwise vanish
        visit(cycle)
    for position, cycle in enumerate(ordered, start=1):
        cycle.ramp_position = position
    return ordered


def ramps_of(*, team: Team, include_retired: bool = False) -> list[Ramp]:
    """Every change idea of the team with its ramp, in two queries."""
    ideas = list(change_ideas_of(team=team, include_retired=include_retired))
    by_idea: dict[int, list[Cycle]] = {}
    for cycle in cycles_of_team(team=team):
        by_idea.setdefault(cycle.change_idea_id, []).append(cycle)
    return [Ramp(idea, order_ramp(by_idea.get(idea.pk, []))) for idea in ideas]


def ramp_of(*, change_idea: ChangeIdea) -> Ramp:
    cycles = Cycle.objects.filter(
        program_id=change_idea.program_id,
        team_id=change_idea.team_id,
        change_idea=change_idea,
        deleted_at__isnull=True,
    ).select_related("created_by", "builds_on")
    return Ramp(change_idea, order_ramp(cycles))


def change_idea_get(*, team: Team, public_id) -> ChangeIdea:
    return change_ideas_of(team=team).get(public_id=public_id)


def shared_ramps_for(*, team: Team) -> QuerySet[ChangeIdea]:
    """Ramps other teams of `team`'s collaborative shared (never another program's)."""
    return (
        ChangeIdea.objects.filter(
            program_id=team.program_id,
            team__collaborative_id=team.collaborative_id,
            shared_at__isnull=False,
        )
        .exclude(team=team)
        .select_related("team", "driver")
        .annotate(n_cycles=Count("cycles", filter=Q(cycles__deleted_at__isnull=True)))
        .order_by("-shared_at")
    )


# --- coach lists -------------------------------------------------------------------------


def review_teams(*, user: User) -> QuerySet[Team]:
    """Teams a person reviews: those they coach, and every team of programs they run."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Team.objects.none()
    condition = Q(pk__in=[])
    coach_ids = coach_program_ids(user=user)
    if coach_ids:
        condition |= Q(coach_assignments__coach=user, program_id__in=coach_ids)
    staff_ids = staff_program_ids(user=user)
    if staff_ids:
        condition |= Q(program_id__in=staff_ids)
    return Team.objects.filter(pk__in=Team.objects.filter(condition).values("pk"))


def _review_cycles(user: User) -> QuerySet[Cycle]:
    return Cycle.objects.filter(
        team__in=review_teams(user=user).values("pk"), deleted_at__isnull=True
    ).select_related("team", "team__collaborative", "change_idea", "created_by")


def stalled_cycles(*, user: User, now: datetime | None = None) -> QuerySet[Cycle]:
    """Unfinished cycles of the reviewed teams with no update by the team in 30 days."""
    now = now or clock.now()
    return (
        _review_cycles(user)
        .exclude(stage=Stage.COMPLETE)
        .filter(updated_at__lt=now - STALLED_AFTER)
        .order_by("updated_at")
    )


def cycles_waiting_for_feedback(*, user: User) -> QuerySet[Cycle]:
    """Cycles a team moved on since the last coach comment, oldest wait first."""
    return (
        _review_cycles(user)
        .filter(awaiting_feedback_since__isnull=False)
        .order_by("awaiting_feedback_since")
    )


def team_members_for_filter(*, team: Team) -> QuerySet[User]:
    """People who belong (or belonged) to the team or logged one of its cycles."""
    authors = Cycle.objects.filter(program_id=team.program_id, team=team).values("created_by_id")
    return (
        User.objects.filter(
            Q(team_memberships__team=team, team_memberships__program_id=team.program_id)
            | Q(pk__in=authors)
        )
        .distinct()
        .order_by("full_name", "email")
    )
