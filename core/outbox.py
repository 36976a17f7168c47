"""A program's outbox, for its staff: what was e-mailed to whom, and sending again what
failed. The caller has already checked that the user runs `program`
(accounts.selectors.program_run_by_or_404); every read here is scoped to it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from .audit import audit_record
from .background import enqueue_on_commit
from .models import EmailStatus, OutboundEmail
from .tasks import send_outbound_email


def program_outbox(*, program: Any, status: str = "", kind: str = "") -> QuerySet[OutboundEmail]:
    """The program's e-mails, newest first, optionally of one status and one kind.

    Weekly digests are nobody's program's (they gather a person's notices from every
    program): the messages they carried are listed here as "sent in the weekly digest".
    """
    emails = OutboundEmail.objects.filter(program=program).select_related("digest")
    if status:
        emails = emails.filter(status=status)
    if kind:
        emails = emails.filter(kind=kind)
    return emails.order_by("-created_at", "-pk")


def program_outbox_email(*, program: Any, email_id: Any) -> OutboundEmail | None:
    """One e-mail of the program by its public id; None when it is not the program's."""
    try:
        return OutboundEmail.objects.filter(program=program, public_id=email_id).first()
    except ValidationError:
        return None


@transaction.atomic
def outbound_email_retry(*, email: OutboundEmail, actor: Any) -> OutboundEmail:
    """Queue a failed e-mail again, with a full set of attempts, through the usual task.

    Only a failed e-mail (ValidationError otherwise, e.g. it was retried a moment ago
    in another tab). Audited with the error it had, which the next attempt overwrites.
    """
    locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != EmailStatus.FAILED:
        raise ValidationError(
            f"Only a failed e-mail can be sent again; this one is "
            f"{locked.get_status_display().lower()}.",
            code="not_failed",
        )
    previous_error = locked.last_error
    locked.status = EmailStatus.QUEUED
    locked.attempts = 0
    locked.claimed_at = None
    locked.save(update_fields=["status", "attempts", "claimed_at"])
    audit_record(
        actor=actor,
        verb="outbound_email.retried",
        target=locked,
        data={"to": locked.to_email, "subject": locked.subject, "error": previous_error[:500]},
    )
    enqueue_on_commit(send_outbound_email, locked.pk)
    return locked
