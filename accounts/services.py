"""Writes about people and programs: one transaction each, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from core.audit import audit_record

from .models import User
from .selectors import must_set_up_mfa

MFA_FIRST_MESSAGE = "Set up two-factor authentication first: program staff need it to use the API."


@transaction.atomic
def api_token_rotate(*, user: User) -> str:
    """Replace the user's API token with a new one and return its key.

    Refused to staff without an authenticator: the API would refuse the token anyway
    (accounts.api.permissions), and a token issued now would outlive the rule."""
    if must_set_up_mfa(user=user):
        raise ValidationError(MFA_FIRST_MESSAGE, code="mfa_required")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, verb="api_token.created", target=user, program=None)
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, verb="api_token.revoked", target=user, program=None)


def api_token_revoke_if_mfa_missing(*, user: User, reason: str) -> bool:
    """Delete the user's API token when they now must set up MFA (they became staff,
    or removed their authenticator): a token that could not be issued to them today
    must not keep working. Returns whether a token was revoked."""
    if not must_set_up_mfa(user=user):
        return False
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=None,
            verb="api_token.revoked",
            target=user,
            program=None,
            data={"reason": reason},
        )
    return bool(deleted)
