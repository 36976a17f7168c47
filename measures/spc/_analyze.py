"""``analyze()``: input checking, parts, limits, runs analysis, rule sets, explanations."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ._charts import CHARTS, Series
from ._explain import Explainer, label_maker, mdc_suffix
from ._input import positions, to_bool, to_float, to_floats, to_int
from ._rules import (
    assurance_type,
    inner_third,
    k_of_m,
    mdc_limits,
    mdc_point_types,
    outside_signals,
    side_runs,
    trends,
    zone_scores,
)
from ._runs import runs_analysis
from ._stats import mean_sd, runs_critical

RULE_SETS = ("anhoej", "mdc", "ihi", "western_electric")
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}
DENOMINATOR_CHARTS = ("run", "i", "mr", "p", "pp", "u", "up")
NEEDS_DENOMINATORS = ("p", "pp", "u", "up")
SUBGROUP_CHARTS = ("xbar", "s")

LOW_VOLUME_POINTS = 10  # the runs rules are not meaningful below 10 useful points (Anhøj)
TRIAL_LIMIT_POINTS = 20  # limits from fewer base points are trial limits (Provost & Murray)
MDC_TRIAL_POINTS = 13  # NHSRplotthedots option ptd_spc.warning_threshold (default 13)
MDC_MIN_FIX_AFTER = 12  # NHSRplotthedots refuses fix_after_n_points below 12
SMALL_DENOMINATOR = 10

_isfinite = math.isfinite


def _fin(v: float | None) -> float | None:
    return v if v is not None and _isfinite(v) else None


def _scale(values: list[float], mult: float) -> list[float | None]:
    """Multiply, turning NaN and infinities into None (x - x is 0 only for finite x)."""
    if mult == 1:
        return [v if v - v == 0 else None for v in values]
    return [x if (x := v * mult) - x == 0 else None for v in values]


def _scale_y(values: list[float | None], mult: float) -> list[float | None]:
    if mult == 1:
        return [None if v is None or v - v != 0 else v for v in values]
    return [None if v is None or (x := v * mult) - x != 0 else x for v in values]


def _mean_or_none(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return math.fsum(vals) / len(vals) if vals else None


def analyze(
    values: Sequence[float | None] | None,
    denominators: Sequence[float | None] | None = None,
    chart: str = "run",
    *,
    subgroups: Sequence[Sequence[float | None]] | None = None,
    x: Sequence | None = None,
    freeze: int | None = None,
    parts: Iterable[int] | None = None,
    exclude: Iterable[int] | None = None,
    multiply: float = 1,
    screened_mr: bool = True,
    categorical_x: bool = False,
    rules: str = "anhoej",
    improvement_direction: str = "increase",
    target: float | None = None,
    rebase: Iterable[int] | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
) -> dict:
    """Analyse one series as a run or control chart and say, in numbers and words, what it shows.

    The calculation reproduces qicharts2's ``qic()`` (``rules="anhoej"``) or
    NHSRplotthedots' ``ptd_spc()`` (``rules="mdc"``) so that a statistician checking a chart in
    R gets the same centre line, limits and signals; the Western Electric and IHI rule sets
    follow their published definitions. Positions (``parts``, ``exclude``, ``rebase``) are
    0-based; ``freeze`` and ``fix_after`` are counts of leading points.

    Every argument and returned key is described in the ``measures.spc`` package docstring.
    In short: ``per_point`` holds lists aligned with the input (values, centre line, limits,
    signals), ``per_part`` one dict per phase with the runs statistics, and ``summary`` the
    signals explained in plain language and the warnings (too few points, small
    denominators, trial limits).

    Raises ValueError naming the problem for bad input; None marks a missing value.
    """
    if not isinstance(chart, str) or chart not in CHARTS:
        raise ValueError(f"unknown chart {chart!r}: choose one of {', '.join(CHARTS)}")
    if not isinstance(rules, str) or rules not in RULE_SETS:
        raise ValueError(f"unknown rule set {rules!r}: choose one of {', '.join(RULE_SETS)}")
    screened = to_bool(screened_mr, "screened_mr")
    categorical = to_bool(categorical_x, "categorical_x")
    screen = to_bool(screen_outliers, "screen_outliers")
    if not isinstance(improvement_direction, str) or improvement_direction not in DIRECTIONS:
        raise ValueError(
            f"unknown improvement_direction {improvement_direction!r}: choose one of "
            "increase, decrease, neutral"
        )
    direction = DIRECTIONS[improvement_direction]
    mult = to_float(multiply, "multiply")
    if mult is None or mult <= 0:
        raise ValueError(f"multiply must be a positive number, got {multiply!r}")
    tgt = None if target is None else to_float(target, "target")

    if rules == "mdc":
        if chart != "i":
            raise ValueError(
                "rules='mdc' (Making Data Count, NHSRplotthedots) applies to chart 'i' only"
            )
        for name, arg in (("freeze", freeze), ("parts", parts), ("exclude", exclude)):
            if arg is not None:
                raise ValueError(
                    f"{name} does not apply to rules='mdc'; use rebase and fix_after instead"
                )
    else:
        if rebase is not None or fix_after is not None:
            raise ValueError(
                "rebase and fix_after apply to rules='mdc' only; use parts and freeze instead"
            )
        if rules == "western_electric" and chart in ("run", "mr"):
            raise ValueError(
                f"the Western Electric rules need sigma limits; chart {chart!r} has none to use"
            )
        if rules == "ihi" and chart == "mr":
            raise ValueError("the IHI rules do not apply to a moving-range chart")

    # ---- data -------------------------------------------------------------------------------
    sub = None
    if chart in SUBGROUP_CHARTS:
        if subgroups is None:
            raise ValueError(f"chart {chart!r} needs subgroups: a list of lists of measurements")
        if values is not None:
            raise ValueError(f"chart {chart!r} takes subgroups instead of values, not both")
        if denominators is not None:
            raise ValueError(f"chart {chart!r} takes no denominators")
        sub = _subgroup_stats(subgroups)
        y = list(sub[1])
    else:
        if subgroups is not None:
            raise ValueError("subgroups apply to charts 'xbar' and 's' only")
        y = to_floats(values, "values")
    n = len(y)

    num = den = None
    if denominators is not None:
        if chart not in DENOMINATOR_CHARTS:
            hint = " (use 'u' for rates)" if chart == "c" else ""
            raise ValueError(f"chart {chart!r} takes no denominators{hint}")
        y, num, den = _ratios(y, to_floats(denominators, "denominators"), chart)
    elif chart in NEEDS_DENOMINATORS:
        raise ValueError(f"chart {chart!r} needs denominators")
    _check_counts(y, chart)

    if x is not None:
        if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
            raise ValueError("x must be a sequence of labels, one per point")
        x = list(x)
        if len(x) != n:
            raise ValueError(f"values and x differ in length ({n} and {len(x)})")

    # ---- positions --------------------------------------------------------------------------
    warnings: list[str] = []
    excl = positions(exclude, "exclude", n)
    starts = positions(parts, "parts", n)
    fz = None
    if freeze is not None:
        fz = to_int(freeze, "freeze")
        if not 1 <= fz <= n:
            raise ValueError(f"freeze must be between 1 and {n} (the number of points), got {fz}")
        if starts:
            fz = None
            warnings.append("freeze is ignored because parts are given (as in qicharts2)")
    rb = positions(rebase, "rebase", n)
    fa = None
    if fix_after is not None:
        fa = to_int(fix_after, "fix_after")
        if fa < MDC_MIN_FIX_AFTER:
            raise ValueError(
                f"fix_after must be at least {MDC_MIN_FIX_AFTER} (as in NHSRplotthedots), got {fa}"
            )

    label = label_maker(x)
    if rules == "mdc":
        return _analyze_mdc(y, den, rb, fa, screen, direction, tgt, mult, label, warnings)
    return _analyze_qic(
        chart,
        rules,
        y,
        num,
        den,
        sub,
        starts,
        fz,
        excl,
        mult,
        screened,
        categorical,
        label,
        warnings,
    )


# --------------------------------------------------------------------------------------------
# data preparation
# --------------------------------------------------------------------------------------------


_PLAIN = {float, int}


def _subgroup_stats(subgroups):
    """Size, mean and SD of each subgroup (qicharts2 ``y.length``, ``y.mean``, ``y.sd``)."""
    if isinstance(subgroups, (str, bytes)) or not isinstance(subgroups, Iterable):
        raise ValueError("subgroups must be a list of lists of measurements")
    sub_n: list[int] = []
    sub_mean: list[float | None] = []
    sub_sd: list[float | None] = []
    fsum = math.fsum
    for i, g in enumerate(subgroups):
        total = None
        # fast path for plain lists of finite numbers; everything else is checked one by one
        if (type(g) is list or type(g) is tuple) and set(map(type, g)) <= _PLAIN:
            try:
                total = fsum(g)
            except (ValueError, OverflowError):
                total = None
            if total is not None and total - total != 0:
                total = None
        vals = (
            g
            if total is not None
            else [v for v in to_floats(g, f"subgroups[{i}]") if v is not None]
        )
        k = len(vals)
        sub_n.append(k)
        if k:
            m, sd_ = mean_sd(vals, total)
            sub_mean.append(m)
            sub_sd.append(sd_ if k > 1 else None)
        else:
            sub_mean.append(None)
            sub_sd.append(None)
    return sub_n, sub_mean, sub_sd


def _ratios(y, d, chart):
    """y / n with qicharts2's missing pairs: a missing numerator or denominator drops both."""
    n = len(y)
    if len(d) != n:
        raise ValueError(f"values and denominators differ in length ({n} and {len(d)})")
    counts = chart in NEEDS_DENOMINATORS
    proportion = chart in ("p", "pp")
    num: list[float | None] = []
    den: list[float | None] = []
    out: list[float | None] = []
    for i in range(n):
        r, m = y[i], d[i]
        if m is not None and m <= 0:
            raise ValueError(f"denominators[{i}] is {m:g}: a denominator must be positive")
        if r is None or m is None:
            num.append(None)
            den.append(None)
            out.append(None)
            continue
        if counts and r < 0:
            raise ValueError(f"values[{i}] is {r:g}: a count cannot be negative")
        if proportion and r > m:
            raise ValueError(
                f"values[{i}] ({r:g}) is larger than denominators[{i}] ({m:g}): "
                "a proportion cannot exceed 1"
            )
        num.append(r)
        den.append(m)
        out.append(r / m)
    return out, num, den


