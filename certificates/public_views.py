"""Pages of this part a participant or the public reads: /verify/ (no login) and a
person's transcript PDF."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from core.public import public_view

from . import verification
from .lookups import transcript_certificates
from .rendering import credit_line, render_transcript_pdf


def _too_many(request: HttpRequest) -> HttpResponse | None:
    client = get_adapter(request).get_client_ip(request)
    if verification.lookup_allowed(client):
        return None
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = str(verification.LOOKUP_WINDOW_SECONDS)
    return response


@public_view
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """A form to type a code; with ?code=, the answer's page (its own address)."""
    typed = request.GET.get("code", "")
    if typed.strip():
        code = verification.normalise_code(typed)
        if code != verification.NO_SUCH_CODE:
            return redirect("certificates:verify_code", verify_code=code)
        return _verify(request, typed.strip()[:40])
    return render(request, "certificates/verify.html", {"typed": ""})


@public_view
@require_GET
def verify_code(request: HttpRequest, verify_code: str) -> HttpResponse:
    """Valid, revoked or replaced, with the printed minimum; 404 with the same page for
    a code that does not exist or cannot exist (verification.py says why)."""
    return _verify(request, verify_code)


def _verify(request: HttpRequest, verify_code: str) -> HttpResponse:
    limited = _too_many(request)
    if limited is not None:
        return limited
    result = verification.verify(verify_code)
    response = render(
        request,
        "certificates/verify.html",
        {"typed": verify_code[:40], "result": result, "looked_up": True},
        status=200 if result else 404,
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_GET
def transcript_pdf(request: HttpRequest) -> HttpResponse:
    """The signed-in person's current certificates, in one PDF table."""
    rows = [
        {
            "activity": certificate.activity_title,
            "provider": certificate.offer.provider_name,
            "credit": credit_line(certificate.credit_type, certificate.amount),
            "date": certificate.completion_date,
            "code": certificate.code,
        }
        for certificate in transcript_certificates(user=request.user)
    ]
    user = request.user
    body = render_transcript_pdf(person_name=user.full_name or user.email, rows=rows)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="credit-transcript.pdf"'
    patch_cache_control(response, no_store=True, private=True)
    return response
