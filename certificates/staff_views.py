"""Staff's pages of this part: the program's certificate template (draft editor,
preview, publish) and a certificate's detail with revoke and re-issue.

Thin: the services write (services/design.py, services/revocation.py), the selectors
read; what staff of another program ask for is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import program_run_by_or_404
from core.http import declared_body_too_large

from .lookups import certificate_history, certificate_run_by_or_404
from .rendering import credit_line, render_preview_pdf, verify_url
from .services import design, revocation
from .staff_forms import ReissueForm, RevokeForm, TemplateDesignForm


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def template_editor(request: HttpRequest, program_id) -> HttpResponse:
    """The published version and the draft's form; POST saves the draft."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    published = design.published_version(program)
    draft = design.draft_version(program)
    shown = draft or published
    form = TemplateDesignForm(instance=shown) if shown else TemplateDesignForm()
    too_large = ""
    if request.method == "POST":
        if declared_body_too_large(request, 2 * design.MAX_IMAGE_BYTES):
            too_large = "The upload is too large: each image can be at most 1 MB. Nothing saved."
        else:
            form = TemplateDesignForm(request.POST, request.FILES, instance=None)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    design.save_draft(
                        program=program,
                        actor=request.user,
                        change=design.DesignChange(
                            values={field: data[field] for field in design.DESIGN_FIELDS},
                            logo=data["logo_upload"],
                            signature=data["signature_upload"],
                            remove_logo=data["remove_logo"],
                            remove_signature=data["remove_signature"],
                        ),
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, "Draft saved. Preview it, then publish it.")
                    return redirect("certificates:template_editor", program_id=program.public_id)
    return render(
        request,
        "certificates/template_editor.html",
        {
            "program": program,
            "published": published,
            "draft": draft,
            "form": form,
            "too_large": too_large,
        },
        status=400 if request.method == "POST" else 200,
    )


def _add_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field when it names fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, " ".join(exc.messages))


@login_required
@require_GET
def template_preview(request: HttpRequest, program_id) -> HttpResponse:
    """The draft (or, without one, the published version) as a PDF with sample data:
    one page per credit type."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    version = design.draft_version(program) or design.published_version(program)
    if version is None:
        messages.error(request, "Save a draft first: there is nothing to preview.")
        return redirect("certificates:template_editor", program_id=program.public_id)
    return _pdf(render_preview_pdf(version, program.name), f"preview-v{version.version}.pdf")


@login_required
@require_POST
def template_publish(request: HttpRequest, program_id) -> HttpResponse:
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    try:
        version = design.publish_draft(program=program, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Version {version.version} is published: new certificates use it."
        )
    return redirect("certificates:template_editor", program_id=program.public_id)


def _detail_context(certificate) -> dict:
    return {
        "certificate": certificate,
        "collaborative": certificate.offer.collaborative,
        "program": certificate.offer.collaborative.program,
        "credit_line": credit_line(certificate.credit_type, certificate.amount),
        "history": certificate_history(certificate),
        "verify_url": verify_url(certificate.code),
        "can_change": certificate.is_current and not certificate.is_revoked,
    }


@login_required
@require_GET
def certificate_detail(request: HttpRequest, collaborative_id, certificate_code) -> HttpResponse:
    certificate = certificate_run_by_or_404(
        user=request.user, collaborative_id=collaborative_id, code=certificate_code
    )
    return render(request, "certificates/certificate_detail.html", _detail_context(certificate))


@login_required
@require_GET
def certificate_pdf_staff(request: HttpRequest, collaborative_id, certificate_code) -> HttpResponse:
    """The stored PDF, for staff checking what was sent."""
    certificate = certificate_run_by_or_404(
        user=request.user, collaborative_id=collaborative_id, code=certificate_code
    )
    if not certificate.pdf:
        messages.error(request, "This certificate's PDF is not ready yet.")
        return redirect(_detail_url(certificate))
    with certificate.pdf.open("rb") as handle:
        return _pdf(handle.read(), f"certificate-{certificate.code}.pdf")


def _detail_url(certificate) -> str:
    return reverse(
        "certificates:certificate_detail",
        kwargs={
            "collaborative_id": certificate.offer.collaborative.public_id,
            "certificate_code": certificate.code,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, collaborative_id, certificate_code) -> HttpResponse:
    """GET: the confirmation step (a reason is asked); POST: revoke."""
    certificate = certificate_run_by_or_404(
        user=request.user, collaborative_id=collaborative_id, code=certificate_code
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revocation.revoke_certificate(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"Certificate {certificate.code} is revoked.")
            return redirect(_detail_url(certificate))
    return render(
        request,
        "certificates/certificate_revoke.html",
        {**_detail_context(certificate), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_reissue(request: HttpRequest, collaborative_id, certificate_code) -> HttpResponse:
    """GET: the correction form (today's printed facts filled in); POST: re-issue."""
    certificate = certificate_run_by_or_404(
        user=request.user, collaborative_id=collaborative_id, code=certificate_code
    )
    initial = {
        "recipient_name": certificate.recipient_name,
        "amount": certificate.amount,
        "completion_date": certificate.completion_date,
    }
    form = ReissueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = revocation.reissue_certificate(
                certificate=certificate,
                actor=request.user,
                correction=revocation.Correction(**form.cleaned_data),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Certificate {new.code} replaces {certificate.code}; its PDF is being "
                "prepared and the participant will be e-mailed.",
            )
            return redirect(_detail_url(new))
    return render(
        request,
        "certificates/certificate_reissue.html",
        {**_detail_context(certificate), "form": form},
        status=400 if request.method == "POST" else 200,
    )
