"""Signal rules other than Anhøj's: Making Data Count (NHSRplotthedots), IHI and Western Electric.

Every detector returns *signals*: ``(kind, start, end, side, points)`` tuples, where ``points``
are the flagged global positions, ``side`` is +1 (above / increasing) or -1, and ``start`` and
``end`` the first and last positions of the pattern.
"""

from __future__ import annotations

from ._stats import mean

Signal = tuple[str, int, int, int, list[int]]

# --------------------------------------------------------------------------------------------
# Making Data Count: NHSRplotthedots ptd_spc_standard + ptd_calculate_point_type
# --------------------------------------------------------------------------------------------

MDC_LIMIT = 2.66  # NHSRplotthedots rounds 3/1.128 to 2.66
MDC_CLOSE = 2 * (MDC_LIMIT / 3)  # the "near" (2-sigma) lines, 1.7733... x average MR
MDC_SCREEN = 3.267


class MdcGroup:
    __slots__ = ("mean", "lpl", "upl", "nlpl", "nupl")


def mdc_limits(y: list[float | None], idx: list[int], fix_after: int | None, screen: bool):
    """Mean and process limits of one rebase group, as ``ptd_spc_standard``.

    Only the first ``fix_after`` rows of the group (missing ones included in the count) feed the
    mean and moving ranges; the moving range of two rows needs both values. With ``screen`` the
    moving ranges not strictly below 3.267 x their mean are dropped and the mean recomputed once;
    the outlying point itself still counts towards the process mean.
    """
    fix = [y[i] for i in idx] if fix_after is None else [y[i] for i in idx[:fix_after]]
    m = mean([v for v in fix if v is not None])
    mr = []
    prev = None
    for v in fix:
        if v is not None and prev is not None:
            mr.append(abs(v - prev))
        prev = v
    amr = mean(mr)
    if screen:
        ul = MDC_SCREEN * amr
        amr = mean([v for v in mr if v < ul])
    g = MdcGroup()
    g.mean = m
    g.lpl = m - (MDC_LIMIT * amr)
    g.upl = m + (MDC_LIMIT * amr)
    g.nlpl = m - (MDC_CLOSE * amr)
    g.nupl = m + (MDC_CLOSE * amr)
    return g


def mdc_point_types(
    yl: list[float | None], g: MdcGroup, direction: int
) -> tuple[list[bool], list[bool], list[int | None], list[str], list[str]]:
    """Per-point MDC quantities of one group: outside, close, side of mean, type, point type.

    Reproduces ``ptd_special_cause_type`` including its precedence (outside > trend > 2 of 3 >
    shift) and its labelling of trends. A missing value never signals and breaks trends and
    shifts (NHSRplotthedots itself has no defined behaviour for missing values).
    """
    n = len(yl)
    m, lpl, upl, nlpl, nupl = g.mean, g.lpl, g.upl, g.nlpl, g.nupl
    outside = [False] * n
    close = [False] * n
    rtm: list[int | None] = [None] * n
    for k, v in enumerate(yl):
        if v is None:
            continue
        if m == m:
            rtm[k] = 1 if v > m else (-1 if v < m else 0)
        if v > upl or v < lpl:
            outside[k] = True
        elif v < nlpl or v > nupl:
            close[k] = True

    # 7-point trend: 7 strictly increasing (or decreasing) points; a tie breaks it.
    trend_end = [0] * n
    steps = 0  # consecutive steps in the same direction ending at k
    step_dir = 0
    for k in range(1, n):
        a, b = yl[k - 1], yl[k]
        d = 0 if a is None or b is None else (1 if b > a else (-1 if b < a else 0))
        if d and d == step_dir:
            steps += 1
        else:
            step_dir = d
            steps = 1 if d else 0
        if steps >= 6:
            trend_end[k] = step_dir
    part_trend = _backfill(trend_end, 6)

    # 2 in 3: a window of 3 with >= 2 close points, all three on the same side of the mean.
    two3 = [False] * n
    for k in range(n - 2):
        r = rtm[k : k + 3]
        if None in r or abs(sum(r)) != 3:
            continue
        if close[k] + close[k + 1] + close[k + 2] >= 2:
            for j in range(k, k + 3):
                if close[j]:
                    two3[j] = True

    # 7-point shift: 7 consecutive points with the same non-zero side; a point on the mean breaks.
    shift_end = [0] * n
    same = 0
    prev = None
    for k in range(n):
        r = rtm[k]
        same = same + 1 if r is not None and r != 0 and r == prev else 1
        prev = r
        if r and same >= 7:
            shift_end[k] = 1
    part_shift = _backfill(shift_end, 6)

    types: list[str] = []
    for k in range(n):
        side = rtm[k]
        if outside[k]:
            types.append("Above UCL" if side == 1 else "Below LCL")
        elif part_trend[k]:
            # NHSRplotthedots labels a trend point by the step to its right when the next point is
            # also in a trend, otherwise by the step from its left; a flat step reads "Decreasing".
            if k + 1 < n and part_trend[k + 1]:
                a, b = yl[k], yl[k + 1]
            elif k > 0:
                a, b = yl[k - 1], yl[k]
            else:
                a = b = 0.0
            inc = a is not None and b is not None and b > a
            types.append("7 Point Trend (Increasing)" if inc else "7 Point Trend (Decreasing)")
        elif two3[k]:
            above = side is not None and side > 0
            types.append("2 in 3 Above CL" if above else "2 in 3 Below CL")
        elif part_shift[k]:
            above = side is not None and side > 0
            types.append("7 Points Above CL" if above else "7 Points Below CL")
        else:
            types.append("Common Cause")
    return outside, close, rtm, types, [point_type(t, direction) for t in types]


