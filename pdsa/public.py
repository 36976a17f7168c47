"""What other feature apps may use of pdsa. import-linter lets them import only this
module (pyproject.toml; docs/decisions/0007-layers.md).

certificates is a user: whole-collaborative credit (MOC Part 4) asks for PDSA
cycles the person contributed to. The coach dashboard reads each team's PDSA
activity, the viewer's unread comments, and comments on a team's latest cycle.

dashboards counts cycles started and completed per
month across a collaborative (the staff progress dashboard).

resources (share and sustain) reads which teams tested, adopted, adapted or abandoned
each change-package item (the heat map), the ramps other teams shared on an item
("who else tested this?"), and a team's aim, driver diagram and ramps (storyboards).
resources links library resources to change-package items and to a team's change
ideas: it finds the item or idea a link names, offers the program's items to staff,
and lists the linked items and ideas a person may see, each with its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DateField,
    IntegerField,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, JSONObject, TruncMonth
from django.urls import reverse

from accounts.models import User
from accounts.selectors import staff_program_ids
from collaboratives.models import Collaborative
from collaboratives.selectors import collaboratives_visible_to
from core import clock
from core.http import parse_uuid
from teams.models import Team
from teams.selectors import teams_visible_to

from .diagram import driver_tree_svg
from .models import ChangeIdea, ChangePackageItem, CommentReceipt, Cycle, Decision, Stage
from .selectors import (
    STALLED_AFTER,
    Ramp,
    aim_of,
    change_package_of,
    driver_tree,
    order_ramp,
    ramps_of,
    shared_ramps_for,
)
from .services import COMMENT_MAX_LENGTH, comment_create
from .stages import RAW_NOTE_FIELDS

__all__ = [
    "COMMENT_MAX_LENGTH",
    "RAW_NOTE_FIELDS",
    "CycleActivity",
    "Decision",
    "PackageRamp",
    "Ramp",
    "SharedRampOnItem",
    "aim_of",
    "change_idea_of",
    "change_ideas_linked_for",
    "comment_create",
    "cycle_activity",
    "cycle_activity_columns",
    "cycle_activity_from",
    "cycles_contributed",
    "latest_cycle_of",
    "monthly_cycle_activity_from",
    "monthly_cycle_activity_rows",
    "package_item_of",
    "package_items_linked_for",
    "package_items_of",
    "package_items_of_program",
    "package_ramps",
    "shared_ramp_in_collaborative",
    "shared_ramps_of_collaborative",
    "shared_ramps_on_item",
    "team_driver_diagram_svg",
    "team_ramps",
]


def cycles_contributed(*, user: User, collaborative_ids: Iterable[int]) -> dict[int, int]:
    """{collaborative id: number of cycles} the person created or edited (a saved
    revision by them) in the teams of these collaboratives, deleted cycles excluded;
    one query. Collaboratives without any are absent."""
    rows = (
        Cycle.objects.filter(
            team__collaborative_id__in=list(collaborative_ids), deleted_at__isnull=True
        )
        .filter(Q(created_by=user) | Q(updated_by=user) | Q(revisions__revised_by=user))
        .values("team__collaborative_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {row["team__collaborative_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class CycleActivity:
    """A team's PDSA activity: cycles started and completed in the last 30 and 90
    days, unfinished cycles the team has not touched for 30 days (stalled), cycles
    waiting for a coach's feedback, and when the newest cycle was started."""

    started_30: int = 0
    completed_30: int = 0
    started_90: int = 0
    completed_90: int = 0
    stalled: int = 0
    waiting_feedback: int = 0
    total: int = 0
    last_started: datetime | None = None
    #: Comments on the team's live cycles the viewer has not read (when asked for).
    unread_comments: int = 0


def _activity_aggregates(now: datetime) -> dict:
    """The aggregates of CycleActivity over a team's live cycles (its counted fields)."""
    today = clock.today()
    d30, d90 = now - timedelta(days=30), now - timedelta(days=90)
    c30, c90 = today - timedelta(days=30), today - timedelta(days=90)
    return {
        "started_30": Count("id", filter=Q(created_at__gte=d30)),
        "started_90": Count("id", filter=Q(created_at__gte=d90)),
        "completed_30": Count("id", filter=Q(stage=Stage.COMPLETE, completed_date__gte=c30)),
        "completed_90": Count("id", filter=Q(stage=Stage.COMPLETE, completed_date__gte=c90)),
        "stalled": Count(
            "id", filter=~Q(stage=Stage.COMPLETE) & Q(updated_at__lt=now - STALLED_AFTER)
        ),
        "waiting_feedback": Count("id", filter=Q(awaiting_feedback_since__isnull=False)),
        "total": Count("id"),
        "last_started": Max("created_at"),
    }


