"""Funnel plots: many teams' proportions or rates at one point in time against the pooled mean.

A funnel plot (Spiegelhalter 2005) draws each unit's value against its denominator, with
limits around the pooled mean that narrow as the denominator grows, so small teams are not
flagged for the noise that small numbers always carry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from ._input import to_float, to_floats
from ._stats import binom_table, pois_table, quantile_interpolated

KINDS = ("proportion", "rate")
METHODS = ("normal", "exact")
LEVELS = (0.95, 0.998)
_Z = {lvl: NormalDist().inv_cdf(1 - (1 - lvl) / 2) for lvl in LEVELS}


def funnel_limits(
    centre: float,
    denominator: float,
    level: float = 0.95,
    kind: str = "proportion",
    method: str = "normal",
) -> tuple[float, float]:
    """Lower and upper funnel limits for one denominator, on the unmultiplied scale.

    ``method="normal"``: centre +/- z sqrt(centre (1 - centre) / n) for proportions and
    centre +/- z sqrt(centre / n) for rates, with z the two-sided normal quantile (1.96 for 95%,
    3.09 for 99.8%), clipped to [0, 1] (proportions) or at 0 (rates).

    ``method="exact"``: Spiegelhalter's interpolated exact limits (Stat Med 2005, appendix
    A.1.1): with F the Binomial(n, centre) (or Poisson(n x centre)) distribution function and
    p = (1 - level) / 2 or 1 - p, take the smallest count r with F(r) >= p and return
    (r - (F(r) - p) / (F(r) - F(r - 1))) / n. Binomial limits need whole-number denominators.
    Exact limits matter when counts are small: the normal approximation then puts the lower
    limit too high and the upper limit too low.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown funnel kind {kind!r}: choose proportion or rate")
    if method not in METHODS:
        raise ValueError(f"unknown funnel method {method!r}: choose normal or exact")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    if not denominator > 0:
        raise ValueError(f"a denominator must be positive, got {denominator!r}")
    tail = (1 - level) / 2
    if method == "normal":
        z = _Z.get(level) or NormalDist().inv_cdf(1 - tail)
        var = centre * (1 - centre) if kind == "proportion" else centre
        half = z * math.sqrt(max(var, 0.0) / denominator)
        lo, hi = centre - half, centre + half
    elif kind == "proportion":
        if denominator != int(denominator):
            raise ValueError(
                f"exact binomial limits need whole-number denominators, got {denominator!r}"
            )
        table = binom_table(int(denominator), centre)
        lo = quantile_interpolated(table, tail) / denominator
        hi = quantile_interpolated(table, 1 - tail) / denominator
    else:
        table = pois_table(centre * denominator)
        lo = quantile_interpolated(table, tail) / denominator
        hi = quantile_interpolated(table, 1 - tail) / denominator
    lo = max(lo, 0.0)
    if kind == "proportion":
        hi = min(hi, 1.0)
    return lo, hi


