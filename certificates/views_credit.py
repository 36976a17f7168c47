"""Staff's credit pages of a collaborative: the offers with their counts, the offer
form, publishing, the attestations waiting for staff, and the claims and certificates
(paged). Program staff of the collaborative's program only; everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_validation_error
from learning_sessions.public import credit_offered_by_events

from .access import (
    attestations_waiting,
    claims_page,
    collaborative_credit_or_404,
    offer_of_or_404,
    offers_of,
)
from .forms_attestation import ReturnForm
from .forms_offer import RECOMMENDED, CreditOfferForm
from .models import CreditBasis, MocAttestation
from .services import attestations as attestation_services
from .services.offers import audited_values, offer_create, offer_set_published, offer_update


def _credit_url(collaborative) -> str:
    return reverse(
        "certificates:collaborative_credit", kwargs={"collaborative_id": collaborative.public_id}
    )


@login_required
def collaborative_credit(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = collaborative_credit_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    waiting = list(attestations_waiting(collaborative=collaborative))
    for attestation in waiting:
        attestation.staff_may_cosign = attestation_services.staff_may_cosign(attestation)
    page, rows = claims_page(collaborative=collaborative, page_number=request.GET.get("page"))
    return render(
        request,
        "certificates/collaborative_credit.html",
        {
            "collaborative": collaborative,
            "offers": offers_of(collaborative=collaborative),
            "waiting": waiting,
            "return_form": ReturnForm(),
            "page": page,
            "rows": rows,
        },
    )


def _warn_above_events(request: HttpRequest, offer) -> None:
    """Per-event credit adds up from the events: say so when the maximum is above it."""
    if offer.basis != CreditBasis.PER_EVENT:
        return
    offered = credit_offered_by_events(
        collaborative_id=offer.collaborative_id, credit_type=offer.credit_type
    )
    if offer.max_amount > offered:
        messages.warning(
            request,
            f"The events offer {offered.normalize():f} {offer.unit} of this credit in all; "
            f"nobody can earn the maximum of {offer.max_amount.normalize():f} until events "
            "offer more.",
        )


def _form_page(request, collaborative, form, offer=None) -> HttpResponse:
    return render(
        request,
        "certificates/offer_form.html",
        {
            "collaborative": collaborative,
            "form": form,
            "offer": offer,
            "recommended": [
                (label, RECOMMENDED.get(value, ("", "")))
                for value, label in form.fields["credit_type"].choices
                if value
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create_view(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = collaborative_credit_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    form = CreditOfferForm(request.POST or None, collaborative=collaborative)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_create(
                actor=request.user, collaborative=collaborative, offer=form.save(commit=False)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The offer was saved as a draft: publish it when ready.")
            _warn_above_events(request, offer)
            return redirect(_credit_url(collaborative))
    return _form_page(request, collaborative, form)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit_view(request: HttpRequest, collaborative_id, offer_id) -> HttpResponse:
    collaborative = collaborative_credit_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    offer = offer_of_or_404(collaborative=collaborative, offer_id=offer_id)
    before = audited_values(offer)
    form = CreditOfferForm(request.POST or None, instance=offer, collaborative=collaborative)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_update(actor=request.user, offer=form.save(commit=False), before=before)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "The offer was saved.")
            _warn_above_events(request, offer)
            return redirect(_credit_url(collaborative))
    return _form_page(request, collaborative, form, offer)


@login_required
@require_POST
def offer_publish_view(request: HttpRequest, collaborative_id, offer_id) -> HttpResponse:
    collaborative = collaborative_credit_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    offer = offer_of_or_404(collaborative=collaborative, offer_id=offer_id)
    published = request.POST.get("published") == "1"
    try:
        offer_set_published(actor=request.user, offer=offer, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if published:
            messages.success(request, f"{offer.get_credit_type_display()} is published.")
        else:
            messages.success(
                request,
                f"{offer.get_credit_type_display()} is unpublished: claims already made and "
                "their certificates stay valid; nobody else can claim until you publish it again.",
            )
    return redirect(_credit_url(collaborative))


def _staff_attestation(request, collaborative_id, attestation_id):
    collaborative = collaborative_credit_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    try:
        attestation = MocAttestation.objects.get(
            public_id=attestation_id, offer__collaborative=collaborative
        )
    except (MocAttestation.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such attestation.") from None
    return collaborative, attestation


@login_required
@require_POST
def attestation_decide_view(request: HttpRequest, collaborative_id, attestation_id) -> HttpResponse:
    """Staff's approve, return (with a reason) or co-sign in the lead's place."""
    collaborative, attestation = _staff_attestation(request, collaborative_id, attestation_id)
    decision = request.POST.get("decision")
    name = attestation.user.display_name
    try:
        if decision == "approve":
            attestation_services.attestation_approve(actor=request.user, attestation=attestation)
            messages.success(request, f"{name}'s attestation is approved; they were e-mailed.")
        elif decision == "return":
            attestation_services.attestation_return(
                actor=request.user, attestation=attestation, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"{name}'s attestation was returned; they were e-mailed.")
        elif decision == "cosign":
            attestation_services.attestation_cosign(actor=request.user, attestation=attestation)
            messages.success(request, f"You co-signed {name}'s attestation in the lead's place.")
        else:
            messages.error(request, "Choose approve, return or co-sign.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_credit_url(collaborative) + "#attestations")
