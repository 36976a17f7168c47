"""Making Data Count rules (rules="mdc"), reproducing NHSRplotthedots.

Reference numbers come from NHSRplotthedots' own published tests (the set.seed(123) snapshots
in tests/testthat/_snaps) and vignettes; rule behaviour from the unit tests of
ptd_calculate_point_type (trends broken by ties, 2-in-3 on one side only, precedence) and
from the formulas in SPC.md section 4.
"""

import math

import pytest

from measures.spc import analyze

# set.seed(123); rnorm(20): the data of NHSRplotthedots' ptd_spc_standard and ptd_spc tests
RNORM_123 = [
    -0.560475646552213,
    -0.230177489483280,
    1.558708314149124,
    0.070508391424576,
    0.129287735160946,
    1.715064986883281,
    0.460916205989202,
    -1.265061234606534,
    -0.686852851893526,
    -0.445661970099958,
    1.224081797439462,
    0.359813827057364,
    0.400771450594052,
    0.110682715945120,
    -0.555841134754075,
    1.786913136803078,
    0.497850478229239,
    -1.966617156629638,
    0.701355901563686,
    -0.472791407727934,
]

# vignettes/deviations.Rmd: the outlier 10 is screened out of the moving ranges by default
DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

# a calm baseline: mean 10, average moving range 15/11
BASELINE = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9]
BASE_AMR = 15 / 11


def mdc(values, **kw):
    return analyze(values, chart="i", rules="mdc", **kw)


def types(res, start=0):
    return res["per_point"]["special_cause_type"][start:]


# ---- limits ---------------------------------------------------------------------------------


def test_snapshot_limits_of_ptd_spc_standard():
    pp = mdc(RNORM_123)["per_point"]
    assert pp["mean"][0] == pytest.approx(0.1416238, abs=5e-8)
    assert pp["lpl"][0] == pytest.approx(-3.01138, abs=5e-6)
    assert pp["upl"][0] == pytest.approx(3.294627, abs=5e-7)
    assert set(pp["point_type"]) == {"common_cause"}


def test_snapshot_outlier_is_screened_by_default():
    values = list(RNORM_123)
    values[14] = 10  # data$y[15] <- 10
    pp = mdc(values)["per_point"]
    assert pp["mean"][0] == pytest.approx(0.6694159, abs=5e-8)  # the outlier still counts here
    assert pp["lpl"][0] == pytest.approx(-2.383666, abs=5e-7)
    assert pp["upl"][0] == pytest.approx(3.722497, abs=5e-7)
    raw = mdc(values, screen_outliers=False)["per_point"]
    assert raw["lpl"][0] == pytest.approx(-4.596625, abs=5e-7)
    assert raw["upl"][0] == pytest.approx(5.935457, abs=5e-7)
    assert raw["upl"][0] - raw["lpl"][0] > pp["upl"][0] - pp["lpl"][0]


def test_snapshot_groups_are_analysed_separately():
    # ptd_spc(d, "y", "x", facet_field = "facet") with 10 points per facet: each group on its
    # own, exactly as a rebase at point 11
    res = mdc(RNORM_123, rebase=[10])
    g1, g2 = res["per_part"]
    assert (round(g1["mean"], 4), round(g1["lpl"], 2), round(g1["upl"], 2)) == (0.0746, -2.60, 2.75)
    assert (round(g2["mean"], 3), round(g2["lpl"], 2), round(g2["upl"], 2)) == (0.209, -3.28, 3.70)
    assert res["per_point"]["part"] == [1] * 10 + [2] * 10
    assert g1["variation_type"] == g2["variation_type"] == "common_cause"


def test_deviations_vignette_screened_and_excel_limits():
    mean = 35 / 18
    res = mdc(DEVIATIONS)["per_point"]
    # 15 moving ranges of 1 survive the screen (8 and 9 are >= 3.267 x 32/17)
    assert res["mean"][0] == pytest.approx(mean)
    assert res["upl"][0] == pytest.approx(mean + 2.66)
    assert res["lpl"][0] == pytest.approx(mean - 2.66)
    assert (round(res["upl"][0], 2), round(res["lpl"][0], 2)) == (4.60, -0.72)
    excel = mdc(DEVIATIONS, screen_outliers=False)["per_point"]
    assert excel["upl"][0] == pytest.approx(mean + 2.66 * 32 / 17)
    assert (round(excel["upl"][0], 2), round(excel["lpl"][0], 2)) == (6.95, -3.06)
    assert res["special_cause_type"][4] == "Above UCL"


