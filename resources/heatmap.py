"""The change-package heat map: for each item of a collaborative's change package, the
state of each team's ramp on it (tested, adopted, adapted, abandoned, not tested), with
counts, and the drill-down from an item to the teams' ramps.

Who sees it: the program's staff and the coaches assigned to at least one team of the
collaborative; anyone else gets a 404. They see every team's *state* (a coach needs
to know which teams have not tried a change, not only their own teams), but a ramp's
title and a link only where the viewer may open it anyway: their own teams (staff see
every team; coaches their assigned ones) link to the team's ramp, and a ramp its team
shared links to its shared page. Team members do not see the heat map (their view of
other teams is the shared ramps and "who else tested this?").

A team's state on an item comes from the change ideas it seeded from the item
(ChangeIdea.source_item): the latest act decision of the idea's ramp, in ramp order,
or "tested" when it has cycles but no decision yet. A team with several ideas on one
item shows the most advanced one: adopted, then adapted, then tested, then abandoned.

Fixed number of queries, whatever the number of teams (tests count them at two sizes).
The page shows the team-by-team table 25 teams at a time; the counts cover every team.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from accounts.selectors import coach_program_ids, staff_program_ids
from collaboratives.models import Collaborative
from pdsa.public import Decision, PackageRamp, package_items_of, package_ramps
from teams.models import Team, TeamStatus
from teams.selectors import teams_visible_to


class RampState(StrEnum):
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    TESTED = "tested"
    ABANDONED = "abandoned"
    NOT_TESTED = "not_tested"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def letter(self) -> str:
        """The cell's short text, so that the state never depends on colour alone."""
        return STATE_LETTERS[self]


STATE_LABELS = {
    RampState.ADOPTED: "Adopted",
    RampState.ADAPTED: "Adapted",
    RampState.TESTED: "Tested, no decision yet",
    RampState.ABANDONED: "Abandoned",
    RampState.NOT_TESTED: "Not tested",
}
STATE_LETTERS = {
    RampState.ADOPTED: "A",
    RampState.ADAPTED: "D",
    RampState.TESTED: "T",
    RampState.ABANDONED: "X",
    RampState.NOT_TESTED: "–",
}
STATE_HELP = {
    RampState.ADOPTED: "The latest act decision was to adopt the change.",
    RampState.ADAPTED: "The latest act decision was to adapt it and test again.",
    RampState.TESTED: "The team has logged cycles but decided nothing yet.",
    RampState.ABANDONED: "The latest act decision was to stop testing it.",
    RampState.NOT_TESTED: "No cycle of this change yet.",
}
#: Columns and legend order; also which of a team's several ideas on one item wins.
STATES = list(RampState)
_RANK = {state: i for i, state in enumerate(STATES)}
_BY_DECISION = {
    Decision.ADOPT: RampState.ADOPTED,
    Decision.ADAPT: RampState.ADAPTED,
    Decision.ABANDON: RampState.ABANDONED,
}


def ramp_state(ramp: PackageRamp | None) -> RampState:
    if ramp is None or (not ramp.cycles and not ramp.decision):
        return RampState.NOT_TESTED
    return _BY_DECISION.get(ramp.decision, RampState.TESTED)


def heat_map_collaborative_or_404(*, user: User, collaborative_id) -> Collaborative:
    """The collaborative if `user` is its program's staff or coaches one of its teams;
    Http404 for anyone else, exactly like a collaborative that does not exist."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such collaborative.")
    condition = Q(program_id__in=staff_program_ids(user=user)) | Q(
        program_id__in=coach_program_ids(user=user), teams__coach_assignments__coach=user
    )
    try:
        found = (
            Collaborative.objects.filter(
                pk__in=Collaborative.objects.filter(condition).values("pk"),
                public_id=collaborative_id,
            )
            .select_related("program")
            .first()
        )
    except (ValidationError, ValueError):
        found = None
    if found is None:
        raise Http404("No such collaborative.")
    return found


def may_see_heat_map(*, user: User, collaborative: Collaborative) -> bool:
    """Whether `user` may open the collaborative's heat map (the panel's question)."""
    try:
        heat_map_collaborative_or_404(user=user, collaborative_id=collaborative.public_id)
    except Http404:
        return False
    return True


@dataclass
class Cell:
    """One team on one item: its state and, where the viewer may open it, its ramp."""

    team: Team
    state: RampState
    ramps: list[dict] = field(default_factory=list)


@dataclass
class ItemRow:
    """One item of the package and how many of ALL the active teams are in each state
    (the counts never depend on the page of teams shown)."""

    item: object
    counts: list[tuple[RampState, int]]


@dataclass
class HeatMap:
    """A collaborative's heat map, cheap to build at any size: the per-item counts come
    from the ramps alone, and a team's cells are built only for the teams a page shows
    (`team_rows`) or for one item's drill-down (`item_cells`), so a 300-team
    collaborative does not build 300 rows of cells to show 25."""

    collaborative: Collaborative
    team_ids: list[int]  # every active team, in name order
    rows: list[ItemRow]
    ramps: dict[tuple[int, int], list[PackageRamp]]  # (item pk, team pk) -> ramps
    visible_teams: dict[int, Team]  # the viewer's own teams of the collaborative

    @property
    def team_count(self) -> int:
        return len(self.team_ids)

    def cell(self, *, item, team: Team) -> Cell:
        ramps = self.ramps.get((item.pk, team.pk), [])
        visible = set(self.visible_teams)
        links = [
            link
            for r in ramps
            if (link := _ramp_links(ramp=r, team=team, visible=visible, vantage=self.visible_teams))
        ]
        return Cell(team=team, state=_state_of(ramps), ramps=links)

    def team_rows(self, teams: Iterable[Team]) -> list[tuple[Team, list[Cell]]]:
        """A row per team of `teams` (one page of them), a column per item: many teams
        read better down the page than across it."""
        return [
            (team, [self.cell(item=row.item, team=team) for row in self.rows]) for team in teams
        ]

    def item_cells(self, row: ItemRow) -> list[Cell]:
        """Every active team's cell on one item (the drill-down lists them all); one
        query."""
        return [self.cell(item=row.item, team=team) for team in teams_by_ids(self.team_ids)]


def _state_of(ramps: list[PackageRamp]) -> RampState:
    """A team's state on an item: its most advanced ramp on it."""
    return min((ramp_state(r) for r in ramps), key=_RANK.get, default=RampState.NOT_TESTED)


