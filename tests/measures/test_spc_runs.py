"""Anhøj runs analysis: critical values and run-chart behaviour.

Expected values come from the formulas (round(log2 n) + 3, qbinom(0.05, n - 1, 0.5)), from the
critical-value table in SPC.md (identical to qicharts2's Appendix 2) and from the worked
examples published in the qicharts and qicharts2 vignettes, never from the engine itself.
"""

import math

import pytest

from measures.spc import analyze, critical_values

# SPC.md section 2, "Critical values, n = 10..60": n -> (max run, min crossings)
TABLE = {
    10: (6, 2), 11: (6, 2), 12: (7, 3), 13: (7, 3), 14: (7, 4), 15: (7, 4), 16: (7, 4),
    17: (7, 5), 18: (7, 5), 19: (7, 6), 20: (7, 6), 21: (7, 6), 22: (7, 7), 23: (8, 7),
    24: (8, 8), 25: (8, 8), 26: (8, 8), 27: (8, 9), 28: (8, 9), 29: (8, 10), 30: (8, 10),
    31: (8, 11), 32: (8, 11), 33: (8, 11), 34: (8, 12), 35: (8, 12), 36: (8, 13), 37: (8, 13),
    38: (8, 14), 39: (8, 14), 40: (8, 14), 41: (8, 15), 42: (8, 15), 43: (8, 16), 44: (8, 16),
    45: (8, 17), 46: (9, 17), 47: (9, 17), 48: (9, 18), 49: (9, 18), 50: (9, 19), 51: (9, 19),
    52: (9, 20), 53: (9, 20), 54: (9, 21), 55: (9, 21), 56: (9, 21), 57: (9, 22), 58: (9, 22),
    59: (9, 23), 60: (9, 23),
}  # fmt: skip

# qicharts (v1) vignette "Run charts with R", figure 2: set.seed(9); y <- rpois(24, 16);
# y[13:24] <- rpois(12, 24). The vignette states: 24 points, 22 not on the median, longest run
# 10 (limit 7), 3 crossings (limit 7), so non-random variation.
RUNCHARTS_FIG2 = [12, 12, 14, 17, 11, 13, 15, 14, 21, 14, 16, 14,
                  30, 27, 18, 22, 29, 24, 24, 19, 28, 18, 24, 20]  # fmt: skip

# qicharts2 vignette "Testing for special cause variation": set.seed(19); y <- rnorm(24);
# y[22] <- 4; y[13:24] <- rnorm(12, mean = 2). Its printed summary(qic(y, chart = 'i')):
# n.obs 24, n.useful 24, longest.run 13 (max 8), n.crossings 4 (min 8), runs.signal 1,
# aLCL -2.114884, CL 1.057091, aUCL 4.229067, sigma.signal 0.
VIGNETTE_SHIFT = [
    -1.1894537452597227,
    0.38858122963255254,
    -0.34433334921072467,
    -0.54789613841829499,
    0.98066221575019152,
    -0.2366460072728519,
    0.80973970434771492,
    -0.74477952866404118,
    -0.25978701312709895,
    -0.18308383041021475,
    0.51862998761290513,
    0.88346510072031359,
    1.0012847525821891,
    2.5348299922874111,
    1.8762320483140942,
    4.1193033079270958,
    0.48652412607601336,
    2.2551948706224385,
    3.5047414384306554,
    1.6099195252991163,
    2.5793581701267252,
    2.2103558396869403,
    2.944042775533132,
    0.17330676638891696,
]


def signs_to_values(signs):
    """Distinct values above (+) and below (-) zero whose median is exactly 0 when balanced."""
    out = []
    for k, s in enumerate(signs):
        out.append(10 + 0.1 * k if s > 0 else -10 - 0.1 * k)
    return out


def qbinom_05(size):
    """Smallest k with P(X <= k) >= 0.05, X ~ Binomial(size, 1/2), straight from the definition."""
    acc = 0.0
    for k in range(size + 1):
        acc += math.comb(size, k) / 2**size
        if acc >= 0.05:
            return k
    return size


@pytest.mark.parametrize("n", sorted(TABLE))
def test_critical_values_match_the_published_table(n):
    assert critical_values(n) == TABLE[n]


def test_critical_values_follow_their_formulas_beyond_the_table():
    for n in list(range(1, 10)) + list(range(61, 301)):
        assert critical_values(n) == (round(math.log2(n)) + 3, qbinom_05(n - 1))


def test_crossings_minimum_for_24_points_is_8():
    # SPC.md: P(X <= 7) = 0.04657 < 0.05 <= P(X <= 8) = 0.10502 for X ~ Bin(23, 1/2)
    cdf = [sum(math.comb(23, i) for i in range(k + 1)) / 2**23 for k in range(24)]
    assert cdf[7] == pytest.approx(0.04657, abs=5e-6)
    assert cdf[8] == pytest.approx(0.10502, abs=5e-6)
    assert critical_values(24)[1] == 8


