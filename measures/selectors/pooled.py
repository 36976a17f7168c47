"""The collaborative's pooled series ("all teams pooled") and which periods it may use.

One rule, here, for every pooled chart, funnel plot and their signals, on the pages and
in the API:

* A period is pooled only once it has **ended** (measures.periods.has_ended): a month
  still running holds the few teams that entered early, and would stand for the whole
  collaborative.
* ...and once enough of the teams it counts reported it: at least the collaborative's
  `pooled_min_share` percent (50 by default, set by staff on the collaborative's form).
* The teams a period counts are the **participating** (active) teams that had joined
  by its end (teams.selectors.team_joined_on: the day staff approved them; a team
  without a recorded decision counts from the start). For baseline periods that end
  before the collaborative starts, that is the teams that had joined by its start: the
  starting teams' baseline. Only those teams' values are pooled, so a point never
  covers more teams than it counts, and a team that joins later does not rewrite the
  collaborative's past (its earlier months stay on its own chart).
* Every point says how many teams it covers ("12 of 20 teams"); periods left out are
  listed with the reason ("December 2026: not ended", "November 2026: 4 of 20 teams,
  below the 50% minimum").

Values are read in one query whatever the number of teams and measures (plus one for the
teams and one for the periods), and pooled as before: ratio measures sum the numerators
over the sum of the denominators; counts add up; continuous values are averaged over
the teams that reported.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q, Sum

from collaboratives.models import Collaborative
from core import clock
from core.deadlines import local_day
from teams.models import Team, TeamStatus

from ..models import DataKind, DataPoint, Measure, ReportingPeriod
from ..periods import has_ended
from .reporting import periods_of
from .series import PeriodAxis, Series, series_from_points, started_of


def coverage_words(reporting: int, teams: int) -> str:
    """ "12 of 20 teams": how many of the teams a pooled point counts are behind it."""
    return f"{reporting} of {teams} team{'' if teams == 1 else 's'}"


@dataclass(frozen=True)
class PooledPeriod:
    """One period of a pooled series: the teams it covers, and whether it is pooled."""

    period: ReportingPeriod
    #: Teams (of those counted) with a value of the measure in the period.
    reporting: int
    #: Participating teams the period counts (see the module's rule).
    teams: int
    ended: bool
    min_share: int

    @property
    def reaches_share(self) -> bool:
        return self.teams > 0 and self.reporting * 100 >= self.min_share * self.teams

    @property
    def included(self) -> bool:
        return self.ended and self.reaches_share

    @property
    def coverage(self) -> str:
        """ "12 of 20 teams"."""
        return coverage_words(self.reporting, self.teams)

    @property
    def reason(self) -> str:
        """Why the period is left out ("" when it is pooled)."""
        if not self.ended:
            return "not ended"
        if self.teams == 0:
            return "no participating team had joined"
        if not self.reaches_share:
            return f"{self.coverage}, below the {self.min_share}% minimum"
        return ""

    @property
    def left_out_words(self) -> str:
        """ "November 2026: 4 of 20 teams, below the 50% minimum"."""
        return f"{self.period.label}: {self.reason}"


def counted_from(period: ReportingPeriod, collaborative: Collaborative) -> date:
    """The day by which a team must have joined to be counted in `period`: its end, or
    for a baseline period before the collaborative started, the start date."""
    if collaborative.start_date and collaborative.start_date > period.end:
        return collaborative.start_date
    return period.end


#: A pooled series is kept this long at most; its key changes with anything it rests on.
POOLED_CACHE_SECONDS = 24 * 3600


def participating_join_days(*, collaborative: Collaborative) -> dict[int, date | None]:
    """Team id -> the day each participating (active) team joined (None: from the
    start), one query. `team_joined_on`'s rule for active teams (the local day of the
    decision), on plain rows: 300 team instances cost more than the query."""
    tz = collaborative.timezone
    return {
        pk: local_day(decided_at, tz)
        for pk, decided_at in Team.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            status=TeamStatus.ACTIVE,
        ).values_list("pk", "decided_at")
    }


def _team_counter(join_days: Sequence[date | None]):
    """day -> number of teams joined by that day (teams without a date always count)."""
    always = sum(1 for d in join_days if d is None)
    dated = sorted(d for d in join_days if d is not None)
    return lambda day: always + bisect_right(dated, day)


def _counted_rows(
    collaborative: Collaborative,
    periods: Sequence[ReportingPeriod],
    join_days: dict[int, date | None],
) -> Q:
    """Data points of the teams each period counts (see `counted_from`), as a filter on
    ids alone. The same rule as `teams.selectors.joined_by`, applied here in Python
    because joining the teams and periods tables made the pooled query of a 300-team
    collaborative more than twice as slow."""
    counted = {p.pk: counted_from(p, collaborative) for p in periods}
    earliest = min(counted.values(), default=None)
    always, later = [], defaultdict(list)
    for team_id, day in join_days.items():
        if day is None or (earliest is not None and day <= earliest):
            always.append(team_id)
        else:
            later[day].append(team_id)
    condition = Q(team_id__in=always)
    for day, team_ids in later.items():
        period_ids = [pk for pk, counted_day in counted.items() if day <= counted_day]
        if period_ids:
            condition |= Q(team_id__in=team_ids, period_id__in=period_ids)
    return condition


def pooled_series_many(
    *,
    collaborative: Collaborative,
    measures: Sequence[Measure],
    today: date | None = None,
) -> dict[int, Series]:
    """measure id -> the collaborative's pooled series (the module's rule), in three
    queries whatever the number of teams and measures. `reporting` and `expected` say
    how many teams each point covers; `coverage` lists every started period with
    whether it is pooled and why not."""
    _, build = pooled_version(collaborative=collaborative, measures=measures, today=today)
    return build()


def pooled_version(
    *,
    collaborative: Collaborative,
    measures: Sequence[Measure],
    today: date | None = None,
) -> tuple[str, Callable[[], dict[int, Series]]]:
    """(a key that changes whenever the pooled series of `measures` could, a function
    that returns them, measure id -> Series, from the same reads): what is drawn from
    the pooled series alone can be cached under the key (three queries) without
    building the series at all."""
    today = today or clock.today()
    periods = periods_of(collaborative=collaborative)
    join_days = participating_join_days(collaborative=collaborative)
    key = _pooled_cache_key(collaborative, measures, periods, join_days, today)

    def build() -> dict[int, Series]:
        # The cache keeps the aggregate's numbers only (plain dicts, quick to load); the
        # series are built from them and the periods read above (10 series of model
        # instances took longer to unpickle than to build).
        totals = cache.get(key)
        if totals is None:
            totals = _pooled_totals(collaborative, measures, periods, join_days)
            cache.set(key, totals, timeout=POOLED_CACHE_SECONDS)
        return _pooled_build(collaborative, measures, periods, join_days, today, totals)

    return key, build


def _pooled_cache_key(collaborative, measures, periods, join_days, today: date) -> str:
    """Changes whenever the pooled series could: any value of the measures (their last
    change and count, one aggregate over an index; deletions are soft and change
    updated_at), the measures' definitions, the periods, which teams participate and
    since when, the collaborative's minimum share and the day. The pooled aggregate it
    saves was about 100 ms at 300 teams on every collaborative page."""
    version = DataPoint.objects.filter(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        measure__in=[m.pk for m in measures],
    ).aggregate(last=Max("updated_at"), n=Count("id"))
    raw = repr(
        (
            [(m.pk, m.updated_at, m.data_kind, m.frequency) for m in measures],
            [(p.pk, p.start, p.end, p.frequency) for p in periods],
            sorted(join_days.items()),
            collaborative.pooled_min_share,
            collaborative.start_date,
            collaborative.timezone,
            today,
            version["last"],
            version["n"],
        )
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"measures:pooled:2:{collaborative.pk}:{digest}"


def _pooled_totals(collaborative, measures, periods, join_days) -> tuple[dict, dict]:
    """({measure id: {period id: point}}, {measure id: {period id: reporting teams}}):
    the pooled aggregate, one query."""
    rows = list(
        DataPoint.objects.filter(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            measure__in=[m.pk for m in measures],
            deleted_at__isnull=True,
        )
        .filter(Q(denominator__isnull=False, numerator__isnull=False) | Q(value__isnull=False))
        .filter(_counted_rows(collaborative, periods, join_days))
        .values("measure_id", "period_id")
        .annotate(
            num=Sum("numerator"),
            den=Sum("denominator"),
            total=Sum("value"),
            mean=Avg("value"),
            teams=Count("team_id", distinct=True),
        )
        .order_by()
    )
    by_measure = {m.pk: m for m in measures}
    points: dict[int, dict[int, tuple]] = defaultdict(dict)
    reporting: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        measure = by_measure[row["measure_id"]]
        if measure.is_ratio:
            point = (row["num"], row["den"], None, "")
        elif measure.data_kind == DataKind.COUNT:
            point = (None, None, row["total"], "")
        else:
            point = (None, None, row["mean"], "")
        points[measure.pk][row["period_id"]] = point
        reporting[measure.pk][row["period_id"]] = row["teams"]
    return dict(points), dict(reporting)


def _pooled_build(
    collaborative, measures, periods, join_days, today: date, totals: tuple[dict, dict]
) -> dict[int, Series]:
    """The pooled series from the aggregate's numbers: which periods are pooled, and
    how many teams each covers."""
    points, reporting = totals
    teams_by = _team_counter(list(join_days.values()))
    # What depends on the period alone is worked out once per frequency, not per measure.
    by_frequency: dict[str, tuple] = {}
    result = {}
    for measure in measures:
        if measure.frequency not in by_frequency:
            started = started_of(periods, measure.frequency, today)
            by_frequency[measure.frequency] = (
                started,
                PeriodAxis.of(started),
                [(teams_by(counted_from(p, collaborative)), has_ended(p, today)) for p in started],
            )
        started, axis, counted = by_frequency[measure.frequency]
        measure_reporting = reporting.get(measure.pk, {})
        coverage = [
            PooledPeriod(
                period=p,
                reporting=measure_reporting.get(p.pk, 0),
                teams=teams,
                ended=ended,
                min_share=collaborative.pooled_min_share,
            )
            for p, (teams, ended) in zip(started, counted, strict=True)
        ]
        measure_points = points.get(measure.pk, {})
        series = series_from_points(
            measure,
            axis,
            {
                c.period.pk: measure_points[c.period.pk]
                for c in coverage
                if c.included and c.period.pk in measure_points
            },
        )
        series.reporting = [c.reporting for c in coverage]
        series.expected = [c.teams for c in coverage]
        series.coverage = coverage
        result[measure.pk] = series
    return result


def pooled_series(
    *,
    collaborative: Collaborative,
    measure: Measure,
    today: date | None = None,
) -> Series:
    """The collaborative's pooled series of one measure (see `pooled_series_many`)."""
    return pooled_series_many(collaborative=collaborative, measures=[measure], today=today)[
        measure.pk
    ]


def pooled_left_out(series: Series) -> list[PooledPeriod]:
    """The periods a pooled series leaves out that a reader would look for: those that
    have not ended, and those some team reported but too few (silent empty months are
    simply gaps)."""
    return [c for c in series.coverage if not c.included and (not c.ended or c.reporting)]


def pooled_periods(series: Series) -> list[ReportingPeriod]:
    """The periods a pooled series uses, oldest first: the only ones a funnel plot of
    the same measure may compare (it defaults to the latest)."""
    return [c.period for c in series.coverage if c.included]
