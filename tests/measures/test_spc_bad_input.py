"""Bad input raises ValueError naming the problem; missing values are normal data."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from measures.spc import analyze


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1, 2], "denominators": [1], "chart": "p"}, "differ in length"),
        ({"values": [1, 2], "x": ["a"]}, "values and x differ in length"),
        ({"values": [1, -2], "chart": "c"}, r"values\[1\] is -2: a count cannot be negative"),
        ({"values": [1, -2], "chart": "g"}, "count cannot be negative"),
        ({"values": [1, -2], "denominators": [5, 5], "chart": "u"}, "count cannot be negative"),
        ({"values": [6], "denominators": [5], "chart": "p"}, "a proportion cannot exceed 1"),
        ({"values": [6], "denominators": [5], "chart": "pp"}, "larger than denominators"),
        ({"values": [1, 2], "denominators": [5, 0], "chart": "p"}, r"denominators\[1\] is 0"),
        ({"values": [1, None], "denominators": [5, 0], "chart": "u"}, "must be positive"),
        ({"values": [1, 2], "denominators": [5, -1], "chart": "u"}, "must be positive"),
        ({"values": [1, 2], "chart": "p"}, "needs denominators"),
        ({"values": [1, 2], "chart": "up"}, "needs denominators"),
        ({"values": [1, "2"]}, r"values\[1\] is not a number: '2'"),
        ({"values": [1, True]}, "not a number"),
        ({"values": [1, math.inf]}, "not finite"),
        ({"values": "12"}, "sequence of numbers"),
        ({"values": 12}, "sequence of numbers"),
        ({"values": None}, "values is required"),
        ({"values": [1, 2], "chart": "x"}, "unknown chart 'x'"),
        ({"values": [1, 2], "chart": "P"}, "unknown chart"),
        ({"values": [1, 2], "rules": "nelson"}, "unknown rule set 'nelson'"),
        ({"values": [1, 2], "exclude": [2]}, "exclude position 2 is out of range"),
        ({"values": [1, 2], "exclude": [-1]}, "out of range"),
        ({"values": [1, 2], "parts": [5]}, "parts position 5 is out of range"),
        ({"values": [1, 2], "exclude": ["1"]}, "must be an integer"),
        ({"values": [1, 2], "freeze": 3}, "freeze must be between 1 and 2"),
        ({"values": [1, 2], "freeze": 0}, "freeze must be between"),
        ({"values": [1, 2], "freeze": 1.5}, "freeze must be an integer"),
        ({"values": [1, 2], "multiply": 0}, "multiply must be a positive number"),
        ({"values": [1, 2], "multiply": "100"}, "multiply is not a number"),
        ({"values": [1, 2], "screened_mr": "yes"}, "screened_mr must be True or False"),
        ({"values": [1, 2], "categorical_x": 1}, "categorical_x must be True or False"),
        ({"values": [1, 0], "chart": "t"}, "greater than zero"),
        ({"values": [1, 2], "chart": "c", "denominators": [3, 4]}, "takes no denominators"),
        ({"values": [1, 2], "chart": "xbar"}, "needs subgroups"),
        ({"values": [1, 2], "chart": "s", "subgroups": [[1], [2]]}, "not both"),
        ({"values": [1, 2], "subgroups": [[1], [2]]}, "subgroups apply to charts"),
        ({"values": None, "chart": "xbar", "subgroups": [[1, "a"]]}, r"subgroups\[0\]\[1\]"),
        ({"values": None, "chart": "xbar", "subgroups": 5}, "list of lists"),
        ({"values": [1, 2], "improvement_direction": "up"}, "unknown improvement_direction"),
        ({"values": [1, 2], "target": "high"}, "target is not a number"),
    ],
)
def test_bad_input_raises_a_named_value_error(kwargs, message):
    values = kwargs.pop("values")
    with pytest.raises(ValueError, match=message):
        analyze(values, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chart": "p", "denominators": [5, 5], "rules": "mdc"}, "chart 'i' only"),
        ({"chart": "i", "rules": "mdc", "freeze": 1}, "freeze does not apply"),
        ({"chart": "i", "rules": "mdc", "parts": [1]}, "parts does not apply"),
        ({"chart": "i", "rules": "mdc", "exclude": [1]}, "exclude does not apply"),
        ({"chart": "i", "rules": "mdc", "fix_after": 11}, "fix_after must be at least 12"),
        ({"chart": "i", "rules": "mdc", "rebase": [9]}, "rebase position 9 is out of range"),
        ({"chart": "i", "rebase": [1]}, "apply to rules='mdc' only"),
        ({"chart": "i", "fix_after": 12}, "apply to rules='mdc' only"),
        ({"chart": "i", "rules": "mdc", "screen_outliers": None}, "screen_outliers must be"),
    ],
)
def test_rule_set_arguments_are_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyze([1, 2, 3], **kwargs)


def test_missing_values_are_not_errors():
    res = analyze([1, None, float("nan"), 4], chart="i")
    assert res["per_point"]["y"] == [1, None, None, 4]
    # a missing numerator or denominator makes the point missing
    res = analyze([1, None, 3], [10, 10, None], chart="p")
    assert res["per_point"]["y"] == [0.1, None, None]


def test_other_real_number_types_are_accepted():
    res = analyze([Decimal("1.5"), Fraction(5, 2), 3], chart="i")
    assert res["per_point"]["y"] == [1.5, 2.5, 3.0]


def test_positions_accept_any_iterable_and_duplicates():
    res = analyze([1, 2, 3, 4], exclude=(1, 1), parts=range(2, 3))
    assert res["per_point"]["include"] == [True, False, True, True]
    assert res["per_point"]["part"] == [1, 1, 2, 2]


def test_empty_series_returns_an_empty_analysis():
    res = analyze([], chart="i")
    assert res["per_point"]["y"] == []
    assert res["per_part"] == []
    assert res["summary"]["warnings"] == ["No data"]
    mdc = analyze([], chart="i", rules="mdc")
    assert mdc["per_point"]["point_type"] == []
    assert mdc["summary"]["variation_type"] is None