def test_longest_run_limit_steps_up_at_12_23_46_91():
    for step in (12, 23, 46, 91):
        assert critical_values(step)[0] == critical_values(step - 1)[0] + 1


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", None, True])
def test_critical_values_reject_non_positive_integers(bad):
    with pytest.raises(ValueError, match="n_useful"):
        critical_values(bad)


def test_runcharts_vignette_worked_example():
    part = analyze(RUNCHARTS_FIG2)["per_part"][0]
    assert part["n_obs"] == 24
    assert part["n_useful"] == 22  # two points on the median
    assert part["longest_run"] == 10
    assert part["longest_run_max"] == 7
    assert part["n_crossings"] == 3
    assert part["n_crossings_min"] == 7
    assert part["runs_signal"] is True


def test_run_chart_centre_line_is_the_median():
    assert analyze(RUNCHARTS_FIG2)["per_point"]["cl"][0] == 18
    # even count: the mean of the two middle values; qic(1:50) has median 25.5
    res = analyze(list(range(1, 51)))
    assert res["per_point"]["cl"] == [25.5] * 50
    assert res["per_point"]["lcl"] == [None] * 50
    assert res["per_point"]["ucl"] == [None] * 50


def test_qicharts2_vignette_i_chart_summary():
    res = analyze(VIGNETTE_SHIFT, chart="i")
    part = res["per_part"][0]
    assert (part["n_obs"], part["n_useful"]) == (24, 24)
    assert (part["longest_run"], part["longest_run_max"]) == (13, 8)
    assert (part["n_crossings"], part["n_crossings_min"]) == (4, 8)
    assert part["runs_signal"] is True
    assert part["lcl"] == pytest.approx(-2.114884, abs=5e-7)
    assert part["cl"] == pytest.approx(1.057091, abs=5e-7)
    assert part["ucl"] == pytest.approx(4.229067, abs=5e-7)
    assert part["sigma_signals"] == 0
    assert res["per_point"]["runs_signal"] == [True] * 24


def test_points_on_the_centre_line_neither_break_nor_extend_a_run():
    # sorted: 2 2 2 2 2 5 5 8 8 8 8 -> median 5; the two 5s sit inside the runs
    values = [2, 2, 2, 5, 2, 2, 8, 8, 5, 8, 8]
    part = analyze(values)["per_part"][0]
    assert part["n_obs"] == 11
    assert part["n_useful"] == 9
    assert part["longest_run"] == 5  # not 3: the 5 at position 3 does not break the run
    assert part["n_crossings"] == 1
    assert critical_values(9) == (part["longest_run_max"], part["n_crossings_min"])


def test_crossing_through_a_point_on_the_median_counts_once():
    part = analyze([2, 5, 8])["per_part"][0]
    assert part["n_useful"] == 2
    assert part["n_crossings"] == 1


def test_longest_run_equal_to_the_limit_is_not_a_signal():
    signs = [1] * 8 + [-1] * 2 + [1] + [-1] * 2 + [1] + [-1] * 2 + [1] + [-1] * 2 + [1] + [-1] * 4
    part = analyze(signs_to_values(signs))["per_part"][0]
    assert part["n_useful"] == 24
    assert (part["longest_run"], part["longest_run_max"]) == (8, 8)
    assert part["n_crossings"] >= part["n_crossings_min"]
    assert part["runs_signal"] is False


def test_longest_run_above_the_limit_is_a_signal():
    signs = [1] * 9 + [-1, 1] * 3 + [-1] * 9
    part = analyze(signs_to_values(signs))["per_part"][0]
    assert (part["longest_run"], part["longest_run_max"]) == (9, 8)
    assert part["runs_signal"] is True


def test_crossings_equal_to_the_minimum_is_not_a_signal():
    lengths = [3, 3, 3, 3, 2, 3, 2, 3, 2]  # 9 runs, 12 above and 12 below
    signs = [s for k, n in enumerate(lengths) for s in [1 if k % 2 == 0 else -1] * n]
    part = analyze(signs_to_values(signs))["per_part"][0]
    assert part["n_useful"] == 24
    assert (part["n_crossings"], part["n_crossings_min"]) == (8, 8)
    assert part["longest_run"] <= part["longest_run_max"]
    assert part["runs_signal"] is False


def test_crossings_below_the_minimum_is_a_signal():
    lengths = [3] * 8  # 8 runs: 7 crossings
    signs = [s for k, n in enumerate(lengths) for s in [1 if k % 2 == 0 else -1] * n]
    part = analyze(signs_to_values(signs))["per_part"][0]
    assert (part["n_crossings"], part["n_crossings_min"]) == (7, 8)
    assert part["longest_run"] == 3
    assert part["runs_signal"] is True


def test_part_without_useful_points_has_no_statistics():
    part = analyze([4, 4, 4, 4])["per_part"][0]  # every point on the median
    assert part["n_obs"] == 4
    assert part["n_useful"] == 0
    for key in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
        assert part[key] is None
    assert part["runs_signal"] is False


def test_all_missing_values_give_no_centre_line_and_no_signal():
    res = analyze([None, None, None])
    assert res["per_point"]["cl"] == [None, None, None]
    assert res["per_part"][0]["n_useful"] == 0
    assert res["summary"]["special_cause"] is False


