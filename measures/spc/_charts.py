"""Centre lines and limits of one chart part, reproducing qicharts2 (``R/helper.functions.R``).

Each function receives the whole series and the global positions of one part and returns a
:class:`PartLimits`. All values are on the unmultiplied scale; NaN marks "no value" until the
caller turns non-finite numbers into ``None`` (qicharts2: non-finite limits become NA).

Zones: besides the limits, every control chart also reports, per point, the value, the centre
and the one-sigma width *before any clipping* on the scale its limits are built on. The Western
Electric and IHI rules use these to place their 1- and 2-sigma zones; qicharts2 itself has no
such rules.
"""

from __future__ import annotations

import math

from ._stats import NAN, mean, median, sd, subgroup_factors

_sqrt = math.sqrt
D2 = 1.128  # d2(2): sigma = average moving range / 1.128
D4 = 3.267  # D4(2): MR-chart upper limit and the Nelson (1982) screening limit
T_POWER = 3.6  # T chart: y ** (1 / 3.6) makes exponential times roughly normal (Nelson 1994)


class Series:
    """The prepared series shared by all parts of one analysis."""

    __slots__ = ("y", "num", "den", "base", "include", "sub_n", "sub_mean", "sub_sd")

    def __init__(self, y, num=None, den=None, base=None, include=None, sub=None):
        self.y: list[float | None] = y
        self.num = num
        self.den = den
        self.base: list[bool] = base
        self.include: list[bool] = include
        if sub is not None:
            self.sub_n, self.sub_mean, self.sub_sd = sub
        else:
            self.sub_n = self.sub_mean = self.sub_sd = None


class PartLimits:
    """Output of one chart function for one part (lists are aligned with the part's positions)."""

    __slots__ = ("y", "cl", "lcl", "ucl", "lcl95", "ucl95", "zy", "zc", "zs")

    def __init__(self, y, cl, lcl, ucl, lcl95, ucl95, zy=None, zc=None, zs=None):
        self.y = y
        self.cl = cl
        self.lcl = lcl
        self.ucl = ucl
        self.lcl95 = lcl95
        self.ucl95 = ucl95
        self.zy = zy
        self.zc = zc
        self.zs = zs


def _base_values(s: Series, idx: list[int], values) -> list[float]:
    base = s.base
    return [v for i in idx if base[i] and (v := values[i]) is not None]


def _screened_amr(mr: list[float], screened: bool) -> float:
    """Average moving range, with Nelson's screening applied once when asked.

    Every moving range that is not strictly below 3.267 x the average is dropped and the average
    recomputed once, without iterating (qicharts2 ``qic.i``; NHSRplotthedots does the same).
    When every moving range is 0 nothing survives the screen and the result is NaN, as in R.
    """
    amr = mean(mr)
    if screened:
        ul = D4 * amr
        amr = mean([m for m in mr if m < ul])
    return amr


def _moving_ranges(seq: list[float | None], cl: float) -> list[float]:
    """|diff(seq - cl)| over consecutive pairs; a missing value removes its two neighbours' MRs."""
    out = []
    prev = None
    for v in seq:
        if v is not None and prev is not None:
            out.append(abs((v - cl) - (prev - cl)))
        prev = v
    return out


def _const(n: int, v: float) -> list[float]:
    return [v] * n


