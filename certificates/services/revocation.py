"""Revoking a certificate, and re-issuing one after a correction.

Both keep the history. Revoking marks the row (when, by whom, why): /verify/<code>
then answers "revoked" with the date (never the reason) and a revoked certificate
stays revoked. A correction (a corrected name, amount or completion date) does not
edit an issued certificate: the current one stops being current and a new one, with a
new code, points back to it (`replaces`); the claim is corrected too, because the claim
is the record of credit claimed that the accreditors' reports read. The old code then
verifies as "replaced by a corrected certificate", without showing the new code.

Only the current, unrevoked certificate of a person and offer can be revoked or
corrected: the older ones are history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record
from core.emails import email_enqueue

from ..links import my_credit_path, my_credit_url
from ..models import Certificate, CertificateStatus, CreditClaim
from ..rendering import credit_line, published_template

REASON_MAX = 500


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Say why, in a few words: the participant is told.")
    if len(text) > REASON_MAX:
        raise ValidationError(f"Keep the reason under {REASON_MAX} characters.")
    return text


def _lock_current(certificate: Certificate) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError("This certificate is revoked; a revoked certificate stays revoked.")
    if not locked.is_current:
        raise ValidationError(
            "This certificate was replaced by a corrected one; act on the current one."
        )
    return locked


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke `certificate` (the current one) for `reason`; e-mail the participant."""
    reason = _reason(reason)
    locked = _lock_current(certificate)
    locked.revoked_at = clock.now()
    locked.revoked_by = actor
    locked.revoked_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    audit_record(actor=actor, verb="certificate.revoked", target=locked, data={"reason": reason})
    user = locked.user
    email_enqueue(
        to=user.email,
        template="certificate_revoked",
        context={
            "recipient": user,
            "certificate": locked,
            "credit_line": credit_line(locked.credit_type, locked.amount),
            "reason": reason,
            "program": locked.program,
            "url": my_credit_url(),
        },
        program=locked.program,
        dedupe_key=f"certificate-revoked:{locked.code}",
        kind="certificate",
        notice_url=my_credit_path(),
    )
    return locked


@dataclass(frozen=True)
class Correction:
    recipient_name: str
    amount: Decimal
    completion_date: date
    reason: str


def check_correction(*, certificate: Certificate, correction: Correction) -> Correction:
    """`correction` cleaned, or ValidationError saying what is wrong with it."""
    errors = {}
    name = (correction.recipient_name or "").strip()
    if not name:
        errors["recipient_name"] = "Enter the name as it should be printed."
    elif len(name) > 150:
        errors["recipient_name"] = "Keep the name under 150 characters."
    offer = certificate.offer
    try:
        amount = Decimal(correction.amount)
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        errors["amount"] = f"Enter the {offer.unit} to print, more than 0."
    elif amount > offer.max_amount:
        most = offer.max_amount.normalize()
        errors["amount"] = f"This offer gives at most {most:f} {offer.unit}."
    elif amount % offer.step:
        errors["amount"] = f"Use steps of {offer.step.normalize():f} {offer.unit}."
    if correction.completion_date is None:
        errors["completion_date"] = "Enter the completion date."
    elif correction.completion_date > clock.today():
        errors["completion_date"] = "The completion date cannot be in the future."
    try:
        reason = _reason(correction.reason)
    except ValidationError as exc:
        errors["reason"] = exc.messages[0]
        reason = ""
    if not errors and (
        name == certificate.recipient_name
        and amount == certificate.amount
        and correction.completion_date == certificate.completion_date
    ):
        errors["recipient_name"] = "Nothing was changed: correct the name, amount or date."
    if errors:
        raise ValidationError(errors)
    return Correction(name, amount, correction.completion_date, reason)


@transaction.atomic
def reissue_certificate(
    *, certificate: Certificate, actor: User, correction: Correction
) -> Certificate:
    """Replace the current `certificate` by a corrected one (new code, rendered after
    commit); returns the new certificate."""
    correction = check_correction(certificate=certificate, correction=correction)
    old = _lock_current(certificate)
    old.is_current = False
    old.save(update_fields=["is_current"])
    CreditClaim.objects.filter(pk=old.claim_id).update(
        amount=correction.amount, completion_date=correction.completion_date
    )
    new = Certificate.objects.create(
        program_id=old.program_id,
        offer_id=old.offer_id,
        claim_id=old.claim_id,
        user_id=old.user_id,
        status=CertificateStatus.PENDING,
        recipient_name=correction.recipient_name,
        activity_title=old.activity_title,
        credit_type=old.credit_type,
        amount=correction.amount,
        completion_date=correction.completion_date,
        template=published_template(old.program_id) or old.template,
        issued_at=clock.now(),
        issued_by=actor,
        replaces=old,
        correction_reason=correction.reason,
    )
    audit_record(
        actor=actor,
        verb="certificate.reissued",
        target=new,
        data={
            "replaces": old.code,
            "reason": correction.reason,
            "name_changed": old.recipient_name != new.recipient_name,
            "amount": [str(old.amount), str(new.amount)],
            "completion_date": [old.completion_date.isoformat(), new.completion_date.isoformat()],
        },
    )
    from ..tasks import render_certificate

    transaction.on_commit(lambda: render_certificate.delay(new.pk))
    return new
