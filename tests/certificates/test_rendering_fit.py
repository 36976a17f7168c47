"""However long the texts staff and participants may enter, a certificate stays one page
and nothing runs into the foot of the page (signature, code, QR code): the layout is
checked on WeasyPrint's own boxes at the two extremes of `rendering.REGULAR_TYPE_LIMITS`."""

import dataclasses
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from weasyprint import HTML

from accounts.models import User
from certificates import rendering
from certificates.forms_offer import ADDRESS_MAX, STATEMENT_MAX
from certificates.models import CertificateTemplate, CreditOffer
from certificates.staff_forms import WORDING_MAX
from core.pdf import OwnFilesFetcher
from learning_sessions.public import CreditType

LIMITS = rendering.REGULAR_TYPE_LIMITS


def _words(word: str, length: int) -> str:
    return (f"{word} " * length)[:length].strip().ljust(length, "x")


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _extent(page, css_class: str) -> tuple[float, float]:
    """(top, bottom) of the boxes of elements with `css_class` on `page`."""
    spans = [
        (box.position_y, box.position_y + box.margin_height())
        for box in _boxes(page._page_box)
        if getattr(box, "element", None) is not None
        and css_class in (box.element.get("class") or "").split()
    ]
    assert spans, f"no .{css_class} on the page"
    return min(top for top, _ in spans), max(bottom for _, bottom in spans)


def _layout(facts: list, template: CertificateTemplate):
    html = rendering.certificates_html(facts, template)
    assert 'class="logo"' in html and 'class="signature"' in html
    font_config, stylesheets = rendering.weasyprint_shared()
    fetcher = OwnFilesFetcher(upload_names=[template.logo.name, template.signature.name])
    return HTML(string=html, base_url="data:,", url_fetcher=fetcher).render(
        font_config=font_config, stylesheets=stylesheets
    )


def _png(size: tuple[int, int]) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 78, 121)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def _texts(lengths: dict[str, int], program=None) -> tuple[list, CertificateTemplate]:
    """Sample certificates of every credit type with texts of exactly these lengths, in
    a design with the tallest logo and signature it allows (saved when `program`)."""
    half = lengths["statements"] // 2
    template = CertificateTemplate(
        program=program,
        version=99,
        heading=_words("Heading", lengths["heading"]),
        body=_words("Body", lengths["body"]),
        footer=_words("Footer", lengths["footer"]),
        signer_name=_words("Signer", lengths["signer"] // 2),
        signer_title=_words("Title", lengths["signer"] - lengths["signer"] // 2),
    )
    if program is not None:
        template.logo.save("logo", _png((600, 200)), save=False)  # 2.4 x 0.8 in: the limits
        template.signature.save("signature", _png((900, 200)), save=False)
        template.save()
    facts = [
        dataclasses.replace(
            sample,
            accreditation_statement=_words("Accredited", half),
            designation_statement=_words("Designates", lengths["statements"] - half),
            recipient_name=_words("Name", lengths["recipient_name"]),
            activity_title=_words("Activity", lengths["activity_title"]),
            provider_name=_words("Provider", lengths["provider"] // 2),
            provider_address=_words("Street", lengths["provider"] - lengths["provider"] // 2),
        )
        for sample in rendering.sample_facts("P")
    ]
    return facts, template


def _assert_fits(facts, template, *, compact: bool):
    assert [rendering.is_compact(f, template) for f in facts] == [compact] * len(facts)
    document = _layout(facts, template)
    assert len(document.pages) == len(facts)
    for sample, page in zip(facts, document.pages, strict=True):
        _, statements_end = _extent(page, "statement")
        foot_top, foot_end = _extent(page, "bottom")
        _, page_end = _extent(page, "page")
        assert statements_end <= foot_top, (sample.credit_type, statements_end, foot_top)
        assert foot_end <= page_end, sample.credit_type


@pytest.mark.django_db
def test_regular_type_fits_everything_at_its_limits(tenant_a):
    _assert_fits(*_texts(LIMITS, tenant_a.program), compact=False)


@pytest.mark.django_db
def test_smaller_type_fits_the_longest_texts_the_forms_accept(tenant_a):
    longest = {
        "statements": 2 * STATEMENT_MAX,
        "recipient_name": User._meta.get_field("full_name").max_length,
        "activity_title": CreditOffer._meta.get_field("activity_title").max_length,
        "provider": CreditOffer._meta.get_field("provider_name").max_length + ADDRESS_MAX,
        "heading": CertificateTemplate._meta.get_field("heading").max_length,
        "body": WORDING_MAX,
        "footer": WORDING_MAX,
        "signer": CertificateTemplate._meta.get_field("signer_name").max_length
        + CertificateTemplate._meta.get_field("signer_title").max_length,
    }
    _assert_fits(*_texts(longest, tenant_a.program), compact=True)


@pytest.mark.django_db
def test_one_long_text_is_enough_for_the_smaller_type():
    nursing = [f.credit_type for f in rendering.sample_facts("P")].index(CreditType.NURSING)
    facts, template = _texts({name: 1 for name in LIMITS} | {"statements": 200})
    assert not rendering.is_compact(facts[nursing], template)
    for name, limit in LIMITS.items():
        longer, template = _texts({n: 1 for n in LIMITS} | {"statements": 200, name: limit + 1})
        assert rendering.is_compact(longer[nursing], template), name
