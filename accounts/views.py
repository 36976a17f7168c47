"""The signed-in person's own pages: profile and API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from .forms import ProfileForm
from .services import api_token_revoke, api_token_rotate


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def api_token(request: HttpRequest) -> HttpResponse:
    """Create or replace (action=rotate) or delete (action=revoke) the API token.

    Tokens are issued here, behind the login (and MFA for staff), not by a
    password-only API endpoint that would bypass the second factor.
    """
    if request.POST.get("action") == "revoke":
        api_token_revoke(user=request.user)
        messages.success(request, "Your API token was revoked.")
        return redirect("accounts:profile")
    try:
        token = api_token_rotate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:profile")
    messages.success(request, "A new API token was created. Copy it now: it is shown only once.")
    response = render(request, "accounts/api_token_created.html", {"token": token})
    # The secret is shown once: no browser or proxy may keep a copy of the page.
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response
