"""Credit of the tenant's active collaborative, for the isolation guard
(tests/conftest.py): a published nursing offer (per event) with the lead's claim and
issued certificate, a MOC Part 4 offer with the member's attestation waiting for the
lead, the program's published certificate template and a finished bulk-issue run.
Private text carries `marker`. The certificate's PDF is stored as-is (no rendering:
the builder runs for every test that builds a tenant)."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from certificates.models import (
    AttestationStatus,
    BulkIssue,
    BulkIssueStatus,
    Certificate,
    CertificateStatus,
    CertificateTemplate,
    CreditBasis,
    CreditClaim,
    CreditOffer,
    MocAttestation,
    MocRole,
)
from core import clock

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(tenant, marker: str) -> dict:
    program, collaborative = tenant.program, tenant.collaborative
    now = clock.now()
    offer = CreditOffer.objects.create(
        program=program,
        collaborative=collaborative,
        credit_type="nursing",
        basis=CreditBasis.PER_EVENT,
        provider_name=f"{program.name} {marker} Provider".strip(),
        accreditation_statement=f"{marker} is accredited as a provider of NCPD.".strip(),
        max_amount=Decimal("6.00"),
        is_published=True,
    )
    claim = CreditClaim.objects.create(
        program=program,
        offer=offer,
        user=tenant.lead,
        amount=Decimal("1.50"),
        completion_date=date(2026, 10, 15),
        claimed_at=now,
    )
    template = CertificateTemplate.objects.create(
        program=program,
        version=1,
        heading="Certificate",
        footer=f"{marker} footer".strip(),
        published_at=now,
    )
    bulk = BulkIssue.objects.create(
        program=program,
        collaborative=collaborative,
        status=BulkIssueStatus.DONE,
        total=1,
        issued=1,
        started_at=now,
        finished_at=now,
    )
    certificate = Certificate(
        program=program,
        offer=offer,
        claim=claim,
        user=tenant.lead,
        status=CertificateStatus.ISSUED,
        recipient_name=tenant.lead.full_name,
        activity_title=collaborative.title,
        credit_type=offer.credit_type,
        amount=claim.amount,
        completion_date=claim.completion_date,
        template=template,
        issued_at=now,
        rendered_at=now,
        bulk_issue=bulk,
    )
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(PDF_BYTES), save=False)
    certificate.save()
    moc = CreditOffer.objects.create(
        program=program,
        collaborative=collaborative,
        credit_type="moc_part4",
        basis=CreditBasis.COLLABORATIVE,
        provider_name=f"{program.name} {marker} Provider".strip(),
        max_amount=Decimal(25),
        min_months_active=6,
        min_pdsa_cycles=1,
        requires_attestation=True,
        is_published=True,
    )
    attestation = MocAttestation.objects.create(
        program=program,
        offer=moc,
        user=tenant.member,
        team=tenant.team,
        status=AttestationStatus.ATTESTED,
        roles=[MocRole.DESIGN, MocRole.IMPLEMENTATION, MocRole.DATA],
        role_description=f"{marker} ran the triage huddles.".strip(),
        board_id="123456",
        birth_month=4,
        birth_day=9,
        points=25,
        permission_to_report=True,
        attested_at=now,
    )
    # A certificate for the public check (/verify/<verify_code>/), on the nursing offer
    # (no new offer: other tests create their own per type). The public page shows the
    # printed name and activity to whoever has the code, so those carry no marker here;
    # everything else it must not show (provider, statements, e-mail) does.
    verifiable_claim = CreditClaim.objects.create(
        program=program,
        offer=offer,
        user=tenant.coach,
        amount=Decimal(2),
        completion_date=date(2026, 10, 1),
        claimed_at=now,
    )
    verifiable = Certificate.objects.create(
        program=program,
        offer=offer,
        claim=verifiable_claim,
        user=tenant.coach,
        status=CertificateStatus.ISSUED,
        recipient_name="Pat Verified",
        activity_title="Verified activity",
        credit_type=offer.credit_type,
        amount=Decimal(2),
        completion_date=date(2026, 10, 1),
        template=template,
        issued_at=now,
    )
    return {
        "verify_code": verifiable.code,
        "offer_id": offer.public_id,
        "claim_id": claim.public_id,
        "certificate_code": certificate.code,
        "template_version": template.version,
        "bulk_id": bulk.public_id,
        "attestation_id": attestation.public_id,
    }
