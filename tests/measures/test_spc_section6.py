"""SPC.md section 6, "Subtle points where naive implementations go wrong": one test per item.

Each test is named after its item number. Expected values are worked out by hand in the
comments or restated from the formula in a line or two of plain arithmetic.
"""

import math

import pytest

from measures.spc import analyze, critical_values


def part(res, k=0):
    return res["per_part"][k]


def test_s6_01_points_on_the_centre_line_are_dropped_from_the_runs_analysis():
    values = [2, 2, 2, 5, 2, 2, 8, 8, 5, 8, 8]  # median 5
    p = part(analyze(values))
    assert (p["n_obs"], p["n_useful"], p["longest_run"]) == (11, 9, 5)
    assert (p["longest_run_max"], p["n_crossings_min"]) == critical_values(9)  # not (11)
    # MDC is the opposite: a point on the mean breaks a 7-point shift
    mdc = analyze([0, 20, 0, 20, 0, 20, 12, 12, 12, 10, 12, 12, 12, 12, 3, 3], chart="i",
                  rules="mdc")  # fmt: skip
    assert set(mdc["per_point"]["special_cause_type"]) == {"Common Cause"}


def test_s6_02_crossings_are_runs_minus_one_and_a_touch_is_not_a_crossing():
    # 1 5 1 9 9, median 5: below, on, below, above, above -> 2 runs, 1 crossing
    # (counting sign changes in the raw sequence would find 3)
    p = part(analyze([1, 5, 1, 9, 9]))
    assert (p["n_useful"], p["n_crossings"]) == (4, 1)


def test_s6_03_inequalities_are_strict():
    # frozen C chart: c-bar = 4, UCL = 4 + 3 * 2 = 10 exactly
    res = analyze([3, 5, 4, 4, 10, 10.5], chart="c", freeze=4)
    assert res["per_point"]["ucl"][0] == 10
    assert res["per_point"]["sigma_signal"][4:] == [False, True]
    # P chart: UCL clipped to exactly 1, and a proportion of 1 is not above it
    p = analyze([2, 2, 2, 2], [2, 4, 4, 4], chart="p")
    assert p["per_point"]["ucl"][0] == 1 and p["per_point"]["y"][0] == 1
    assert p["per_point"]["sigma_signal"][0] is False
    # runs: longest == max and crossings == min do not signal (see test_spc_runs.py)
    lengths = [3, 3, 3, 3, 2, 3, 2, 3, 2]
    signs = [1 if k % 2 == 0 else -1 for k, n in enumerate(lengths) for _ in range(n)]
    values = [10 + 0.1 * i if s > 0 else -10 - 0.1 * i for i, s in enumerate(signs)]
    q = part(analyze(values))
    assert q["n_crossings"] == q["n_crossings_min"] == 8 and q["runs_signal"] is False


def test_s6_04_freeze_and_parts():
    baseline = [9, 11, 10.5, 9.5, 9, 11, 10.5, 9.5, 9, 11, 10.5, 9.5]  # median 10
    res = analyze(baseline + [14] * 12, freeze=12)
    assert res["per_point"]["cl"][-1] == 10  # centre line from the baseline...
    assert part(res)["n_obs"] == 24  # ...runs analysis over every point
    split = analyze(baseline + [14] * 12, parts=[12])
    assert split["per_point"]["cl"][-1] == 14
    assert (part(split, 1)["start"], part(split, 1)["end"]) == (12, 23)  # global positions


def test_s6_05_excluded_points_leave_calculations_but_are_tested_against_limits():
    values = [1, 2, 100, 4, 5]
    res = analyze(values, chart="i", exclude=[2])
    # CL from 1, 2, 4, 5; moving ranges bridge the gap: |2-1|, |4-2|, |5-4| = 1, 2, 1
    sigma = (4 / 3) / 1.128
    assert res["per_point"]["cl"][0] == 3
    assert res["per_point"]["ucl"][0] == pytest.approx(3 + 3 * sigma)
    assert res["per_point"]["sigma_signal"][2] is True
    assert part(res)["n_obs"] == 4


