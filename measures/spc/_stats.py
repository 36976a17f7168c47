"""Small numerical helpers, standard library only.

The engine must reproduce R's arithmetic closely enough that exact comparisons (a point lying
exactly on the centre line, a limit exactly equal to a value) come out the same way as in the
reference packages, so the helpers below mirror R's definitions rather than textbook shortcuts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

NAN = math.nan
_fsum = math.fsum
_sqrt = math.sqrt
_isfinite = math.isfinite


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean of non-missing values; NaN when there are none (as R's ``mean(numeric(0))``).

    R's ``mean()`` sums in long double and adds a second correction pass, which in practice
    returns the correctly rounded mean. ``fsum(values) / n`` rounds twice and can be one unit in
    the last place away, enough to decide whether a point lies *exactly* on the centre line. So
    the exact residual sum(values) - n * q is computed with ``fsum`` and added back.
    """
    n = len(values)
    if not n:
        return NAN
    q = _fsum(values) / n
    if n == 1 or not _isfinite(q):
        return q
    r = _fsum([*values, *([-q] * n)])
    return q + r / n


def median(values: Sequence[float]) -> float:
    """Median as R's ``stats::median``: the mean of the two middle values for an even count."""
    n = len(values)
    if not n:
        return NAN
    s = sorted(values)
    half = n // 2
    if n % 2:
        return s[half]
    return (s[half - 1] + s[half]) / 2


def sd(values: Sequence[float]) -> float:
    """Sample standard deviation (n - 1), two-pass like R's ``var``; NaN below two values."""
    n = len(values)
    if n < 2:
        return NAN
    m = _fsum(values) / n
    return _sqrt(_fsum([(v - m) * (v - m) for v in values]) / (n - 1))


def c4(n: float) -> float:
    """Bias-correction constant c4(n) through lgamma, exactly as qicharts2; NaN for n <= 1."""
    if n <= 1:
        return NAN
    return _sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def c5(n: float) -> float:
    """c5(n) = sqrt(1 - c4(n)^2); NaN for n <= 1."""
    if n <= 1:
        return NAN
    c = c4(n)
    return _sqrt(1 - c**2)


def a3(n: float, k: float = 3) -> float:
    """Xbar-chart factor A3(n) = k / (c4(n) sqrt(n)), with k = 3 (or 2 for the 2-sigma lines)."""
    if n <= 1:
        return NAN
    return k / (c4(n) * _sqrt(n))


def b3(n: float, k: float = 3) -> float:
    """S-chart lower factor B3(n) = max(0, 1 - k c5/c4)."""
    if n <= 1:
        return NAN
    return max(0.0, 1 - k * c5(n) / c4(n))


def b4(n: float, k: float = 3) -> float:
    """S-chart upper factor B4(n) = 1 + k c5/c4."""
    if n <= 1:
        return NAN
    return 1 + k * c5(n) / c4(n)


@lru_cache(maxsize=4096)
def qbinom_half(p_num: int, p_den: int, size: int) -> int:
    """Smallest k with P(X <= k) >= p_num/p_den for X ~ Binomial(size, 1/2), in exact integers.

    This is R's ``qbinom(p, size, 0.5)``. Exact arithmetic avoids any doubt at the boundary:
    20 * sum(C(m, i)) >= 2^m can never be an equality for p = 1/20, so no fuzz is needed.
    """
    if size <= 0:
        return 0
    total = 1 << size
    acc = 0
    c = 1  # C(size, 0)
    for k in range(size + 1):
        acc += c
        if acc * p_den >= p_num * total:
            return k
        c = c * (size - k) // (k + 1)
    return size


# --------------------------------------------------------------------------------------------
# Discrete distributions for the exact funnel limits
# --------------------------------------------------------------------------------------------

_TINY = 1e-300
_REL = 1e-18


def _expand(mode: int, log_pmf_mode: float, ratio_down, ratio_up, lo: int, hi: int | None):
    """Tabulate a unimodal pmf outward from its mode until the terms become negligible.

    Returns (first_k, pmf_list). Summing from the mode outward keeps large denominators (tens of
    thousands of patient days) cheap and avoids underflow of the far tails.
    """
    top = math.exp(log_pmf_mode)
    down: list[float] = []
    k = mode
    p = top
    while k > lo:
        p = p * ratio_down(k)
        k -= 1
        if p < _TINY or p < top * _REL:
            break
        down.append(p)
    up: list[float] = []
    k = mode
    p = top
    while hi is None or k < hi:
        p = p * ratio_up(k)
        k += 1
        if p < _TINY or p < top * _REL:
            break
        up.append(p)
    down.reverse()
    return mode - len(down), down + [top] + up


