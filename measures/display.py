"""How an entered value is shown: the one rule that turns what a team typed into the
number people read, on every page, in the charts' words, in exports and in the API.

Only the numbers entered are stored (models.py): a proportion or a rate keeps its
numerator and denominator and has no stored `value`. Reading `DataPoint.value` for them
shows nothing at all (the fault behind the coach's review page showing "–" for every
proportion), so pages ask here instead.

Proportions are percentages and rates are per the measure's multiplier, both to one
decimal (rounded half up, like the charts) and to two significant digits below 0.1, so
that a small rate does not read as 0; counts and continuous values are shown as entered.
"""

from __future__ import annotations

from decimal import Decimal

from core.charts import fmt

from .models import DataKind, Measure

Number = int | float | Decimal


def charted_value(
    measure: Measure,
    numerator: Number | None,
    denominator: Number | None,
    value: Number | None,
) -> float | None:
    """The value in the measure's display units (percent, per 1,000, as entered), or
    None when nothing was entered (a note only, or half of a ratio)."""
    if measure.is_ratio:
        if numerator is None or not denominator:
            return None
        return float(numerator) / float(denominator) * measure.chart_multiplier
    return None if value is None else float(value)


def rounded(number: float) -> str:
    """One decimal ("76", "66.7"); two significant digits below 0.1 ("0.042")."""
    if number and abs(number) < 0.1:
        return f"{number:.2g}"
    return fmt(number)


def plain(number: Number) -> str:
    """An entered number as people write it: 1,250, 12.5 (no trailing zeros)."""
    exact = Decimal(str(number))
    if exact == exact.to_integral_value():
        return f"{int(exact):,}"
    return format(exact.normalize(), "f")


def value_text(
    measure: Measure,
    numerator: Number | None,
    denominator: Number | None,
    value: Number | None,
) -> str:
    """The value as a page shows it: "76%", "3.2 per 1,000", "187 minutes", "–" for none."""
    shown = charted_value(measure, numerator, denominator, value)
    if shown is None:
        return "–"
    if measure.data_kind == DataKind.PROPORTION:
        return f"{rounded(shown)}%"
    if measure.data_kind == DataKind.RATE:
        return f"{rounded(shown)} {measure.display_unit}"
    return f"{plain(value)} {measure.unit}".strip()


def value_words(
    measure: Measure,
    numerator: Number | None,
    denominator: Number | None,
    value: Number | None,
) -> str:
    """The value with the numbers behind it: "19 of 25 (76%)", "3.2 per 1,000 (8 of
    2,500)", "187 minutes"; "" when nothing was entered."""
    if charted_value(measure, numerator, denominator, value) is None:
        return ""
    shown = value_text(measure, numerator, denominator, value)
    if not measure.is_ratio:
        return shown
    fraction = f"{plain(numerator)} of {plain(denominator)}"
    if measure.data_kind == DataKind.PROPORTION:
        return f"{fraction} ({shown})"
    return f"{shown} ({fraction})"