def test_s6_06_screening_is_on_by_default_runs_once_and_spares_the_mr_chart():
    values = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 5, 25]  # MRs: ten 1s, 5, 20
    mrs = [1] * 10 + [5, 20]
    amr = sum(mrs) / 12  # 2.92: limit 9.53 drops the 20 only
    once = [m for m in mrs if m < 3.267 * amr]
    twice = [m for m in once if m < 3.267 * sum(once) / len(once)]  # would also drop the 5
    assert len(once) == 11 and len(twice) == 10
    mean = sum(values) / len(values)
    res = analyze(values, chart="i")
    assert res["per_point"]["ucl"][0] == pytest.approx(mean + 3 * (sum(once) / 11) / 1.128)
    mr = analyze(values, chart="mr")
    assert mr["per_point"]["cl"][1] == pytest.approx(amr)  # the MR chart is not screened


def test_s6_07_limit_constants():
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]  # screened MR-bar = 1
    mean = 35 / 18
    qic = analyze(values, chart="i")["per_point"]
    mdc = analyze(values, chart="i", rules="mdc")["per_point"]
    assert qic["ucl"][0] == pytest.approx(mean + 2.659574468, abs=1e-9)
    assert mdc["upl"][0] == pytest.approx(mean + 2.66)
    assert mdc["ucl_95"][0] == pytest.approx(mean + 2 / 3 * 2.66)


def test_s6_08_p_and_u_centre_lines_are_weighted_i_of_ratios_is_not():
    num, den = [1, 30], [10, 100]
    assert analyze(num, den, chart="p")["per_point"]["cl"][0] == pytest.approx(31 / 110)
    assert analyze(num, den, chart="u")["per_point"]["cl"][0] == pytest.approx(31 / 110)
    assert analyze(num, den, chart="i")["per_point"]["cl"][0] == pytest.approx((0.1 + 0.3) / 2)


def test_s6_09_variable_limits_clipping_and_mean_limits_in_the_summary():
    res = analyze([1, 5, 2, 9], [4, 100, 10, 25], chart="p")
    pbar = 17 / 139
    pp = res["per_point"]
    for k, n in enumerate([4, 100, 10, 25]):
        s = math.sqrt(pbar * (1 - pbar) / n)
        assert pp["ucl"][k] == pytest.approx(min(1, pbar + 3 * s))
        assert pp["lcl"][k] == pytest.approx(max(0, pbar - 3 * s))
    assert part(res)["ucl"] == pytest.approx(sum(pp["ucl"]) / 4)
    for chart in ("c", "g"):
        assert analyze([0, 1, 0, 2, 1], chart=chart)["per_point"]["lcl"][0] == 0
    assert analyze([0, 1, 0, 2], [1, 1, 1, 1], chart="u")["per_point"]["lcl"][0] == 0
    # T chart: the transformed lower limit is negative, so the LCL is set to 0
    t = [v ** (1 / 3.6) for v in [1, 100, 2, 300, 1, 50]]
    mrs = [abs(b - a) for a, b in zip(t, t[1:], strict=False)]
    assert sum(t) / 6 - 3 * (sum(mrs) / 5) / 1.128 < 0
    assert analyze([1, 100, 2, 300, 1, 50], chart="t")["per_point"]["lcl"][0] == 0


def test_s6_10_laney_sigma_z_uses_screened_moving_ranges_or_sd_for_categories():
    num, den = [20, 22, 19, 60, 21, 20], [100] * 6
    pbar = sum(num) / 600
    s = math.sqrt(pbar * (1 - pbar) / 100)
    z = [(r / 100 - pbar) / s for r in num]
    mrs = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    amr = sum(mrs) / len(mrs)
    kept = [m for m in mrs if m < 3.267 * amr]
    res = analyze(num, den, chart="pp")
    assert res["per_point"]["ucl"][0] == pytest.approx(pbar + 3 * s * sum(kept) / len(kept) / 1.128)
    mean_z = sum(z) / 6
    sd_z = math.sqrt(sum((v - mean_z) ** 2 for v in z) / 5)
    cat = analyze(num, den, chart="pp", categorical_x=True)
    assert cat["per_point"]["ucl"][0] == pytest.approx(min(1, pbar + 3 * s * sd_z))


def test_s6_11_g_chart_median_line_mean_limits():
    values = [5, 12, 3, 30, 8, 1, 15, 6]  # mean 10, median 7
    res = analyze(values, chart="g")
    assert res["per_point"]["cl"][0] == 7
    assert res["per_point"]["ucl"][0] == pytest.approx(10 + 3 * math.sqrt(110))
    # runs are counted around the median: 4 points above 7 and 4 below
    assert part(res)["n_useful"] == 8


