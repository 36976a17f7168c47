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
        user = request.user
        checked = getattr(getattr(request, "_request", None), "mfa_checked_for", None)
        if checked is not None and checked == getattr(user, "pk", None):
            # The middleware asked for this same person in this request (a session):
            # the answer cannot have changed since, and asking again costs a query.
            return True
        return not must_set_up_mfa(user=user)
