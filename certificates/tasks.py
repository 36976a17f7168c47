"""Background work of certificates: rendering a certificate's PDF.

`render_certificate` is safe to run twice (acks_late, a worker killed mid-task makes
the broker deliver it again): it renders only a certificate still pending, and marking
it issued is one conditional UPDATE (WHERE status = pending): of two deliveries
rendering at once, one wins, the other deletes the file it stored and changes nothing.
A render that keeps failing is retried with a growing delay and, after the last
attempt, marked failed (staff see it).

Once the PDF is stored, the participant is e-mailed through the outbox (kind
"certificate"), once per certificate (the dedupe key is its code): a link to their
credit page and to the download.
"""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet

from core import clock
from core.emails import email_enqueue

from .links import download_url, my_credit_path, my_credit_url
from .models import Certificate, CertificateStatus
from .rendering import credit_line, render_certificate_pdf, render_certificate_pdfs

MAX_ATTEMPTS = 5


@shared_task(
    bind=True, acks_late=True, max_retries=MAX_ATTEMPTS, time_limit=120, soft_time_limit=100
)
def render_certificate(self, certificate_id: int) -> str:
    """Render and store the PDF of a pending certificate; returns its status."""
    certificate = _for_rendering().filter(pk=certificate_id).first()
    if certificate is None or certificate.status != CertificateStatus.PENDING:
        return certificate.status if certificate else "missing"
    try:
        pdf = render_certificate_pdf(certificate)
    except Exception as exc:
        # Counted on the row, not by Celery's retry count: a redelivered task (worker
        # killed) continues the count instead of starting again.
        attempts = certificate.render_attempts + 1
        Certificate.objects.filter(pk=certificate_id).update(
            render_attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        if attempts >= MAX_ATTEMPTS:
            Certificate.objects.filter(pk=certificate_id).update(status=CertificateStatus.FAILED)
            return CertificateStatus.FAILED
        raise self.retry(exc=exc, countdown=2**attempts) from exc
    return store_pdf(certificate, pdf)


def _for_rendering() -> QuerySet[Certificate]:
    """Certificates with what rendering, storing and the e-mail read of them."""
    return Certificate.objects.select_related("offer", "template", "program", "user")


def _pending(certificate_ids: list[int]) -> list[Certificate]:
    return list(
        _for_rendering()
        .filter(pk__in=certificate_ids, status=CertificateStatus.PENDING)
        .order_by("pk")
    )


def render_pending(certificate_ids: list[int]) -> dict[int, str]:
    """Render a batch of certificates (those still pending) as one document, store
    each PDF, mark each issued and e-mail each participant: {id: status}.

    The bulk issue calls it inside its transaction for a chunk of claims; an error
    (a template whose logo cannot be read) propagates, and the caller renders the
    chunk one by one so that only the faulty certificate fails."""
    certificates = _pending(certificate_ids)
    pdfs = render_certificate_pdfs(certificates)
    return {
        certificate.pk: store_pdf(certificate, pdf)
        for certificate, pdf in zip(certificates, pdfs, strict=True)
    }


def store_pdf(certificate: Certificate, pdf: bytes) -> str:
    """Store the PDF of a pending `certificate`, mark it issued and e-mail the
    participant; returns its status (ISSUED also when another delivery did it first)."""
    # The storage gives every file a name of its own, so a second delivery storing at
    # the same moment never overwrites this one.
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    try:
        return _mark_issued(certificate)
    except BaseException:
        certificate.pdf.delete(save=False)
        raise


def _mark_issued(certificate: Certificate) -> str:
    """Mark `certificate` issued with its stored PDF and e-mail the participant, in one
    transaction: one UPDATE claims it (nothing happens when another delivery did)."""
    now = clock.now()
    with transaction.atomic():
        claimed = Certificate.objects.filter(
            pk=certificate.pk, status=CertificateStatus.PENDING
        ).update(
            pdf=certificate.pdf.name,
            status=CertificateStatus.ISSUED,
            rendered_at=now,
            emailed_at=now,
            render_attempts=F("render_attempts") + 1,
        )
        if not claimed:
            certificate.pdf.delete(save=False)
            return Certificate.objects.values_list("status", flat=True).get(pk=certificate.pk)
        certificate.status = CertificateStatus.ISSUED
        _email_participant(certificate)
    return CertificateStatus.ISSUED


def _email_participant(certificate: Certificate) -> None:
    """Tell the participant their certificate (or its corrected version) is ready
    (emailed_at is set by the same transaction's UPDATE)."""
    user = certificate.user
    email_enqueue(
        to=user.email,
        template="certificate_ready",
        context={
            "recipient": user,
            "certificate": certificate,
            "corrected": certificate.replaces_id is not None,
            "credit_line": credit_line(certificate.credit_type, certificate.amount),
            "program": certificate.program,
            "url": my_credit_url(),
            "download_url": download_url(certificate.code),
        },
        program=certificate.program,
        dedupe_key=f"certificate-ready:{certificate.code}",
        kind="certificate",
        notice_url=my_credit_path(),
    )
