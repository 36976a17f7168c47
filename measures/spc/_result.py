"""What every analysis returns: displayed numbers, part records, signals in words, a summary.

The qicharts2-style analysis (``_qic``) and the Making Data Count one (``_mdc``) compute
their limits and signals differently but answer in the same shape (the package docstring
lists every key), built here once so that the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from ._explain import Explainer
from ._runs import RunsResult

LOW_VOLUME_POINTS = 10  # the runs rules are not meaningful below 10 useful points (Anhøj)
SMALL_DENOMINATOR = 10

#: A signal before it is put in words: (kind, start, end, side, points, count, extra).
RawSignal = tuple[str, int, int, int, list[int], int, dict | None]

_isfinite = math.isfinite


def finite(v: float | None) -> float | None:
    return v if v is not None and _isfinite(v) else None


def scale(values: list[float], mult: float) -> list[float | None]:
    """Multiply, turning NaN and infinities into None (x - x is 0 only for finite x)."""
    if mult == 1:
        return [v if v - v == 0 else None for v in values]
    return [x if (x := v * mult) - x == 0 else None for v in values]


def scale_y(values: list[float | None], mult: float) -> list[float | None]:
    """As `scale`, for values that may be missing."""
    if mult == 1:
        return [None if v is None or v - v != 0 else v for v in values]
    return [None if v is None or (x := v * mult) - x != 0 else x for v in values]


def mean_or_none(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return math.fsum(vals) / len(vals) if vals else None


def part_ranges(n: int, starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each phase or rebase group, ``end`` excluded; together they cover 0..n."""
    cuts = sorted({0, *starts})
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], n], strict=True) if a < b]


def part_name(number: int, nparts: int, word: str = "phase") -> str:
    """ " in phase 2" for warnings about one part of several, else nothing."""
    return f" in {word} {number}" if nparts > 1 else ""


def part_record(
    *,
    number: int,
    start: int,
    end: int,
    runs: RunsResult,
    runs_signal: bool,
    cl: float | None,
    lcl: float | None,
    ucl: float | None,
    sigma_signals: int,
    n_base: int,
    trial_limits: bool,
) -> dict:
    """One entry of ``per_part``: where the part lies (``end`` is its last position), its
    runs statistics and its limits."""
    return {
        "part": number,
        "start": start,
        "end": end,
        "n_obs": runs.n_obs,
        "n_useful": runs.n_useful,
        "longest_run": runs.longest_run,
        "longest_run_max": runs.longest_run_max,
        "n_crossings": runs.n_crossings,
        "n_crossings_min": runs.n_crossings_min,
        "runs_signal": runs_signal,
        "cl": cl,
        "lcl": lcl,
        "ucl": ucl,
        "sigma_signals": sigma_signals,
        "n_base": n_base,
        "trial_limits": trial_limits,
    }


def signal_kinds(signals: Iterable[RawSignal], n: int) -> list[list[str]]:
    """Per point, the kinds of the signals it belongs to, in the order they were found."""
    kinds: list[list[str] | None] = [None] * n
    for s in signals:
        kind = s[0]
        for i in s[4]:
            if kinds[i] is None:
                kinds[i] = [kind]
            elif kind not in kinds[i]:
                kinds[i].append(kind)
    return [k or [] for k in kinds]


def render_signals(
    signals: Iterable[RawSignal],
    explainer: Explainer,
    n: int,
    suffixes: Sequence[str] | None = None,
) -> list[dict]:
    """``summary["signals"]``: each signal in time order, with its sentence. ``suffixes``
    (MDC's "(improvement)", ...) follow the same time order."""
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


def small_denominators_warning(
    den: list[float | None], label: Callable[[int], str], chart: str
) -> str | None:
    """The warning about denominators under 10, naming the first five points (or None)."""
    small = [i for i, d in enumerate(den) if d is not None and d < SMALL_DENOMINATOR]
    if not small:
        return None
    what = "proportions" if chart in ("p", "pp") else "rates" if chart in ("u", "up") else "ratios"
    names = ", ".join(label(i) for i in small[:5]) + (", ..." if len(small) > 5 else "")
    noun = "point has a denominator" if len(small) == 1 else "points have denominators"
    return (
        f"{len(small)} {noun} under {SMALL_DENOMINATOR} ({names}): such small {what} swing "
        "widely by chance alone"
    )


def summary(
    *,
    chart: str,
    rules: str,
    n_points: int,
    signals: list[dict],
    warnings: Sequence[str],
    sigma_signals: int,
    runs_signal: bool,
    per_part: list[dict] | None,
) -> dict:
    """``summary``; ``trial_limits`` and ``low_volume`` come from the parts, so an analysis
    without points (``per_part`` None) has neither."""
    out = {
        "chart": chart,
        "rules": rules,
        "n_points": n_points,
        "special_cause": bool(signals),
        "runs_signal": runs_signal,
        "sigma_signals": sigma_signals,
        "signals": signals,
        "warnings": [w[:1].upper() + w[1:] for w in warnings],
    }
    if per_part is not None:
        out["trial_limits"] = any(p["trial_limits"] for p in per_part)
        out["low_volume"] = any(p["n_useful"] < LOW_VOLUME_POINTS for p in per_part)
    return out


def empty_result(*, chart: str, rules: str, warnings: Sequence[str], mdc: bool) -> dict:
    """The answer for a series without points: empty columns and a "no data" warning."""
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
    result = summary(
        chart=chart,
        rules=rules,
        n_points=0,
        signals=[],
        warnings=[*warnings, "no data"],
        sigma_signals=0,
        runs_signal=False,
        per_part=None,
    )
    if mdc:
        result["variation_type"] = None
        result["assurance_type"] = None
    return {"per_point": {k: [] for k in keys}, "per_part": [], "summary": result}
