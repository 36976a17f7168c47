"""A real certificate PDF: its text, its escaping, its QR code, its design version."""

import base64
import dataclasses
import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from certificates import rendering
from certificates.models import CertificateTemplate, MocAttestation
from core import clock

from .helpers import claim_of, issued, offer_of, pdf_text

pytestmark = pytest.mark.django_db

NASTY = 'Ana <script>alert("x")</script> & <b>Li</b>'


def test_the_pdf_prints_the_facts_with_typed_markup_as_text(tenant_a):
    tenant_a.member.full_name = NASTY
    tenant_a.member.save(update_fields=["full_name"])
    certificate = issued(
        tenant_a,
        accreditation_statement="Alpha <i>is</i> accredited & so on.\nSecond line > first.",
        designation_statement="Alpha designates this live activity for a maximum of 6.0.",
    )

    html = rendering.certificate_html(certificate)
    assert "<script>" not in html and "&lt;script&gt;" in html
    text = pdf_text(rendering.render_certificate_pdf(certificate))

    assert NASTY in text
    assert "4.75 AMA PRA Category 1 Credit(s)™" in text
    assert "Alpha <i>is</i> accredited & so on.\nSecond line > first." in text
    assert "Alpha designates this live activity for a maximum of 6.0." in text
    assert certificate.code in text
    assert rendering.verify_url(certificate.code) in text
    assert "November 2, 2026" in text
    assert "Alpha Children's Hospital" in text


def test_one_landscape_letter_page():
    from io import BytesIO

    from pypdf import PdfReader

    html = rendering.certificates_html(rendering.sample_facts("P")[:1], None)
    page = PdfReader(BytesIO(rendering.html_to_pdf(html))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (792, 612)
    assert len(PdfReader(BytesIO(rendering.html_to_pdf(html))).pages) == 1


def test_nursing_prints_the_providers_address_and_contact_hours(tenant_a):
    offer = offer_of(
        tenant_a,
        credit_type="ems",
        provider_address="1 Main St <Suite 2>\nSpringfield",
    )
    # Nursing prints the provider's address (the builder's nursing offer); EMS does not.
    from certificates.models import Certificate

    nursing = Certificate.objects.get(code=tenant_a.extras["certificate_code"])
    nursing.offer.provider_address = "1 Main St <Suite 2>\nSpringfield"
    nursing.offer.save(update_fields=["provider_address"])
    text = pdf_text(rendering.render_certificate_pdf(nursing))
    assert "1.5 nursing contact hours" in text
    assert "1 Main St <Suite 2>\nSpringfield" in text

    ems = issued_on(tenant_a, offer)
    assert "1 Main St" not in pdf_text(rendering.render_certificate_pdf(ems))


def issued_on(tenant, offer, user=None):
    from certificates.services.issuing import issue_certificate

    certificate, _ = issue_certificate(claim=claim_of(tenant, offer, user=user, amount="2.00"))
    return certificate


def test_moc_prints_points_and_the_board(tenant_a):
    from certificates.models import Board

    offer = offer_of(tenant_a, credit_type="moc_part4", collaborative=tenant_a.recruiting)
    MocAttestation.objects.create(
        program=tenant_a.program,
        offer=offer,
        user=tenant_a.member,
        team=tenant_a.team,
        board=Board.ABIM,
    )
    certificate = issued_on(tenant_a, offer)
    certificate.amount = 25
    text = pdf_text(rendering.render_certificate_pdf(certificate))
    assert "25 MOC Part 4 points" in text
    assert "American Board of Internal Medicine" in text


def _png_matrix(data_uri: str) -> list[list[bool]]:
    """The dark modules of the PNG QR code (one pixel per module)."""
    png = base64.b64decode(data_uri.removeprefix("data:image/png;base64,"))
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width
    assert image.height == size
    pixels = list(image.getdata())
    return [[pixels[y * size + x] < 128 for x in range(size)] for y in range(size)]


def test_the_qr_code_encodes_the_verify_url():
    url = rendering.verify_url("ABCD-EFGH-JKMN")
    facts = dataclasses.replace(rendering.sample_facts("P")[0], code="ABCD-EFGH-JKMN")
    html = rendering.certificates_html([facts], None)
    uri = re.search(r'src="(data:image/png;base64,[^"]+)"', html).group(1)
    # No pure-Python QR decoder is installed: the drawn modules must be exactly the
    # QR matrix of the verify URL (and not of another text).
    assert _png_matrix(uri) == rendering.qr_matrix(url)
    assert _png_matrix(uri) != rendering.qr_matrix(rendering.verify_url("ABCD-EFGH-JKMP"))


def test_a_certificate_keeps_the_design_it_was_issued_with(tenant_a):
    first = issued(tenant_a)
    assert first.template.version == 1
    CertificateTemplate.objects.create(
        program=tenant_a.program, version=2, heading="Brand new heading", published_at=clock.now()
    )
    later = issued(tenant_a, credit_type="ems")
    assert later.template.version == 2
    assert "Brand new heading" not in pdf_text(rendering.render_certificate_pdf(first))
    assert "Brand new heading" in pdf_text(rendering.render_certificate_pdf(later))


def test_the_templates_logo_is_drawn_through_the_fetcher(tenant_a):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 20), (10, 60, 200)).save(buffer, format="PNG")
    template = CertificateTemplate(program=tenant_a.program, version=5, signer_name="Dr <Sign>")
    template.logo.save("logo", ContentFile(buffer.getvalue()), save=False)
    template.save()
    pdf = rendering.render_preview_pdf(template, "Alpha")
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 5  # one per credit type
    assert reader.pages[0].images, "the logo is drawn"
    text = pdf_text(pdf)
    assert "Dr <Sign>" in text and "Alex Sample, MD" in text
    assert "AMA PRA Category 1 Credit(s)™" in text and "nursing contact hours" in text


def test_a_batch_of_moc_certificates_reads_the_boards_in_one_query(
    tenant_a, django_assert_max_num_queries
):
    """Each MOC certificate of a batch prints its own board; the attestations are read
    once for the batch, not once per certificate."""
    from certificates.models import Board
    from tests.factories import TeamMembershipFactory, UserFactory

    offer = offer_of(tenant_a, credit_type="moc_part4", collaborative=tenant_a.recruiting)
    certificates = []
    for board in (Board.ABIM, Board.ABP, Board.ABFM):
        user = UserFactory()
        TeamMembershipFactory(team=tenant_a.team, user=user)
        MocAttestation.objects.create(
            program=tenant_a.program, offer=offer, user=user, team=tenant_a.team, board=board
        )
        certificate = issued_on(tenant_a, offer, user=user)
        certificates.append(
            type(certificate).objects.select_related("offer", "template").get(pk=certificate.pk)
        )
    with django_assert_max_num_queries(1):
        boards = rendering.boards_of(certificates)
        facts = [rendering.facts_of(c, boards) for c in certificates]
    assert [f.board for f in facts] == [
        Board.ABIM.label,
        Board.ABP.label,
        Board.ABFM.label,
    ]
    pdfs = rendering.render_certificate_pdfs(certificates)
    assert "American Board of Family Medicine" in pdf_text(pdfs[2])
