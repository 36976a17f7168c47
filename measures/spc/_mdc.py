"""Making Data Count (NHSRplotthedots): the XmR chart with the MDC rules and point types.

``analyze_mdc`` is ``ptd_spc()`` for one series, in named steps: for each rebase group its
mean and process limits, point types and displayed numbers (``_group``), its ``per_part``
record and warnings, and its signals, one per pattern (``_group_signals``); ``_assemble``
builds the answer, with the variation and assurance icons of the last group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._explain import Explainer, mdc_suffix
from ._result import (
    LOW_VOLUME_POINTS,
    RawSignal,
    empty_result,
    finite,
    part_name,
    part_ranges,
    part_record,
    render_signals,
    scale_y,
    signal_kinds,
    small_denominators_warning,
    summary,
)
from ._rules import MdcGroup, assurance_type, mdc_limits, mdc_point_types
from ._runs import RunsResult, runs_analysis

MDC_TRIAL_POINTS = 13  # NHSRplotthedots option ptd_spc.warning_threshold (default 13)

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


@dataclass(frozen=True, slots=True, kw_only=True)
class MdcInput:
    """The checked arguments of one MDC analysis (see ``analyze``), positions 0-based."""

    y: list[float | None]  # the plotted values (ratios when there are denominators)
    den: list[float | None] | None
    rebase: list[int]  # where groups start
    fix_after: int | None  # each group's limits rest on its first `fix_after` points
    screen_outliers: bool
    direction: int  # 1 increase, -1 decrease, 0 neutral
    target: float | None
    multiply: float
    label: Callable[[int], str]
    warnings: tuple[str, ...]  # found while checking the arguments


@dataclass(slots=True, kw_only=True)
class _Group:
    """One rebase group: its limits and point types, and what is displayed (multiplied),
    aligned with ``idx``."""

    number: int  # 1-based
    idx: list[int]
    limits: MdcGroup
    runs: RunsResult
    y: list[float | None]
    mean: float | None
    lpl: float | None
    upl: float | None
    nlpl: float | None
    nupl: float | None
    outside: list[bool]
    close: list[bool]
    relative_to_mean: list[int | None]
    special_cause_type: list[str]
    point_type: list[str]
    baseline: list[bool]
    n_base: int
    trial_limits: bool


def analyze_mdc(inp: MdcInput) -> dict:
    """``analyze()`` for ``rules="mdc"`` (chart "i")."""
    n = len(inp.y)
    if not n:
        return empty_result(chart="i", rules="mdc", warnings=inp.warnings, mdc=True)
    include = [True] * n
    ranges = part_ranges(n, inp.rebase)
    groups: list[_Group] = []
    warnings = list(inp.warnings)
    found: list[tuple[RawSignal, str]] = []  # each signal with its "(improvement)" suffix
    for number, (start, end) in enumerate(ranges, 1):
        group = _group(inp, include=include, number=number, start=start, end=end)
        groups.append(group)
        warnings += _group_warnings(group=group, ngroups=len(ranges))
        found += _group_signals(group=group)
    # time order, which render_signals keeps, so that the suffixes stay with their signals
    found.sort(key=lambda f: (f[0][1], f[0][2], f[0][0]))
    if inp.den is not None:
        small = small_denominators_warning(inp.den, inp.label, "i")
        if small:
            warnings.append(small)
    return _assemble(inp, groups=groups, found=found, warnings=warnings, include=include)


def _group(inp: MdcInput, *, include: list[bool], number: int, start: int, end: int) -> _Group:
    """Limits, point types and displayed numbers of the group from ``start`` to ``end``."""
    idx = list(range(start, end))
    fa = inp.fix_after
    limits = mdc_limits(inp.y, idx, fa, inp.screen_outliers)
    yl = [inp.y[i] for i in idx]
    outside, close, rtm, types, ptypes = mdc_point_types(yl, limits, inp.direction)
    mult = inp.multiply
    m = end - start
    return _Group(
        number=number,
        idx=idx,
        limits=limits,
        runs=runs_analysis(idx, yl, limits.mean, include),
        y=scale_y(yl, mult),
        mean=finite(limits.mean * mult),
        lpl=finite(limits.lpl * mult),
        upl=finite(limits.upl * mult),
        nlpl=finite(limits.nlpl * mult),
        nupl=finite(limits.nupl * mult),
        outside=outside,
        close=close,
        relative_to_mean=rtm,
        special_cause_type=types,
        point_type=ptypes,
        baseline=[True] * m if fa is None else [k < fa for k in range(m)],
        n_base=sum(1 for v in (yl if fa is None else yl[:fa]) if v is not None),
        trial_limits=m < MDC_TRIAL_POINTS,
    )


def _group_warnings(*, group: _Group, ngroups: int) -> list[str]:
    """Too few points to judge, no limits, or trial limits."""
    where = part_name(group.number, ngroups, "period")
    out = []
    n_useful = group.runs.n_useful
    if n_useful < LOW_VOLUME_POINTS:
        out.append(
            f"too few points to judge{where}: only {n_useful} useful points "
            f"(at least {LOW_VOLUME_POINTS} are needed)"
        )
    if group.upl is None:
        out.append(f"no process limits could be computed{where}: too few points, or no variation")
    elif group.trial_limits:
        out.append(
            f"trial limits{where}: only {len(group.idx)} points (fewer than {MDC_TRIAL_POINTS}); "
            "the limits will be revised as points are added"
        )
    return out


def _group_signals(*, group: _Group) -> list[tuple[RawSignal, str]]:
    """Group flagged MDC points into signals: one per pattern, one per point outside the
    limits; each with the suffix that says whether it is an improvement or a concern."""
    idx, types, ptypes = group.idx, group.special_cause_type, group.point_type
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
        signal = (kind, pts[0], pts[-1], side, pts, len(pts), None)
        out.append((signal, mdc_suffix(ptypes[members[0]])))
        k = members[-1] + 1
    return out


def _assemble(
    inp: MdcInput,
    *,
    groups: list[_Group],
    found: list[tuple[RawSignal, str]],
    warnings: list[str],
    include: list[bool],
) -> dict:
    """``per_point``, ``per_part`` and ``summary`` (with the MDC icons) from the groups."""
    n = len(inp.y)
    y: list[float | None] = []
    mean: list[float | None] = []
    lpl: list[float | None] = []
    upl: list[float | None] = []
    nlpl: list[float | None] = []
    nupl: list[float | None] = []
    outside: list[bool] = []
    close: list[bool] = []
    rtm: list[int | None] = []
    types: list[str] = []
    ptypes: list[str] = []
    part_no: list[int] = []
    baseline: list[bool] = []
    for g in groups:
        m = len(g.idx)
        y += g.y
        mean += [g.mean] * m
        lpl += [g.lpl] * m
        upl += [g.upl] * m
        nlpl += [g.nlpl] * m
        nupl += [g.nupl] * m
        outside += g.outside
        close += g.close
        rtm += g.relative_to_mean
        types += g.special_cause_type
        ptypes += g.point_type
        part_no += [g.number] * m
        baseline += g.baseline
    per_part = []
    for g in groups:
        record = part_record(
            number=g.number,
            start=g.idx[0],
            end=g.idx[-1],
            runs=g.runs,
            runs_signal=False,
            cl=g.mean,
            lcl=g.lpl,
            ucl=g.upl,
            sigma_signals=sum(g.outside),
            n_base=g.n_base,
            trial_limits=g.trial_limits,
        )
        record.update(mean=g.mean, lpl=g.lpl, upl=g.upl, variation_type=g.point_type[-1])
        per_part.append(record)
    signals = [signal for signal, _ in found]
    per_point = {
        "y": y,
        "cl": list(mean),
        "lcl": list(lpl),
        "ucl": list(upl),
        "lcl_95": nlpl,
        "ucl_95": nupl,
        "sigma_signal": list(outside),
        "runs_signal": [False] * n,
        "part": part_no,
        "baseline": baseline,
        "include": include,
        "signal_kinds": signal_kinds(signals, n),
        "mean": mean,
        "lpl": lpl,
        "upl": upl,
        "outside_limits": outside,
        "close_to_limits": close,
        "relative_to_mean": rtm,
        "special_cause_type": types,
        "point_type": ptypes,
    }
    rendered = render_signals(
        signals, Explainer(inp.label, False, "mean"), n, [suffix for _, suffix in found]
    )
    result = summary(
        chart="i",
        rules="mdc",
        n_points=n,
        signals=rendered,
        warnings=warnings,
        sigma_signals=sum(outside),
        runs_signal=False,
        per_part=per_part,
    )
    result["variation_type"] = per_part[-1]["variation_type"]
    last = groups[-1].limits
    mult = inp.multiply
    result["assurance_type"] = assurance_type(
        inp.target, inp.direction, last.lpl * mult, last.upl * mult
    )
    return {"per_point": per_point, "per_part": per_part, "summary": result}