def _check_counts(y, chart):
    if chart in ("c", "g"):
        for i, v in enumerate(y):
            if v is not None and v < 0:
                raise ValueError(f"values[{i}] is {v:g}: a count cannot be negative")
    elif chart == "t":
        for i, v in enumerate(y):
            if v is not None and v <= 0:
                raise ValueError(
                    f"values[{i}] is {v:g}: times between events must be greater than zero"
                )


def _ranges(n: int, starts: list[int]) -> list[tuple[int, int]]:
    cuts = sorted({0, *starts})
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], n], strict=True) if a < b]


def _empty(chart: str, rules: str, warnings: list[str], mdc: bool) -> dict:
    keys = [
        "y",
        "cl",
        "lcl",
        "ucl",
        "lcl_95",
        "ucl_95",
        "sigma_signal",
        "runs_signal",
        "part",
        "baseline",
        "include",
        "signal_kinds",
    ]
    if mdc:
        keys += [
            "mean",
            "lpl",
            "upl",
            "outside_limits",
            "close_to_limits",
            "relative_to_mean",
            "special_cause_type",
            "point_type",
        ]
    summary = _summary_base(chart, rules, 0, [], [*warnings, "no data"], 0, False)
    if mdc:
        summary["variation_type"] = None
        summary["assurance_type"] = None
    return {"per_point": {k: [] for k in keys}, "per_part": [], "summary": summary}