def test_s6_12_t_chart_transform_and_screening_on_the_transformed_scale():
    values = [30, 32, 28, 31, 29, 33, 30, 400, 31, 29, 30, 32]
    t = [v ** (1 / 3.6) for v in values]
    mrs = [abs(b - a) for a, b in zip(t, t[1:], strict=False)]
    amr = sum(mrs) / len(mrs)
    kept = [m for m in mrs if m < 3.267 * amr]
    m = sum(t) / len(t)
    res = analyze(values, chart="t")
    assert res["per_point"]["cl"][0] == pytest.approx(m**3.6)
    assert res["per_point"]["ucl"][0] == pytest.approx(
        (m + 3 * sum(kept) / len(kept) / 1.128) ** 3.6
    )


def test_s6_13_xbar_and_s_subgroup_rules():
    equal = analyze(None, chart="s", subgroups=[[1, 3], [2, 6], [4, 4]])
    assert equal["per_point"]["cl"][0] == pytest.approx((math.sqrt(2) + math.sqrt(8) + 0) / 3)
    unequal = analyze(None, chart="s", subgroups=[[1, 3], [2, 4, 6], [9]])
    assert unequal["per_point"]["cl"][0] == pytest.approx(math.sqrt((1 * 2 + 2 * 4) / (1 + 2 + 0)))
    assert unequal["per_point"]["ucl"][2] is None  # subgroup of one
    quirk = analyze(None, chart="s", subgroups=[[1, 3], [2, 4, 6], []])
    assert quirk["per_point"]["cl"][0] == pytest.approx(math.sqrt(10 / 2))  # (1 + 2 - 1)
    xbar = analyze(None, chart="xbar", subgroups=[[1, 3], [2, 4, 6], [9]])
    assert xbar["per_point"]["cl"][0] == pytest.approx((2 * 2 + 3 * 4 + 1 * 9) / 6)


def test_s6_14_missing_values():
    res = analyze([1, 2, None, 4, 6], chart="i")
    # CL from 1, 2, 4, 6; the missing value removes both neighbouring MRs: |2-1| and |6-4|
    assert res["per_point"]["cl"][0] == pytest.approx(3.25)
    assert res["per_point"]["ucl"][0] == pytest.approx(3.25 + 3 * 1.5 / 1.128)
    assert res["per_point"]["sigma_signal"][2] is False
    assert part(res)["n_useful"] == 4
    pairs = analyze([1, None, 3], [10, 10, None], chart="p")
    assert pairs["per_point"]["y"] == [0.1, None, None]
    assert pairs["per_point"]["cl"][0] == pytest.approx(0.1)  # 1 / 10: the pair is dropped


def test_s6_15_mdc_subtleties():
    base = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9]
    noise = [0, 20, 0, 20, 0, 20]

    def types(values, **kw):
        return analyze(values, chart="i", rules="mdc", **kw)["per_point"]["special_cause_type"]

    assert set(types(noise + [5, 6, 7, 7, 8, 9, 10])) == {"Common Cause"}  # a tie breaks
    assert types([*base, 13, 7], fix_after=12)[12:] == ["Common Cause"] * 2  # opposite sides
    assert types([*base, 14, 10.5, 13], fix_after=12)[12:] == [
        "Above UCL", "Common Cause", "Common Cause"
    ]  # fmt: skip
    assert types([*base, 7, 8, 9, 10, 11, 12, 13.7], fix_after=12)[-1] == "Above UCL"
    res = analyze([*base, 20], chart="i", rules="mdc", fix_after=12)
    assert res["summary"]["variation_type"] == res["per_point"]["point_type"][-1]


def test_s6_16_critical_values_use_the_useful_points_of_the_part():
    values = [1, 9] * 6 + [5] + [1, 9] * 7  # 27 points, median 5
    res = analyze(values, exclude=[0, 1, 2], parts=[13])
    p1, p2 = res["per_part"]
    # part 1: 13 points, 3 excluded, one on its median -> 9 useful
    assert p1["n_obs"] == 10
    assert (p1["longest_run_max"], p1["n_crossings_min"]) == critical_values(p1["n_useful"])
    assert (p2["longest_run_max"], p2["n_crossings_min"]) == critical_values(14)
