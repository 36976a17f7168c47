"""Western Electric and IHI rule sets, tested from their published definitions.

Neither reference package implements them (SPC.md section 5), so every expectation below is
derived from the rule text: Western Electric Statistical Quality Control Handbook (1956) as
listed in the qicharts2 vignette; IHI run-chart rules (Perla, Provost & Murray, BMJ Qual Saf
2011) and the Health Care Data Guide Shewhart rules (Provost & Murray 2011).

The control-chart cases use an I chart frozen on a 20-point baseline that repeats
10, 12, 10, 8: mean 10, every moving range 2, so sigma = 2 / 1.128 = 1.773 and the zone
boundaries are 11.77 (1 sigma), 13.55 (2 sigma) and 15.32 (the limit). In the baseline the
12s and 8s lie just beyond 1 sigma and the 10s on the centre line, so it raises no signal.
"""

import math

import pytest

from measures.spc import analyze

BASE = [10, 12, 10, 8] * 5
SIGMA = 2 / 1.128


def frozen(tail, rules):
    return analyze(BASE + tail, chart="i", freeze=20, rules=rules)


def kinds(res):
    return [(s["kind"], s["points"]) for s in res["summary"]["signals"]]


@pytest.mark.parametrize("rules", ["western_electric", "ihi"])
def test_the_baseline_alone_raises_nothing(rules):
    res = analyze(BASE, chart="i", rules=rules)
    assert res["per_point"]["ucl"][0] == pytest.approx(10 + 3 * SIGMA)
    assert res["summary"]["signals"] == []
    assert res["per_point"]["runs_signal"] == [False] * 20  # Anhøj runs not part of these sets


# ---- Western Electric -------------------------------------------------------------------------


def test_we_rule_1_point_beyond_3_sigma():
    res = frozen([15.5], "western_electric")
    assert 10 + 3 * SIGMA < 15.5
    assert kinds(res) == [("outside_limits", [20])]
    assert res["per_point"]["sigma_signal"][20] is True


def test_we_rule_2_two_of_three_beyond_2_sigma_same_side():
    assert 10 + 2 * SIGMA < 14 < 10 + 3 * SIGMA
    res = frozen([14, 10, 14], "western_electric")
    assert kinds(res) == [("two_of_three", [20, 22])]
    assert res["per_point"]["signal_kinds"][20] == ["two_of_three"]
    assert res["per_point"]["signal_kinds"][21] == []
    # the two points beyond 2 sigma must be on the same side
    assert kinds(frozen([14, 6], "western_electric")) == []
    # and within 3 successive points
    assert kinds(frozen([14, 10, 10, 14], "western_electric")) == []


def test_we_rule_3_four_of_five_beyond_1_sigma_same_side():
    assert 10 + SIGMA < 12.5 < 10 + 2 * SIGMA
    res = frozen([12.5, 12.5, 11, 12.5, 12.5], "western_electric")
    assert kinds(res) == [("four_of_five", [20, 21, 23, 24])]
    assert kinds(frozen([12.5, 12.5, 11, 11, 12.5, 12.5], "western_electric")) == []


def test_we_rule_4_eight_successive_on_one_side():
    res = frozen([11] * 8, "western_electric")
    assert kinds(res) == [("shift", list(range(20, 28)))]
    assert kinds(frozen([11] * 7, "western_electric")) == []


def test_we_point_on_the_centre_line_breaks_the_run_of_eight():
    assert kinds(frozen([11] * 4 + [10] + [11] * 4, "western_electric")) == []


def test_we_zones_use_each_point_s_own_sigma_on_a_p_chart():
    # p-bar = 0.5 from a frozen baseline; two points at 54%: more than 2 sigma above the centre
    # with denominators of 1000 (sigma 0.0158), well inside 1 sigma with 100 (sigma 0.05)
    small = analyze([50] * 20 + [54, 54], [100] * 22, chart="p", freeze=20,
                    rules="western_electric")  # fmt: skip
    assert kinds(small) == []
    big = analyze([50] * 20 + [540, 540], [100] * 20 + [1000, 1000], chart="p", freeze=20,
                  rules="western_electric")  # fmt: skip
    sigma = math.sqrt(0.25 / 1000)
    assert 0.5 + 2 * sigma < 0.54 < 0.5 + 3 * sigma
    assert kinds(big) == [("two_of_three", [20, 21])]


def test_we_needs_sigma_limits():
    with pytest.raises(ValueError, match="Western Electric"):
        analyze([1, 2, 3], chart="run", rules="western_electric")
    with pytest.raises(ValueError, match="Western Electric"):
        analyze([1, 2, 3], chart="mr", rules="western_electric")


# ---- IHI / Health Care Data Guide Shewhart rules ---------------------------------------------


def test_ihi_two_of_three_in_the_outer_third():
    assert kinds(frozen([14, 10, 14], "ihi")) == [("two_of_three", [20, 22])]


def test_ihi_fifteen_in_the_inner_third():
    hugging = [10.5, 9.5] * 7 + [10.5]  # 15 points within 1 sigma
    res = frozen(hugging, "ihi")
    assert kinds(res) == [("inner_third", list(range(20, 35)))]
    assert kinds(frozen(hugging[:14], "ihi")) == []