@lru_cache(maxsize=2048)
def binom_table(size: int, prob: float) -> tuple[int, tuple[float, ...]]:
    """(first_k, cdf values) of Binomial(size, prob) over its non-negligible support."""
    if prob <= 0:
        return 0, (1.0,)
    if prob >= 1:
        return size, (1.0,)
    q = 1 - prob
    mode = min(size, int(math.floor((size + 1) * prob)))
    log_mode = (
        math.lgamma(size + 1)
        - math.lgamma(mode + 1)
        - math.lgamma(size - mode + 1)
        + mode * math.log(prob)
        + (size - mode) * math.log(q)
    )
    first, pmf = _expand(
        mode,
        log_mode,
        lambda k: k / (size - k + 1) * q / prob,
        lambda k: (size - k) / (k + 1) * prob / q,
        0,
        size,
    )
    return first, _cumulate(pmf)


@lru_cache(maxsize=2048)
def pois_table(mu: float) -> tuple[int, tuple[float, ...]]:
    """(first_k, cdf values) of Poisson(mu) over its non-negligible support."""
    if mu <= 0:
        return 0, (1.0,)
    mode = int(math.floor(mu))
    log_mode = mode * math.log(mu) - mu - math.lgamma(mode + 1)
    first, pmf = _expand(mode, log_mode, lambda k: k / mu, lambda k: mu / (k + 1), 0, None)
    return first, _cumulate(pmf)


def _cumulate(pmf: list[float]) -> tuple[float, ...]:
    out = []
    acc = 0.0
    for v in pmf:
        acc += v
        out.append(acc)
    total = acc
    # The truncated tails hold less than 1e-17 of the mass; renormalise so the table ends at 1.
    return tuple(min(1.0, v / total) for v in out)


def quantile_interpolated(table: tuple[int, tuple[float, ...]], p: float) -> float:
    """Spiegelhalter's interpolated quantile of a discrete distribution.

    r = smallest count with F(r) >= p, then r - (F(r) - p) / (F(r) - F(r - 1)) (Spiegelhalter,
    "Funnel plots for comparing institutional performance", Stat Med 2005, appendix A.1.1).
    This turns the staircase of exact limits into the smooth curves drawn on funnel plots.
    """
    first, cdf = table
    prev = 0.0
    for i, f in enumerate(cdf):
        if f >= p:
            r = first + i
            step = f - prev
            if step <= 0:
                return float(r)
            return r - (f - p) / step
        prev = f
    return float(first + len(cdf) - 1)


def is_finite(v: float | None) -> bool:
    """True for a finite float (None, NaN and infinities are all 'missing' in the output)."""
    return v is not None and _isfinite(v)


@lru_cache(maxsize=4096)
def runs_critical(n1: int, n2: int) -> tuple[int, int]:
    """Swed & Eisenhart (1943) critical numbers of runs for n1 points above and n2 below.

    Returns ``(low, high)``: too few runs when R <= low, too many when R >= high, each tail
    holding at most 2.5% probability under randomness (a two-sided 5% test). ``low`` is 0
    and ``high`` is n1 + n2 + 1 when a tail has no critical region. Exact integer arithmetic on
    the classical distribution of the number of runs.
    """
    if n1 <= 0 or n2 <= 0:
        return 0, n1 + n2 + 1
    total = math.comb(n1 + n2, n1)
    counts = {}
    for r in range(2, n1 + n2 + 1):
        if r % 2 == 0:
            k = r // 2
            c = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        else:
            k = (r - 1) // 2
            c = math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k) + math.comb(n1 - 1, k) * math.comb(
                n2 - 1, k - 1
            )
        if c:
            counts[r] = c
    low = 0
    acc = 0
    for r in sorted(counts):
        acc += counts[r]
        if acc * 40 <= total:
            low = r
        else:
            break
    high = n1 + n2 + 1
    acc = 0
    for r in sorted(counts, reverse=True):
        acc += counts[r]
        if acc * 40 <= total:
            high = r
        else:
            break
    return low, high


@lru_cache(maxsize=512)
def subgroup_factors(n: int) -> tuple[float, float, float, float, float, float, float]:
    """(A3, A3 for 2 sigma, B3, B3 for 2 sigma, B4, B4 for 2 sigma, c5/c4) for subgroup size n.

    Cached because every point of an Xbar or S chart needs them and lgamma is not free.
    """
    if n <= 1:
        return (NAN,) * 7
    return a3(n), a3(n, 2), b3(n), b3(n, 2), b4(n), b4(n, 2), c5(n) / c4(n)


def mean_sd(values: Sequence[float], total: float | None = None) -> tuple[float, float]:
    """``(mean(values), sd(values))`` in one go, for the many small subgroups of Xbar/S charts.

    ``total`` may pass ``math.fsum(values)`` when the caller already has it.
    """
    n = len(values)
    if not n:
        return NAN, NAN
    q = (_fsum(values) if total is None else total) / n
    if n == 1:
        return float(q), NAN
    m = q + _fsum([*values, *([-q] * n)]) / n
    return m, _sqrt(_fsum([(v - m) * (v - m) for v in values]) / (n - 1))