def test_mdc_uses_2_66_where_qicharts2_uses_3_over_1_128():
    mdc_ucl = mdc(DEVIATIONS)["per_point"]["ucl"][0]
    qic_ucl = analyze(DEVIATIONS, chart="i")["per_point"]["ucl"][0]
    assert mdc_ucl == pytest.approx(35 / 18 + 2.66)
    assert qic_ucl == pytest.approx(35 / 18 + 3 / 1.128)
    assert mdc_ucl - qic_ucl == pytest.approx(2.66 - 2.6595744680851063, abs=1e-12)


def test_near_limits_are_two_thirds_of_the_way():
    pp = mdc(BASELINE)["per_point"]
    assert pp["ucl_95"][0] == pytest.approx(10 + 2 * (2.66 / 3) * BASE_AMR)
    assert pp["lcl_95"][0] == pytest.approx(10 - 1.773333333 * BASE_AMR)


def test_fix_after_takes_the_limits_from_the_first_points_only():
    values = BASELINE + [30, 31, 29, 30]
    res = mdc(values, fix_after=12)
    assert res["per_point"]["mean"][0] == 10
    assert res["per_point"]["upl"][0] == pytest.approx(10 + 2.66 * BASE_AMR)
    assert res["per_point"]["baseline"] == [True] * 12 + [False] * 4
    assert types(res, 12) == ["Above UCL"] * 4


def test_fix_after_applies_within_each_rebase_group():
    values = BASELINE + [100] + [20, 22, 18, 20, 22, 18, 20, 22, 18, 20, 22, 18, 50]
    res = mdc(values, rebase=[12], fix_after=12)
    # the first 12 rows of group 2: the 100 and eleven of the calmer points
    assert res["per_part"][1]["mean"] == pytest.approx((100 + sum(values[13:24])) / 12)
    assert res["per_point"]["baseline"][-1] is False


# ---- rules ----------------------------------------------------------------------------------


def test_seven_points_on_one_side_is_a_shift():
    res = mdc([0, 20, 0, 20, 0, 20] + [11] * 7)
    # mean 137/13 = 10.54: the last 20 and the seven 11s make 8 points in a row above it
    assert types(res) == ["Common Cause"] * 5 + ["7 Points Above CL"] * 8
    assert res["summary"]["signals"][0]["kind"] == "shift"
    assert res["summary"]["signals"][0]["points"] == list(range(5, 13))


def test_six_points_on_one_side_is_not_a_shift():
    res = mdc([0, 20, 0, 20, 0, 11, 11, 11, 11, 11, 11])
    assert set(types(res)) == {"Common Cause"}


def test_a_point_on_the_mean_breaks_the_shift():
    values = [0, 20, 0, 20, 0, 20, 12, 12, 12, 10, 12, 12, 12, 12, 3, 3]  # mean exactly 10
    res = mdc(values)
    assert res["per_point"]["mean"][0] == 10
    assert res["per_point"]["relative_to_mean"][9] == 0
    assert set(types(res)) == {"Common Cause"}
    # the Anhøj runs analysis, by contrast, skips the point on the centre line: the last 20 and
    # the seven 12s make a run of 8
    assert analyze(values, chart="i")["per_part"][0]["longest_run"] == 8


def test_seven_point_trend_is_flagged_even_across_the_mean():
    res = mdc([0, 20, 0, 20, 0, 20] + [5, 6, 7, 8, 9, 10, 11])
    assert types(res, 6) == ["7 Point Trend (Increasing)"] * 7
    assert res["per_point"]["relative_to_mean"][6:] == [-1, -1, -1, -1, 1, 1, 1]
    # labelled by direction, not by side (NHSRplotthedots issue #171): all improvement
    assert res["per_point"]["point_type"][6:] == ["special_cause_improvement"] * 7


