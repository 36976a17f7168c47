"""Anhøj runs analysis (qicharts2 ``runs.analysis``) and its critical values."""

from __future__ import annotations

import math
from functools import lru_cache

from ._stats import qbinom_half


@lru_cache(maxsize=1024)
def _critical(n_useful: int) -> tuple[int, int]:
    return round(math.log2(n_useful)) + 3, qbinom_half(1, 20, n_useful - 1)


def critical_values(n_useful: int) -> tuple[int, int]:
    """Return ``(longest_run_max, n_crossings_min)`` for ``n_useful`` useful points.

    A runs signal is raised when the longest run is *greater than* the first number or the
    number of crossings is *fewer than* the second (Anhøj 2014; qicharts2 ``runs.analysis``):

    * longest_run_max = round(log2(n)) + 3 (Schilling 2012). log2(n) is never k + 0.5 for an
      integer n, so the rounding mode cannot matter;
    * n_crossings_min = qbinom(0.05, n - 1, 0.5) (Chen 2010), the smallest k with
      P(X <= k) >= 0.05 for X ~ Binomial(n - 1, 1/2), computed here in exact integer arithmetic.

    ``n_useful`` counts the points of a part that are not missing, not excluded and not exactly on
    the centre line; it must be a positive integer.
    """
    if isinstance(n_useful, bool) or not isinstance(n_useful, int):
        raise ValueError(f"n_useful must be a positive integer, got {n_useful!r}")
    if n_useful < 1:
        raise ValueError(f"n_useful must be a positive integer, got {n_useful}")
    return _critical(n_useful)


class RunsResult:
    """Runs statistics of one part, plus where its long runs lie (for the explanations)."""

    __slots__ = (
        "n_obs",
        "n_useful",
        "longest_run",
        "longest_run_max",
        "n_crossings",
        "n_crossings_min",
        "signal",
        "long_runs",
        "useful_idx",
    )

    def __init__(self) -> None:
        self.n_obs = 0
        self.n_useful = 0
        self.longest_run: int | None = None
        self.longest_run_max: int | None = None
        self.n_crossings: int | None = None
        self.n_crossings_min: int | None = None
        self.signal = False
        # (start index, end index, side, length) of every run longer than longest_run_max
        self.long_runs: list[tuple[int, int, int, int]] = []
        self.useful_idx: list[int] = []


def runs_analysis(
    idx: list[int], yl: list[float | None], cl: float, include: list[bool]
) -> RunsResult:
    """Anhøj runs analysis of one part, exactly as qicharts2 ``runs.analysis``.

    ``idx`` are the global positions of the part and ``yl`` its values, aligned with ``idx``.
    Only included points are used; missing values
    and points exactly equal to the centre line are dropped from the sequence, so they neither
    break nor extend a run. Crossings are the number of runs minus one in that compressed
    sequence, so a line that "touches" the centre line is not counted as crossing it.
    """
    res = RunsResult()
    signs: list[int] = []
    where: list[int] = []
    n_obs = 0
    cl_ok = cl == cl  # NaN centre line: no useful point at all
    for i, v in zip(idx, yl, strict=True):
        if not include[i]:
            continue
        n_obs += 1
        if v is None or not cl_ok:
            continue
        if v > cl:
            signs.append(1)
            where.append(i)
        elif v < cl:
            signs.append(-1)
            where.append(i)
    res.n_obs = n_obs
    n = len(signs)
    res.n_useful = n
    res.useful_idx = where
    if not n:
        return res
    runs: list[tuple[int, int, int, int]] = []  # (start pos, end pos, side, length) in `where`
    start = 0
    for k in range(1, n + 1):
        if k == n or signs[k] != signs[start]:
            runs.append((start, k - 1, signs[start], k - start))
            start = k
    longest = max(r[3] for r in runs)
    lmax, cmin = _critical(n)
    crossings = len(runs) - 1
    res.longest_run = longest
    res.longest_run_max = lmax
    res.n_crossings = crossings
    res.n_crossings_min = cmin
    res.signal = longest > lmax or crossings < cmin
    res.long_runs = [(where[a], where[b], side, ln) for a, b, side, ln in runs if ln > lmax]
    return res
