"""A participant claims credit they earned.

AMA PRA asks for a record of the credit actually claimed, not the maximum, so the
participant chooses the amount: in quarter hours (MOC Part 4: 25-point units), never
above what they earned nor the offer's maximum. One claim per person and offer (a
unique constraint backs the check); a wrong claim is corrected by staff. When the
offer issues on claim, the certificate row is created in the same transaction and its
PDF rendered after commit (services.issuing).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from core import clock
from core.audit import audit_record

from ..eligibility import offers_for, standing_for
from ..learner_ids import clean_learner_ids
from ..models import CreditClaim, CreditOffer, IssueMode
from .issuing import issue_certificate


def _amount_words(value: Decimal, unit: str) -> str:
    return f"{value.normalize():f} {unit}"


def parse_amount(raw) -> Decimal:
    """The amount typed in the claim form, or a ValidationError saying what is wrong."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(",", ".")
        if not text:
            raise ValidationError({"amount": ["Enter the amount you claim."]})
        if len(text) > 20:
            raise ValidationError({"amount": ["Enter a number, such as 1.25."]})
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError({"amount": ["Enter a number, such as 1.25."]}) from None
    if not value.is_finite():
        raise ValidationError({"amount": ["Enter a number, such as 1.25."]})
    return value


def claim_credit(
    *, user: User, offer: CreditOffer, amount, learner: Mapping[str, str] | None = None
) -> CreditClaim:
    """Record `user`'s claim of `amount` on `offer` (and issue the certificate when the
    offer issues on claim). `learner` carries the identifiers the offer's accreditor
    upload needs (certificates.learner_ids: birth month and day for AMA PRA, the EMS
    licence for CAPCE). ValidationError, with nothing saved, when the offer is not
    published or not offered to the person, when they already claimed, when the amount
    is not a positive multiple of the step, is above the maximum or above what they
    earned, when an identifier is missing or wrong, or when they are not eligible yet."""
    if not offer.is_published:
        raise ValidationError("This credit is not open for claims.")
    if not offers_for(user=user).filter(pk=offer.pk).exists():
        raise ValidationError("This credit is not offered to you.")
    value = parse_amount(amount)
    unit = offer.unit
    if value <= 0:
        raise ValidationError({"amount": ["Claim more than zero."]})
    # Above the maximum first: a huge exponent cannot then reach the step check.
    if value > offer.max_amount:
        raise ValidationError(
            {
                "amount": [
                    f"This activity offers at most {_amount_words(offer.max_amount, unit)}; "
                    "you cannot claim more."
                ]
            }
        )
    ids = clean_learner_ids(credit_type=offer.credit_type, data=learner or {})
    if value % offer.step != 0:
        message = (
            "MOC Part 4 points are claimed in units of 25 (25, 50, …)."
            if unit == "points"
            else "Claim hours in quarter hours (0.25, 0.5, 0.75, 1, …)."
        )
        raise ValidationError({"amount": [message]})
    with transaction.atomic():
        # Serialise claims of one person on one offer; the constraint is the backstop.
        CreditOffer.objects.select_for_update().filter(pk=offer.pk).first()
        earlier = CreditClaim.objects.filter(offer=offer, user=user).first()
        if earlier is not None:
            raise ValidationError(
                f"You already claimed {_amount_words(earlier.amount, unit)} on "
                f"{earlier.claimed_at:%-d %B %Y}. If it is wrong, ask program staff to "
                "correct it."
            )
        standing = standing_for(user=user, offer=offer)
        if not standing.eligible:
            raise ValidationError(
                "You are not eligible for this credit yet: " + "; ".join(standing.missing) + "."
            )
        if value > standing.earned:
            raise ValidationError(
                {
                    "amount": [
                        f"You earned {_amount_words(standing.earned, unit)}; you cannot claim more."
                    ]
                }
            )
        try:
            with transaction.atomic():
                claim = CreditClaim.objects.create(
                    program_id=offer.program_id,
                    offer=offer,
                    user=user,
                    amount=value,
                    completion_date=standing.completion_date or clock.today(),
                    claimed_at=clock.now(),
                    **ids,
                )
        except IntegrityError:
            raise ValidationError("You already claimed this credit.") from None
        data = {
            "offer": str(offer.public_id),
            "credit_type": offer.credit_type,
            "amount": f"{value:f}",
            "completion_date": claim.completion_date.isoformat(),
        }
        if offer.issue_mode == IssueMode.ON_CLAIM:
            certificate, _ = issue_certificate(claim=claim, issued_by=None)
            data["certificate"] = certificate.code
        audit_record(actor=user, verb="credit_claim.created", target=claim, data=data)
    return claim
