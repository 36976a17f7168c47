"""Helpers of the certificate tests: a fresh offer, claim and certificate of a tenant
(on credit types the tenant builder does not use)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader

from certificates.models import Certificate, CreditClaim, CreditOffer
from certificates.services.issuing import issue_certificate
from core import clock


def offer_of(tenant, credit_type="ama_pra_1", **fields) -> CreditOffer:
    values = {
        "provider_name": "Alpha Children's Hospital",
        "accreditation_statement": "Alpha is accredited by the ACCME.",
        "designation_statement": "Alpha designates this activity for a maximum of 6.",
        "max_amount": Decimal("6.00"),
        "is_published": True,
        "collaborative": tenant.collaborative,
        **fields,
    }
    return CreditOffer.objects.create(program=tenant.program, credit_type=credit_type, **values)


def claim_of(tenant, offer, user=None, amount="4.75") -> CreditClaim:
    return CreditClaim.objects.create(
        program=tenant.program,
        offer=offer,
        user=user or tenant.member,
        amount=Decimal(amount),
        completion_date=date(2026, 11, 2),
        claimed_at=clock.now(),
    )


def issued(tenant, credit_type="ama_pra_1", **offer_fields) -> Certificate:
    """An issued certificate (rendered on commit when the caller captures callbacks)."""
    offer = offer_of(tenant, credit_type, **offer_fields)
    certificate, _ = issue_certificate(claim=claim_of(tenant, offer))
    return certificate


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