def funnel(
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    kind: str = "proportion",
    method: str = "normal",
    labels: Sequence | None = None,
    multiply: float = 1,
    centre: float | None = None,
) -> dict:
    """Compare units (teams, sites) at one point in time against the pooled mean.

    Returns ``{"per_unit": {...}, "summary": {...}}``:

    * ``per_unit`` lists, aligned with the input: ``value`` (numerator / denominator),
      ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998`` and ``outside_95`` /
      ``outside_998`` ("above", "below" or None). A unit with a missing numerator or
      denominator has None everywhere.
    * ``summary``: ``centre`` (the pooled mean, sum of numerators / sum of denominators, unless
      ``centre`` is given), ``kind``, ``method``, ``n_units``, ``signals`` (one
      ``{"kind", "unit", "text"}`` per unit outside the 99.8% limits, and one per unit outside
      only the 95% limits) and ``warnings`` (denominators under 10).

    Values, the centre and the limits are multiplied by ``multiply`` (100 for percent, 1000 for
    rates per 1000). Comparisons are strict: a unit exactly on a limit is inside.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown funnel kind {kind!r}: choose proportion or rate")
    if method not in METHODS:
        raise ValueError(f"unknown funnel method {method!r}: choose normal or exact")
    num = to_floats(numerators, "numerators")
    den = to_floats(denominators, "denominators")
    if len(num) != len(den):
        raise ValueError(
            f"numerators and denominators differ in length ({len(num)} and {len(den)})"
        )
    if labels is not None and len(labels) != len(num):
        raise ValueError(f"numerators and labels differ in length ({len(num)} and {len(labels)})")
    mult = to_float(multiply, "multiply")
    if mult is None or mult <= 0:
        raise ValueError(f"multiply must be a positive number, got {multiply!r}")
    for i, (r, d) in enumerate(zip(num, den, strict=True)):
        if d is not None and d <= 0:
            raise ValueError(f"denominators[{i}] is {d:g}: a denominator must be positive")
        if r is not None and r < 0:
            raise ValueError(f"numerators[{i}] is {r:g}: a count cannot be negative")
        if kind == "proportion" and r is not None and d is not None and r > d:
            raise ValueError(
                f"numerators[{i}] ({r:g}) is larger than denominators[{i}] ({d:g}): "
                "a proportion cannot exceed 1"
            )
    pairs = [(r, d) for r, d in zip(num, den, strict=True) if r is not None and d is not None]
    if centre is None:
        td = math.fsum(d for _, d in pairs)
        c = math.fsum(r for r, _ in pairs) / td if td else None
    else:
        c = to_float(centre, "centre")
        if c is None or c < 0 or (kind == "proportion" and c > 1):
            raise ValueError(f"centre must be a valid {kind}, got {centre!r}")

    def name(i: int) -> str:
        return str(labels[i]) if labels is not None else f"unit {i + 1}"

    keys = ("value", "lower_95", "upper_95", "lower_998", "upper_998", "outside_95", "outside_998")
    per: dict[str, list] = {k: [None] * len(num) for k in keys}
    signals: list[dict] = []
    for i, (r, d) in enumerate(zip(num, den, strict=True)):
        if r is None or d is None or c is None:
            continue
        v = r / d * mult
        per["value"][i] = v
        for lvl, suffix in ((0.95, "95"), (0.998, "998")):
            lo, hi = funnel_limits(c, d, lvl, kind, method)
            lo, hi = lo * mult, hi * mult
            per[f"lower_{suffix}"][i] = lo
            per[f"upper_{suffix}"][i] = hi
            per[f"outside_{suffix}"][i] = "above" if v > hi else "below" if v < lo else None
        side = per["outside_998"][i] or per["outside_95"][i]
        if side:
            strong = per["outside_998"][i] is not None
            limit = "99.8%" if strong else "95%"
            what = "clearly" if strong else "possibly"
            signals.append(
                {
                    "kind": "outside_998" if strong else "outside_95",
                    "unit": i,
                    "text": (
                        f"{name(i)} is {side} the {limit} limit: {what} "
                        f"{'higher' if side == 'above' else 'lower'} than the pooled mean"
                    ),
                }
            )
    warnings = []
    small = [i for i, d in enumerate(den) if d is not None and d < 10]
    if small:
        warnings.append(
            f"{len(small)} unit(s) with denominators under 10 "
            f"({', '.join(name(i) for i in small[:5])}{', ...' if len(small) > 5 else ''}): "
            "their values swing widely by chance alone"
        )
    if c is None:
        warnings.append("no data: the pooled mean cannot be computed")
    summary = {
        "centre": None if c is None else c * mult,
        "kind": kind,
        "method": method,
        "n_units": len(num),
        "signals": signals,
        "warnings": warnings,
    }
    return {"per_unit": per, "summary": summary}