def chart_run(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    y = [s.y[i] for i in idx]
    cl = median(_base_values(s, idx, s.y))
    nan = _const(len(idx), NAN)
    return PartLimits(y, cl, nan, nan, nan, nan)


def _i_limits(s: Series, idx: list[int], yv: list[float | None], screened: bool):
    base = s.base
    bvals = [v for i, v in zip(idx, yv, strict=True) if base[i] and v is not None]
    cl = mean(bvals)
    seq = [v for i, v in zip(idx, yv, strict=True) if base[i]]
    amr = _screened_amr(_moving_ranges(seq, cl), screened)
    stdev = amr / D2
    return cl, stdev


def chart_i(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    y = [s.y[i] for i in idx]
    cl, stdev = _i_limits(s, idx, y, screened)
    n = len(idx)
    return PartLimits(
        y,
        cl,
        _const(n, cl - 3 * stdev),
        _const(n, cl + 3 * stdev),
        _const(n, cl - 2 * stdev),
        _const(n, cl + 2 * stdev),
        y,
        _const(n, cl),
        _const(n, stdev),
    )


def chart_mr(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    # MR over *all* rows of the part (excluded ones too); the first row of a part has none.
    y: list[float | None] = []
    prev = None
    for k, i in enumerate(idx):
        v = s.y[i]
        y.append(abs(v - prev) if k and v is not None and prev is not None else None)
        prev = v
    base = s.base
    cl = mean([v for i, v in zip(idx, y, strict=True) if base[i] and v is not None])
    n = len(idx)
    # LCL is always 0 (not NA) in qicharts2, even when the centre line cannot be computed.
    return PartLimits(
        y,
        cl,
        _const(n, 0.0),
        _const(n, D4 * cl),
        _const(n, 0.0),
        _const(n, (D4 / 3) * 2 * cl),
    )


def _pow_back(v: float) -> float:
    # R gives NaN for a negative number raised to a non-integer power.
    if v != v or v < 0:
        return NAN
    return v**T_POWER


def chart_t(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    inv = 1 / T_POWER
    ty = [None if (v := s.y[i]) is None else v**inv for i in idx]
    cl_t, stdev = _i_limits(s, idx, ty, screened)
    n = len(idx)
    y = [None if v is None else v**T_POWER for v in ty]
    lcl = _pow_back(cl_t - 3 * stdev)
    if lcl != lcl or lcl < 0:
        lcl = 0.0
    return PartLimits(
        y,
        _pow_back(cl_t),
        _const(n, lcl),
        _const(n, _pow_back(cl_t + 3 * stdev)),
        _const(n, _pow_back(cl_t - 2 * stdev)),
        _const(n, _pow_back(cl_t + 2 * stdev)),
        ty,
        _const(n, cl_t),
        _const(n, stdev),
    )


def _subgroup_sigma(s: Series, idx: list[int], var_n: bool) -> float:
    base = s.base
    sub_n, sub_sd = s.sub_n, s.sub_sd
    if var_n:
        # Pooled SD (Montgomery 6.31). The denominator sums (n_i - 1) over *all* base subgroups,
        # so an empty subgroup adds -1: a qicharts2 quirk kept on purpose (NA_test.rds).
        num = math.fsum(
            (sub_n[i] - 1) * sub_sd[i] ** 2 for i in idx if base[i] and sub_sd[i] is not None
        )
        den = sum(sub_n[i] - 1 for i in idx if base[i])
        # R: x / 0 is Inf (shown as no limits, but an infinite centre line still splits the
        # points in the runs analysis) and 0 / 0 is NaN.
        q = num / den if den else (math.inf if num > 0 else NAN)
        return _sqrt(q) if q >= 0 else NAN
    return mean([v for i in idx if base[i] and (v := sub_sd[i]) is not None])


def chart_xbar(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    base = s.base
    sub_n, sub_mean = s.sub_n, s.sub_mean
    var_n = len({sub_n[i] for i in idx}) > 1
    tot = sum(sub_n[i] for i in idx if base[i])
    cl = (
        math.fsum(sub_n[i] * sub_mean[i] for i in idx if base[i] and sub_mean[i] is not None) / tot
        if tot
        else NAN
    )
    stdev = _subgroup_sigma(s, idx, var_n)
    y = [sub_mean[i] for i in idx]
    lcl, ucl, lcl95, ucl95, zs = [], [], [], [], []
    for i in idx:
        k3, k2 = subgroup_factors(sub_n[i])[:2]
        lcl.append(cl - k3 * stdev)
        ucl.append(cl + k3 * stdev)
        lcl95.append(cl - k2 * stdev)
        ucl95.append(cl + k2 * stdev)
        zs.append(k3 * stdev / 3)
    return PartLimits(y, cl, lcl, ucl, lcl95, ucl95, y, _const(len(idx), cl), zs)


def chart_s(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    sub_n = s.sub_n
    var_n = len({sub_n[i] for i in idx}) > 1
    cl = _subgroup_sigma(s, idx, var_n)
    y = [s.sub_sd[i] for i in idx]
    lcl, ucl, lcl95, ucl95, zs = [], [], [], [], []
    for i in idx:
        _, _, lo3, lo2, hi3, hi2, c54 = subgroup_factors(sub_n[i])
        lcl.append(lo3 * cl)
        ucl.append(hi3 * cl)
        lcl95.append(lo2 * cl)
        ucl95.append(hi2 * cl)
        zs.append(c54 * cl)
    return PartLimits(y, cl, lcl, ucl, lcl95, ucl95, y, _const(len(idx), cl), zs)


def _clip(values: list[float], lo: float | None, hi: float | None) -> list[float]:
    out = []
    for v in values:
        if hi is not None and v > hi:
            v = hi
        elif lo is not None and v < lo:
            v = lo
        out.append(v)
    return out


def _weighted_cl(s: Series, idx: list[int]) -> float:
    base, num, den = s.base, s.num, s.den
    tn = math.fsum(num[i] for i in idx if base[i] and num[i] is not None)
    td = math.fsum(den[i] for i in idx if base[i] and den[i] is not None)
    return tn / td if td else NAN


def _laney_sigma_z(
    s: Series, idx: list[int], cl: float, stdev: list[float], screened: bool, categorical: bool
) -> float:
    """Laney's between-subgroup factor sigma_z from the z-scores of the base points.

    Time-ordered data use the (screened) average moving range of the z-scores / 1.128 (NEWS
    0.7.4); categorical x (funnel plots) use their sample SD (qicharts2 ``qic.pp``).
    """
    base = s.base
    z: list[float | None] = []
    for k, i in enumerate(idx):
        if not base[i]:
            continue
        v = s.y[i]
        sk = stdev[k]
        z.append(None if v is None or not (sk > 0) else (v - cl) / sk)
    if categorical:
        return sd([v for v in z if v is not None])
    return _screened_amr(_moving_ranges(z, 0.0), screened) / D2


def _counts_limits(y, cl, stdev, lo, hi, zy=None):
    lcl = [cl - 3 * sd_ for sd_ in stdev]
    ucl = [cl + 3 * sd_ for sd_ in stdev]
    lcl95 = [cl - 2 * sd_ for sd_ in stdev]
    ucl95 = [cl + 2 * sd_ for sd_ in stdev]
    n = len(y)
    return PartLimits(
        y,
        cl,
        _clip(lcl, lo, None),
        _clip(ucl, None, hi),
        _clip(lcl95, lo, None),
        _clip(ucl95, None, hi),
        y if zy is None else zy,
        _const(n, cl),
        stdev,
    )


def _p_stdev(s: Series, idx: list[int], cl: float) -> list[float]:
    out = []
    den = s.den
    v = cl * (1 - cl)
    for i in idx:
        d = den[i]
        out.append(NAN if d is None or v != v else _sqrt(v / d) if v >= 0 else NAN)
    return out


def _u_stdev(s: Series, idx: list[int], cl: float) -> list[float]:
    out = []
    den = s.den
    for i in idx:
        d = den[i]
        out.append(NAN if d is None or cl != cl else _sqrt(cl / d))
    return out


def chart_p(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    cl = _weighted_cl(s, idx)
    y = [s.y[i] for i in idx]
    return _counts_limits(y, cl, _p_stdev(s, idx, cl), 0.0, 1.0)


def chart_pp(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    cl = _weighted_cl(s, idx)
    y = [s.y[i] for i in idx]
    stdev = _p_stdev(s, idx, cl)
    sz = _laney_sigma_z(s, idx, cl, stdev, screened, categorical)
    return _counts_limits(y, cl, [v * sz for v in stdev], 0.0, 1.0)


def chart_c(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    y = [s.y[i] for i in idx]
    cl = mean(_base_values(s, idx, s.y))
    return _counts_limits(y, cl, _const(len(idx), _sqrt(cl) if cl >= 0 else NAN), 0.0, None)


def chart_u(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    cl = _weighted_cl(s, idx)
    y = [s.y[i] for i in idx]
    return _counts_limits(y, cl, _u_stdev(s, idx, cl), 0.0, None)


def chart_up(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    cl = _weighted_cl(s, idx)
    y = [s.y[i] for i in idx]
    stdev = _u_stdev(s, idx, cl)
    sz = _laney_sigma_z(s, idx, cl, stdev, screened, categorical)
    return _counts_limits(y, cl, [v * sz for v in stdev], 0.0, None)


def chart_g(s: Series, idx: list[int], screened: bool, categorical: bool) -> PartLimits:
    y = [s.y[i] for i in idx]
    bvals = _base_values(s, idx, s.y)
    m = mean(bvals)
    res = _counts_limits(y, m, _const(len(idx), _sqrt(m * (m + 1)) if m >= 0 else NAN), 0.0, None)
    # The limits come from the mean, but the centre line shown (and used by the runs analysis)
    # is the median (qicharts2 ``qic.g``).
    res.cl = median(bvals)
    return res


CHARTS = {
    "run": chart_run,
    "i": chart_i,
    "mr": chart_mr,
    "xbar": chart_xbar,
    "s": chart_s,
    "t": chart_t,
    "p": chart_p,
    "pp": chart_pp,
    "c": chart_c,
    "u": chart_u,
    "up": chart_up,
    "g": chart_g,
}
