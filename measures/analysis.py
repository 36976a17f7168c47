"""From a measure's series to the engine's analysis: which chart, which baseline, phases.

No statistics are computed here: `analyze()` (measures.spc) does all of it. This module
only decides the engine's arguments from the measure and the team's settings, rolls
monthly data up to quarters when asked (sums of counts, not averages of percentages),
and adds the words a team needs next to the engine's signals ("in the better
direction").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from core import clock

from .models import ChartType, DataKind, Direction, Measure, TeamMeasure
from .periods import quarter_label, quarter_start
from .selectors import Series
from .spc import analyze

#: The control chart of each kind of data (qicharts2's choice for each).
CONTROL_CHART = {
    DataKind.PROPORTION: "p",
    DataKind.RATE: "u",
    DataKind.COUNT: "c",
    DataKind.CONTINUOUS: "i",
}
CHART_NAMES = {
    "run": "Run chart",
    "p": "P control chart",
    "u": "U control chart",
    "c": "C control chart",
    "i": "I control chart (individuals)",
}
#: The rule sets a person can read a chart with. Anhøj's rules (qicharts2) adapt the
#: run length to the number of points and are the default; the IHI rules (Provost &
#: Murray: a shift of 6, a trend of 5, too few or too many runs on run charts; 2 of 3
#: beyond 2 sigma, 8 in a row, 6 trending, 15 hugging the centre on control charts)
#: are what many IHI-trained coaches use.
RULE_SETS = {"anhoej": "Anhøj rules", "ihi": "IHI rules"}
DEFAULT_RULES = "anhoej"

#: Signals that point one way (above or below the centre line, rising or falling).
SIDED_KINDS = ("shift", "trend", "outside_limits", "two_of_three", "four_of_five")

#: A control chart is suggested from this many points (Provost & Murray: limits on
#: fewer points are trial limits).
SUGGEST_CONTROL_FROM = 20


@dataclass
class Settings:
    """The chart the person asked for, and the team's baseline and phases."""

    chart_type: str = ChartType.RUN
    baseline_end: date | None = None
    phase_starts: list[date] = field(default_factory=list)
    phase_labels: list[str] = field(default_factory=list)
    rollup: str = "month"
    rules: str = DEFAULT_RULES

    @classmethod
    def from_team_measure(cls, tm: TeamMeasure | None, **overrides) -> Settings:
        settings = cls()
        if tm is not None:
            settings.chart_type = tm.chart_type
            settings.baseline_end = tm.baseline_end
            for phase in tm.phases or []:
                try:
                    settings.phase_starts.append(date.fromisoformat(phase["start"]))
                    settings.phase_labels.append(str(phase.get("label", "")))
                except (KeyError, TypeError, ValueError):
                    continue
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, value)
        return settings


@dataclass
class SeriesAnalysis:
    """The series as charted, the engine's answer, and what to say about it."""

    series: Series
    chart: str
    result: dict | None
    signals: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    baseline_index: int | None = None
    phase_indices: list[tuple[int, str]] = field(default_factory=list)
    rolled_up: bool = False
    rules: str = DEFAULT_RULES

    @property
    def chart_name(self) -> str:
        return CHART_NAMES.get(self.chart, self.chart)

    @property
    def rules_name(self) -> str:
        return RULE_SETS.get(self.rules, self.rules)

    @property
    def is_control(self) -> bool:
        return self.chart != "run"

    @property
    def n_points(self) -> int:
        return self.series.n_values

    @property
    def suggest_control(self) -> bool:
        return not self.is_control and self.n_points >= SUGGEST_CONTROL_FROM

    @property
    def signal_texts(self) -> list[str]:
        return [s["text"] for s in self.signals]

    @property
    def latest_value(self) -> float | None:
        for i in range(len(self.series) - 1, -1, -1):
            value = self.series.display_value(i)
            if value is not None:
                return value
        return None

    @property
    def latest_label(self) -> object:
        for i in range(len(self.series) - 1, -1, -1):
            if self.series.has_value(i):
                return self.series.labels[i]
        return None


