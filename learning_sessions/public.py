"""What learning sessions publish to the other feature apps (certificates reads
attendance, evaluations and the credit offered per event through this module only)."""

from .models import (
    CREDIT_MAX,
    HOUR_CREDITS,
    HOUR_STEP,
    MOC_POINT_STEP,
    CreditType,
)

__all__ = ["CREDIT_MAX", "HOUR_CREDITS", "HOUR_STEP", "MOC_POINT_STEP", "CreditType"]


def credit_offered_by_events(*, collaborative_id: int, credit_type: str):
    """The sum of the credit of `credit_type` offered by the collaborative's events that
    were not cancelled (a Decimal, 0 when none): what per-event credit can add up to."""
    from decimal import Decimal

    from django.db.models import Sum

    from .models import EventCredit

    total = EventCredit.objects.filter(
        event__collaborative_id=collaborative_id,
        event__is_cancelled=False,
        credit_type=credit_type,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)
