"""The participant's pages: "My credit" (standing, claim form, certificates) and the
download of one's own certificate PDF.

Everything reads through certificates.eligibility.offers_for (the offers a person may
see and earn) and the person's own certificates: another person's certificate code,
or an offer of a collaborative the person is not part of, answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.http import get_or_404

from .eligibility import offer_for, standings_for
from .learner_ids import fields_for
from .lookups import transcript_certificates
from .models import Certificate, CertificateStatus
from .services.claims import claim_credit


def _grouped(rows: list[dict]) -> list[tuple[object, list[dict]]]:
    """The page's rows ({"s": Standing, "error", "typed"}) by collaborative, in order."""
    groups: list[tuple[object, list[dict]]] = []
    for row in rows:
        collaborative = row["s"].offer.collaborative
        if groups and groups[-1][0].pk == collaborative.pk:
            groups[-1][1].append(row)
        else:
            groups.append((collaborative, [row]))
    return groups


def _page(
    request: HttpRequest,
    *,
    errors: dict | None = None,
    values: dict | None = None,
    learner: dict | None = None,
):
    standings = standings_for(user=request.user)
    errors, values, learner = errors or {}, values or {}, learner or {}
    rows = [
        {
            "s": standing,
            "error": errors.get(standing.offer.public_id),
            "typed": values.get(standing.offer.public_id),
            "asks": fields_for(standing.offer.credit_type),
            "learner": learner.get(standing.offer.public_id, {}),
        }
        for standing in standings
    ]
    return render(
        request,
        "certificates/my_credit.html",
        {
            "groups": _grouped(rows),
            "has_certificates": transcript_certificates(user=request.user).exists(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def my_credit(request: HttpRequest) -> HttpResponse:
    """Per collaborative and offer: what each activity earned, what is missing and why,
    the claim form, the certificate's state and the history."""
    return _page(request)


@login_required
@require_POST
def claim(request: HttpRequest, offer_id) -> HttpResponse:
    """Claim credit on an offer (the form on My credit); on a refusal the page is shown
    again with the message next to the amount typed."""
    offer = get_or_404(offer_for, user=request.user, offer_id=offer_id)
    raw = request.POST.get("amount", "")
    learner = {name: request.POST.get(name, "")[:40] for name in fields_for(offer.credit_type)}
    try:
        made = claim_credit(user=request.user, offer=offer, amount=raw, learner=learner)
    except ValidationError as error:
        text = " ".join(error.messages)
        return _page(
            request,
            errors={offer.public_id: text},
            values={offer.public_id: raw[:20]},
            learner={offer.public_id: learner},
        )
    messages.success(
        request,
        f"You claimed {made.amount.normalize():f} {offer.unit}."
        + (
            " Your certificate is being prepared."
            if offer.issue_mode == "on_claim"
            else " Program staff will issue your certificate."
        ),
    )
    return redirect(reverse("certificates:my_credit") + f"#offer-{offer.public_id}")


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_code: str) -> FileResponse:
    """One's own current, issued certificate as a PDF attachment, from storage; 404 for
    anyone else's code, a revoked or superseded certificate, or one still rendering."""
    certificate = (
        Certificate.objects.filter(
            user=request.user,
            code=certificate_code,
            status=CertificateStatus.ISSUED,
            revoked_at__isnull=True,
            is_current=True,
        )
        .exclude(pdf="")
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    try:
        handle = certificate.pdf.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such certificate.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response
