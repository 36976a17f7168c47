"""Numbers in a template and its answers: read leniently, written plainly.

A document comes from JSON, a form or an import file, so a number may arrive as an
int, a float or a string; rules and scoring work on exact Decimals, and people read
"7" and "1.5", never "7.00".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from an int, float or numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def plain_number(value: Decimal) -> int | float:
    """A Decimal as the JSON number a person would write (7, 1.2)."""
    normalised = value.normalize()
    if normalised == normalised.to_integral_value():
        return int(normalised)
    return float(normalised)


def format_points(value: Decimal | int | float | None) -> str:
    """Points for people: 7, 1.5, 0.25 (no trailing zeros)."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:f}"
