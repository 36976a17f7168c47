"""Staff's changes to a collaborative's credit offers: create, edit, publish and
unpublish, each audited in the program's trail.

Unpublishing is allowed at any time and undoes nothing: claims already made and the
certificates issued for them stay valid (they were earned under the published rules);
people without a claim simply can no longer claim until the offer is published again.
Once claims exist, the credit type cannot change and the maximum cannot drop below the
largest claim, so no issued certificate disagrees with its offer
(docs/decisions/0013-credit-configuration-and-moc-attestation.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record
from learning_sessions.public import CreditType

from ..models import CreditClaim, CreditOffer

#: The offer form's fields, each of whose changes is written in the audit event.
AUDITED_FIELDS = (
    "credit_type",
    "basis",
    "issue_mode",
    "activity_title",
    "accreditor_activity_id",
    "provider_name",
    "provider_address",
    "accreditation_statement",
    "designation_statement",
    "max_amount",
    "min_minutes_per_event",
    "requires_evaluation",
    "min_share_events_attended",
    "min_months_active",
    "min_pdsa_cycles",
    "min_data_periods",
    "requires_attestation",
)

DUPLICATE_TYPE = "This collaborative already offers {label}: edit that offer instead."


def _plain(value) -> str | bool | int:
    return str(value) if isinstance(value, Decimal) else value


def _normalise(offer: CreditOffer) -> None:
    """MOC Part 4 always needs the participant's attestation (co-signed, approved)."""
    if offer.credit_type == CreditType.MOC_PART_4:
        offer.requires_attestation = True


def offer_create(*, actor: User, collaborative: Collaborative, offer: CreditOffer) -> CreditOffer:
    """Save a new (unsaved, validated) offer for `collaborative`, as a draft."""
    offer.program_id = collaborative.program_id
    offer.collaborative = collaborative
    offer.is_published = False
    _normalise(offer)
    try:
        with transaction.atomic():
            offer.save()
            audit_record(
                actor=actor,
                verb="credit_offer.created",
                target=offer,
                data={name: _plain(getattr(offer, name)) for name in AUDITED_FIELDS},
            )
    except IntegrityError:
        raise ValidationError(
            {"credit_type": DUPLICATE_TYPE.format(label=offer.get_credit_type_display())}
        ) from None
    return offer


def claims_limit_errors(offer: CreditOffer, *, credit_type: str, max_amount) -> dict:
    """What an edit may not change once participants have claimed on the offer."""
    if offer.pk is None:
        return {}
    claims = CreditClaim.objects.filter(offer_id=offer.pk)
    errors: dict[str, str] = {}
    if not claims.exists():
        return errors
    saved_type = CreditOffer.objects.values_list("credit_type", flat=True).get(pk=offer.pk)
    if credit_type and credit_type != saved_type:
        errors["credit_type"] = (
            "Participants have already claimed this credit: its type cannot change. "
            "Create an offer of the other type instead."
        )
    largest = claims.aggregate(m=Max("amount"))["m"]
    if largest is not None and max_amount is not None and max_amount < largest:
        errors["max_amount"] = (
            f"A participant has already claimed {largest.normalize():f}: the maximum "
            "cannot be lower than that."
        )
    return errors


def offer_update(*, actor: User, offer: CreditOffer, before: dict) -> CreditOffer:
    """Save staff's edit of `offer` (validated by the form); `before` holds the audited
    fields' previous values, so the audit says what changed."""
    _normalise(offer)
    changed = {
        name: {"from": _plain(before.get(name)), "to": _plain(getattr(offer, name))}
        for name in AUDITED_FIELDS
        if before.get(name) != getattr(offer, name)
    }
    try:
        with transaction.atomic():
            offer.save()
            if changed:
                audit_record(actor=actor, verb="credit_offer.changed", target=offer, data=changed)
    except IntegrityError:
        raise ValidationError(
            {"credit_type": DUPLICATE_TYPE.format(label=offer.get_credit_type_display())}
        ) from None
    return offer


def audited_values(offer: CreditOffer) -> dict:
    return {name: getattr(offer, name) for name in AUDITED_FIELDS}


PUBLISH_NEEDS = "Before publishing, enter the accredited provider's name."


def offer_set_published(*, actor: User, offer: CreditOffer, published: bool) -> bool:
    """Publish or unpublish; returns whether anything changed (a repeated click is a
    no-op, not a second audit event)."""
    with transaction.atomic():
        locked = CreditOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.is_published == published:
            return False
        if published and not locked.provider_name.strip():
            raise ValidationError(PUBLISH_NEEDS)
        locked.is_published = published
        locked.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            verb="credit_offer.published" if published else "credit_offer.unpublished",
            target=locked,
            data={"claims": CreditClaim.objects.filter(offer_id=locked.pk).count()},
        )
    offer.is_published = published
    return True
