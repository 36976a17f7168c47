"""Control charts: centre lines and limits from the formulas and from textbook examples.

Expected numbers are worked out here by hand (or with a few lines of plain arithmetic that
restate the formula) or taken from the published examples: Montgomery, Introduction to
Statistical Quality Control (the data sets in qicharts2's tests: Examples 7.1, 7.3, 7.4),
the qicharts2 vignette and SPC.md. The engine is never used to produce its own expectations.
"""

import math
import statistics

import pytest

from measures.spc import a3, analyze, b3, b4, c4

SIGMA3 = 3 / 1.128  # 2.659574...

# Montgomery Example 7.1 (qicharts2 tbl_07.03): nonconforming orange-juice cans, samples of 50.
CANS_30 = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
           8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip
CANS_24 = [9, 6, 12, 5, 6, 4, 6, 3, 7, 6, 2, 4, 3, 6, 5, 4, 8, 5, 6, 7, 5, 6, 3, 5]
# Montgomery Example 7.3 (qicharts2 tbl_07.08): nonconformities in 26 samples of 100 boards.
BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
          19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]  # fmt: skip
# Montgomery Example 7.4 (qicharts2 tbl_07.10): nonconformities in 20 samples of 5 computers.
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]


def first(res, key):
    return res["per_point"][key][0]


# ---- constants ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "c4_", "a3_", "b3_", "b4_"),
    [
        (2, 0.7979, 2.659, 0, 3.267),
        (3, 0.8862, 1.954, 0, 2.568),
        (4, 0.9213, 1.628, 0, 2.266),
        (5, 0.9400, 1.427, 0, 2.089),
        (6, 0.9515, 1.287, 0.030, 1.970),
        (8, 0.9650, 1.099, 0.185, 1.815),
        (10, 0.9727, 0.975, 0.284, 1.716),
    ],
)
def test_control_chart_constants_match_the_tables(n, c4_, a3_, b3_, b4_):
    assert c4(n) == pytest.approx(c4_, abs=5e-5)
    assert a3(n) == pytest.approx(a3_, abs=5e-4)
    assert b3(n) == pytest.approx(b3_, abs=5e-4)
    assert b4(n) == pytest.approx(b4_, abs=5e-4)


def test_constants_are_missing_for_subgroups_of_one():
    for f in (c4, a3, b3, b4):
        assert math.isnan(f(1))


# ---- I chart --------------------------------------------------------------------------------


def test_i_chart_by_hand():
    res = analyze([1, 2, 3, 4, 5], chart="i")
    # mean 3; moving ranges 1, 1, 1, 1 -> sigma = 1 / 1.128
    assert first(res, "cl") == 3
    assert first(res, "ucl") == pytest.approx(3 + SIGMA3)
    assert first(res, "lcl") == pytest.approx(3 - SIGMA3)
    assert first(res, "ucl_95") == pytest.approx(3 + 2 / 1.128)
    assert first(res, "lcl_95") == pytest.approx(3 - 2 / 1.128)
    assert pytest.approx(2.659574, abs=1e-6) == SIGMA3


def test_i_chart_moving_range_screening_drops_large_ranges_once():
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]  # NHSRplotthedots vignette
    mean = sum(values) / len(values)  # 35 / 18
    mrs = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]  # 15 ones, 8, 9
    amr = sum(mrs) / len(mrs)  # 32 / 17
    kept = [m for m in mrs if m < 3.267 * amr]  # 8 and 9 are >= 6.15: dropped
    assert kept == [1] * 15
    screened = analyze(values, chart="i")
    assert first(screened, "cl") == pytest.approx(mean)
    assert first(screened, "ucl") == pytest.approx(mean + 3 * 1 / 1.128)
    raw = analyze(values, chart="i", screened_mr=False)
    assert first(raw, "ucl") == pytest.approx(mean + 3 * amr / 1.128)
    assert first(raw, "lcl") == pytest.approx(mean - 3 * amr / 1.128)


