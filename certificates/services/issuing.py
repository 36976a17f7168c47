"""Issuing a certificate for a claim.

The certificate row is created in the caller's transaction, with its public code and
the facts it prints fixed from the claim; the PDF is rendered after commit by a Celery
task (certificates.tasks.render_certificate), which retries. Issuing is idempotent per
(offer, person): a second call returns the current certificate, and the partial unique
constraint stops two concurrent calls from both creating one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from core import clock

from ..models import BulkIssue, Certificate, CreditClaim
from ..rendering import published_template


def _enqueue_render(certificate_id: int) -> None:
    from ..tasks import render_certificate

    render_certificate.delay(certificate_id)


def current_certificate(claim: CreditClaim) -> Certificate | None:
    """The person's current (not replaced) certificate for the claim's offer, if any: the
    row the partial unique constraint allows one of. The bulk run asks it first, to tell
    a certificate issued meanwhile by someone else from its own."""
    return Certificate.objects.filter(
        offer_id=claim.offer_id, user_id=claim.user_id, is_current=True
    ).first()


def issue_certificate(
    *, claim: CreditClaim, issued_by: User | None = None, bulk_issue: BulkIssue | None = None
) -> tuple[Certificate, bool]:
    """(the current certificate for `claim`, whether it was created now)."""
    existing = current_certificate(claim)
    if existing is not None:
        return existing, False
    offer = claim.offer
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                program_id=claim.program_id,
                offer=offer,
                claim=claim,
                user_id=claim.user_id,
                recipient_name=claim.user.full_name or claim.user.email,
                activity_title=offer.activity_title or offer.collaborative.title,
                credit_type=offer.credit_type,
                amount=claim.amount,
                completion_date=claim.completion_date,
                issued_at=clock.now(),
                issued_by=issued_by,
                bulk_issue=bulk_issue,
                # The design in use now; the certificate keeps it if it is changed later.
                template=published_template(claim.program_id),
            )
    except IntegrityError:  # issued at the same moment by another transaction
        current = current_certificate(claim)
        if current is None:  # another constraint failed: not a race to report as done
            raise
        return current, False
    transaction.on_commit(lambda: _enqueue_render(certificate.pk))
    return certificate, True
