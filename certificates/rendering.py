"""Certificate PDFs, rendered by WeasyPrint.

The HTML comes from a Django template, which escapes every value (names, titles, the
statements staff type), so nothing a user typed can become markup. WeasyPrint fetches
nothing while rendering except what `fetch_url` allows.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from learning_sessions.public import CreditType

from .models import Certificate


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    offer = certificate.offer
    return {
        "certificate": certificate,
        "offer": offer,
        "program": certificate.offer.collaborative.program,
        "credit_label": CreditType(certificate.credit_type).label,
        "unit": offer.unit,
    }


def certificate_html(certificate: Certificate) -> str:
    return render_to_string("certificates/pdf/certificate.html", certificate_context(certificate))


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of `html`, fetching nothing but data: URLs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf()


def render_certificate_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf(certificate_html(certificate))
