"""Request middleware that needs to know people's program roles."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from .selectors import must_set_up_mfa

#: Paths a staff member without MFA can still reach: setting it up, leaving, assets.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz", "/favicon.ico")


class RequireMFAForStaffMiddleware:
    """Program staff and admins must enrol an authenticator before doing anything.

    Staff see every team's records of their program, so a stolen password must not
    be enough. Governed by settings.MFA_REQUIRED_FOR_STAFF (on unless DEBUG).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "mfa_required",
                            "message": "Set up two-factor authentication to use the API.",
                        }
                    },
                    status=403,
                )
            messages.warning(
                request,
                "Program staff must set up two-factor authentication before continuing.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or request.path.startswith(MFA_EXEMPT_PREFIXES):
            return False
        return must_set_up_mfa(user=user)
