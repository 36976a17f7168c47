"""Writes about people and programs: one transaction each, audited."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from core.audit import audit_record

from .models import User


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