def rollup_quarters(series: Series) -> Series:
    """Monthly series to quarters: numerators and denominators (and counts) are summed,
    continuous values averaged. A count quarter with a missing month stays missing (its
    sum would understate the quarter); ratios use the months present."""
    measure = series.measure
    out = Series(measure=measure)
    groups: dict[date, list[int]] = {}
    for i, start in enumerate(series.starts):
        groups.setdefault(quarter_start(start), []).append(i)
    for start, indices in groups.items():
        present = [i for i in indices if series.has_value(i)]
        num = den = value = None
        if measure.is_ratio and present:
            num = sum(series.numerators[i] for i in present)
            den = sum(series.denominators[i] for i in present)
        elif measure.data_kind == DataKind.COUNT and present and len(present) == 3:
            value = sum(series.values[i] for i in present)
        elif measure.data_kind == DataKind.CONTINUOUS and present:
            value = sum(series.values[i] for i in present) / len(present)
        out.labels.append(quarter_label(start))
        out.starts.append(start)
        out.numerators.append(num)
        out.denominators.append(den)
        out.values.append(value)
        out.notes.append("; ".join(series.notes[i] for i in indices if series.notes[i]))
        out.reporting.append(max((series.reporting[i] for i in indices), default=0))
        if series.expected:  # a pooled series: the most teams any of the months counts
            out.expected.append(max(series.expected[i] for i in indices))
        out.period_ids.append(None)
    return out


def signal_side(signal: dict, result: dict) -> int:
    """Which way a signal points: +1 up (above the centre line, or rising), -1 down, 0
    neither (a signal of a whole phase, or a point on the line)."""
    if signal["kind"] not in SIDED_KINDS:
        return 0
    per = result["per_point"]
    start, end = signal["start"], signal["end"]
    y = per["y"]
    if signal["kind"] == "trend":
        if y[start] is None or y[end] is None or y[start] == y[end]:
            return 0
        return 1 if y[end] > y[start] else -1
    cl = per["cl"][start]
    if y[start] is None or cl is None or y[start] == cl:
        return 0
    return 1 if y[start] > cl else -1


def signal_tone(measure: Measure, signal: dict, result: dict) -> str:
    """What a signal's points mean for the measure, as MDC colours them: "improvement"
    (they lie the better way), "concern" (the worse way), or "neutral" (the measure has
    no better direction, or the signal has no side)."""
    side = signal_side(signal, result)
    if measure.direction == Direction.NEUTRAL or side == 0:
        return "neutral"
    better = 1 if measure.direction == Direction.INCREASE else -1
    return "improvement" if side == better else "concern"


def current_tone(measure: Measure, signal: dict, result: dict) -> str:
    """The signal's tone (`signal_tone`) when it reaches the latest point, else
    "neutral": an earlier stretch (often the "before" of a change) gets no verdict."""
    if measure.direction == Direction.NEUTRAL:
        return "neutral"
    y = result["per_point"]["y"]
    if signal["end"] < max((i for i, v in enumerate(y) if v is not None), default=-1):
        return "neutral"
    return signal_tone(measure, signal, result)


def _direction_words(measure: Measure, signal: dict, result: dict) -> str:
    """ " in the better direction" when a shift, trend or outlier moved the way the
    measure should improve, " in the worse direction" when the other way, else ""."""
    tone = current_tone(measure, signal, result)
    if tone == "improvement":
        return " (in the better direction)"
    return " (in the worse direction)" if tone == "concern" else ""


