"""The "needs attention" ranking: which of a coach's teams to look at first, and why.

Pure functions over `TeamSummary` (no queries), so that the weights can be tested on
team histories built in memory. Each reason has a code (for the filter), a sentence
a coach reads ("no data for 2 months") and a weight; a team's score is the sum of its
reasons' weights, and teams are ranked by score, then by name. The weights, and why,
are in docs/decisions/0018-coach-dashboard.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from teams.selectors import GAP_THRESHOLD

from .summary import TeamSummary

#: A team that has not started a PDSA cycle for this many days is losing momentum.
NO_CYCLE_DAYS = 45
#: Months without data that count (one month late is the "late" reason's business).
NO_DATA_MONTHS = 2

#: Reason codes and their labels, for the filter.
REASONS: dict[str, str] = {
    "no_data": "No data",
    "late": "Data late",
    "concern": "Concern signal",
    "no_pdsa": "No recent PDSA cycle",
    "stalled": "Stalled cycles",
    "feedback": "Waiting for feedback",
    "rating_gap": "Ratings apart",
    "rating_due": "Rating due",
    "gap_down": "Gap analysis down",
    "unread": "Unread comments",
}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    weight: int


@dataclass(frozen=True)
class Ranked:
    """A team's summary with its reasons and score (higher: look first)."""

    summary: TeamSummary
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    @property
    def codes(self) -> set[str]:
        return {r.code for r in self.reasons}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reasons_for(summary: TeamSummary) -> tuple[Reason, ...]:
    """Why a team needs attention, heaviest first (empty: nothing to worry about)."""
    out: list[Reason] = []
    data = summary.data
    gone = summary.months_without_data
    if data.period_start is not None and data.last_handed_in is None:
        out.append(Reason("no_data", "no data handed in yet", 4))
    elif gone is not None and gone >= NO_DATA_MONTHS:
        out.append(Reason("no_data", f"no data for {_plural(gone, 'month')}", 3 + min(gone, 6)))
    if data.days_late > 0:
        out.append(
            Reason("late", f"{data.period_label} data {_plural(data.days_late, 'day')} late", 2)
        )
    for measure in summary.concern_measures:
        if measure.is_balancing:
            out.append(Reason("concern", "concern signal on a balancing measure", 4))
        else:
            out.append(Reason("concern", f"concern signal on {measure.name}", 2))
    days = summary.days_since_cycle
    if days is None:
        out.append(Reason("no_pdsa", "no PDSA cycle yet", 3))
    elif days >= NO_CYCLE_DAYS:
        out.append(Reason("no_pdsa", f"no PDSA cycle in {days} days", 2 + min(days // 45, 3)))
    cycles = summary.cycles
    if cycles.stalled:
        out.append(
            Reason("stalled", f"{_plural(cycles.stalled, 'stalled cycle')}", min(cycles.stalled, 3))
        )
    if cycles.waiting_feedback:
        noun = _plural(cycles.waiting_feedback, "cycle")
        out.append(Reason("feedback", f"{noun} waiting for feedback", 2))
    gap = summary.rating_gap
    if gap is not None and gap >= GAP_THRESHOLD:
        out.append(Reason("rating_gap", f"coach and team ratings {gap} apart", 2))
    if summary.ratings.rating_due:
        out.append(Reason("rating_due", "progress rating due this month", 1))
    change = summary.gap.change if summary.gap else None
    if change is not None and change < Decimal(0):
        out.append(Reason("gap_down", f"gap-analysis score down {-change} since baseline", 1))
    if summary.unread_comments:
        out.append(Reason("unread", f"{_plural(summary.unread_comments, 'unread comment')}", 1))
    return tuple(sorted(out, key=lambda r: -r.weight))


def rank(summaries: Iterable[TeamSummary]) -> list[Ranked]:
    """Teams in need order: highest score first, then by name."""
    ranked = [Ranked(summary=s, reasons=reasons_for(s)) for s in summaries]
    return sorted(ranked, key=lambda r: (-r.score, r.summary.team.name.lower()))


# --- sorting and filtering the table (the page and the API share these) -------------


def _data_key(r: Ranked):
    gone = r.summary.months_without_data
    return (-(gone if gone is not None else 99), -r.summary.data.days_late)


def _pdsa_key(r: Ranked):
    days = r.summary.days_since_cycle
    return -(days if days is not None else 10_000)


def _rating_key(r: Ranked):
    coach = r.summary.ratings.coach
    return coach.score if coach else Decimal(-1)


def _gap_key(r: Ranked):
    gap = r.summary.gap
    return gap.score if gap else Decimal(-1)


#: ?sort= values: the column, and the key that puts the most worrying first.
SORTS = {
    "need": ("Needs attention", lambda r: -r.score),
    "name": ("Team", lambda r: r.summary.team.name.lower()),
    "collaborative": ("Collaborative", lambda r: r.summary.team.collaborative.title.lower()),
    "data": ("Data", _data_key),
    "pdsa": ("PDSA", _pdsa_key),
    "rating": ("Rating", _rating_key),
    "gap": ("Gap analysis", _gap_key),
}
DEFAULT_SORT = "need"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(column, descending) from ?sort=column or ?sort=-column; unknown: the default."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in SORTS:
        return DEFAULT_SORT, False
    return column, descending


def sort_rows(rows: list[Ranked], *, column: str, descending: bool = False) -> list[Ranked]:
    """Rows sorted by a column (ties keep the need order, which `rank` gave them)."""
    key = SORTS[column][1]
    return sorted(rows, key=key, reverse=descending)


def filter_rows(
    rows: Iterable[Ranked], *, reason: str = "", query: str = "", collaborative=None
) -> list[Ranked]:
    """Rows with this reason, whose team name contains `query`, in this collaborative
    (a public id); blank filters keep everything."""
    query = (query or "").strip().lower()
    out = []
    for r in rows:
        team = r.summary.team
        if reason and reason not in r.codes:
            continue
        if query and query not in team.name.lower():
            continue
        if collaborative and str(team.collaborative.public_id) != str(collaborative):
            continue
        out.append(r)
    return out