def test_a_tie_breaks_the_trend():
    # unit test: ptd_seven_point_trend(c(1:3, 3:6)) finds no trend
    res = mdc([0, 20, 0, 20, 0, 20] + [5, 6, 7, 7, 8, 9, 10])
    assert set(types(res)) == {"Common Cause"}


def test_six_point_trend_is_not_a_trend():
    # NHSRplotthedots hard-codes 7 (issue #202 asks for a 6-point option)
    res = mdc([0, 20, 0, 20, 0, 20] + [5, 6, 7, 8, 9, 10])
    assert set(types(res)) == {"Common Cause"}


def test_decreasing_trend_is_a_concern_when_higher_is_better():
    res = mdc([0, 20, 0, 20, 0, 20] + [14, 13, 12, 11, 10, 9, 8])
    assert types(res, 6) == ["7 Point Trend (Decreasing)"] * 7
    assert set(res["per_point"]["point_type"][6:]) == {"special_cause_concern"}
    down = mdc([0, 20, 0, 20, 0, 20] + [14, 13, 12, 11, 10, 9, 8], improvement_direction="decrease")
    assert set(down["per_point"]["point_type"][6:]) == {"special_cause_improvement"}


def test_two_of_three_close_to_the_limit_on_one_side():
    res = mdc([*BASELINE, 13, 10.5, 13], fix_after=12)
    near = 10 + 2 * (2.66 / 3) * BASE_AMR  # 12.42
    upl = 10 + 2.66 * BASE_AMR  # 13.63
    assert near < 13 < upl and 10 < 10.5 < near
    assert res["per_point"]["close_to_limits"][12:] == [True, False, True]
    # only the close points of the qualifying window are flagged
    assert types(res, 12) == ["2 in 3 Above CL", "Common Cause", "2 in 3 Above CL"]


def test_two_close_points_on_opposite_sides_do_not_qualify():
    assert types(mdc([*BASELINE, 13, 7], fix_after=12), 12) == ["Common Cause"] * 2
    # NHSRplotthedots test for issue #143: symmetric data, then 5.5 and -5.5
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    res = mdc(values)
    assert res["per_point"]["point_type"][-2:] == ["common_cause", "common_cause"]


def test_a_point_beyond_the_limit_is_not_close():
    res = mdc([*BASELINE, 14, 10.5, 13], fix_after=12)
    assert res["per_point"]["outside_limits"][12] is True
    assert res["per_point"]["close_to_limits"][12:] == [False, False, True]
    assert types(res, 12) == ["Above UCL", "Common Cause", "Common Cause"]


def test_precedence_outside_then_trend_then_two_of_three_then_shift():
    # a shift of 7 above the mean that contains two close points
    res = mdc([*BASELINE, 10.5, 13, 13, 10.5, 10.6, 10.7, 10.2], fix_after=12)
    assert types(res, 12) == [
        "7 Points Above CL",
        "2 in 3 Above CL",
        "2 in 3 Above CL",
        "7 Points Above CL",
        "7 Points Above CL",
        "7 Points Above CL",
        "7 Points Above CL",
    ]
    # a trend whose last point is beyond the limit
    trend = mdc([*BASELINE, 7, 8, 9, 10, 11, 12, 13.7], fix_after=12)
    assert types(trend, 12) == ["7 Point Trend (Increasing)"] * 6 + ["Above UCL"]
    # a trend beats 2 in 3: 12.5, 12.9 and 13.2 are close, and rising
    both = mdc([*BASELINE, 9, 10.5, 11, 12, 12.5, 12.9, 13.2], fix_after=12)
    assert types(both, 12) == ["7 Point Trend (Increasing)"] * 7


@pytest.mark.parametrize(
    ("direction", "above", "below"),
    [
        ("increase", "special_cause_improvement", "special_cause_concern"),
        ("decrease", "special_cause_concern", "special_cause_improvement"),
        ("neutral", "special_cause_neutral_high", "special_cause_neutral_low"),
    ],
)
def test_point_type_follows_the_improvement_direction(direction, above, below):
    res = mdc([*BASELINE, 20, 0], fix_after=12, improvement_direction=direction)
    assert types(res, 12) == ["Above UCL", "Below LCL"]
    assert res["per_point"]["point_type"][12:] == [above, below]