def _backfill(ends: list[int], width: int) -> list[bool]:
    """``ptd_part_of_seven_trend``: a point belongs to a pattern ending at it or within 6 after."""
    n = len(ends)
    out = [False] * n
    for k in range(n):
        if ends[k]:
            for j in range(max(0, k - width), k + 1):
                out[j] = True
    return out


def point_type(special_cause_type: str, direction: int) -> str:
    """``ptd_point_type``: orient a special-cause type by the improvement direction."""
    if "Above" in special_cause_type or "Increasing" in special_cause_type:
        v = 1
    elif "Below" in special_cause_type or "Decreasing" in special_cause_type:
        v = -1
    else:
        return "common_cause"
    if direction == 0:
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if v * direction > 0 else "special_cause_concern"


def assurance_type(target: float | None, direction: int, lpl: float, upl: float) -> str | None:
    """``ptd_calculate_assurance_type`` on the last group: can the process meet the target?

    A target beyond the upper limit is always failed when higher is better (and always met when
    lower is better); beyond the lower limit the reverse; anywhere else the process will
    sometimes meet it. Missing limits compare as NA in R and so fall through to "inconsistent".
    """
    if target is None or direction == 0:
        return None
    if target > upl:
        return "consistent_fail" if direction > 0 else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if direction > 0 else "consistent_fail"
    return "inconsistent"


# --------------------------------------------------------------------------------------------
# Generic pattern detectors for the Western Electric and IHI rule sets
# --------------------------------------------------------------------------------------------


def side_runs(
    idx: list[int], sides: list[int | None], min_len: int, zero_breaks: bool, kind: str
) -> list[Signal]:
    """Runs of at least ``min_len`` points on one side of the centre line.

    Missing values (None) are skipped. A point exactly on the line (side 0) breaks the run when
    ``zero_breaks`` (Western Electric) or is skipped, neither counting nor breaking (IHI).
    """
    out: list[Signal] = []
    cur_side = 0
    members: list[int] = []

    def close_run():
        if cur_side and len(members) >= min_len:
            out.append((kind, members[0], members[-1], cur_side, list(members)))

    for k, i in enumerate(idx):
        s = sides[k]
        if s is None:
            continue
        if s == 0:
            if zero_breaks:
                close_run()
                cur_side = 0
                members = []
            continue
        if s != cur_side:
            close_run()
            cur_side = s
            members = []
        members.append(i)
    close_run()
    return out


