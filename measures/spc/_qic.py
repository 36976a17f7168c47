"""qicharts2's charts with the Anhøj, IHI or Western Electric rules.

``analyze_qic`` is ``qic()`` for one series, in named steps: the base points (``freeze``
and ``exclude``), then for each phase its limits (the chart functions of ``_charts``), its
runs analysis and what is displayed (``_part``), its ``per_part`` record and warnings, and
its signals under the chosen rule set (``_part_signals``); ``_assemble`` builds the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._charts import CHARTS, PartLimits, Series
from ._explain import Explainer
from ._prepare import SubgroupStats
from ._result import (
    LOW_VOLUME_POINTS,
    RawSignal,
    empty_result,
    finite,
    mean_or_none,
    part_name,
    part_ranges,
    part_record,
    render_signals,
    scale,
    scale_y,
    signal_kinds,
    small_denominators_warning,
    summary,
)
from ._rules import inner_third, k_of_m, outside_signals, side_runs, trends, zone_scores
from ._runs import RunsResult, runs_analysis
from ._stats import runs_critical

TRIAL_LIMIT_POINTS = 20  # limits from fewer base points are trial limits (Provost & Murray)


@dataclass(frozen=True, slots=True, kw_only=True)
class QicInput:
    """The checked arguments of one analysis (see ``analyze``), positions 0-based."""

    chart: str
    rules: str  # "anhoej", "ihi" or "western_electric"
    y: list[float | None]  # the plotted values (ratios when there are denominators)
    num: list[float | None] | None
    den: list[float | None] | None
    subgroups: SubgroupStats | None  # xbar and s charts
    starts: list[int]  # where phases start
    freeze: int | None  # the limits rest on the first `freeze` points
    exclude: list[int]
    multiply: float
    screened_mr: bool
    categorical_x: bool
    label: Callable[[int], str]
    warnings: tuple[str, ...]  # found while checking the arguments

    @property
    def control(self) -> bool:
        """A control chart (with limits) rather than a run chart."""
        return self.chart != "run"


@dataclass(slots=True, kw_only=True)
class _Part:
    """One phase: the limits its chart computed, its runs analysis, and what is displayed
    (multiplied, with NaN and infinities as None), aligned with ``idx``."""

    number: int  # 1-based
    idx: list[int]
    limits: PartLimits
    runs: RunsResult
    runs_signal: bool
    y: list[float | None]
    cl: float | None
    lcl: list[float | None]
    ucl: list[float | None]
    lcl_95: list[float | None]
    ucl_95: list[float | None]
    sigma: list[bool]  # strictly outside the limits
    n_base: int  # non-missing base values the limits rest on
    has_limits: bool
    trial_limits: bool


def analyze_qic(inp: QicInput) -> dict:
    """``analyze()`` for the rule sets "anhoej", "ihi" and "western_electric"."""
    n = len(inp.y)
    if not n:
        return empty_result(chart=inp.chart, rules=inp.rules, warnings=inp.warnings, mdc=False)
    baseline, include = _base_points(inp)
    # base & include: the points the centre line and limits are computed from
    base = [b and c for b, c in zip(baseline, include, strict=True)]
    series = Series(inp.y, inp.num, inp.den, base, include, inp.subgroups)
    ranges = part_ranges(n, inp.starts)
    parts: list[_Part] = []
    warnings = list(inp.warnings)
    signals: list[RawSignal] = []
    for number, (start, end) in enumerate(ranges, 1):
        part = _part(inp, series=series, number=number, start=start, end=end)
        parts.append(part)
        warnings += _part_warnings(inp, part=part, nparts=len(ranges))
        signals += _part_signals(inp, part=part, include=include, several=len(ranges) > 1)
    if inp.num is not None:
        small = small_denominators_warning(inp.den, inp.label, inp.chart)
        if small:
            warnings.append(small)
    return _assemble(
        inp,
        parts=parts,
        signals=signals,
        warnings=warnings,
        baseline=baseline,
        include=include,
    )


def _base_points(inp: QicInput) -> tuple[list[bool], list[bool]]:
    """Per point: before the freeze (baseline) and not excluded (include)."""
    n = len(inp.y)
    baseline = [True] * n if inp.freeze is None else [i < inp.freeze for i in range(n)]
    include = [True] * n
    for e in inp.exclude:
        include[e] = False
    return baseline, include


def _part(inp: QicInput, *, series: Series, number: int, start: int, end: int) -> _Part:
    """Limits, runs analysis and displayed numbers of the phase from ``start`` to ``end``."""
    idx = list(range(start, end))
    limits = CHARTS[inp.chart](series, idx, inp.screened_mr, inp.categorical_x)
    runs = runs_analysis(idx, limits.y, limits.cl, series.include)
    mult = inp.multiply
    y = scale_y(limits.y, mult)
    lcl = scale(limits.lcl, mult)
    ucl = scale(limits.ucl, mult)
    sigma = [
        v is not None and ((u is not None and v > u) or (w is not None and v < w))
        for v, w, u in zip(y, lcl, ucl, strict=True)
    ]
    n_base = sum(
        1 for b, v in zip(series.base[start:end], limits.y, strict=True) if b and v is not None
    )
    has_limits = inp.control and any(u is not None for u in ucl)
    # the runs signal is Anhøj's, and means nothing for moving ranges or categories
    runs_rules = inp.rules == "anhoej" and inp.chart != "mr" and not inp.categorical_x
    return _Part(
        number=number,
        idx=idx,
        limits=limits,
        runs=runs,
        runs_signal=runs_rules and runs.signal,
        y=y,
        cl=finite(limits.cl * mult),
        lcl=lcl,
        ucl=ucl,
        lcl_95=scale(limits.lcl95, mult),
        ucl_95=scale(limits.ucl95, mult),
        sigma=sigma,
        n_base=n_base,
        has_limits=has_limits,
        trial_limits=has_limits and n_base < TRIAL_LIMIT_POINTS,
    )


def _part_warnings(inp: QicInput, *, part: _Part, nparts: int) -> list[str]:
    """Too few points to judge, no limits, or trial limits."""
    where = part_name(part.number, nparts)
    out = []
    if part.runs.n_useful < LOW_VOLUME_POINTS:
        out.append(
            f"too few points to judge{where}: only {part.runs.n_useful} useful points "
            f"(the runs rules need at least {LOW_VOLUME_POINTS})"
        )
    if inp.control and not part.has_limits:
        out.append(f"no control limits could be computed{where}: too few points, or no variation")
    elif part.trial_limits:
        out.append(
            f"trial limits{where}: the limits rest on only {part.n_base} points and may move as "
            f"more data arrive (about {TRIAL_LIMIT_POINTS} are needed for stable limits)"
        )
    return out


def _part_signals(
    inp: QicInput, *, part: _Part, include: list[bool], several: bool
) -> list[RawSignal]:
    """The phase's signals: points outside the limits, then the rule set's patterns."""
    idx = part.idx
    span = (idx[0], idx[-1]) if several else None
    signals: list[RawSignal] = []
    if inp.control:
        signals.extend((*s, 1, None) for s in outside_signals(idx, part.y, part.lcl, part.ucl))
    if inp.rules == "anhoej":
        if part.runs_signal:
            signals.extend(_anhoej_signals(part.runs, span))
        return signals
    lim = part.limits
    inc = [k for k, i in enumerate(idx) if include[i]]
    inc_idx = [idx[k] for k in inc]
    vals = [lim.y[k] for k in inc]
    cl = lim.cl
    sides = [
        None if v is None or cl != cl else (1 if v > cl else (-1 if v < cl else 0)) for v in vals
    ]
    if inp.rules == "ihi" and not inp.control:
        signals.extend(_ihi_run_signals(inc_idx, vals, sides, part.runs, span))
    else:
        z = zone_scores(
            [lim.zy[k] for k in inc], [lim.zc[k] for k in inc], [lim.zs[k] for k in inc]
        )
        signals.extend(_shewhart_signals(inp.rules, inc_idx, vals, sides, z))
    return signals


def _assemble(
    inp: QicInput,
    *,
    parts: list[_Part],
    signals: list[RawSignal],
    warnings: list[str],
    baseline: list[bool],
    include: list[bool],
) -> dict:
    """``per_point``, ``per_part`` and ``summary`` from the phases."""
    n = len(inp.y)
    y: list[float | None] = []
    cl: list[float | None] = []
    lcl: list[float | None] = []
    ucl: list[float | None] = []
    lcl_95: list[float | None] = []
    ucl_95: list[float | None] = []
    sigma: list[bool] = []
    runs_signal: list[bool] = []
    part_no: list[int] = []
    for p in parts:
        m = len(p.idx)
        y += p.y
        cl += [p.cl] * m
        lcl += p.lcl
        ucl += p.ucl
        lcl_95 += p.lcl_95
        ucl_95 += p.ucl_95
        sigma += p.sigma
        runs_signal += [p.runs_signal] * m
        part_no += [p.number] * m
    per_part = [
        part_record(
            number=p.number,
            start=p.idx[0],
            end=p.idx[-1],
            runs=p.runs,
            runs_signal=p.runs_signal,
            cl=p.cl,
            lcl=mean_or_none(p.lcl),
            ucl=mean_or_none(p.ucl),
            sigma_signals=sum(p.sigma),
            n_base=p.n_base,
            trial_limits=p.trial_limits,
        )
        for p in parts
    ]
    line = "median" if inp.chart == "run" else "centre line"
    per_point = {
        "y": y,
        "cl": cl,
        "lcl": lcl,
        "ucl": ucl,
        "lcl_95": lcl_95,
        "ucl_95": ucl_95,
        "sigma_signal": sigma,
        "runs_signal": runs_signal,
        "part": part_no,
        "baseline": baseline,
        "include": include,
        "signal_kinds": signal_kinds(signals, n),
    }
    result = summary(
        chart=inp.chart,
        rules=inp.rules,
        n_points=n,
        signals=render_signals(signals, Explainer(inp.label, inp.categorical_x, line), n),
        warnings=warnings,
        sigma_signals=sum(sigma),
        runs_signal=any(p.runs_signal for p in parts),
        per_part=per_part,
    )
    return {"per_point": per_point, "per_part": per_part, "summary": result}


# --------------------------------------------------------------------------------------------
# the rule sets' patterns
# --------------------------------------------------------------------------------------------


def _anhoej_signals(ra: RunsResult, span: tuple[int, int] | None) -> list[RawSignal]:
    """Anhøj: every run longer than the critical length, and too few crossings."""
    out: list[RawSignal] = []
    for start, end, side, length in ra.long_runs:
        pts = [i for i in ra.useful_idx if start <= i <= end]
        out.append(("shift", start, end, side, pts, length, None))
    if ra.n_crossings is not None and ra.n_crossings < ra.n_crossings_min:
        pts = ra.useful_idx
        out.append(
            (
                "crossings",
                pts[0],
                pts[-1],
                0,
                list(pts),
                len(pts),
                {
                    "crossings": ra.n_crossings,
                    "useful": ra.n_useful,
                    "minimum": ra.n_crossings_min,
                    "part_span": span,
                },
            )
        )
    return out


def _ihi_run_signals(
    inc_idx: list[int],
    vals: list[float | None],
    sides: list[int | None],
    ra: RunsResult,
    span: tuple[int, int] | None,
) -> list[RawSignal]:
    """IHI run-chart rules (Perla, Provost & Murray 2011) against the median."""
    out = [(*s, len(s[4]), None) for s in side_runs(inc_idx, sides, 6, False, "shift")]
    out += [(*s, _distinct(s[4], inc_idx, vals), None) for s in trends(inc_idx, vals, 5, "trend")]
    if ra.n_useful >= LOW_VOLUME_POINTS:
        n_above = sum(1 for s in sides if s == 1)
        n_below = sum(1 for s in sides if s == -1)
        runs = ra.n_crossings + 1
        low, high = runs_critical(n_above, n_below)
        pts = ra.useful_idx
        extra = {"runs": runs, "part_span": span}
        if runs <= low:
            out.append(("too_few_runs", pts[0], pts[-1], 0, list(pts), len(pts), extra))
        elif runs >= high:
            out.append(("too_many_runs", pts[0], pts[-1], 0, list(pts), len(pts), extra))
    return out


def _shewhart_signals(
    rules: str,
    inc_idx: list[int],
    vals: list[float | None],
    sides: list[int | None],
    z: list[float | None],
) -> list[RawSignal]:
    """Western Electric (1956) or IHI / Health Care Data Guide rules, beyond the 3-sigma rule."""
    out = [(*s, len(s[4]), None) for s in k_of_m(inc_idx, z, 2, 3, 2.0, "two_of_three")]
    if rules == "western_electric":
        out += [(*s, len(s[4]), None) for s in k_of_m(inc_idx, z, 4, 5, 1.0, "four_of_five")]
        out += [(*s, len(s[4]), None) for s in side_runs(inc_idx, sides, 8, True, "shift")]
    else:
        out += [(*s, len(s[4]), None) for s in side_runs(inc_idx, sides, 8, False, "shift")]
        out += [
            (*s, _distinct(s[4], inc_idx, vals), None) for s in trends(inc_idx, vals, 6, "trend")
        ]
        out += [(*s, len(s[4]), None) for s in inner_third(inc_idx, z, 15, "inner_third")]
    return out


def _distinct(points: list[int], inc_idx: list[int], vals: list[float | None]) -> int:
    """Points in a trend counted the IHI way: a repeated value counts once."""
    pos = {i: k for k, i in enumerate(inc_idx)}
    seq = [vals[pos[i]] for i in points]
    return 1 + sum(1 for a, b in zip(seq, seq[1:], strict=False) if a != b)
