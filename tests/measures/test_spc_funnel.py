"""Funnel plots: 95% and 99.8% limits around the pooled mean (Spiegelhalter 2005).

Normal limits are checked against the formula; exact limits against binomial and Poisson
probabilities computed here from scratch with math.comb and math.factorial.
"""

import math
from statistics import NormalDist

import pytest

from measures.spc import funnel, funnel_limits

Z95 = NormalDist().inv_cdf(0.975)
Z998 = NormalDist().inv_cdf(0.999)


def binom_cdf(k, n, p):
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def pois_cdf(k, mu):
    return sum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(k + 1))


def interpolated(cdf, p):
    """Spiegelhalter's appendix A.1.1, written out independently."""
    r = 0
    while cdf(r) < p:
        r += 1
    below = cdf(r - 1) if r > 0 else 0.0
    return r - (cdf(r) - p) / (cdf(r) - below)


def test_z_values():
    assert pytest.approx(1.959964, abs=1e-6) == Z95
    assert pytest.approx(3.090232, abs=1e-6) == Z998


def test_normal_limits_for_a_proportion():
    lo, hi = funnel_limits(0.2, 100, 0.95)
    half = Z95 * math.sqrt(0.2 * 0.8 / 100)
    assert (lo, hi) == pytest.approx((0.2 - half, 0.2 + half))
    lo, hi = funnel_limits(0.2, 100, 0.998)
    half = Z998 * math.sqrt(0.2 * 0.8 / 100)
    assert (lo, hi) == pytest.approx((0.2 - half, 0.2 + half))


def test_normal_limits_are_clipped():
    assert funnel_limits(0.05, 10, 0.998)[0] == 0
    assert funnel_limits(0.95, 10, 0.998)[1] == 1
    assert funnel_limits(0.5, 4, 0.998, kind="rate")[0] == 0


def test_normal_limits_for_a_rate():
    lo, hi = funnel_limits(0.02, 1000, 0.95, kind="rate")
    half = Z95 * math.sqrt(0.02 / 1000)
    assert (lo, hi) == pytest.approx((0.02 - half, 0.02 + half))


def test_exact_binomial_limits_by_hand():
    # Binomial(10, 0.5): F(1) = 11/1024, F(2) = 56/1024 -> lower r = 2,
    # alpha = (56/1024 - 0.025) / (45/1024) = 0.67556, limit (2 - 0.67556) / 10
    lo, hi = funnel_limits(0.5, 10, 0.95, method="exact")
    assert lo == pytest.approx((2 - (56 / 1024 - 0.025) / (45 / 1024)) / 10)
    assert lo == pytest.approx(0.132444, abs=1e-6)
    # F(7) = 968/1024, F(8) = 1013/1024 -> upper r = 8
    assert hi == pytest.approx((8 - (1013 / 1024 - 0.975) / (45 / 1024)) / 10)


@pytest.mark.parametrize(
    ("n", "p", "level"), [(25, 0.1, 0.95), (60, 0.3, 0.998), (400, 0.02, 0.998)]
)
def test_exact_binomial_limits_match_the_definition(n, p, level):
    tail = (1 - level) / 2
    lo, hi = funnel_limits(p, n, level, method="exact")
    assert lo == pytest.approx(max(0, interpolated(lambda k: binom_cdf(k, n, p), tail) / n))
    assert hi == pytest.approx(min(1, interpolated(lambda k: binom_cdf(k, n, p), 1 - tail) / n))


@pytest.mark.parametrize(("exposure", "rate", "level"), [(100, 0.05, 0.95), (2000, 0.004, 0.998)])
def test_exact_poisson_limits_match_the_definition(exposure, rate, level):
    tail = (1 - level) / 2
    mu = rate * exposure
    lo, hi = funnel_limits(rate, exposure, level, kind="rate", method="exact")
    assert lo == pytest.approx(max(0, interpolated(lambda k: pois_cdf(k, mu), tail) / exposure))
    assert hi == pytest.approx(interpolated(lambda k: pois_cdf(k, mu), 1 - tail) / exposure)


def test_exact_limits_approach_normal_limits_for_large_denominators():
    exact = funnel_limits(0.3, 100000, 0.95, method="exact")
    normal = funnel_limits(0.3, 100000, 0.95)
    assert exact == pytest.approx(normal, abs=2e-5)


def test_funnel_compares_units_with_the_pooled_mean():
    res = funnel([10, 40, 5, 90], [100, 200, 50, 300], labels=["A", "B", "C", "D"])
    centre = 145 / 650
    assert res["summary"]["centre"] == pytest.approx(centre)
    unit = res["per_unit"]
    assert unit["value"] == pytest.approx([0.1, 0.2, 0.1, 0.3])
    half = Z998 * math.sqrt(centre * (1 - centre) / 100)
    assert unit["lower_998"][0] == pytest.approx(centre - half)
    assert centre - half == pytest.approx(0.0945, abs=1e-4)
    assert unit["outside_998"][0] is None  # 0.1 is inside the 99.8% limits...
    assert unit["outside_95"][0] == "below"  # ...but below the 95% limit of 0.1415
    texts = [s["text"] for s in res["summary"]["signals"]]
    assert any(t.startswith("D is above the 99.8% limit") for t in texts)


def test_funnel_signal_levels():
    res = funnel([10, 40, 5, 90], [100, 200, 50, 300], labels=["A", "B", "C", "D"])
    unit = res["per_unit"]
    centre = 145 / 650
    for i, (r, n) in enumerate(zip([10, 40, 5, 90], [100, 200, 50, 300], strict=True)):
        v = r / n
        for z, key in ((Z95, "outside_95"), (Z998, "outside_998")):
            half = z * math.sqrt(centre * (1 - centre) / n)
            expected = "above" if v > centre + half else "below" if v < centre - half else None
            assert unit[key][i] == expected


def test_funnel_multiply_and_missing_units():
    res = funnel([3, None, 8], [30, 20, 40], kind="rate", multiply=1000, method="exact")
    assert res["summary"]["centre"] == pytest.approx(11 / 70 * 1000)
    assert res["per_unit"]["value"][1] is None
    assert res["per_unit"]["lower_95"][1] is None
    assert res["per_unit"]["value"][0] == pytest.approx(100)


def test_funnel_warns_about_small_denominators():
    res = funnel([1, 20], [5, 100])
    assert any("under 10" in w for w in res["summary"]["warnings"])


def test_funnel_bad_input():
    with pytest.raises(ValueError, match="larger than denominators"):
        funnel([5], [4])
    with pytest.raises(ValueError, match="positive"):
        funnel([1], [0])
    with pytest.raises(ValueError, match="negative"):
        funnel([-1], [10], kind="rate")
    with pytest.raises(ValueError, match="differ in length"):
        funnel([1, 2], [10])
    with pytest.raises(ValueError, match="unknown funnel method"):
        funnel([1], [10], method="wilson")
    with pytest.raises(ValueError, match="whole-number"):
        funnel_limits(0.5, 10.5, method="exact")
    with pytest.raises(ValueError, match="not a number"):
        funnel(["1"], [10])