def _summary_base(chart, rules, n, signals, warnings, n_sigma, runs_any) -> dict:
    return {
        "chart": chart,
        "rules": rules,
        "n_points": n,
        "special_cause": bool(signals),
        "runs_signal": runs_any,
        "sigma_signals": n_sigma,
        "signals": signals,
        "warnings": [w[:1].upper() + w[1:] for w in warnings],
    }


def _part_name(pno: int, nparts: int, word: str = "phase") -> str:
    return f" in {word} {pno}" if nparts > 1 else ""


# --------------------------------------------------------------------------------------------
# qicharts2 charts with the Anhøj, IHI or Western Electric rules
# --------------------------------------------------------------------------------------------


def _analyze_qic(
    chart,
    rules,
    y,
    num,
    den,
    sub,
    starts,
    fz,
    excl,
    mult,
    screened,
    categorical,
    label,
    warnings,
) -> dict:
    n = len(y)
    if not n:
        return _empty(chart, rules, warnings, False)
    base = [True] * n if fz is None else [i < fz for i in range(n)]
    include = [True] * n
    for e in excl:
        include[e] = False
    # base = baseline & include: the points the centre line and limits are computed from
    series = Series(
        y, num, den, [b and c for b, c in zip(base, include, strict=True)], include, sub
    )
    fn = CHARTS[chart]

    out_y: list[float | None] = [None] * n
    out_cl: list[float | None] = [None] * n
    out_lcl: list[float | None] = [None] * n
    out_ucl: list[float | None] = [None] * n
    out_lcl95: list[float | None] = [None] * n
    out_ucl95: list[float | None] = [None] * n
    part_no = [0] * n
    sigma = [False] * n
    runs_sig = [False] * n
    kinds: list[list[str] | None] = [None] * n
    per_part: list[dict] = []
    signals: list[tuple] = []  # (kind, start, end, side, points, count, extra)
    suppress_runs = chart == "mr" or categorical
    line = "median" if chart == "run" else "centre line"
    ranges = _ranges(n, starts)
    nparts = len(ranges)
    control = chart != "run"

    for pno, (a, b) in enumerate(ranges, 1):
        idx = list(range(a, b))
        lim = fn(series, idx, screened, categorical)
        ra = runs_analysis(idx, lim.y, lim.cl, include)
        cl_m = _fin(lim.cl * mult)
        ys = _scale_y(lim.y, mult)
        lo = _scale(lim.lcl, mult)
        hi = _scale(lim.ucl, mult)
        out_y[a:b] = ys
        out_cl[a:b] = [cl_m] * (b - a)
        out_lcl[a:b] = lo
        out_ucl[a:b] = hi
        out_lcl95[a:b] = _scale(lim.lcl95, mult)
        out_ucl95[a:b] = _scale(lim.ucl95, mult)
        part_no[a:b] = [pno] * (b - a)
        sig = [
            v is not None and ((u is not None and v > u) or (w is not None and v < w))
            for v, w, u in zip(ys, lo, hi, strict=True)
        ]
        sigma[a:b] = sig
        n_sig = sum(sig)
        part_runs = rules == "anhoej" and not suppress_runs and ra.signal
        if part_runs:
            for i in idx:
                runs_sig[i] = True

        n_base = _count_base(lim, idx, series.base)
        has_limits = control and any(out_ucl[i] is not None for i in idx)
        trial = control and has_limits and n_base < TRIAL_LIMIT_POINTS
        per_part.append(
            {
                "part": pno,
                "start": a,
                "end": b - 1,
                "n_obs": ra.n_obs,
                "n_useful": ra.n_useful,
                "longest_run": ra.longest_run,
                "longest_run_max": ra.longest_run_max,
                "n_crossings": ra.n_crossings,
                "n_crossings_min": ra.n_crossings_min,
                "runs_signal": part_runs,
                "cl": cl_m,
                "lcl": _mean_or_none(out_lcl[i] for i in idx),
                "ucl": _mean_or_none(out_ucl[i] for i in idx),
                "sigma_signals": n_sig,
                "n_base": n_base,
                "trial_limits": trial,
            }
        )
        where = _part_name(pno, nparts)
        if ra.n_useful < LOW_VOLUME_POINTS:
            warnings.append(
                f"too few points to judge{where}: only {ra.n_useful} useful points "
                f"(the runs rules need at least {LOW_VOLUME_POINTS})"
            )
        if control and not has_limits:
            warnings.append(
                f"no control limits could be computed{where}: too few points, or no variation"
            )
        elif trial:
            warnings.append(
                f"trial limits{where}: the limits rest on only {n_base} points and may move as "
                f"more data arrive (about {TRIAL_LIMIT_POINTS} are needed for stable limits)"
            )

        # ---- signals ----
        span = (a, b - 1) if nparts > 1 else None
        inc_idx = [i for i in idx if include[i]]
        if control:
            signals.extend((*s, 1, None) for s in outside_signals(idx, out_y, out_lcl, out_ucl))
        if rules == "anhoej":
            if part_runs:
                signals.extend(_anhoej_signals(ra, span))
        else:
            yl = {i: lim.y[k] for k, i in enumerate(idx)}
            vals = [yl[i] for i in inc_idx]
            cl = lim.cl
            sides = [
                None if v is None or cl != cl else (1 if v > cl else (-1 if v < cl else 0))
                for v in vals
            ]
            if rules == "ihi" and not control:
                signals.extend(_ihi_run_signals(inc_idx, vals, sides, ra, span))
            else:
                zl = {i: k for k, i in enumerate(idx)}
                z = zone_scores(
                    [lim.zy[zl[i]] for i in inc_idx],
                    [lim.zc[zl[i]] for i in inc_idx],
                    [lim.zs[zl[i]] for i in inc_idx],
                )
                signals.extend(_shewhart_signals(rules, inc_idx, vals, sides, z))

    for s in signals:
        kind, pts = s[0], s[4]
        for i in pts:
            if kinds[i] is None:
                kinds[i] = [kind]
            elif kind not in kinds[i]:
                kinds[i].append(kind)

    if num is not None:
        _small_denominators(den, label, warnings, chart)

    explainer = Explainer(label, categorical, line)
    sig_out = _render(signals, explainer, n)
    per_point = {
        "y": out_y,
        "cl": out_cl,
        "lcl": out_lcl,
        "ucl": out_ucl,
        "lcl_95": out_lcl95,
        "ucl_95": out_ucl95,
        "sigma_signal": sigma,
        "runs_signal": runs_sig,
        "part": part_no,
        "baseline": base,
        "include": include,
        "signal_kinds": [k or [] for k in kinds],
    }
    summary = _summary_base(
        chart, rules, n, sig_out, warnings, sum(sigma), any(p["runs_signal"] for p in per_part)
    )
    summary["trial_limits"] = any(p["trial_limits"] for p in per_part)
    summary["low_volume"] = any(p["n_useful"] < LOW_VOLUME_POINTS for p in per_part)
    return {"per_point": per_point, "per_part": per_part, "summary": summary}


