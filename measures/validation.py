"""The rules a typed or imported value must meet, in one place.

The entry form, the import, the API and the services all ask `value_problems`, so a
number refused in one place is refused everywhere with the same words. Messages are
keyed by the field at fault ("numerator", "denominator", "value", "note").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models import DataKind, Measure

#: Beyond these, a value is almost certainly a typing error (a sample of charts per
#: month, minutes in an ED, counts of events); a measure may set its own range.
MAX_DENOMINATOR = Decimal("1000000")
MAX_COUNT = Decimal("1000000")
MAX_CONTINUOUS = Decimal("1000000")
NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Entry:
    """The numbers of one measure for one period, as typed (None = blank)."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    note: str = ""

    @property
    def is_blank(self) -> bool:
        return self.numerator is None and self.denominator is None and self.value is None

    def same_as(self, other: Entry) -> bool:
        return (
            _eq(self.numerator, other.numerator)
            and _eq(self.denominator, other.denominator)
            and _eq(self.value, other.value)
            and (self.note or "") == (other.note or "")
        )


def _eq(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def _plain(number: Decimal) -> str:
    """12, 12.5 (no trailing zeros, no exponent) for messages."""
    text = format(number.normalize(), "f")
    return text


def value_problems(measure: Measure, entry: Entry) -> dict[str, str]:
    """Field -> message for everything wrong with `entry` for `measure` (empty if fine)."""
    problems: dict[str, str] = {}
    if len(entry.note or "") > NOTE_MAX_LENGTH:
        problems["note"] = f"Keep the note under {NOTE_MAX_LENGTH:,} characters."
    if entry.is_blank:
        return problems
    if measure.is_ratio:
        if entry.value is not None:
            problems["value"] = (
                f"{measure.short_name} is entered as a numerator and a denominator, not a value."
            )
        num, den = entry.numerator, entry.denominator
        if num is None:
            problems["numerator"] = "Give the numerator too (or leave both empty)."
        elif num < 0:
            problems["numerator"] = "The numerator cannot be negative."
        elif num != num.to_integral_value():
            problems["numerator"] = "The numerator counts records: give a whole number."
        if den is None:
            problems["denominator"] = "Give the denominator too (or leave both empty)."
        elif den <= 0:
            problems["denominator"] = "The denominator must be at least 1."
        elif den != den.to_integral_value():
            problems["denominator"] = "The denominator counts records: give a whole number."
        elif den > MAX_DENOMINATOR:
            problems["denominator"] = (
                f"{_plain(den)} is more than {MAX_DENOMINATOR:,}: check the number."
            )
        if (
            measure.data_kind == DataKind.PROPORTION
            and "numerator" not in problems
            and "denominator" not in problems
            and num > den
        ):
            problems["numerator"] = (
                f"The numerator ({_plain(num)}) cannot be larger than the denominator "
                f"({_plain(den)}): a proportion is at most 100%."
            )
        return problems
    if entry.numerator is not None or entry.denominator is not None:
        field = "numerator" if entry.numerator is not None else "denominator"
        problems[field] = f"{measure.short_name} is entered as one value, not a fraction."
    value = entry.value
    if value is None:
        if "numerator" not in problems and "denominator" not in problems:
            problems["value"] = "Give a value."
        return problems
    if value < 0:
        problems["value"] = "The value cannot be negative."
        return problems
    if measure.data_kind == DataKind.COUNT and value != value.to_integral_value():
        problems["value"] = "A count is a whole number."
        return problems
    low = measure.min_value
    high = measure.max_value
    if high is None:
        high = MAX_COUNT if measure.data_kind == DataKind.COUNT else MAX_CONTINUOUS
    if low is not None and value < low:
        problems["value"] = f"{_plain(value)} is below the expected range (at least {_plain(low)})."
    elif value > high:
        problems["value"] = (
            f"{_plain(value)} is above the expected range (at most {_plain(Decimal(high))})."
        )
    return problems


def parse_number(text: object) -> Decimal | None:
    """A number typed by a person or read from a file; None for blank.

    Accepts thousands separators ("1,234", "1 234"), a leading "+", and numbers that
    spreadsheets hand over as int or float. Raises ValueError with a message otherwise.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError("is not a number")
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError("is not a number")
        return Decimal(repr(text))
    if isinstance(text, Decimal):
        return text
    raw = str(text).strip().replace("\u00a0", " ")
    if not raw:
        return None
    cleaned = raw
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if "," in cleaned:
        whole, _, fraction = cleaned.partition(".")
        groups = whole.lstrip("-").split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            raise ValueError(
                f"“{raw}” is not a number (use a point for decimals; commas only between thousands)"
            )
        cleaned = whole.replace(",", "") + ("." + fraction if fraction else "")
    if " " in cleaned:
        parts = cleaned.split(" ")
        if all(len(p) == 3 and p.isdigit() for p in parts[1:]) and parts[0].lstrip("-").isdigit():
            cleaned = "".join(parts)
    if cleaned.endswith("%"):
        raise ValueError(f"“{raw}” has a percent sign: give the count, not a percentage")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{raw}” is not a number") from None
    if not number.is_finite():
        raise ValueError(f"“{raw}” is not a number")
    if abs(number) >= Decimal("1e10"):
        raise ValueError(f"“{raw}” is far too large")
    return number


def entry_field(measure: Measure, name: str) -> str:
    """The form field of one measure's number or note in the period grid, also used as
    the key of service errors so that they land at the right field."""
    return f"m_{measure.public_id.hex}_{name}"