def test_variation_type_is_the_point_type_of_the_last_point():
    assert mdc([*BASELINE, 20], fix_after=12)["summary"]["variation_type"] == (
        "special_cause_improvement"
    )
    assert mdc([*BASELINE, 20, 10], fix_after=12)["summary"]["variation_type"] == "common_cause"
    res = mdc([*BASELINE, 0, *BASELINE], rebase=[13])
    assert res["per_part"][0]["variation_type"] == "special_cause_concern"  # ends on the 0
    assert res["per_part"][1]["variation_type"] == "common_cause"
    assert res["summary"]["variation_type"] == "common_cause"  # the latest group


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("increase", 20, "consistent_fail"),  # target above the upper limit
        ("increase", 0, "consistent_pass"),  # target below the lower limit
        ("increase", 10.5, "inconsistent"),
        ("decrease", 20, "consistent_pass"),
        ("decrease", 0, "consistent_fail"),
        ("decrease", 10.5, "inconsistent"),
        ("neutral", 20, None),
        ("increase", None, None),
    ],
)
def test_assurance_type(direction, target, expected):
    res = mdc(BASELINE, improvement_direction=direction, target=target)
    assert res["summary"]["assurance_type"] == expected


def test_assurance_uses_the_last_group_and_displayed_units():
    res = mdc([*BASELINE, *[v + 20 for v in BASELINE]], rebase=[12], target=25, multiply=1)
    assert res["summary"]["assurance_type"] == "consistent_pass"  # 25 < LPL of the 2nd group
    pct = mdc([0.1, 0.11, 0.09, 0.1, 0.11, 0.09, 0.1, 0.11, 0.09, 0.1, 0.11, 0.09, 0.1],
              multiply=100, target=20)  # fmt: skip
    assert pct["summary"]["assurance_type"] == "consistent_fail"


def test_short_groups_get_trial_limits_warnings():
    short = mdc(BASELINE)  # 12 points
    assert short["per_part"][0]["trial_limits"] is True
    assert any("trial limits" in w.lower() for w in short["summary"]["warnings"])
    long = mdc([*BASELINE, 10])  # 13 points
    assert long["per_part"][0]["trial_limits"] is False
    assert not any("trial limits" in w.lower() for w in long["summary"]["warnings"])


def test_rules_restart_in_each_rebase_group():
    # 4 points above at the end of group 1 and 3 at the start of group 2 are not 7 in a row
    g1 = [0, 20, 0, 20, 0, 20, 0, 20, 12, 12, 12, 12]
    g2 = [12, 12, 12, 0, 20, 0, 20, 0, 20, 0, 20, 0, 20]
    res = mdc(g1 + g2, rebase=[12])
    assert set(types(res)) == {"Common Cause"}


def test_missing_values_never_signal_and_break_patterns():
    res = mdc([0, 20, 0, 20, 0, 20, 11, 11, 11, None, 11, 11, 11, 11])
    pp = res["per_point"]
    assert pp["special_cause_type"][9] == "Common Cause"
    assert pp["relative_to_mean"][9] is None
    assert set(pp["special_cause_type"]) == {"Common Cause"}  # 3 + 4 above, not 7


def test_mdc_generic_keys_describe_the_mdc_chart():
    res = mdc([*BASELINE, 20], fix_after=12, multiply=10)
    pp = res["per_point"]
    assert pp["cl"] == pp["mean"] and pp["ucl"] == pp["upl"] and pp["lcl"] == pp["lpl"]
    assert pp["y"][-1] == 200
    assert pp["sigma_signal"][-1] is True
    assert pp["runs_signal"] == [False] * 13
    assert math.isclose(pp["mean"][0], 100)


def test_signal_text_says_improvement_or_concern():
    res = mdc([*BASELINE, 20], fix_after=12)
    sig = res["summary"]["signals"][0]
    assert sig["kind"] == "outside_limits"
    assert (
        sig["text"] == "A point above the upper limit at point 13: an unusual value (improvement)"
    )
