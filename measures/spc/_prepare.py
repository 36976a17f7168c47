"""From the caller's values to the lists the charts compute on: ratios, subgroups, counts.

qicharts2 aggregates and divides before it computes anything (``qic.agg``); this is that
step for one value (or one numerator and denominator, or one subgroup) per period, with
every impossible number refused by a ValueError that names it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ._input import to_floats
from ._stats import mean_sd

DENOMINATOR_CHARTS = ("run", "i", "mr", "p", "pp", "u", "up")
NEEDS_DENOMINATORS = ("p", "pp", "u", "up")
SUBGROUP_CHARTS = ("xbar", "s")

#: Size, mean and SD of each subgroup (qicharts2 ``y.length``, ``y.mean``, ``y.sd``).
SubgroupStats = tuple[list[int], list[float | None], list[float | None]]

_PLAIN = {float, int}


def prepare_values(
    *,
    chart: str,
    values: Sequence[float | None] | None,
    denominators: Sequence[float | None] | None,
    subgroups: Sequence[Sequence[float | None]] | None,
) -> tuple[
    list[float | None],
    list[float | None] | None,
    list[float | None] | None,
    SubgroupStats | None,
]:
    """The plotted values ``y``, the numerators and denominators behind them (None without
    denominators) and the subgroup statistics (xbar and s charts only)."""
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

    num = den = None
    if denominators is not None:
        if chart not in DENOMINATOR_CHARTS:
            hint = " (use 'u' for rates)" if chart == "c" else ""
            raise ValueError(f"chart {chart!r} takes no denominators{hint}")
        y, num, den = _ratios(y, to_floats(denominators, "denominators"), chart)
    elif chart in NEEDS_DENOMINATORS:
        raise ValueError(f"chart {chart!r} needs denominators")
    _check_counts(y, chart)
    return y, num, den, sub


def _subgroup_stats(subgroups: Iterable[Sequence[float | None]]) -> SubgroupStats:
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


def _ratios(
    y: list[float | None], d: list[float | None], chart: str
) -> tuple[list[float | None], list[float | None], list[float | None]]:
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


def _check_counts(y: list[float | None], chart: str) -> None:
    """Counts (c, g) cannot be negative; times between events (t) must be positive."""
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