def test_i_chart_screening_keeps_only_ranges_strictly_below_the_limit():
    # ranges 1, 1, 1, 7 -> mean 2.5 and limit 8.1675; an MR of 8.1675 itself would be dropped
    values = [0, 1, 0, 1, 8]
    res = analyze(values, chart="i")
    assert first(res, "ucl") == pytest.approx(2 + 3 * 2.5 / 1.128)  # nothing dropped
    values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 10]  # ranges 0 x 9, 1, 1, 8
    mrs = [0] * 9 + [1, 1, 8]
    amr = sum(mrs) / 12  # 0.8333 -> limit 2.72: the 8 goes
    kept = [m for m in mrs if m < 3.267 * amr]
    res = analyze(values, chart="i")
    assert first(res, "ucl") == pytest.approx(13 / 13 + 3 * (sum(kept) / len(kept)) / 1.128)


def test_i_chart_of_ratios_uses_the_unweighted_mean():
    num, den = [9, 45, 1], [10, 50, 4]
    res = analyze(num, den, chart="i")
    assert first(res, "cl") == pytest.approx((0.9 + 0.9 + 0.25) / 3)
    assert first(res, "cl") != pytest.approx(sum(num) / sum(den))


def test_i_chart_lcl_may_be_negative():
    res = analyze([0, 5, 0, 5, 0, 5], chart="i")
    assert first(res, "lcl") < 0


def test_i_chart_with_too_few_points_has_no_limits():
    res = analyze([5], chart="i")
    assert first(res, "cl") == 5
    assert first(res, "ucl") is None and first(res, "lcl") is None


def test_random_astronomical_example_from_spc_md():
    # qicharts2 vignette: set.seed(19); y <- rnorm(24); y[22] <- 4. SPC.md quotes the limits
    # 3.1 / -2.4 with screening and 3.4 / -2.7 without.
    y = [
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
        0.58982907263260764,
        -0.19670465084379096,
        0.65959377792856666,
        -0.26058462744697514,
        -0.5725055096507331,
        1.4065584069617985,
        0.50427050782622684,
        -0.70028092568535127,
        1.4234234788673712,
        4.0,
        0.0011691946936697203,
        1.0904551661120985,
    ]
    res = analyze(y, chart="i")
    assert round(first(res, "ucl"), 1) == 3.1
    assert round(first(res, "lcl"), 1) == -2.4
    assert res["per_point"]["sigma_signal"][21] is True
    raw = analyze(y, chart="i", screened_mr=False)
    assert round(first(raw, "ucl"), 1) == 3.4
    assert round(first(raw, "lcl"), 1) == -2.7


# ---- MR chart -------------------------------------------------------------------------------


def test_mr_chart_by_hand():
    res = analyze([3, 5, 4, 8, 7], chart="mr")
    pp = res["per_point"]
    assert pp["y"] == [None, 2, 1, 4, 1]
    assert pp["cl"][0] == 2  # (2 + 1 + 4 + 1) / 4
    assert pp["ucl"][0] == pytest.approx(3.267 * 2)
    assert pp["ucl_95"][0] == pytest.approx(3.267 / 3 * 2 * 2)
    assert pp["lcl"] == [0] * 5 and pp["lcl_95"] == [0] * 5


def test_mr_chart_is_not_screened():
    values = [1, 2, 1, 2, 1, 2, 1, 2, 30, 2]
    mrs = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    res = analyze(values, chart="mr")
    assert first(res, "cl") == pytest.approx(sum(mrs) / len(mrs))


def test_mr_chart_exclusion_drops_only_the_excluded_row():
    values = [3, 5, 4, 8, 7]  # MRs: -, 2, 1, 4, 1
    res = analyze(values, chart="mr", exclude=[2])
    # the MR at position 2 goes; the MR right after the excluded point (4) still counts
    assert first(res, "cl") == pytest.approx((2 + 4 + 1) / 3)


# ---- Xbar and S -----------------------------------------------------------------------------


def test_xbar_and_s_with_equal_subgroups():
    groups = [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]  # means 2..5, every SD 1
    xbar = analyze(None, chart="xbar", subgroups=groups)
    assert xbar["per_point"]["y"] == [2, 3, 4, 5]
    assert first(xbar, "cl") == 3.5
    c4_3 = math.sqrt(2 / 2) * math.gamma(1.5) / math.gamma(1)  # 0.886227
    a3_3 = 3 / (c4_3 * math.sqrt(3))  # 1.954410
    assert first(xbar, "ucl") == pytest.approx(3.5 + a3_3 * 1)
    assert first(xbar, "lcl") == pytest.approx(3.5 - a3_3 * 1)
    assert first(xbar, "ucl_95") == pytest.approx(3.5 + 2 / (c4_3 * math.sqrt(3)))
    s = analyze(None, chart="s", subgroups=groups)
    assert s["per_point"]["y"] == [1, 1, 1, 1]
    assert first(s, "cl") == 1
    c5_3 = math.sqrt(1 - c4_3**2)
    assert first(s, "ucl") == pytest.approx(1 + 3 * c5_3 / c4_3)  # B4(3) = 2.568
    assert first(s, "lcl") == 0  # B3(3) = max(0, negative)