def _unread_comments(team_ref: OuterRef, user: User) -> Coalesce:
    """The number of comments on the team's live cycles `user` has not read."""
    unread = (
        CommentReceipt.objects.filter(
            team_id=team_ref, user=user, read_at__isnull=True, cycle__deleted_at__isnull=True
        )
        .order_by()
        .values("team_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def cycle_activity(
    *, team_ids: Iterable[int], now: datetime | None = None, unread_for: User | None = None
) -> dict[int, CycleActivity]:
    """{team id: CycleActivity} of live (not deleted) cycles, in one query whatever
    the number of teams. "Stalled" is the coach's review list's rule (STALLED_AFTER).
    With `unread_for`, each team's count of comments that person has not read rides
    in the same query (a correlated count: comments live only on a team's cycles, so a
    team with unread comments has a row here)."""
    rows = (
        Cycle.objects.filter(team_id__in=list(team_ids), deleted_at__isnull=True)
        .values("team_id")
        .annotate(**_activity_aggregates(now or clock.now()))
        .order_by()
    )
    if unread_for is not None:
        rows = rows.annotate(unread_comments=_unread_comments(OuterRef("team_id"), unread_for))
    return {row.pop("team_id"): CycleActivity(**row) for row in rows}


def cycle_activity_columns(
    *, now: datetime | None = None, unread_for: User | None = None
) -> dict[str, Subquery | Coalesce]:
    """`cycle_activity` as annotations of a query over teams (the team is OuterRef("pk")),
    so that a dashboard reads it in the same query as the teams' other figures: a JSON
    object of the counts ("pdsa_activity") and the unread count ("pdsa_unread", with
    `unread_for`). `cycle_activity_from` turns a row's values into a CycleActivity."""
    activity = (
        Cycle.objects.filter(team_id=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("team_id")
        .annotate(activity=JSONObject(**_activity_aggregates(now or clock.now())))
        .values("activity")
    )
    columns: dict[str, Subquery | Coalesce] = {
        "pdsa_activity": Subquery(activity, output_field=JSONField())
    }
    if unread_for is not None:
        columns["pdsa_unread"] = _unread_comments(OuterRef("pk"), unread_for)
    return columns


def cycle_activity_from(row: dict) -> CycleActivity:
    """The CycleActivity of a team from a row annotated with `cycle_activity_columns`
    (a team without live cycles: the empty one, as `cycle_activity` leaves it out)."""
    activity = row.get("pdsa_activity")
    if activity is None:
        return CycleActivity()
    started = activity.pop("last_started")
    return CycleActivity(
        **activity,
        last_started=datetime.fromisoformat(started) if started else None,
        unread_comments=row.get("pdsa_unread", 0),
    )


def latest_cycle_of(*, team: Team) -> Cycle | None:
    """The team's most recently started live cycle (None when it has none): where a
    comment from the dashboard goes."""
    return (
        Cycle.objects.filter(program_id=team.program_id, team=team, deleted_at__isnull=True)
        .select_related("team")
        .order_by("-created_at", "-pk")
        .first()
    )


def monthly_cycle_activity_rows(
    *, program_id: int, team_ids: Sequence[int], first_month: date, last_month: date, tz: tzinfo
) -> tuple[QuerySet, QuerySet]:
    """(cycles started per month, cycles completed per month) of these teams' PDSA
    cycles, deleted cycles excluded, months first_month..last_month, each a query of one
    JSON column ("row") that a dashboard reads as a column of one statement with its
    other figures (the progress API's budget of queries, issue 16); counted in SQL
    whatever the number of teams. A cycle starts when it is logged (its creation, in the
    zone `tz`) and completes on its completed date."""
    cycles = Cycle.objects.filter(
        program_id=program_id, team_id__in=list(team_ids), deleted_at__isnull=True
    ).order_by()
    after_last = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    started = (
        cycles.filter(
            created_at__gte=datetime.combine(first_month, time.min, tzinfo=tz),
            created_at__lt=datetime.combine(after_last, time.min, tzinfo=tz),
        )
        .annotate(
            month=Cast(TruncMonth("created_at", tzinfo=tz, output_field=DateField()), DateField())
        )
        .values("month")
        .annotate(row=JSONObject(month="month", n=Count("id")))
        .values("row")
    )
    completed = (
        cycles.filter(completed_date__gte=first_month, completed_date__lt=after_last)
        .annotate(month=Cast(TruncMonth("completed_date"), DateField()))
        .values("month")
        .annotate(row=JSONObject(month="month", n=Count("id")))
        .values("row")
    )
    return started, completed


def monthly_cycle_activity_from(
    started: Iterable[dict], completed: Iterable[dict]
) -> dict[date, tuple[int, int]]:
    """{month: (cycles started, cycles completed)} from the two row lists of
    `monthly_cycle_activity_rows` (months without any are absent)."""
    out: dict[date, list[int]] = {}
    for which, rows in enumerate((started, completed)):
        for row in rows:
            out.setdefault(date.fromisoformat(row["month"]), [0, 0])[which] = row["n"]
    return {month: (pair[0], pair[1]) for month, pair in out.items()}


# --- share and sustain (resources: heat map, "who else tested this?", storyboards) ----------


@dataclass(frozen=True)
class PackageRamp:
    """One team's ramp on one change-package item: a change idea seeded from the item,
    how many live cycles it has, its latest act decision ("adopt", "adapt", "abandon"
    or "" when no cycle has decided yet, in ramp order) and whether its team shared it."""

    item_id: int
    team_id: int
    idea_id: int
    idea_public_id: UUID
    idea_title: str
    cycles: int
    decision: str
    shared: bool


def _latest_decisions(idea_ids: Sequence[int]) -> tuple[dict[int, int], dict[int, str]]:
    """({idea id: live cycles}, {idea id: latest decision in ramp order}), one query."""
    by_idea: dict[int, list[Cycle]] = {}
    cycles = Cycle.objects.filter(change_idea_id__in=list(idea_ids), deleted_at__isnull=True).only(
        "pk", "change_idea_id", "builds_on_id", "created_at", "decision"
    )
    for cycle in cycles:
        by_idea.setdefault(cycle.change_idea_id, []).append(cycle)
    counts = {idea_id: len(rows) for idea_id, rows in by_idea.items()}
    decisions = {}
    for idea_id, rows in by_idea.items():
        decided = [c.decision for c in order_ramp(rows) if c.decision]
        decisions[idea_id] = decided[-1] if decided else ""
    return counts, decisions


def package_ramps(*, collaborative: Collaborative) -> list[PackageRamp]:
    """Every change idea that a team of the collaborative seeded from one of its
    change-package items (ChangeIdea.source_item), with its cycles and latest
    decision; two queries whatever the number of teams. Retired ideas count too (a
    team that abandoned a change often retires the idea). The caller decides who may
    see which part (a team's unshared ramp is its own)."""
    ideas = list(
        ChangeIdea.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative_id=collaborative.pk,
            source_item__collaborative_id=collaborative.pk,
        )
        .values("pk", "public_id", "title", "team_id", "source_item_id", "shared_at")
        .order_by("team_id", "position", "pk")
    )
    counts, decisions = _latest_decisions([row["pk"] for row in ideas])
    return [
        PackageRamp(
            item_id=row["source_item_id"],
            team_id=row["team_id"],
            idea_id=row["pk"],
            idea_public_id=row["public_id"],
            idea_title=row["title"],
            cycles=counts.get(row["pk"], 0),
            decision=decisions.get(row["pk"], ""),
            shared=row["shared_at"] is not None,
        )
        for row in ideas
    ]


def package_items_of(*, collaborative: Collaborative) -> QuerySet[ChangePackageItem]:
    """The collaborative's live change-package items, in the package's order."""
    return change_package_of(collaborative=collaborative)


@dataclass(frozen=True)
class SharedRampOnItem:
    """A ramp another team shared on the same change-package item."""

    idea: ChangeIdea
    cycles: int
    decision: str

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label if self.decision else ""


def shared_ramps_on_item(*, team: Team, idea: ChangeIdea) -> list[SharedRampOnItem]:
    """The ramps OTHER teams of `team`'s collaborative shared on the package item that
    `idea` (one of `team`'s) was seeded from, newest share first, with their latest
    decision; nothing of unshared ramps. Empty when the idea has no package item. Two
    queries."""
    if idea.source_item_id is None:
        return []
    shared = list(
        shared_ramps_for(team=team).filter(source_item_id=idea.source_item_id).exclude(pk=idea.pk)
    )
    counts, decisions = _latest_decisions([row.pk for row in shared])
    return [
        SharedRampOnItem(idea=row, cycles=counts.get(row.pk, 0), decision=decisions.get(row.pk, ""))
        for row in shared
    ]


def team_driver_diagram_svg(*, team: Team) -> str:
    """The team's key driver diagram as a standalone SVG (pdsa.diagram escapes every
    text), the drawing the diagram page shows: for the storyboard's page and PDF."""
    return driver_tree_svg(driver_tree(team=team), team_name=team.name)


def team_ramps(*, team: Team) -> list[Ramp]:
    """Every live change idea of the team with its ramp (cycles in ramp order), two
    queries: for the storyboard."""
    return ramps_of(team=team)


def package_items_of_program(*, program_id: int) -> list[ChangePackageItem]:
    """The change-package items (not retired) of every collaborative of the program, by
    collaborative, for staff choosing what a resource helps with."""
    return list(
        ChangePackageItem.objects.filter(program_id=program_id, retired_at__isnull=True)
        .select_related("collaborative")
        .order_by("-collaborative__start_date", "collaborative_id", "position", "title")
    )


def package_item_of(*, program_id: int, item_id: UUID | str) -> ChangePackageItem | None:
    """One change-package item (not retired) of the program by public id; None for
    another program's, a retired, an unknown or a malformed id."""
    public_id = parse_uuid(str(item_id))
    if public_id is None:
        return None
    return (
        ChangePackageItem.objects.filter(
            program_id=program_id, public_id=public_id, retired_at__isnull=True
        )
        .select_related("collaborative")
        .first()
    )


def change_idea_of(*, program_id: int, change_idea_id: UUID | str) -> ChangeIdea | None:
    """One change idea (not retired) of a team of the program by public id, with its
    team; None for another program's, a retired, an unknown or a malformed id. The
    caller decides who may use it (teams.selectors.team_access on `idea.team`)."""
    public_id = parse_uuid(str(change_idea_id))
    if public_id is None:
        return None
    return (
        ChangeIdea.objects.filter(
            program_id=program_id, public_id=public_id, retired_at__isnull=True
        )
        .select_related("team", "team__collaborative")
        .first()
    )


def package_items_linked_for(
    *, user: User, item_ids: Iterable[UUID]
) -> list[tuple[UUID, str, str]]:
    """(public id, title, page) of the change-package items among `item_ids` in the
    collaboratives `user` sees: the item's page for the program's staff (who keep the
    package), the collaborative's change package for everyone else."""
    ids = list(item_ids)
    if not ids:
        return []
    staff = staff_program_ids(user=user)
    items = (
        ChangePackageItem.objects.filter(
            public_id__in=ids, collaborative__in=collaboratives_visible_to(user=user)
        )
        .select_related("collaborative")
        .order_by("title", "pk")
    )
    out = []
    for item in items:
        kwargs = {"collaborative_id": item.collaborative.public_id}
        if item.program_id in staff:
            url = reverse("pdsa:package_item", kwargs={**kwargs, "package_item_id": item.public_id})
        elif item.retired_at is None:
            url = reverse("pdsa:change_package", kwargs=kwargs)
        else:
            continue
        out.append((item.public_id, f"{item.title} ({item.collaborative.title})", url))
    return out


def change_ideas_linked_for(*, user: User, idea_ids: Iterable[UUID]) -> list[tuple[UUID, str, str]]:
    """(public id, "idea (team)", ramp page) of the change ideas among `idea_ids` whose
    team `user` may see (its members, its coaches, the program's staff): a team's own
    ideas are never shown to other teams."""
    ids = list(idea_ids)
    if not ids:
        return []
    ideas = (
        ChangeIdea.objects.filter(public_id__in=ids, team__in=teams_visible_to(user=user))
        .select_related("team")
        .order_by("title", "pk")
    )
    return [
        (
            idea.public_id,
            f"{idea.title} ({idea.team.name})",
            reverse(
                "pdsa:ramp_detail",
                kwargs={"team_id": idea.team.public_id, "change_idea_id": idea.public_id},
            ),
        )
        for idea in ideas
    ]


# resources (communities of practice) is a user: a community's members, who may no longer
# be on any team, read the ramps its teams shared without a team page of their own.


def _shared_ideas(collaborative: Collaborative):
    return (
        ChangeIdea.objects.filter(
            program_id=collaborative.program_id,
            team__collaborative_id=collaborative.pk,
            shared_at__isnull=False,
        )
        .select_related("team", "driver")
        .order_by("-shared_at", "-pk")
    )


def _ramps(ideas: list[ChangeIdea]) -> list[Ramp]:
    by_idea: dict[int, list[Cycle]] = {idea.pk: [] for idea in ideas}
    if ideas:
        cycles = Cycle.objects.filter(
            program_id=ideas[0].program_id,
            change_idea_id__in=list(by_idea),
            deleted_at__isnull=True,
        ).select_related("builds_on")
        for cycle in cycles:
            by_idea[cycle.change_idea_id].append(cycle)
    return [Ramp(idea, order_ramp(by_idea[idea.pk])) for idea in ideas]


def shared_ramps_of_collaborative(*, collaborative: Collaborative) -> list[Ramp]:
    """The ramps the collaborative's teams shared, newest share first, each with its
    cycles in ramp order (so its decisions), in two queries. Unshared ramps never."""
    return _ramps(list(_shared_ideas(collaborative)))


def shared_ramp_in_collaborative(*, collaborative: Collaborative, change_idea_id) -> Ramp | None:
    """One shared ramp of the collaborative's teams (None if there is no such shared
    ramp there); show its raw notes only when `change_idea.share_notes`."""
    try:
        idea = _shared_ideas(collaborative).filter(public_id=change_idea_id).first()
    except (ValidationError, ValueError):
        return None
    return _ramps([idea])[0] if idea else None
