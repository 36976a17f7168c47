"""Monthly progress ratings on the IHI scale, by coaches and by the team itself."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from core.clock import current_month, month_start

from ..models import (
    IHI_SCALE,
    ProgressRating,
    RatingKind,
    Team,
)

#: How long an invitation link works. Resending starts the period again.

#: Long enough for a thorough rationale, short enough to keep the page readable.
RATIONALE_MAX_LENGTH = 5000


# --- progress ratings --------------------------------------------------------------------


def _clean_score(score) -> Decimal | None:
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value in IHI_SCALE else None


@transaction.atomic
def progress_rating_create(
    *,
    team: Team,
    month: date,
    kind: str,
    score: Decimal | str | float,
    rationale: str,
    rated_by: User | None,
) -> ProgressRating:
    """Record a monthly score on the IHI scale, by a coach (or staff) or by the team.

    Rating a month again adds a row; the newest row of a month and kind is the
    current score and the earlier ones stay as history. Months that have not
    started are refused, and a rationale is required: a score without reasons
    cannot be discussed with the team.
    """
    errors: dict[str, ValidationError] = {}
    if kind not in RatingKind.values:
        errors["kind"] = ValidationError("Choose a coach rating or a team self-rating.")
    value = _clean_score(score)
    if value is None:
        errors["score"] = ValidationError(
            "Choose a score on the IHI scale: 0.5 to 5.0 in steps of 0.5.", code="invalid"
        )
    if isinstance(month, datetime):
        month = month.date()
    if not isinstance(month, date):
        errors["month"] = ValidationError("Choose the month you are rating.", code="invalid")
    else:
        month = month_start(month)
        if month > current_month():
            errors["month"] = ValidationError(
                f"{month:%B %Y} has not started yet. Rate a month once it has begun.",
                code="future",
            )
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = ValidationError(
            "Write a short rationale: what the team has done and what the data show.",
            code="required",
        )
    elif len(rationale) > RATIONALE_MAX_LENGTH:
        errors["rationale"] = ValidationError(
            f"Keep the rationale under {RATIONALE_MAX_LENGTH} characters.", code="too_long"
        )
    if errors:
        raise ValidationError(errors)
    rating = ProgressRating.objects.create(
        program_id=team.program_id,
        team=team,
        month=month,
        kind=kind,
        score=value,
        rationale=rationale,
        rated_by=rated_by,
    )
    audit_record(
        actor=rated_by,
        verb="progress_rating.created",
        target=rating,
        program=team.program,
        data={"kind": kind, "score": str(value), "month": month.isoformat()},
    )
    return rating