def test_xbar_with_unequal_subgroups_uses_pooled_sd_and_weighted_mean():
    groups = [[1, 3], [2, 4, 6], [5, 5, 8, 10]]  # n 2, 3, 4; means 2, 4, 7; variances 2, 4, 6
    pooled = math.sqrt((1 * 2 + 2 * 4 + 3 * 6) / (1 + 2 + 3))
    res = analyze(None, chart="xbar", subgroups=groups)
    cl = (2 * 2 + 3 * 4 + 4 * 7) / 9
    assert first(res, "cl") == pytest.approx(cl)
    for k, n in enumerate((2, 3, 4)):
        a3n = 3 / (c4(n) * math.sqrt(n))
        assert res["per_point"]["ucl"][k] == pytest.approx(cl + a3n * pooled)
    s = analyze(None, chart="s", subgroups=groups)
    assert first(s, "cl") == pytest.approx(pooled)
    assert s["per_point"]["y"][1] == pytest.approx(2)


def test_empty_subgroup_adds_minus_one_to_the_pooled_denominator():
    # qicharts2 quirk (NA_test.rds): sum(n_i - 1) includes -1 for the empty subgroup
    groups = [[1, 3], [2, 4, 6], [5, 5, 8, 10], []]
    res = analyze(None, chart="s", subgroups=groups)
    assert first(res, "cl") == pytest.approx(math.sqrt(28 / 5))
    assert res["per_point"]["y"][3] is None
    assert res["per_point"]["ucl"][3] is None


def test_subgroup_of_one_has_no_limits():
    groups = [[4, 6], [5], [3, 7]]
    xbar = analyze(None, chart="xbar", subgroups=groups)
    assert xbar["per_point"]["y"] == [5, 5, 5]
    assert xbar["per_point"]["ucl"][1] is None and xbar["per_point"]["lcl"][1] is None
    assert xbar["per_point"]["ucl"][0] is not None
    s = analyze(None, chart="s", subgroups=groups)
    assert s["per_point"]["y"][1] is None
    assert s["per_point"]["ucl"][1] is None


def test_missing_measurements_shrink_the_subgroup():
    res = analyze(None, chart="xbar", subgroups=[[1, None, 3], [2, 4], [3, 5]])
    assert res["per_point"]["y"] == [2, 3, 4]
    assert first(res, "cl") == 3  # all subgroups have 2 values: equal n, mean SD


# ---- T chart --------------------------------------------------------------------------------


def t_limits(values, screened):
    t = [v ** (1 / 3.6) for v in values]
    m = sum(t) / len(t)
    mrs = [abs(b - a) for a, b in zip(t, t[1:], strict=False)]
    amr = sum(mrs) / len(mrs)
    if screened:
        kept = [x for x in mrs if x < 3.267 * amr]
        amr = sum(kept) / len(kept)
    s = amr / 1.128
    return m, s


def test_t_chart_transforms_and_back_transforms():
    values = [286, 948, 536, 124, 816, 729, 4, 143, 431, 8, 2837, 596, 81, 227, 603, 492]
    for screened in (True, False):
        m, s = t_limits(values, screened)
        res = analyze(values, chart="t", screened_mr=screened)
        assert first(res, "cl") == pytest.approx(m**3.6)
        assert first(res, "ucl") == pytest.approx((m + 3 * s) ** 3.6)
        assert first(res, "ucl_95") == pytest.approx((m + 2 * s) ** 3.6)
        lower = m - 3 * s
        assert first(res, "lcl") == (pytest.approx(lower**3.6) if lower > 0 else 0)
        assert res["per_point"]["y"] == pytest.approx(values)


def test_t_chart_keeps_a_positive_lower_limit():
    values = [100, 110, 95, 105, 98, 102, 107, 99, 101, 104]
    m, s = t_limits(values, True)
    assert m - 3 * s > 0
    assert first(analyze(values, chart="t"), "lcl") == pytest.approx((m - 3 * s) ** 3.6)


