"""Background work of certificates: rendering a certificate's PDF.

`render_certificate` is safe to run twice (acks_late, a worker killed mid-task makes
the broker deliver it again): it renders only a certificate still pending, and storing
the PDF and marking it issued happen under a row lock. A render that keeps failing is
retried with a growing delay and, after the last attempt, marked failed (staff see it).

Once the PDF is stored, the participant is e-mailed through the outbox (kind
"certificate"), once per certificate (the dedupe key is its code): a link to their
credit page and to the download.
"""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from core import clock
from core.emails import email_enqueue

from .links import download_url, my_credit_path, my_credit_url
from .models import Certificate, CertificateStatus
from .rendering import credit_line, render_certificate_pdf

MAX_ATTEMPTS = 5


@shared_task(
    bind=True, acks_late=True, max_retries=MAX_ATTEMPTS, time_limit=120, soft_time_limit=100
)
def render_certificate(self, certificate_id: int) -> str:
    """Render and store the PDF of a pending certificate; returns its status."""
    certificate = (
        Certificate.objects.select_related("offer__collaborative__program", "user")
        .filter(pk=certificate_id)
        .first()
    )
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
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.status != CertificateStatus.PENDING:
            return locked.status
        locked.pdf.save(f"{locked.code}.pdf", ContentFile(pdf), save=False)
        locked.status = CertificateStatus.ISSUED
        locked.rendered_at = clock.now()
        locked.render_attempts += 1
        locked.save(update_fields=["pdf", "status", "rendered_at", "render_attempts"])
        _email_participant(locked)
    return CertificateStatus.ISSUED


def _email_participant(certificate: Certificate) -> None:
    """Tell the participant their certificate (or its corrected version) is ready."""
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
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=clock.now())
