"""The render task: stores the PDF and e-mails the participant once; a render that
keeps failing is retried, then marked failed."""

import pytest
from celery.exceptions import Retry

from certificates import tasks
from certificates.models import Certificate, CertificateStatus
from core.models import OutboundEmail

from .helpers import issued

pytestmark = pytest.mark.django_db


def test_rendering_stores_the_pdf_and_emails_a_link(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issued(tenant_a)
    certificate.refresh_from_db()

    assert certificate.status == CertificateStatus.ISSUED and certificate.pdf
    assert certificate.emailed_at is not None
    email = OutboundEmail.objects.get(to_email=tenant_a.member.email, kind="certificate")
    assert certificate.code in email.body_text
    assert f"/credit/certificates/{certificate.code}/pdf" in email.body_text
    assert "/credit/" in email.body_html
    assert "4.75 AMA PRA Category 1 Credit(s)" in email.body_text
    # A second delivery of the task (acks_late) neither renders nor e-mails again.
    assert tasks.render_certificate.delay(certificate.pk).get() == CertificateStatus.ISSUED
    assert OutboundEmail.objects.filter(kind="certificate").count() == 1


def test_a_failing_render_is_retried_then_marked_failed(tenant_a, monkeypatch):
    def broken(certificate):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(tasks, "render_certificate_pdf", broken)
    certificate = issued(tenant_a)  # not committed: the task is run by hand below

    with pytest.raises(Retry):
        tasks.render_certificate.apply(args=[certificate.pk], throw=True)
    certificate.refresh_from_db()
    # Back for a retry, the reason kept for staff.
    assert (certificate.status, certificate.render_attempts) == (CertificateStatus.PENDING, 1)
    assert "cairo exploded" in certificate.last_error

    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=tasks.MAX_ATTEMPTS - 1)
    result = tasks.render_certificate.apply(args=[certificate.pk], throw=True).get()
    certificate.refresh_from_db()
    assert result == certificate.status == CertificateStatus.FAILED
    assert certificate.render_attempts == tasks.MAX_ATTEMPTS
    assert not certificate.pdf
    assert not OutboundEmail.objects.filter(kind="certificate").exists()


def test_a_retry_after_a_failure_renders(tenant_a, monkeypatch):
    real = tasks.render_certificate_pdf
    calls = []

    def flaky(certificate):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk busy")
        return real(certificate)

    monkeypatch.setattr(tasks, "render_certificate_pdf", flaky)
    certificate = issued(tenant_a)
    with pytest.raises(Retry):
        tasks.render_certificate.apply(args=[certificate.pk], throw=True)
    assert tasks.render_certificate.apply(args=[certificate.pk], throw=True).get() == "issued"
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.status == CertificateStatus.ISSUED and certificate.render_attempts == 2


def test_a_delivery_that_loses_the_race_changes_nothing_and_keeps_no_file(tenant_a, monkeypatch):
    """Two deliveries of the task render at once (acks_late after a lost worker): the
    one that marks it issued second stores nothing, e-mails nobody, leaves no file."""
    real = tasks.render_certificate_pdf
    certificate = issued(tenant_a)
    stored = []

    def rendered_while_another_delivery_finished(cert):
        pdf = real(cert)
        Certificate.objects.filter(pk=cert.pk).update(
            status=CertificateStatus.ISSUED, pdf="certificates/other-delivery.pdf"
        )
        return pdf

    monkeypatch.setattr(tasks, "render_certificate_pdf", rendered_while_another_delivery_finished)
    original_save = Certificate.pdf.field.storage.save

    def remember(name, *args, **kwargs):
        stored.append(original_save(name, *args, **kwargs))
        return stored[-1]

    monkeypatch.setattr(Certificate.pdf.field.storage, "save", remember)

    assert tasks.render_certificate.apply(args=[certificate.pk], throw=True).get() == "issued"
    certificate.refresh_from_db()
    assert certificate.pdf.name == "certificates/other-delivery.pdf"
    assert certificate.emailed_at is None and certificate.render_attempts == 0
    assert not OutboundEmail.objects.filter(kind="certificate").exists()
    assert len(stored) == 1 and not Certificate.pdf.field.storage.exists(stored[0])