def test_t_chart_screening_changes_the_limits():
    values = [30, 32, 28, 31, 29, 33, 30, 400, 31, 29, 30, 32]
    assert first(analyze(values, chart="t"), "ucl") != pytest.approx(
        first(analyze(values, chart="t", screened_mr=False), "ucl")
    )


# ---- P and P' ---------------------------------------------------------------------------------


def test_p_chart_montgomery_example_7_1():
    res = analyze(CANS_30, [50] * 30, chart="p")
    assert first(res, "cl") == pytest.approx(0.2313, abs=5e-5)
    assert first(res, "ucl") == pytest.approx(0.4102, abs=5e-5)
    assert first(res, "lcl") == pytest.approx(0.0524, abs=5e-5)
    # samples 15 and 23 (1-based) fall above the upper limit
    assert [k + 1 for k, s in enumerate(res["per_point"]["sigma_signal"]) if s] == [15, 23]


def test_p_chart_montgomery_revised_limits_and_new_phase():
    values = CANS_30 + CANS_24
    res = analyze(values, [50] * 54, chart="p", exclude=[14, 22], parts=[30])
    p1, p2 = res["per_part"]
    assert p1["cl"] == pytest.approx(0.2150, abs=5e-5)
    assert p1["ucl"] == pytest.approx(0.3893, abs=5e-5)
    assert p1["lcl"] == pytest.approx(0.0407, abs=5e-5)
    assert p2["cl"] == pytest.approx(133 / 1200)  # 0.1108
    # excluded points are still tested against the limits
    assert res["per_point"]["sigma_signal"][14] and res["per_point"]["sigma_signal"][22]


def test_p_chart_centre_line_is_weighted():
    num, den = [1, 30], [10, 100]
    res = analyze(num, den, chart="p")
    assert first(res, "cl") == pytest.approx(31 / 110)
    sd_ = [math.sqrt(31 / 110 * (1 - 31 / 110) / n) for n in den]
    assert res["per_point"]["ucl"] == pytest.approx([31 / 110 + 3 * s for s in sd_])


def test_p_chart_limits_are_clipped_to_zero_and_one():
    res = analyze([1, 3, 2, 2], [4, 4, 4, 4], chart="p")  # p = 0.5, sigma = 0.25
    assert first(res, "lcl") == 0  # 0.5 - 0.75
    assert first(res, "ucl") == 1  # 0.5 + 0.75
    assert first(res, "lcl_95") == 0  # 0.5 - 0.5
    assert first(res, "ucl_95") == 1
    wide = analyze([1, 9, 5, 5], [10, 10, 10, 10], chart="p")
    assert first(wide, "lcl") == pytest.approx(0.5 - 3 * math.sqrt(0.025))


def test_p_prime_chart_by_the_formulas():
    num = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10]
    den = [50, 60, 45, 50, 40, 55, 70, 50, 60, 50]
    pbar = sum(num) / sum(den)
    sd_ = [math.sqrt(pbar * (1 - pbar) / n) for n in den]
    z = [(r / n - pbar) / s for r, n, s in zip(num, den, sd_, strict=True)]
    mrs = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    amr = sum(mrs) / len(mrs)
    kept = [m for m in mrs if m < 3.267 * amr]
    sigma_z = sum(kept) / len(kept) / 1.128
    res = analyze(num, den, chart="pp")
    assert first(res, "cl") == pytest.approx(pbar)
    assert res["per_point"]["ucl"] == pytest.approx([pbar + 3 * s * sigma_z for s in sd_])
    # categorical x (funnel plot): the SD of the z-scores instead of their moving ranges
    funnel = analyze(num, den, chart="pp", categorical_x=True)
    sd_z = statistics.stdev(z)
    assert funnel["per_point"]["ucl"] == pytest.approx([pbar + 3 * s * sd_z for s in sd_])


# ---- C, U, U', G -----------------------------------------------------------------------------


