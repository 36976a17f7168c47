"""The rules every typed or imported number meets (measures.validation), and periods."""

from datetime import date
from decimal import Decimal

import pytest

from measures.models import DataKind, Measure
from measures.periods import iter_periods, period_label, period_start_for
from measures.validation import Entry, parse_number, value_problems


def measure(kind=DataKind.PROPORTION, **extra) -> Measure:
    return Measure(name="Weight in kg", short_name="Weight in kg", data_kind=kind, **extra)


def D(x) -> Decimal:
    return Decimal(str(x))


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (Entry(D(11), D(10)), "numerator", "cannot be larger than the denominator"),
        (Entry(D(-1), D(10)), "numerator", "cannot be negative"),
        (Entry(D(1), D(0)), "denominator", "at least 1"),
        (Entry(D(1.5), D(10)), "numerator", "whole number"),
        (Entry(D(3), None), "denominator", "Give the denominator too"),
        (Entry(None, D(3)), "numerator", "Give the numerator too"),
        (Entry(D(3), D(2_000_000)), "denominator", "check the number"),
        (Entry(D(3), D(10), D(30)), "value", "numerator and a denominator, not a value"),
    ],
)
def test_proportion_problems_name_the_field(entry, field, words):
    problems = value_problems(measure(), entry)
    assert field in problems
    assert words in problems[field]


def test_a_valid_proportion_and_a_blank_entry_pass():
    assert value_problems(measure(), Entry(D(10), D(10))) == {}
    assert value_problems(measure(), Entry(note="Scale broken")) == {}


def test_rates_may_exceed_their_denominator():
    assert value_problems(measure(DataKind.RATE, multiplier=1000), Entry(D(12), D(10))) == {}


def test_counts_and_continuous_values_respect_their_range():
    count = measure(DataKind.COUNT)
    assert "whole number" in value_problems(count, Entry(value=D(2.5)))["value"]
    assert "cannot be negative" in value_problems(count, Entry(value=D(-2)))["value"]
    minutes = measure(DataKind.CONTINUOUS, min_value=D(0), max_value=D(1440))
    assert value_problems(minutes, Entry(value=D(187.5))) == {}
    assert (
        "above the expected range (at most 1440)"
        in value_problems(minutes, Entry(value=D(2000)))["value"]
    )
    assert "one value, not a fraction" in value_problems(minutes, Entry(D(1), D(2)))["numerator"]


def test_notes_are_limited():
    assert "note" in value_problems(measure(), Entry(note="x" * 2001))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,234", D(1234)),
        ("12,345,678", D(12345678)),
        ("1 234", D(1234)),
        ("+12", D(12)),
        ("  7 ", D(7)),
        (12.0, D(12.0)),
        (7, D(7)),
        ("", None),
        (None, None),
    ],
)
def test_numbers_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "words"),
    [("1,5", "commas only between thousands"), ("85%", "percent sign"), ("abc", "not a number")],
)
def test_numbers_that_are_refused_say_why(text, words):
    with pytest.raises(ValueError, match=words):
        parse_number(text)


def test_periods_are_whole_months_quarters_and_weeks():
    months = list(iter_periods("monthly", date(2026, 1, 15), date(2026, 3, 2)))
    assert [m[0] for m in months] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert months[1][1] == date(2026, 2, 28)
    assert period_start_for("quarterly", date(2026, 5, 20)) == date(2026, 4, 1)
    assert period_start_for("weekly", date(2026, 3, 5)) == date(2026, 3, 2)
    assert period_label("monthly", date(2026, 3, 1)) == "March 2026"
    assert period_label("quarterly", date(2026, 4, 1)) == "Q2 2026"
