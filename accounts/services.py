"""Writes about people and programs: one transaction each, audited."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from core.audit import audit_record

from .models import Program, ProgramMembership, User
from .selectors import forget_roles


@transaction.atomic
def api_token_rotate(*, user: User) -> str:
    """Replace the user's API token with a new one and return its key."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, verb="api_token.created", target=user, program=None)
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, verb="api_token.revoked", target=user, program=None)


@transaction.atomic
def program_membership_grant(
    *, program: Program, user: User, role: str, actor: User | None = None
) -> ProgramMembership:
    """Give `user` a role in `program` (idempotent: re-activates a revoked role)."""
    membership, created = ProgramMembership.objects.get_or_create(
        program=program, user=user, role=role, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        created = True
    if created:
        audit_record(
            actor=actor, verb="program_membership.granted", target=membership, data={"role": role}
        )
    forget_roles(user)
    return membership
