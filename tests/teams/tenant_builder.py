"""The teams app's objects the shared tenant lacks, for the isolation guard: an open
invitation to the program's staff (its e-mail address carries `marker`)."""

import hashlib
from datetime import timedelta

from django.utils import timezone

from accounts.models import ProgramRole
from teams.models import ProgramInvitation


def build(tenant, marker: str) -> dict:
    label = tenant.program.slug
    invitation = ProgramInvitation.objects.create(
        program=tenant.program,
        email=f"new.coach{'.' + marker if marker else ''}@{label}.example",
        role=ProgramRole.COACH,
        token_hash=hashlib.sha256(f"{label}-program-token".encode()).hexdigest(),
        invited_by=tenant.staff,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return {"program_invitation_id": invitation.public_id}