def test_c_chart_montgomery_example_7_3():
    res = analyze(BOARDS, chart="c")
    # Montgomery rounds c-bar to 19.85 before computing 33.22 and 6.48
    assert first(res, "cl") == pytest.approx(19.85, abs=5e-3)
    assert first(res, "ucl") == pytest.approx(33.22, abs=1.5e-2)
    assert first(res, "lcl") == pytest.approx(6.48, abs=1.5e-2)
    assert first(res, "ucl") == pytest.approx(516 / 26 + 3 * math.sqrt(516 / 26))
    assert [k + 1 for k, s in enumerate(res["per_point"]["sigma_signal"]) if s] == [6, 20]
    revised = analyze(BOARDS, chart="c", exclude=[5, 19])
    assert first(revised, "cl") == pytest.approx(19.67, abs=5e-3)
    assert first(revised, "ucl") == pytest.approx(32.97, abs=5e-3)
    assert first(revised, "lcl") == pytest.approx(6.36, abs=5e-3)


def test_c_chart_clips_lcl_at_zero():
    res = analyze([1, 0, 2, 1, 0, 3], chart="c")
    assert first(res, "lcl") == 0
    assert first(res, "lcl_95") == 0
    assert first(res, "ucl") == pytest.approx(7 / 6 + 3 * math.sqrt(7 / 6))


def test_u_chart_montgomery_example_7_4():
    res = analyze(COMPUTERS, [5] * 20, chart="u")
    assert first(res, "cl") == pytest.approx(1.93)
    assert first(res, "ucl") == pytest.approx(3.79, abs=5e-3)
    assert first(res, "lcl") == pytest.approx(0.07, abs=5e-3)


def test_u_chart_is_weighted_and_not_clipped_above():
    num, den = [2, 40, 1], [0.5, 10, 0.2]
    u = 43 / 10.7
    res = analyze(num, den, chart="u")
    assert first(res, "cl") == pytest.approx(u)
    assert res["per_point"]["ucl"] == pytest.approx([u + 3 * math.sqrt(u / n) for n in den])
    assert res["per_point"]["lcl"][2] == 0
    assert res["per_point"]["y"] == pytest.approx([4, 4, 5])


def test_u_prime_chart_by_the_formulas():
    num = [30, 45, 28, 60, 41, 35, 52, 38]
    den = [1000, 1500, 900, 1800, 1300, 1200, 1600, 1250]
    ubar = sum(num) / sum(den)
    sd_ = [math.sqrt(ubar / n) for n in den]
    z = [(r / n - ubar) / s for r, n, s in zip(num, den, sd_, strict=True)]
    mrs = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    amr = sum(mrs) / len(mrs)
    kept = [m for m in mrs if m < 3.267 * amr]
    sigma_z = sum(kept) / len(kept) / 1.128
    res = analyze(num, den, chart="up", multiply=1000)
    assert first(res, "cl") == pytest.approx(ubar * 1000)
    assert res["per_point"]["ucl"] == pytest.approx([(ubar + 3 * s * sigma_z) * 1000 for s in sd_])
    low = [max(0, (ubar - 3 * s * sigma_z)) * 1000 for s in sd_]
    assert res["per_point"]["lcl"] == pytest.approx(low)
    raw = analyze(num, den, chart="up", screened_mr=False)
    assert first(raw, "ucl") == pytest.approx(ubar + 3 * sd_[0] * amr / 1.128)


def test_g_chart_shows_the_median_but_limits_come_from_the_mean():
    values = [5, 12, 3, 30, 8, 1, 15, 6]
    m = sum(values) / len(values)  # 10
    res = analyze(values, chart="g")
    assert first(res, "cl") == statistics.median(values)  # 7
    assert first(res, "ucl") == pytest.approx(m + 3 * math.sqrt(m * (m + 1)))
    assert first(res, "lcl") == 0
    assert first(res, "ucl_95") == pytest.approx(m + 2 * math.sqrt(m * (m + 1)))


# ---- multiply and limits summary ---------------------------------------------------------


def test_multiply_scales_y_centre_and_limits():
    res = analyze(CANS_30, [50] * 30, chart="p", multiply=100)
    assert first(res, "cl") == pytest.approx(23.133, abs=5e-4)
    assert first(res, "ucl") == pytest.approx(41.02, abs=5e-3)
    assert res["per_point"]["y"][0] == pytest.approx(24)


def test_per_part_limits_are_the_means_of_the_per_point_limits():
    num, den = [5, 10, 8, 12], [20, 50, 40, 30]
    res = analyze(num, den, chart="p")
    pp = res["per_point"]
    assert res["per_part"][0]["ucl"] == pytest.approx(sum(pp["ucl"]) / 4)
    assert res["per_part"][0]["lcl"] == pytest.approx(sum(pp["lcl"]) / 4)
