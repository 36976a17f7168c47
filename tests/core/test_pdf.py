"""The renderer's URL fetcher allows data:, the project's static files and the
template's own uploads, and refuses everything else."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.pdf import OwnFilesFetcher, RefusedURL


def _fetch(fetcher, url):
    response = fetcher.fetch(url)
    try:
        return response.read(), response.content_type
    finally:
        response.close()


def test_data_uris_are_read():
    body, content_type = _fetch(OwnFilesFetcher(), "data:text/plain;base64,aGVsbG8=")
    assert body == b"hello" and content_type == "text/plain"


def test_the_projects_static_files_are_read():
    body, content_type = _fetch(OwnFilesFetcher(), "static:certificates/certificate.css")
    assert b"@page" in body and content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "FILE:///etc/passwd",
        "/etc/passwd",
        "//example.org/logo.png",
        "static:../../config/settings.py",
        "static:certificates/../../manage.py",
        "static:/etc/passwd",
        "static:certificates\\..\\..\\manage.py",
        "static:",
        "static:no/such/file.css",
        "upload:../../etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises((RefusedURL, ValueError)):
        _fetch(OwnFilesFetcher(upload_names=["certificates/1/templates/logo"]), url)


@pytest.mark.django_db
def test_only_the_templates_own_uploads_are_read(tenant_a, tenant_b):
    own = default_storage.save(
        f"certificates/{tenant_a.program.pk}/templates/own", ContentFile(b"\x89PNG\r\n\x1a\nA")
    )
    other = default_storage.save(
        f"certificates/{tenant_b.program.pk}/templates/other", ContentFile(b"\x89PNG\r\n\x1a\nB")
    )
    fetcher = OwnFilesFetcher(upload_names=[own])

    body, content_type = _fetch(fetcher, f"upload:{own}")
    assert body.endswith(b"A") and content_type == "image/png"
    # Another program's logo, even by its exact stored name: refused.
    with pytest.raises(RefusedURL):
        _fetch(fetcher, f"upload:{other}")


def test_weasyprint_draws_nothing_refused_and_still_makes_the_pdf():
    from certificates.rendering import html_to_pdf

    html = (
        '<link rel="stylesheet" href="http://169.254.169.254/x.css">'
        '<img src="file:///etc/passwd" alt=""><img src="http://127.0.0.1/x.png" alt="">'
        "<p>Still here</p>"
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
