"""Background tasks of the shared plumbing.

Tasks take ids, re-read the row, and claim it with a conditional UPDATE, so that
a message is sent at most once even when the broker redelivers (acks_late).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q

from core import clock

from .digest import digests_send
from .inbox import notifications_prune
from .models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=MAX_EMAIL_ATTEMPTS - 1,
    default_retry_delay=60,
    time_limit=60,
    soft_time_limit=50,
)
def send_outbound_email(self, email_id: int) -> str:
    """Send one queued OutboundEmail; returns its final status."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
        status=EmailStatus.SENDING, attempts=F("attempts") + 1, claimed_at=clock.now()
    )
    if not claimed:
        # Already sent, being sent, failed for good, or gone: nothing to do.
        current = OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True)
        return current.first() or "missing"

    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        # List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), stored at enqueue time.
        headers=email.headers or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport error is retried
        final = email.attempts >= MAX_EMAIL_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id).update(
            status=EmailStatus.FAILED if final else EmailStatus.QUEUED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("E-mail %s attempt %s failed: %s", email_id, email.attempts, exc)
        if final:
            return EmailStatus.FAILED
        raise self.retry(exc=exc, countdown=60 * email.attempts) from exc

    OutboundEmail.objects.filter(pk=email_id).update(
        status=EmailStatus.SENT, sent_at=clock.now(), last_error=""
    )
    return EmailStatus.SENT


# Both limits: the project's default soft limit (240 s) above a hard limit of 120 s makes
# Celery refuse to queue the task, and beat would never run it.
@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def requeue_stale_emails() -> int:
    """Re-queue e-mails whose task was lost (broker down, worker killed).

    Queued for over settings.OUTBOX_RESEND_AFTER seconds (10 minutes), or claimed for
    over OUTBOX_RECLAIM_AFTER (15 minutes) without finishing: the worker died mid-send.
    A reclaimed row is queued at once. Scheduled by beat; also run by
    `manage.py send_pending_emails`.
    """
    now = clock.now()
    stale_claims = OutboundEmail.objects.filter(
        status=EmailStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.OUTBOX_RECLAIM_AFTER),
    )
    reclaimed = set(stale_claims.values_list("pk", flat=True))
    stale_claims.filter(pk__in=reclaimed).update(status=EmailStatus.QUEUED)
    waiting = OutboundEmail.objects.filter(
        Q(status=EmailStatus.QUEUED)
        & (
            Q(created_at__lt=now - timedelta(seconds=settings.OUTBOX_RESEND_AFTER))
            | Q(pk__in=reclaimed)
        )
    ).values_list("pk", flat=True)
    count = 0
    for email_id in waiting:
        send_outbound_email.delay(email_id)
        count += 1
    return count


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def send_weekly_digests() -> int:
    """Send each person one digest of the e-mails held for it (core.digest); returns how
    many digests were queued. Weekly by beat; `manage.py send_weekly_digests` replays
    it, and a second run in the same week sends nothing twice."""
    return digests_send(now=clock.now())


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def prune_notifications() -> int:
    """Delete old notices (core.inbox.notifications_prune: read after 90 days, unread
    after a year); returns how many. Daily by beat; running it twice deletes nothing
    more."""
    return notifications_prune(now=clock.now())
