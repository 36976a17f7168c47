"""What the team members' page and the program people page share about invitations:
following one up (send again, withdraw) and saying what happened."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone

from core.forms import apply_validation_error


def error_text(error: ValidationError) -> str:
    """A service's refusal as one sentence for a message."""
    return " ".join(error.messages)


def with_follow_up_urls(invitations: Iterable, url_prefix: str, **url_kwargs) -> list:
    """The invitations, each with `resend_url` and `revoke_url` for the shared table.

    `url_prefix` is e.g. "teams:invitation": the routes are its "_resend" and
    "_revoke", and the invitation's id goes in "<name after the colon>_id".
    """
    id_kwarg = url_prefix.rpartition(":")[2] + "_id"
    invitations = list(invitations)
    for invitation in invitations:
        kwargs = {**url_kwargs, id_kwarg: invitation.public_id}
        invitation.resend_url = reverse(f"{url_prefix}_resend", kwargs=kwargs)
        invitation.revoke_url = reverse(f"{url_prefix}_revoke", kwargs=kwargs)
    return invitations


def invite_and_tell(request: HttpRequest, form, create: Callable, **scope) -> bool:
    """Send the invitation the valid `form` describes with the kind's `create` service
    (`scope` says where to: team=... or program=...); True when it was sent, else the
    refusal is shown on the form."""
    try:
        invitation, _token = create(
            **scope,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(
        request, f"Invitation sent to {invitation.email} as {invitation.get_role_display()}."
    )
    return True


def revoke_and_tell(request: HttpRequest, invitation, revoke: Callable) -> None:
    """Withdraw the invitation with the kind's service, and say what happened."""
    try:
        revoke(invitation=invitation, revoked_by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"The invitation to {invitation.email} was withdrawn; its link no longer works.",
        )


def resend_and_tell(request: HttpRequest, invitation, resend: Callable) -> None:
    """Send the invitation again with the kind's service, and say until when it works."""
    try:
        invitation, _token = resend(invitation=invitation, sent_by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        until = dateformat.format(timezone.localtime(invitation.expires_at), "j F Y")
        messages.success(
            request,
            f"The invitation to {invitation.email} was sent again with a new link "
            f"(valid until {until}). The old link no longer works.",
        )