def _count_base(lim, idx, base) -> int:
    """Non-missing base values the limits rest on (moving ranges for the MR chart)."""
    return sum(1 for k, i in enumerate(idx) if base[i] and lim.y[k] is not None)


def _anhoej_signals(ra, span) -> list[tuple]:
    out = []
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


def _ihi_run_signals(inc_idx, vals, sides, ra, span) -> list[tuple]:
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


def _shewhart_signals(rules, inc_idx, vals, sides, z) -> list[tuple]:
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


def _distinct(points, inc_idx, vals) -> int:
    """Points in a trend counted the IHI way: a repeated value counts once."""
    pos = {i: k for k, i in enumerate(inc_idx)}
    seq = [vals[pos[i]] for i in points]
    return 1 + sum(1 for a, b in zip(seq, seq[1:], strict=False) if a != b)


def _render(signals, explainer: Explainer, n: int, suffixes=None) -> list[dict]:
    out = []
    for k, s in enumerate(sorted(signals, key=lambda s: (s[1], s[2], s[0]))):
        kind, start, end, side, pts, count, extra = s
        text = explainer.text(kind, start, end, side, count, n - 1, extra)
        if suffixes is not None:
            text += suffixes[k]
        out.append(
            {
                "kind": kind,
                "start": start,
                "end": end,
                "points": list(pts),
                "text": text[0].upper() + text[1:],
            }
        )
    return out