def test_missing_values_are_kept_as_points_without_value():
    res = analyze([1, None, 3, 4, None, 6])
    assert res["per_point"]["y"] == [1, None, 3, 4, None, 6]
    part = res["per_part"][0]
    assert part["n_obs"] == 6  # missing values still count as observations
    assert part["n_useful"] == 4
    assert res["per_point"]["cl"][0] == 3.5


def test_freeze_uses_baseline_median_but_all_points_for_runs():
    baseline = [9, 11, 10.5, 9.5, 9, 11, 10.5, 9.5, 9, 11, 10.5, 9.5]  # median 10
    values = baseline + [14] * 12
    res = analyze(values, freeze=12)
    assert res["per_point"]["cl"] == [10] * 24
    assert res["per_point"]["baseline"] == [True] * 12 + [False] * 12
    part = res["per_part"][0]
    assert part["n_obs"] == 24
    assert part["n_useful"] == 24
    assert part["longest_run"] == 12
    assert part["runs_signal"] is True
    # without freeze the median of all 24 points is (11 + 14) / 2
    assert analyze(values)["per_point"]["cl"][0] == 12.5


def test_parts_recompute_everything_and_keep_global_positions():
    first = [1, 3, 2, 4, 3, 5, 1, 3, 2, 4]
    second = [20, 24, 22, 21, 23, 25, 22, 24]
    res = analyze(first + second, parts=[10])
    pp = res["per_point"]
    assert pp["part"] == [1] * 10 + [2] * 8
    assert pp["cl"][:10] == [3] * 10
    assert pp["cl"][10:] == [22.5] * 8
    p1, p2 = res["per_part"]
    assert (p1["start"], p1["end"], p2["start"], p2["end"]) == (0, 9, 10, 17)
    assert p1["n_obs"] == 10 and p2["n_obs"] == 8


def test_parts_win_over_freeze_as_in_qicharts2():
    values = [1, 3, 2, 4, 3, 5, 1, 3, 2, 4, 20, 24, 22, 21, 23, 25]
    res = analyze(values, parts=[10], freeze=4)
    assert res["per_point"]["baseline"] == [True] * 16
    assert res["per_point"]["cl"][0] == 3
    assert any("freeze is ignored" in w.lower() for w in res["summary"]["warnings"])


def test_excluded_points_leave_the_runs_sequence():
    values = [1, 1, 1, 1, 9, 1, 1, 1, 1] + [9] * 9 + [1]
    full = analyze(values)
    assert full["per_part"][0]["n_obs"] == 19
    res = analyze(values, exclude=[4])
    part = res["per_part"][0]
    assert part["n_obs"] == 18
    assert res["per_point"]["cl"][0] == 5  # 9 ones and 9 nines left
    # the 9 at position 4 no longer breaks the run of 1s: 8 in a row (limit 7 for 18 points)
    shifts = [s for s in res["summary"]["signals"] if s["kind"] == "shift"]
    assert (shifts[0]["start"], shifts[0]["end"]) == (0, 8)
    assert shifts[0]["points"] == [0, 1, 2, 3, 5, 6, 7, 8]
    assert not any(s["kind"] == "shift" and s["end"] == 3 for s in full["summary"]["signals"])
    assert res["per_point"]["include"][4] is False
    assert res["per_point"]["y"][4] == 9  # still plotted


def test_multiply_scales_values_not_the_runs_analysis():
    base = analyze(RUNCHARTS_FIG2)
    scaled = analyze(RUNCHARTS_FIG2, multiply=100)
    assert scaled["per_point"]["y"] == [v * 100 for v in RUNCHARTS_FIG2]
    assert scaled["per_point"]["cl"][0] == 1800
    for key in ("n_useful", "longest_run", "n_crossings", "runs_signal"):
        assert scaled["per_part"][0][key] == base["per_part"][0][key]


def test_categorical_x_computes_runs_but_never_signals():
    res = analyze(RUNCHARTS_FIG2, categorical_x=True, x=[f"unit {k}" for k in range(24)])
    part = res["per_part"][0]
    assert part["longest_run"] == 10  # still computed, in x order
    assert part["runs_signal"] is False
    assert res["per_point"]["runs_signal"] == [False] * 24


def test_mr_chart_never_raises_the_runs_signal():
    values = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 10, 20, 10, 20, 10, 20, 10, 20, 10, 20, 10, 20]
    res = analyze(values, chart="mr")
    part = res["per_part"][0]
    assert part["n_obs"] == len(values)
    assert part["n_useful"] == len(values) - 1  # the first MR is missing
    assert part["longest_run"] > part["longest_run_max"]
    assert part["runs_signal"] is False


def test_runs_analysis_uses_every_chart_s_own_centre_line():
    # I chart: the mean (4.2), not the median (2)
    values = [1, 2, 2, 2, 14]
    cl = analyze(values, chart="i")["per_point"]["cl"][0]
    assert cl == pytest.approx(4.2)
    assert analyze(values, chart="i")["per_part"][0]["n_useful"] == 5
