"""The one rule for showing an entered value (measures.display): proportions as
percentages, rates per their multiplier, counts and continuous values as entered."""

from decimal import Decimal

import pytest

from measures.display import charted_value, value_text, value_words
from measures.models import DataKind, Measure


def measure(kind: str, **extra) -> Measure:
    return Measure(name="m", short_name="m", data_kind=kind, **extra)


PROPORTION = measure(DataKind.PROPORTION)
RATE = measure(DataKind.RATE, multiplier=1000)
COUNT = measure(DataKind.COUNT)
MINUTES = measure(DataKind.CONTINUOUS, unit="minutes")


@pytest.mark.parametrize(
    ("m", "numbers", "text", "words"),
    [
        (PROPORTION, (19, 25, None), "76%", "19 of 25 (76%)"),
        (PROPORTION, (2, 3, None), "66.7%", "2 of 3 (66.7%)"),
        (PROPORTION, (Decimal("19.0000"), Decimal("25.0000"), None), "76%", "19 of 25 (76%)"),
        (PROPORTION, (0, 40, None), "0%", "0 of 40 (0%)"),
        (RATE, (8, 2500, None), "3.2 per 1,000", "3.2 per 1,000 (8 of 2,500)"),
        (RATE, (1, 24000, None), "0.042 per 1,000", "0.042 per 1,000 (1 of 24,000)"),
        (COUNT, (None, None, Decimal("1250.0000")), "1,250", "1,250"),
        (MINUTES, (None, None, Decimal("187.5000")), "187.5 minutes", "187.5 minutes"),
    ],
)
def test_values_are_shown_in_the_measures_units(m, numbers, text, words):
    assert value_text(m, *numbers) == text
    assert value_words(m, *numbers) == words


@pytest.mark.parametrize(
    ("m", "numbers"),
    [
        (PROPORTION, (None, None, None)),
        (PROPORTION, (19, None, None)),
        (PROPORTION, (None, None, Decimal(76))),  # a stray value is not a proportion's
        (COUNT, (None, None, None)),
    ],
)
def test_nothing_entered_is_a_dash(m, numbers):
    assert charted_value(m, *numbers) is None
    assert value_text(m, *numbers) == "–"
    assert value_words(m, *numbers) == ""
