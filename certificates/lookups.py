"""Scoped reads of issued certificates for the pages of this part: staff's certificate
detail, and a person's own certificates for the transcript.

What a user may not see is a 404, like what does not exist (ARCHITECTURE.md).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import staff_program_ids

from .models import Certificate


def certificate_run_by_or_404(*, user: User, collaborative_id, code: str) -> Certificate:
    """The certificate `code` of the collaborative if `user` is staff of its program."""
    certificate = (
        Certificate.objects.select_related(
            "offer__collaborative__program", "user", "revoked_by", "issued_by", "template"
        )
        .filter(
            code=code,
            offer__collaborative__public_id=collaborative_id,
            program_id__in=staff_program_ids(user=user),
        )
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


def certificate_history(certificate: Certificate) -> list[Certificate]:
    """Every certificate of the same person and offer, newest first (the replaces
    chain, with revoked ones)."""
    return list(
        Certificate.objects.filter(
            offer_id=certificate.offer_id, user_id=certificate.user_id
        ).order_by("-issued_at", "-id")
    )


def transcript_certificates(*, user: User) -> QuerySet[Certificate]:
    """The person's own current, unrevoked certificates, oldest completion first."""
    return (
        Certificate.objects.filter(user=user, is_current=True, revoked_at__isnull=True)
        .select_related("offer")
        .order_by("completion_date", "id")
    )