def _heat_map_teams(collaborative: Collaborative) -> QuerySet[Team]:
    return Team.objects.filter(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        status=TeamStatus.ACTIVE,
    ).order_by("name", "pk")


def teams_by_ids(team_ids: list[int]) -> list[Team]:
    """The teams with these primary keys, in the order given; one query."""
    found = Team.objects.filter(pk__in=team_ids).select_related("facility").in_bulk()
    return [found[pk] for pk in team_ids if pk in found]


def _ramp_links(
    *, ramp: PackageRamp, team: Team, visible: set[int], vantage: dict[int, Team]
) -> dict | None:
    """The ramp as the viewer may see it (title and address), or None to show only the
    team's state: the team's own ramp page for a team the viewer sees, the shared page
    (seen from one of the viewer's teams of the collaborative) for a shared ramp."""
    if team.pk in visible:
        url = reverse(
            "pdsa:ramp_detail",
            kwargs={"team_id": team.public_id, "change_idea_id": ramp.idea_public_id},
        )
    elif ramp.shared and (seen_from := _vantage_for(team, vantage)) is not None:
        url = reverse(
            "pdsa:shared_ramp",
            kwargs={"team_id": seen_from.public_id, "change_idea_id": ramp.idea_public_id},
        )
    else:
        return None
    return {
        "title": ramp.idea_title,
        "url": url,
        "cycles": ramp.cycles,
        "state": ramp_state(ramp),
        "shared": ramp.shared,
    }


def _vantage_for(team: Team, vantage: dict[int, Team]) -> Team | None:
    """A team of the viewer's, other than `team`, from which the shared page is seen."""
    return next((t for pk, t in vantage.items() if pk != team.pk), None)


def build_heat_map(*, user: User, collaborative: Collaborative) -> HeatMap:
    """The heat map of a collaborative the caller already checked (heat_map_collaborative_or_404)
    `user` may see; five queries whatever the number of teams. The counts walk the
    ramps, not a teams-by-items matrix: a team without a ramp on an item is "not
    tested" without a cell being built for it."""
    team_ids = list(_heat_map_teams(collaborative).values_list("pk", flat=True))
    active = set(team_ids)
    items = list(package_items_of(collaborative=collaborative))
    by_pair: dict[tuple[int, int], list[PackageRamp]] = {}
    for ramp in package_ramps(collaborative=collaborative):
        if ramp.team_id in active:
            by_pair.setdefault((ramp.item_id, ramp.team_id), []).append(ramp)
    tallies: dict[int, Counter] = {}
    for (item_id, _team_id), ramps in by_pair.items():
        tallies.setdefault(item_id, Counter())[_state_of(ramps)] += 1
    rows = []
    for item in items:
        tally = tallies.get(item.pk, Counter())
        tally[RampState.NOT_TESTED] = len(team_ids) - sum(
            n for state, n in tally.items() if state != RampState.NOT_TESTED
        )
        rows.append(ItemRow(item=item, counts=[(state, tally[state]) for state in STATES]))
    visible_teams = {
        t.pk: t for t in teams_visible_to(user=user).filter(collaborative=collaborative)
    }
    return HeatMap(
        collaborative=collaborative,
        team_ids=team_ids,
        rows=rows,
        ramps=by_pair,
        visible_teams=visible_teams,
    )


def item_row(heat_map: HeatMap, item_id) -> ItemRow:
    """The row of the item with this public id, or Http404."""
    for row in heat_map.rows:
        if str(row.item.public_id) == str(item_id):
            return row
    raise Http404("No such change-package item.")


def legend() -> list[dict]:
    return [
        {"state": s, "label": s.label, "letter": s.letter, "help": STATE_HELP[s]} for s in STATES
    ]


def states_in_order(cells: Iterable[Cell]) -> list[tuple[RampState, list[Cell]]]:
    """The cells grouped by state, in legend order (the drill-down's sections)."""
    cells = list(cells)
    return [(state, [c for c in cells if c.state == state]) for state in STATES]
