"""The staff MFA rule for the API, whatever authenticated the request.

The middleware (accounts.middleware) sees only the session's user: a request carrying
an API token is authenticated later, by DRF. This permission runs after every
authentication class (token, session, any added later), so a staff member without an
authenticator can use no API route, however they signed in.
"""

from rest_framework.permissions import BasePermission

from ..selectors import must_set_up_mfa


class StaffHaveMFA(BasePermission):
    """Refuse program staff who have not set up two-factor authentication (403)."""

    message = "Set up two-factor authentication to use the API."
    code = "mfa_required"

    def has_permission(self, request, view) -> bool:
        return not must_set_up_mfa(user=request.user)
