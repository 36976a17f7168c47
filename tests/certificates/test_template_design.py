"""The program's certificate template: a draft with checked uploads, a PDF preview
with sample data, publishing a new version; earlier certificates keep theirs."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from certificates.models import CertificateTemplate
from core.models import AuditEvent

from .helpers import issued, pdf_text

pytestmark = pytest.mark.django_db


def _url(name, tenant):
    return reverse(f"certificates:{name}", kwargs={"program_id": tenant.program.public_id})


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _image(fmt="PNG", size=(60, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(buffer, format=fmt)
    return buffer.getvalue()


def _form(**extra):
    return {
        "signer_name": "Dr Ada <Sign>",
        "signer_title": "Director",
        "primary_colour": "#112233",
        "accent_colour": "#445566",
        "heading": "Certificate of Completion",
        "body": "This certifies that",
        "footer": "Thank you",
        **extra,
    }


def test_only_the_programs_staff_reach_the_editor(tenant_a, tenant_b):
    assert _client(tenant_a.staff).get(_url("template_editor", tenant_a)).status_code == 200
    for person in (tenant_a.coach, tenant_a.lead, tenant_b.admin):
        assert _client(person).get(_url("template_editor", tenant_a)).status_code == 404
        assert _client(person).get(_url("template_preview", tenant_a)).status_code == 404


def test_save_preview_publish(tenant_a):
    client = _client(tenant_a.admin)
    before = issued(tenant_a)
    logo = SimpleUploadedFile("logo.png", _image(), content_type="image/png")
    signature = SimpleUploadedFile("sig.jpg", _image("JPEG"), content_type="image/jpeg")
    response = client.post(
        _url("template_editor", tenant_a),
        _form(logo_upload=logo, signature_upload=signature),
    )
    assert response.status_code == 302
    draft = CertificateTemplate.objects.get(program=tenant_a.program, version=2)
    assert draft.published_at is None and draft.logo and draft.signature
    assert draft.footer == "Thank you"

    preview = client.get(_url("template_preview", tenant_a))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert "Certificate of Completion" in text and "Dr Ada <Sign>" in text
    assert "Alex Sample, MD" in text and "AMA PRA Category 1 Credit(s)™" in text

    # Saving again edits the same draft.
    client.post(_url("template_editor", tenant_a), _form(heading="Second try"))
    assert CertificateTemplate.objects.filter(program=tenant_a.program).count() == 2
    draft.refresh_from_db()
    assert draft.heading == "Second try" and draft.logo  # the logo is kept

    assert client.post(_url("template_publish", tenant_a)).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    after = issued(tenant_a, credit_type="ems")
    assert (before.template.version, after.template.version) == (1, 2)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"certificate_template.saved", "certificate_template.published"} <= verbs

    nothing = client.post(_url("template_publish", tenant_a), follow=True)
    assert "no draft to publish" in nothing.content.decode()


def _bomb() -> bytes:
    """A small PNG whose header declares a huge image (a decompression bomb)."""
    buffer = BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "must be a PNG or JPEG"),
        ("logo.png", b"GIF89a" + b"\0" * 40, "must be a PNG or JPEG"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "cannot be read"),
        ("logo.jpg", _image(size=(3001, 10)), "at most 3000 x 3000"),
        ("logo.png", _bomb(), "too large to open"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 1), "at most 1 MB"),
    ],
)
def test_bad_logos_are_refused_and_nothing_is_stored(tenant_a, name, content, message):
    response = _client(tenant_a.staff).post(
        _url("template_editor", tenant_a),
        _form(logo_upload=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CertificateTemplate.objects.filter(program=tenant_a.program).count() == 1


def test_bad_colours_are_refused(tenant_a):
    response = _client(tenant_a.staff).post(
        _url("template_editor", tenant_a), _form(primary_colour="red;}body{x")
    )
    assert response.status_code == 400 and "#RRGGBB" in response.content.decode()
    assert CertificateTemplate.objects.filter(program=tenant_a.program).count() == 1


@pytest.mark.parametrize("field", ["body", "footer"])
def test_wording_longer_than_a_page_holds_is_refused(tenant_a, field):
    response = _client(tenant_a.staff).post(
        _url("template_editor", tenant_a), _form(**{field: "w" * 301})
    )
    assert response.status_code == 400 and "at most 300 characters" in response.content.decode()
    assert CertificateTemplate.objects.filter(program=tenant_a.program).count() == 1