def analyse_series(series: Series, settings: Settings | None = None) -> SeriesAnalysis:
    """Run the engine on `series` as the settings ask: the run chart by default, the
    measure's control chart on request; baseline frozen or phases split."""
    settings = settings or Settings()
    measure = series.measure
    rolled = False
    if settings.rollup == "quarter" and measure.frequency == "monthly":
        series = rollup_quarters(series)
        rolled = True
    series = series.trimmed()
    chart = CONTROL_CHART[measure.data_kind] if settings.chart_type == ChartType.CONTROL else "run"
    if settings.rules not in RULE_SETS:
        raise ValueError(f"unknown rules {settings.rules!r}: choose one of {sorted(RULE_SETS)}")
    analysis = SeriesAnalysis(
        series=series, chart=chart, result=None, rolled_up=rolled, rules=settings.rules
    )
    if series.n_values == 0:
        analysis.warnings.append("No data yet: the chart appears once values are entered.")
        return analysis

    kwargs: dict = {
        "x": series.labels,
        "multiply": measure.chart_multiplier,
        "rules": settings.rules,
    }
    starts = series.starts
    phase_at: dict[int, str] = {}
    for phase_start, label in zip(settings.phase_starts, settings.phase_labels, strict=False):
        index = next((i for i, start in enumerate(starts) if start >= phase_start), None)
        if index:  # a phase starting at the first point (or after the last) splits nothing
            phase_at.setdefault(index, label)
    parts = sorted(phase_at)
    analysis.phase_indices = [(i, phase_at[i]) for i in parts]
    if parts:
        kwargs["parts"] = parts
    elif settings.baseline_end is not None:
        freeze = sum(1 for start in starts if start <= settings.baseline_end)
        if 0 < freeze < len(starts):
            kwargs["freeze"] = freeze
            analysis.baseline_index = freeze - 1
    try:
        if measure.is_ratio:
            result = analyze(series.numerators, series.denominators, chart=chart, **kwargs)
        else:
            result = analyze(series.values, chart=chart, **kwargs)
    except ValueError as error:
        analysis.warnings.append(f"The chart cannot be analysed: {error}.")
        return analysis
    analysis.result = result
    summary = result["summary"]
    analysis.signals = [
        {
            **s,
            "text": s["text"][:1].upper() + s["text"][1:] + _direction_words(measure, s, result),
            "tone": current_tone(measure, s, result),
        }
        for s in summary["signals"]
    ]
    analysis.warnings.extend(w[:1].upper() + w[1:] for w in summary["warnings"])
    return analysis


@dataclass(frozen=True)
class SignalCell:
    """One team's measure at a glance: the latest value and the signals in words.

    Small and plain, so that it can be cached: the analysis behind it is recomputed
    only when the team's values, chart settings or the measure change.
    """

    latest_value: float | None
    latest_label: str
    n_points: int
    signals: tuple[dict, ...] = ()

    @classmethod
    def of(cls, analysis: SeriesAnalysis) -> SignalCell:
        label = analysis.latest_label
        if isinstance(label, date):
            from .periods import period_label

            label = period_label(analysis.series.measure.frequency, label)
        return cls(
            latest_value=analysis.latest_value,
            latest_label=str(label or ""),
            n_points=analysis.n_points,
            signals=tuple(
                {"kind": x["kind"], "text": x["text"], "tone": x["tone"]} for x in analysis.signals
            ),
        )


@dataclass
class TeamSignals:
    """One team's measures at a glance, in the order of the measure set."""

    team: object
    cells: list[tuple[Measure, SignalCell]]


#: Summaries are recomputed when their inputs change (the key says which); this only
#: bounds how long an unused entry stays in the cache.
SUMMARY_CACHE_SECONDS = 24 * 3600


def _versions_by_team(*, collaborative, team_ids: list[int]) -> tuple[dict, dict]:
    """({team id: version of its values}, {team id: version of its chart settings}),
    each version "<last change>-<row count>" of the team's rows (so it changes when a
    row is added, changed or deleted). One query: both aggregates as a UNION ALL."""
    from django.db.models import Count, Max, Value

    from .models import DataPoint, TeamMeasure

    def versions(model, which: int):
        return (
            model.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                team_id__in=team_ids,
            )
            .values("team_id")
            .annotate(last=Max("updated_at"), n=Count("id"), which=Value(which))
            .order_by()
        )

    found: tuple[dict, dict] = ({}, {})
    for row in versions(DataPoint, 0).union(versions(TeamMeasure, 1), all=True):
        found[row["which"]][row["team_id"]] = f"{row['last'].timestamp():.6f}-{row['n']}"
    return found


