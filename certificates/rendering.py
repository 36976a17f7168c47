"""Certificate PDFs (and the transcript), rendered by WeasyPrint.

The HTML comes from Django templates, which escape every value (names, titles, the
statements staff type), so nothing a user typed can become markup; statements keep
their line breaks through CSS (white-space: pre-line), not through |linebreaks.
WeasyPrint fetches nothing while rendering except what `core.pdf.OwnFilesFetcher`
allows: data: URIs, the project's static files and the template's own logo and
signature.

Speed matters (a bulk issue renders hundreds): one system font (DejaVu, no web fonts),
one small stylesheet, the QR code as a small PNG, and a batch laid out as one
document (`render_certificate_pdfs`).
"""

from __future__ import annotations

import base64
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import qrcode
from django.template.loader import render_to_string
from django.urls import reverse

from core import clock
from core.emails import absolute_url
from learning_sessions.public import CreditType

from .models import Board, Certificate, CertificateTemplate, MocAttestation

#: The AMA's trademarked wording, exactly (AMA PRA booklet): amount, then this.
AMA_WORDING = "AMA PRA Category 1 Credit(s)™"

#: What follows the amount on the certificate, per credit type.
CREDIT_WORDING = {
    CreditType.AMA_PRA_1: AMA_WORDING,
    CreditType.NURSING: "nursing contact hours",
    CreditType.EMS: "EMS CE hours (CAPCE)",
    CreditType.MOC_PART_4: "MOC Part 4 points (Improvement in Medical Practice)",
    CreditType.PARTICIPATION: "hours of participation",
}

QR_MASK = 2

#: Longest texts (characters) that the regular type fits on the page whatever else is
#: long; past any of them the page is set in smaller type (`is_compact`). The limits
#: of the forms (offer statements, design wording) keep the smaller type on one page.
#: tests/certificates/test_rendering_fit.py lays out both extremes and checks that
#: nothing runs into the signature and verification block.
REGULAR_TYPE_LIMITS = {
    "statements": 900,
    "recipient_name": 40,
    "activity_title": 90,
    "provider": 120,
    "heading": 30,
    "body": 80,
    "footer": 150,
    "signer": 80,
}
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

#: The stylesheet every certificate and transcript loads through the fetcher.
STYLESHEET = "static:certificates/certificate.css"


def verify_url(code: str) -> str:
    return absolute_url(reverse("certificates:verify_code", kwargs={"verify_code": code}))