def _small_denominators(den, label, warnings, chart) -> None:
    small = [i for i, d in enumerate(den) if d is not None and d < SMALL_DENOMINATOR]
    if not small:
        return
    what = "proportions" if chart in ("p", "pp") else "rates" if chart in ("u", "up") else "ratios"
    names = ", ".join(label(i) for i in small[:5]) + (", ..." if len(small) > 5 else "")
    noun = "point has a denominator" if len(small) == 1 else "points have denominators"
    warnings.append(
        f"{len(small)} {noun} under {SMALL_DENOMINATOR} ({names}): such small {what} swing "
        "widely by chance alone"
    )


# --------------------------------------------------------------------------------------------
# Making Data Count (NHSRplotthedots)
# --------------------------------------------------------------------------------------------

_MDC_KIND = {
    "Above UCL": "outside_limits",
    "Below LCL": "outside_limits",
    "7 Point Trend (Increasing)": "trend",
    "7 Point Trend (Decreasing)": "trend",
    "2 in 3 Above CL": "two_of_three",
    "2 in 3 Below CL": "two_of_three",
    "7 Points Above CL": "shift",
    "7 Points Below CL": "shift",
}


def _analyze_mdc(y, den, rb, fa, screen, direction, tgt, mult, label, warnings) -> dict:
    n = len(y)
    if not n:
        return _empty("i", "mdc", warnings, True)
    keys = (
        "y",
        "cl",
        "lcl",
        "ucl",
        "lcl_95",
        "ucl_95",
        "mean",
        "lpl",
        "upl",
        "relative_to_mean",
        "special_cause_type",
        "point_type",
    )
    pp: dict[str, list] = {k: [None] * n for k in keys}
    outside = [False] * n
    close = [False] * n
    part_no = [0] * n
    baseline = [True] * n
    kinds: list[list[str] | None] = [None] * n
    per_part: list[dict] = []
    signals: list[tuple] = []
    suffixes: list[str] = []
    ranges = _ranges(n, rb)
    nparts = len(ranges)
    include = [True] * n
    last_group = None
    for pno, (a, b) in enumerate(ranges, 1):
        idx = list(range(a, b))
        g = mdc_limits(y, idx, fa, screen)
        last_group = g
        yl = [y[i] for i in idx]
        out, cls, rtm, types, ptypes = mdc_point_types(yl, g, direction)
        m_m, lpl_m, upl_m = _fin(g.mean * mult), _fin(g.lpl * mult), _fin(g.upl * mult)
        nlpl_m, nupl_m = _fin(g.nlpl * mult), _fin(g.nupl * mult)
        m = b - a
        pp["y"][a:b] = _scale_y(yl, mult)
        pp["cl"][a:b] = pp["mean"][a:b] = [m_m] * m
        pp["lcl"][a:b] = pp["lpl"][a:b] = [lpl_m] * m
        pp["ucl"][a:b] = pp["upl"][a:b] = [upl_m] * m
        pp["lcl_95"][a:b] = [nlpl_m] * m
        pp["ucl_95"][a:b] = [nupl_m] * m
        pp["relative_to_mean"][a:b] = rtm
        pp["special_cause_type"][a:b] = types
        pp["point_type"][a:b] = ptypes
        outside[a:b] = out
        close[a:b] = cls
        part_no[a:b] = [pno] * m
        if fa is not None:
            baseline[a:b] = [k < fa for k in range(m)]
        ra = runs_analysis(idx, yl, g.mean, include)
        trial = len(idx) < MDC_TRIAL_POINTS
        per_part.append(
            {
                "part": pno,
                "start": a,
                "end": b - 1,
                "n_obs": ra.n_obs,
                "n_useful": ra.n_useful,
                "longest_run": ra.longest_run,
                "longest_run_max": ra.longest_run_max,
                "n_crossings": ra.n_crossings,
                "n_crossings_min": ra.n_crossings_min,
                "runs_signal": False,
                "cl": m_m,
                "lcl": lpl_m,
                "ucl": upl_m,
                "sigma_signals": sum(out),
                "n_base": sum(1 for v in (yl if fa is None else yl[:fa]) if v is not None),
                "trial_limits": trial,
                "mean": m_m,
                "lpl": lpl_m,
                "upl": upl_m,
                "variation_type": ptypes[-1],
            }
        )
        where = _part_name(pno, nparts, "period")
        if ra.n_useful < LOW_VOLUME_POINTS:
            warnings.append(
                f"too few points to judge{where}: only {ra.n_useful} useful points "
                f"(at least {LOW_VOLUME_POINTS} are needed)"
            )
        if upl_m is None:
            warnings.append(
                f"no process limits could be computed{where}: too few points, or no variation"
            )
        elif trial:
            warnings.append(
                f"trial limits{where}: only {len(idx)} points (fewer than {MDC_TRIAL_POINTS}); "
                "the limits will be revised as points are added"
            )
        for s in _mdc_segments(idx, types, ptypes, rtm, yl):
            signals.append(s[:-1])
            suffixes.append(s[-1])

    # keep suffixes aligned with the sorted order used by _render
    order = sorted(range(len(signals)), key=lambda k: (signals[k][1], signals[k][2], signals[k][0]))
    signals = [signals[k] for k in order]
    suffixes = [suffixes[k] for k in order]
    for s in signals:
        for i in s[4]:
            if kinds[i] is None:
                kinds[i] = [s[0]]
            elif s[0] not in kinds[i]:
                kinds[i].append(s[0])
    if den is not None:
        _small_denominators(den, label, warnings, "i")

    sig_out = _render(signals, Explainer(label, False, "mean"), n, suffixes)
    per_point = {
        "y": pp["y"],
        "cl": pp["cl"],
        "lcl": pp["lcl"],
        "ucl": pp["ucl"],
        "lcl_95": pp["lcl_95"],
        "ucl_95": pp["ucl_95"],
        "sigma_signal": list(outside),
        "runs_signal": [False] * n,
        "part": part_no,
        "baseline": baseline,
        "include": include,
        "signal_kinds": [k or [] for k in kinds],
        "mean": pp["mean"],
        "lpl": pp["lpl"],
        "upl": pp["upl"],
        "outside_limits": outside,
        "close_to_limits": close,
        "relative_to_mean": pp["relative_to_mean"],
        "special_cause_type": pp["special_cause_type"],
        "point_type": pp["point_type"],
    }
    summary = _summary_base("i", "mdc", n, sig_out, warnings, sum(outside), False)
    summary["trial_limits"] = any(p["trial_limits"] for p in per_part)
    summary["low_volume"] = any(p["n_useful"] < LOW_VOLUME_POINTS for p in per_part)
    summary["variation_type"] = per_part[-1]["variation_type"]
    lg = last_group
    summary["assurance_type"] = assurance_type(tgt, direction, lg.lpl * mult, lg.upl * mult)
    return {"per_point": per_point, "per_part": per_part, "summary": summary}


def _mdc_segments(idx, types, ptypes, rtm, yl):
    """Group flagged MDC points into signals: one per pattern, one per point outside the limits."""
    out = []
    k = 0
    n = len(idx)
    while k < n:
        t = types[k]
        kind = _MDC_KIND.get(t)
        if kind is None:
            k += 1
            continue
        members = [k]
        if kind != "outside_limits":
            gap = 2 if kind == "two_of_three" else 1
            j = k + 1
            while j < n and j - members[-1] <= gap:
                if types[j] == t:
                    members.append(j)
                elif _MDC_KIND.get(types[j]) is not None and j - members[-1] == 1:
                    break
                j += 1
        side = 1 if ("Increasing" in t or "Above" in t) else -1
        pts = [idx[j] for j in members]
        suffix = mdc_suffix(ptypes[members[0]])
        out.append((kind, pts[0], pts[-1], side, pts, len(pts), None, suffix))
        k = members[-1] + 1
    return out
