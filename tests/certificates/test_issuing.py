"""Issuing: one current certificate per person and offer, rendered after commit."""

from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from certificates.models import Certificate, CertificateStatus, CreditClaim, CreditOffer
from certificates.services.issuing import issue_certificate
from core import clock

pytestmark = pytest.mark.django_db(transaction=True)


def _claim(tenant, *, name="Ana <b>Li</b>") -> CreditClaim:
    tenant.lead.full_name = name
    tenant.lead.save(update_fields=["full_name"])
    offer = CreditOffer.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        credit_type="ems",
        provider_name="Alpha Children's <Hospital>",
        accreditation_statement="Alpha is accredited as a provider of NCPD.",
        max_amount=Decimal("6.00"),
        is_published=True,
    )
    return CreditClaim.objects.create(
        program=tenant.program,
        offer=offer,
        user=tenant.lead,
        amount=Decimal("4.75"),
        completion_date=date(2026, 11, 2),
        claimed_at=clock.now(),
    )


def test_issue_renders_a_pdf_after_commit_and_is_idempotent(tenant_a):
    claim = _claim(tenant_a)
    certificate, created = issue_certificate(claim=claim)
    again, created_again = issue_certificate(claim=claim)

    assert created and not created_again and again.pk == certificate.pk
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    with certificate.pdf.open("rb") as handle:
        text = PdfReader(handle).pages[0].extract_text()
    assert "Ana <b>Li</b>" in text
    assert "4.75" in text and "EMS CE hours" in text
    assert certificate.code in text
    assert Certificate.objects.filter(offer=claim.offer, user=claim.user).count() == 1