def team_versions_rows(*, collaborative, team_ids: list[int]):
    """The versions of `_versions_by_team` as two queries of one JSON column ("row":
    team, last change, row count), of the values and of the chart settings, that a
    dashboard reads as columns of one statement with its other figures (the progress
    API's budget of queries, issue 16); `team_versions_from` turns them into the same
    versions, so the cache keys are the measures page's."""
    from django.db.models import Count, Max
    from django.db.models.functions import JSONObject

    from .models import DataPoint

    def versions(model):
        return (
            model.objects.filter(
                program_id=collaborative.program_id,
                collaborative=collaborative,
                team_id__in=team_ids,
            )
            .order_by()
            .values("team_id")
            .annotate(row=JSONObject(team_id="team_id", last=Max("updated_at"), n=Count("id")))
            .values("row")
        )

    return versions(DataPoint), versions(TeamMeasure)


def team_versions_from(data_rows, settings_rows) -> tuple[dict, dict]:
    """({team id: version of its values}, {team id: version of its chart settings})
    from the rows of `team_versions_rows`, written as `_versions_by_team` writes them."""
    from datetime import datetime

    return tuple(  # type: ignore[return-value]
        {
            row["team_id"]: f"{datetime.fromisoformat(row['last']).timestamp():.6f}-{row['n']}"
            for row in rows
        }
        for rows in (data_rows, settings_rows)
    )


def _summary_keys(
    *, collaborative, teams, measures, today: date, versions: tuple[dict, dict] | None = None
) -> dict[int, str]:
    """A cache key per team that changes whenever anything its summary rests on changes:
    its values (last change and count, so deletions count), its chart settings, the
    measures' definitions, the set, and the day. One query whatever the team count
    (none when the caller read the `versions` already, `team_versions_from`)."""
    if versions is None:
        versions = _versions_by_team(collaborative=collaborative, team_ids=[t.pk for t in teams])
    data, settings = versions
    measures_key = ",".join(f"{m.pk}:{m.updated_at.timestamp():.6f}" for m in measures)
    digest = hashlib.sha256(f"{measures_key}|{today}".encode()).hexdigest()[:16]
    return {
        t.pk: f"measures:signals:2:{collaborative.pk}:{t.pk}:{data.get(t.pk, '-')}:"
        f"{settings.get(t.pk, '-')}:{digest}"
        for t in teams
    }


def team_signal_summary(
    *,
    collaborative,
    teams,
    measures,
    today: date | None = None,
    versions: tuple[dict, dict] | None = None,
) -> list[TeamSignals]:
    """Every team's run-chart signals for every measure, in a fixed number of queries
    whatever the number of teams, measures and months: one to build the cache keys (none
    when the caller passes the teams' `versions`, see `team_versions_rows`), and for the
    teams whose summary is not cached three more (periods, values, settings)."""
    from django.core.cache import cache

    from .selectors import collaborative_team_series, team_chart_settings

    today = today or clock.today()
    teams = list(teams)
    measures = list(measures)
    keys = _summary_keys(
        collaborative=collaborative,
        teams=teams,
        measures=measures,
        today=today,
        versions=versions,
    )
    cached = cache.get_many(list(keys.values())) if teams else {}
    missing = [t for t in teams if keys[t.pk] not in cached]
    if missing:
        series = collaborative_team_series(
            collaborative=collaborative, teams=missing, measures=measures, today=today
        )
        settings = team_chart_settings(
            collaborative=collaborative, team_ids=[t.pk for t in missing]
        )
        fresh = {}
        for team in missing:
            fresh[keys[team.pk]] = [
                SignalCell.of(
                    analyse_series(
                        series[(team.pk, measure.pk)],
                        Settings.from_team_measure(
                            settings.get((team.pk, measure.pk)), chart_type=ChartType.RUN
                        ),
                    )
                )
                for measure in measures
            ]
        cache.set_many(fresh, timeout=SUMMARY_CACHE_SECONDS)
        cached.update(fresh)
    return [
        TeamSignals(team=team, cells=list(zip(measures, cached[keys[team.pk]], strict=True)))
        for team in teams
    ]
