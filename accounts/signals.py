"""Keep API tokens within the staff MFA rule when roles or authenticators change.

Tokens are not issued to staff without an authenticator (accounts.services); these
receivers revoke one already issued when its holder becomes program staff without an
authenticator, or removes their last one, however that happens (the People page, the
admin, allauth's MFA pages).
"""

from allauth.mfa.models import Authenticator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import STAFF_ROLES, ProgramMembership
from .selectors import forget_program_roles
from .services import api_token_revoke_if_mfa_missing


@receiver(post_save, sender=ProgramMembership, dispatch_uid="accounts_token_on_staff_role")
def _revoke_on_staff_role(sender, instance: ProgramMembership, **kwargs) -> None:
    if instance.is_active and instance.role in STAFF_ROLES:
        user = instance.user
        # Read the roles afresh, and leave no cached copy on the caller's user object.
        forget_program_roles(user)
        api_token_revoke_if_mfa_missing(user=user, reason="became program staff")
        forget_program_roles(user)


@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts_token_on_mfa_removed")
def _revoke_on_authenticator_removed(sender, instance: Authenticator, **kwargs) -> None:
    api_token_revoke_if_mfa_missing(user=instance.user, reason="authenticator removed")
