"""Request middleware that needs to know people's program roles."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from .selectors import must_set_up_mfa

#: Paths a staff member without MFA can still reach: setting it up, leaving, assets.
#: Browsers post Content-Security-Policy reports on their own: never sent to set up MFA.
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/media/",
    "/healthz",
    "/favicon.ico",
    "/csp-report/",
)

#: allauth's pages that show a secret once: the TOTP secret and its QR code, the
#: recovery codes (shown, regenerated, downloaded). accounts.views.api_token marks
#: its own page, which shows a new API token.
SECRET_PAGES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)


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
        must = must_set_up_mfa(user=user)
        if not must and getattr(user, "is_authenticated", False):
            # The API's StaffHaveMFA need not ask again for this same person.
            request.mfa_checked_for = user.pk  # type: ignore[attr-defined]
        return must


class NoStoreSecretPagesMiddleware:
    """Cache-Control: no-store on allauth's pages that show a secret once.

    A browser's or a proxy's cache would keep the TOTP secret or the recovery codes
    on disk, where the next person at a shared tablet can open them. The views are
    allauth's, so the header is set here by URL name (SECRET_PAGES).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.url_name in SECRET_PAGES:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response
