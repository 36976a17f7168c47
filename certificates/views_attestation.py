"""The MOC Part 4 attestation: the participant's form (and its state), and the page the
team lead opens from the e-mail to co-sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import is_program_staff
from core.forms import apply_validation_error

from .access import (
    attestable_offer_or_404,
    attestation_or_404,
    is_active_lead,
    other_leads,
)
from .forms_attestation import AttestationForm
from .models import AttestationStatus, MocAttestation, MocRole
from .services.attestations import (
    EDITABLE,
    RETURN_REASON_MAX,
    attestation_cosign,
    attestation_return,
    attestation_save,
)


def _role_labels(attestation: MocAttestation | None) -> list[str]:
    labels = dict(MocRole.choices)
    return [labels[role] for role in (attestation.roles if attestation else []) if role in labels]


@login_required
@require_http_methods(["GET", "POST"])
def attestation_form_view(request: HttpRequest, offer_id) -> HttpResponse:
    offer, team = attestable_offer_or_404(user=request.user, offer_id=offer_id)
    attestation = MocAttestation.objects.filter(offer=offer, user=request.user).first()
    editable = attestation is None or attestation.status in EDITABLE
    form = AttestationForm(
        request.POST if request.method == "POST" and editable else None,
        instance=attestation,
        offer=offer,
    )
    if request.method == "POST" and editable and form.is_valid():
        attest = request.POST.get("action") == "attest"
        try:
            attestation = attestation_save(
                user=request.user, offer=offer, team=team, values=form.values(), attest=attest
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if attest:
                leads = list(other_leads(attestation=attestation))
                if leads:
                    names = ", ".join(lead.display_name for lead in leads)
                    messages.success(
                        request, f"Attested. Your team lead ({names}) was asked to co-sign."
                    )
                else:
                    messages.success(
                        request,
                        "Attested. You are your team's only lead, so program staff co-sign "
                        "in the lead's place.",
                    )
            else:
                messages.success(request, "Your draft is saved; attest when it is complete.")
            return redirect(request.path)
    if request.method == "POST" and not editable:
        messages.error(request, "Your attestation can no longer be changed.")
    return render(
        request,
        "certificates/attestation_form.html",
        {
            "offer": offer,
            "team": team,
            "form": form,
            "attestation": attestation,
            "editable": editable,
            "statuses": AttestationStatus,
            "role_labels": _role_labels(attestation),
        },
    )


@login_required
def attestation_view(request: HttpRequest, attestation_id) -> HttpResponse:
    attestation = attestation_or_404(user=request.user, attestation_id=attestation_id)
    may_cosign = (
        attestation.status == AttestationStatus.ATTESTED
        and attestation.user_id != request.user.pk
        and is_active_lead(user=request.user, team_id=attestation.team_id)
    )
    return render(
        request,
        "certificates/attestation_detail.html",
        {
            "attestation": attestation,
            "may_cosign": may_cosign,
            "is_staff": is_program_staff(user=request.user, program=attestation.program),
            "statuses": AttestationStatus,
            "role_labels": _role_labels(attestation),
            "reason_max": RETURN_REASON_MAX,
        },
    )


@login_required
@require_POST
def attestation_cosign_view(request: HttpRequest, attestation_id) -> HttpResponse:
    attestation = attestation_or_404(user=request.user, attestation_id=attestation_id)
    try:
        attestation_cosign(actor=request.user, attestation=attestation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"You co-signed {attestation.user.display_name}'s attestation; program staff "
            "approve it next.",
        )
    return redirect("certificates:attestation", attestation_id=attestation.public_id)


@login_required
@require_POST
def attestation_return_view(request: HttpRequest, attestation_id) -> HttpResponse:
    """The team lead sends the attestation back instead of co-signing, with a reason."""
    attestation = attestation_or_404(user=request.user, attestation_id=attestation_id)
    try:
        attestation_return(
            actor=request.user, attestation=attestation, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"You returned the attestation to {attestation.user.display_name} with your reason.",
        )
    return redirect("certificates:attestation", attestation_id=attestation.public_id)