def qr_png_data_uri(text: str) -> str:
    """`text` as a QR code: a PNG of one pixel per module, base64 in a data: URI, which
    the stylesheet scales up without smoothing (`image-rendering: pixelated`), so the
    printed squares stay sharp. WeasyPrint draws it in a fraction of the time an SVG
    path takes (the SVG was 40 % of each certificate's rendering)."""
    from PIL import Image

    matrix = qr_matrix(text)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules of `text` (medium error correction), with a 2-module quiet zone.

    The mask pattern is fixed: every mask is a valid QR code, and choosing the "best"
    one costs the library eight trial layouts (about 7 ms each certificate, pure
    Python) for a code that is printed large and read once."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=QR_MASK
    )
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def amount_text(amount: Decimal) -> str:
    """1.50 -> "1.5", 25.00 -> "25" (never "2.5E+1")."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def credit_line(credit_type: str, amount: Decimal) -> str:
    """e.g. "1.5 AMA PRA Category 1 Credit(s)™"."""
    return f"{amount_text(amount)} {CREDIT_WORDING[CreditType(credit_type)]}"


def published_template(program_id: int) -> CertificateTemplate | None:
    """The program's template in use now: its latest published version."""
    return (
        CertificateTemplate.objects.filter(program_id=program_id, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class PrintedFacts:
    """What one certificate prints: from a Certificate, or made up for a preview."""

    code: str
    recipient_name: str
    activity_title: str
    completion_date: date
    credit_type: str
    amount: Decimal
    provider_name: str
    provider_address: str
    accreditation_statement: str
    designation_statement: str
    board: str = ""


def boards_of(certificates: Sequence[Certificate]) -> dict[tuple[int, int], str]:
    """(offer id, user id) -> the board label each MOC certificate prints, in one query
    (ABP when the attestation is gone)."""
    moc = [c for c in certificates if c.credit_type == CreditType.MOC_PART_4]
    if not moc:
        return {}
    attested = {
        (row["offer_id"], row["user_id"]): Board(row["board"]).label
        for row in MocAttestation.objects.filter(
            offer_id__in={c.offer_id for c in moc}, user_id__in={c.user_id for c in moc}
        ).values("offer_id", "user_id", "board")
    }
    return {
        (c.offer_id, c.user_id): attested.get((c.offer_id, c.user_id), Board.ABP.label) for c in moc
    }


def facts_of(
    certificate: Certificate, boards: dict[tuple[int, int], str] | None = None
) -> PrintedFacts:
    """What `certificate` prints; `boards` (from `boards_of`) saves a batch the
    attestation query of each MOC certificate."""
    offer = certificate.offer
    if boards is None:
        boards = boards_of([certificate])
    board = boards.get((certificate.offer_id, certificate.user_id), "")
    return PrintedFacts(
        code=certificate.code,
        recipient_name=certificate.recipient_name,
        activity_title=certificate.activity_title,
        completion_date=certificate.completion_date,
        credit_type=certificate.credit_type,
        amount=certificate.amount,
        provider_name=offer.provider_name,
        provider_address=offer.provider_address,
        accreditation_statement=offer.accreditation_statement,
        designation_statement=offer.designation_statement,
        board=board,
    )


def sample_facts(program_name: str) -> list[PrintedFacts]:
    """Made-up certificates, one per credit type, for the template's preview."""
    amounts = {CreditType.MOC_PART_4: Decimal(25)}
    return [
        PrintedFacts(
            code="SAMP-LE00-CODE",
            recipient_name="Alex Sample, MD",
            activity_title="Sample collaborative: reducing sepsis time to antibiotics",
            completion_date=date(2026, 6, 30),
            credit_type=credit_type,
            amount=amounts.get(credit_type, Decimal("12.25")),
            provider_name=f"{program_name} (sample provider)",
            provider_address="100 Sample Street, Springfield\nhttps://example.org",
            accreditation_statement=(
                "This is a sample accreditation statement. Staff enter the accreditor's "
                "exact wording on each credit offer."
            ),
            designation_statement=(
                f"This is a sample designation statement for {credit_type.label}."
            ),
            board=Board.ABP.label if credit_type == CreditType.MOC_PART_4 else "",
        )
        for credit_type in CreditType
    ]


def text_lengths(facts: PrintedFacts, template: CertificateTemplate | None) -> dict[str, int]:
    """The length of each text `REGULAR_TYPE_LIMITS` bounds, as printed."""
    return {
        "statements": len(facts.accreditation_statement) + len(facts.designation_statement),
        "recipient_name": len(facts.recipient_name),
        "activity_title": len(facts.activity_title),
        "provider": len(facts.provider_name)
        + (len(facts.provider_address) if facts.credit_type == CreditType.NURSING else 0),
        "heading": len(template.heading) if template else 0,
        "body": len(template.body) if template else 0,
        "footer": len(template.footer) if template else 0,
        "signer": len(template.signer_name) + len(template.signer_title) if template else 0,
    }


def is_compact(facts: PrintedFacts, template: CertificateTemplate | None) -> bool:
    """Whether the page needs the smaller type: the statements are absolutely never
    allowed to run into the foot of the page (signature, code, QR code)."""
    lengths = text_lengths(facts, template)
    return any(lengths[name] > limit for name, limit in REGULAR_TYPE_LIMITS.items())


def _page_context(facts: PrintedFacts, template: CertificateTemplate | None) -> dict[str, Any]:
    url = verify_url(facts.code)
    credit_type = CreditType(facts.credit_type)
    return {
        "facts": facts,
        "credit_line": credit_line(facts.credit_type, facts.amount),
        "is_nursing": credit_type == CreditType.NURSING,
        "is_moc": credit_type == CreditType.MOC_PART_4,
        "verify_url": url,
        "qr_uri": qr_png_data_uri(url),
        "compact": is_compact(facts, template),
    }


def _colour(value: str, default: str) -> str:
    """A #RRGGBB colour for the stylesheet; anything else (never saved through the form,
    but checked again here because it lands inside <style>) falls back to `default`."""
    return value if COLOUR.fullmatch(value or "") else default


def _template_context(template: CertificateTemplate | None) -> dict[str, Any]:
    # Imported here, like WeasyPrint itself: loading it parses WeasyPrint's stylesheets,
    # which every process that only imports this module (web, beat) would pay for.
    from core.pdf import upload_url

    return {
        "template": template,
        "primary_colour": _colour(template.primary_colour if template else "", "#1f4e79"),
        "accent_colour": _colour(template.accent_colour if template else "", "#c8a24a"),
        "logo_url": upload_url(template.logo.name) if template and template.logo else "",
        "signature_url": (
            upload_url(template.signature.name) if template and template.signature else ""
        ),
    }


def _upload_names(template: CertificateTemplate | None) -> list[str]:
    """The stored files a certificate in `template`'s design may show."""
    return [template.logo.name, template.signature.name] if template else []


def certificates_html(pages: list[PrintedFacts], template: CertificateTemplate | None) -> str:
    """The HTML of one certificate page per entry of `pages`, in `template`'s design."""
    return render_to_string(
        "certificates/pdf/certificate_pdf.html",
        {
            "pages": [_page_context(facts, template) for facts in pages],
            **_template_context(template),
        },
    )


def weasyprint_shared() -> tuple[Any, list[Any]]:
    """The fonts and the certificates' stylesheet, made once per thread (core.pdf)."""
    from core.pdf import weasyprint_shared as shared

    return shared(STYLESHEET)


def html_to_pdf(html: str, template: CertificateTemplate | None = None) -> bytes:
    """PDF bytes of `html` with the certificates' stylesheet, fetching only what
    `core.pdf.OwnFilesFetcher` allows (of the stored files, `template`'s own)."""
    from core.pdf import html_to_pdf as render

    return render(html, stylesheet_url=STYLESHEET, upload_names=_upload_names(template))


def certificate_template_for(certificate: Certificate) -> CertificateTemplate | None:
    """The version the certificate was issued with (or, for an old row without one,
    the program's published version now)."""
    if certificate.template_id:
        return certificate.template
    return published_template(certificate.program_id)


def certificate_html(certificate: Certificate) -> str:
    return certificates_html([facts_of(certificate)], certificate_template_for(certificate))


def render_certificate_pdf(certificate: Certificate) -> bytes:
    template = certificate_template_for(certificate)
    return html_to_pdf(certificates_html([facts_of(certificate)], template), template)


def render_certificate_pdfs(certificates: Sequence[Certificate]) -> list[bytes]:
    """The PDF of each of `certificates`, in order, for a batch (a bulk issue).

    The certificates of one template version are laid out as ONE WeasyPrint document,
    one page each, and every page is written as a PDF of its own
    (`Document.copy([page])`): the per-document work (parsing, the cascade of the
    user-agent stylesheet, the layout context) is paid once per batch instead of once
    per certificate, about a fifth of WeasyPrint's time. A batch whose page count does
    not match (a certificate that somehow needs two pages) is rendered one by one."""
    from weasyprint import HTML

    from core.pdf import OwnFilesFetcher

    font_config, stylesheets = weasyprint_shared()
    groups: dict[object, list[Certificate]] = defaultdict(list)
    for certificate in certificates:
        groups[certificate.template_id or ("program", certificate.program_id)].append(certificate)
    boards = boards_of(certificates)
    pdfs: dict[int, bytes] = {}
    for group in groups.values():
        template = certificate_template_for(group[0])
        html = certificates_html([facts_of(c, boards) for c in group], template)
        fetcher = OwnFilesFetcher(upload_names=_upload_names(template))
        document = HTML(string=html, base_url="data:,", url_fetcher=fetcher).render(
            font_config=font_config, stylesheets=stylesheets
        )
        if len(document.pages) != len(group):
            pdfs.update((c.pk, render_certificate_pdf(c)) for c in group)
            continue
        for certificate, page in zip(group, document.pages, strict=True):
            pdfs[certificate.pk] = document.copy([page]).write_pdf()
    return [pdfs[certificate.pk] for certificate in certificates]


def render_preview_pdf(template: CertificateTemplate, program_name: str) -> bytes:
    """The draft's preview: one page per credit type, with a made-up participant."""
    return html_to_pdf(certificates_html(sample_facts(program_name), template), template)


def render_transcript_pdf(*, person_name: str, rows: list[dict[str, Any]]) -> bytes:
    """A person's transcript: a table of their current certificates. `rows` carry
    activity, provider, credit (the printed credit line), date and code."""
    html = render_to_string(
        "certificates/pdf/transcript_pdf.html",
        {
            "person_name": person_name,
            "rows": rows,
            "today": clock.today(),
            "verify_base": absolute_url(reverse("certificates:verify")),
        },
    )
    return html_to_pdf(html)
