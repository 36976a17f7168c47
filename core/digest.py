"""The weekly digest: one e-mail per person with every message held for it.

A message of a kind the person chose to receive "in a weekly digest" is stored as
HELD by core.emails. Once a week (beat runs core.tasks.send_weekly_digests) each
person with held messages gets ONE e-mail listing them, grouped by kind; in the same
transaction the held rows are locked, the digest is stored and they are marked
DIGESTED with a link to it. The digest's dedupe key names the person and the ISO
week, so a second run, a redelivered task or two workers never send a week's digest
twice; a message held after this week's digest went out waits for next week's.
Nobody with nothing held gets an e-mail.

Deliberately across programs: a person's digest covers every program they work
with, and goes only to that person, about messages addressed to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .emails import email_enqueue
from .models import EmailStatus, OutboundEmail
from .notification_kinds import DIGEST, KINDS, kind_label

#: Longest text of one message in the digest; the rest is behind its link.
DIGEST_BODY_MAX = 4000


@dataclass(frozen=True)
class DigestItem:
    subject: str
    created_at: datetime
    body: str


@dataclass(frozen=True)
class DigestSection:
    """The held messages of one kind, oldest first."""

    label: str
    items: list[DigestItem]


def digest_week(now: datetime) -> str:
    """ "2026-W47": the ISO week a digest sent at `now` belongs to (its dedupe key)."""
    iso = now.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _body(text: str) -> str:
    # The unsubscribe footer is never in a held message (core.emails adds it only to
    # messages sent on their own), so the body is the message as the producer wrote it.
    text = text.strip()
    return text if len(text) <= DIGEST_BODY_MAX else text[: DIGEST_BODY_MAX - 1] + "…"


def digest_sections(items: list[OutboundEmail]) -> list[DigestSection]:
    """The held messages grouped by kind, in the order the preference page lists kinds."""
    order = {key: n for n, key in enumerate(KINDS)}
    groups: dict[str, list[DigestItem]] = {}
    for email in sorted(items, key=lambda e: (order.get(e.kind, len(order)), e.created_at, e.pk)):
        groups.setdefault(email.kind, []).append(
            DigestItem(
                subject=email.subject, created_at=email.created_at, body=_body(email.body_text)
            )
        )
    return [DigestSection(label=kind_label(kind), items=group) for kind, group in groups.items()]


def digest_send_one(*, user: Any, now: datetime) -> OutboundEmail | None:
    """Queue `user`'s digest of the messages held for them until `now`; None when
    nothing is held or this week's digest was already sent."""
    with transaction.atomic():
        held = list(
            OutboundEmail.objects.select_for_update()
            .filter(recipient=user, status=EmailStatus.HELD, created_at__lte=now)
            .order_by("created_at", "pk")
        )
        if not held:
            return None
        sections = digest_sections(held)
        digest = email_enqueue(
            to=user.email,
            template="weekly_digest",
            context={"recipient": user, "sections": sections, "count": len(held)},
            kind=DIGEST,
            dedupe_key=f"digest:{user.public_id}:{digest_week(now)}",
        )
        if digest is None:
            return None  # this week's digest went out already: these wait for the next
        OutboundEmail.objects.filter(pk__in=[e.pk for e in held]).update(
            status=EmailStatus.DIGESTED, digest=digest
        )
    return digest


def digests_send(*, now: datetime) -> int:
    """Queue the digest of everyone with held messages; returns how many were queued."""
    user_ids = (
        OutboundEmail.objects.filter(
            status=EmailStatus.HELD, recipient__isnull=False, created_at__lte=now
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids), is_active=True):
        if digest_send_one(user=user, now=now) is not None:
            sent += 1
    return sent