def test_ihi_eight_on_one_side_skipping_points_on_the_centre_line():
    res = frozen([11] * 4 + [10] + [11] * 4, "ihi")
    assert kinds(res) == [("shift", [20, 21, 22, 23, 25, 26, 27, 28])]
    assert kinds(frozen([11] * 7, "ihi")) == []


def test_ihi_six_point_trend_with_repeats_counted_once():
    # the baseline ends on 8, so each tail starts with a drop to 7.5
    assert kinds(frozen([7.5, 9, 10, 11, 12, 13], "ihi")) == [("trend", list(range(20, 26)))]
    assert kinds(frozen([7.5, 9, 10, 11, 12], "ihi")) == []
    # a repeated value neither breaks the trend nor counts: 7.5, 9, 9, 10, 11, 12 is 5 points
    assert kinds(frozen([7.5, 9, 9, 10, 11, 12], "ihi")) == []
    res = frozen([7.5, 9, 9, 10, 11, 12, 13], "ihi")
    assert kinds(res) == [("trend", list(range(20, 27)))]
    assert res["summary"]["signals"][0]["text"].startswith("6 points in a row steadily rising")


def test_ihi_rules_do_not_apply_to_mr_charts():
    with pytest.raises(ValueError, match="IHI"):
        analyze([1, 2, 3], chart="mr", rules="ihi")


# ---- IHI run-chart rules ------------------------------------------------------------------


def runs_pmf(n1, n2, r):
    """P(R = r) for the number of runs with n1 and n2 points (Swed & Eisenhart 1943)."""
    total = math.comb(n1 + n2, n1)
    if r % 2 == 0:
        k = r // 2
        return 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1) / total
    k = (r - 1) // 2
    return (
        math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k)
        + math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1)
    ) / total


def test_swed_eisenhart_critical_values_for_ten_and_ten():
    # the classical 5% table gives (6, 16) for n1 = n2 = 10: too few when R <= 6, too many
    # when R >= 16
    low = sum(runs_pmf(10, 10, r) for r in range(2, 7))
    assert low <= 0.025 < low + runs_pmf(10, 10, 7)
    high = sum(runs_pmf(10, 10, r) for r in range(16, 21))
    assert high <= 0.025 < high + runs_pmf(10, 10, 15)


def alternating(k):
    return [1 if i % 2 == 0 else 3 for i in range(k)]  # median 2: every point a run


def test_ihi_too_many_runs():
    res = analyze(alternating(20), rules="ihi")
    assert [s["kind"] for s in res["summary"]["signals"]] == ["too_many_runs"]
    assert res["summary"]["signals"][0]["text"].startswith("20 runs above and below the median")


def from_runs(lengths):
    """Values 3 (above) and 1 (below) alternating run by run, starting above."""
    return [3 if k % 2 == 0 else 1 for k, n in enumerate(lengths) for _ in range(n)]


def run_kinds(values):
    return [s["kind"] for s in analyze(values, rules="ihi")["summary"]["signals"]]


def test_ihi_run_count_at_the_critical_values():
    # 10 above and 10 below (median 2); too many runs when R >= 16, too few when R <= 6
    fifteen = from_runs([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 2, 2, 2])
    sixteen = from_runs([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2])
    seven = from_runs([2, 3, 2, 3, 2, 4, 4])
    six = from_runs([3, 3, 3, 3, 4, 4])
    for values, runs in ((fifteen, 15), (sixteen, 16), (seven, 7), (six, 6)):
        assert values.count(3) == values.count(1) == 10
        assert 1 + sum(1 for a, b in zip(values, values[1:], strict=False) if a != b) == runs
    assert run_kinds(fifteen) == []
    assert run_kinds(sixteen) == ["too_many_runs"]
    assert run_kinds(seven) == []
    assert run_kinds(six) == ["too_few_runs"]


def shifts(values):
    res = analyze(values, rules="ihi")
    return [(s["start"], s["end"], s["points"]) for s in res["summary"]["signals"]
            if s["kind"] == "shift"]  # fmt: skip


def test_ihi_shift_of_six_around_the_median():
    five = [1, 5, 1, 5, 1, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1]  # 8 ones, 8 fives: median 3
    assert shifts(five) == []
    six = [1, 5, 1, 5, 1, 5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1]
    assert shifts(six) == [(5, 10, [5, 6, 7, 8, 9, 10])]
    # a point on the median is skipped: neither counted nor breaking
    skip = [1, 5, 1, 5, 1, 5, 5, 5, 5, 5, 3, 5, 1, 1, 1, 1, 1]  # median 3
    assert shifts(skip) == [(5, 11, [5, 6, 7, 8, 9, 11])]


def test_ihi_run_chart_trend_of_five():
    values = [4, 6, 4, 6, 1, 2, 3, 4, 5, 6, 4, 6]
    res = analyze(values, rules="ihi")
    trends = [(s["start"], s["end"]) for s in res["summary"]["signals"] if s["kind"] == "trend"]
    assert trends == [(4, 9)]  # 1, 2, 3, 4, 5, 6
    four = analyze([4, 6, 4, 6, 2, 3, 4, 5, 4, 6, 4], rules="ihi")
    assert not any(s["kind"] == "trend" for s in four["summary"]["signals"])


def test_ihi_run_count_needs_ten_useful_points():
    res = analyze(alternating(9), rules="ihi")
    assert res["summary"]["signals"] == []