def trends(idx: list[int], values: list[float | None], min_len: int, kind: str) -> list[Signal]:
    """Runs of at least ``min_len`` points going steadily up or down (IHI definition).

    Missing values are skipped; a value equal to the one before it is not counted and does not
    break the trend ("if two or more successive points are the same, only one is counted").
    """
    pts = [(i, v) for i, v in zip(idx, values, strict=True) if v is not None]
    out: list[Signal] = []
    direction = 0
    count = 1  # distinct values in the current monotone stretch
    start = 0  # position in pts where the stretch starts
    for k in range(1, len(pts) + 1):
        if k < len(pts):
            d = pts[k][1] - pts[k - 1][1]
            step = 1 if d > 0 else (-1 if d < 0 else 0)
            if step == 0:
                continue
            if step == direction:
                count += 1
                continue
        # the stretch ends at k - 1
        if direction and count >= min_len:
            members = [p[0] for p in pts[start:k]]
            out.append((kind, members[0], members[-1], direction, members))
        if k < len(pts):
            # a new stretch starts at the last point before the turn (skip back over ties)
            j = k - 1
            while j > 0 and pts[j - 1][1] == pts[j][1]:
                j -= 1
            start = j
            direction = step
            count = 2
    return out


def zone_scores(zy, zc, zs) -> list[float | None]:
    """Distance from the centre in sigma units, or None where it cannot be computed."""
    out: list[float | None] = []
    for v, c, s in zip(zy, zc, zs, strict=True):
        if v is None or c != c or s != s or not s > 0:
            out.append(None)
        else:
            out.append((v - c) / s)
    return out


def k_of_m(
    idx: list[int], z: list[float | None], k: int, m: int, beyond: float, kind: str
) -> list[Signal]:
    """``k`` of ``m`` successive points beyond ``beyond`` sigma on the same side.

    Missing values are skipped. The flagged points are those beyond the zone inside a qualifying
    window; overlapping windows on the same side are merged into one signal.
    """
    pts = [(i, v) for i, v in zip(idx, z, strict=True) if v is not None]
    out: list[Signal] = []
    n = len(pts)
    if n < m:
        return out
    for side in (1, -1):
        hit = [v * side > beyond for _, v in pts]
        if sum(hit) < k:
            continue
        flagged: set[int] = set()
        count = sum(hit[:m])  # a sliding count of the points beyond the zone
        for a in range(n - m + 1):
            if a:
                count += hit[a + m - 1] - hit[a - 1]
            if count >= k:
                flagged.update(pts[j][0] for j in range(a, a + m) if hit[j])
        out.extend(_group(sorted(flagged), idx, side, kind, m))
    return out


def inner_third(idx: list[int], z: list[float | None], min_len: int, kind: str) -> list[Signal]:
    """At least ``min_len`` successive points within one sigma of the centre (hugging)."""
    out: list[Signal] = []
    members: list[int] = []
    for i, v in zip(idx, z, strict=True):
        if v is None:
            continue
        if abs(v) < 1:
            members.append(i)
            continue
        if len(members) >= min_len:
            out.append((kind, members[0], members[-1], 0, members))
        members = []
    if len(members) >= min_len:
        out.append((kind, members[0], members[-1], 0, members))
    return out


def _group(flagged: list[int], idx: list[int], side: int, kind: str, gap: int) -> list[Signal]:
    """Merge flagged positions closer than ``gap`` points into one signal."""
    if not flagged:
        return []
    pos = {i: k for k, i in enumerate(idx)}
    out: list[Signal] = []
    cur = [flagged[0]]
    for i in flagged[1:]:
        if pos[i] - pos[cur[-1]] < gap:
            cur.append(i)
        else:
            out.append((kind, cur[0], cur[-1], side, cur))
            cur = [i]
    out.append((kind, cur[0], cur[-1], side, cur))
    return out


def outside_signals(
    idx: list[int], y: list[float | None], lcl: list[float | None], ucl: list[float | None]
) -> list[Signal]:
    """One signal per point strictly outside the (multiplied) limits; ``y``, ``lcl`` and
    ``ucl`` are aligned with ``idx``."""
    out: list[Signal] = []
    for i, v, lo, u in zip(idx, y, lcl, ucl, strict=True):
        if v is None:
            continue
        if u is not None and v > u:
            out.append(("outside_limits", i, i, 1, [i]))
        elif lo is not None and v < lo:
            out.append(("outside_limits", i, i, -1, [i]))
    return out
