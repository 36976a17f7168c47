"""Outbound e-mail: render now, store, send in the background.

Every e-mail the product sends (invitations, notices, allauth's verification and
password-reset mails) goes through `email_enqueue`, so that sending is retried,
idempotent and visible to staff when it fails.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .background import enqueue_on_commit
from .models import OutboundEmail


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, .txt and .html (html optional).

    Django's template engine escapes every variable in the HTML part, so user
    text (team names, comments) cannot inject markup into a message.
    """
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    subject = " ".join(subject.split())[:255]
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except Exception:  # noqa: BLE001 - an HTML part is optional
        html = ""
    return subject, text, html


def email_enqueue_message(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    program: Any = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Store a rendered message and queue its sending after commit.

    Returns None when a message with the same `dedupe_key` was already queued,
    which is how producers (reminders, notices) stay idempotent.
    """
    from .tasks import send_outbound_email

    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                to_email=to,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                program=program,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    enqueue_on_commit(send_outbound_email, email.pk)
    return email


def email_enqueue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    program: Any = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Render `template` with `context` and queue it for `to`."""
    subject, text, html = render_email(template, context)
    return email_enqueue_message(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        program=program,
        dedupe_key=dedupe_key,
    )
