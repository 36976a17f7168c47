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
