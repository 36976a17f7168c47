"""The rules of CE credit offered for an event (DOMAIN.md section 7).

Hours (AMA PRA Category 1, nursing contact hours, CAPCE EMS hours, participation) are
offered in quarter-hour steps, and a live event earns at most one credit per 60
minutes of its length (AMA PRA: "60 min = 1 credit, 0.25 increments"): a 90-minute
session offers at most 1.5. A module is a window with an assignment, whose credit
comes from the work and not from the window's length, so the length rule does not
apply to it. ABP MOC Part 4 is counted in points for an improvement project, in
25-point units, and not by the length of one event.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from .models import CREDIT_MAX, HOUR_CREDITS, HOUR_STEP, MOC_POINT_STEP, CreditType, EventKind

#: Kinds whose credit is not bounded by the event's length.
UNTIMED_KINDS = (EventKind.MODULE,)


def hours_cap(*, starts_at: datetime, ends_at: datetime) -> Decimal:
    """The most hour-credit an event of this length offers: 60 minutes = 1, rounded
    down to the quarter hour."""
    minutes = Decimal(int((ends_at - starts_at).total_seconds() // 60))
    return ((minutes / 60) / HOUR_STEP).to_integral_value(rounding=ROUND_FLOOR) * HOUR_STEP


def _is_multiple(amount: Decimal, step: Decimal) -> bool:
    try:
        return (amount % step) == 0
    except InvalidOperation:
        return False


def credit_errors(
    *, kind: str | None, starts_at: datetime | None, ends_at: datetime | None, credits: dict
) -> dict[str, list[str]]:
    """{credit type: [messages]} for the amounts in `credits` ({type: Decimal or None})
    that break a rule; empty when all are acceptable. None or 0 means none offered."""
    errors: dict[str, list[str]] = {}
    timed = kind not in UNTIMED_KINDS and starts_at and ends_at and ends_at > starts_at
    cap = hours_cap(starts_at=starts_at, ends_at=ends_at) if timed else None
    valid_types = set(CreditType.values)
    for credit_type, amount in credits.items():
        if credit_type not in valid_types:
            errors.setdefault(str(credit_type)[:40], []).append("Not a credit type.")
            continue
        if amount is None or amount == 0:
            continue
        label = CreditType(credit_type).label
        problems = errors.setdefault(credit_type, [])
        if not isinstance(amount, Decimal) or not amount.is_finite():
            problems.append("Enter a number.")
        elif amount < 0:
            problems.append("Credit cannot be negative.")
        elif amount > CREDIT_MAX:
            problems.append(f"At most {CREDIT_MAX} per event.")
        elif credit_type in HOUR_CREDITS:
            if not _is_multiple(amount, HOUR_STEP):
                problems.append("Offer hours in quarter-hour steps (0.25, 0.5, 0.75, 1, …).")
            elif cap is not None and amount > cap:
                problems.append(
                    f"The event lasts {int((ends_at - starts_at).total_seconds() // 60)} "
                    f"minutes, so it offers at most {cap.normalize():f} of {label} "
                    "(60 minutes = 1)."
                )
        elif not _is_multiple(amount, MOC_POINT_STEP):
            problems.append("MOC Part 4 points come in units of 25 (25, 50, …).")
        if not problems:
            del errors[credit_type]
    return errors
