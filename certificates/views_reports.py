"""Reports page (program staff): every certificate as CSV/XLSX, and the accreditors'
learner uploads with, next to each, who cannot be reported and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.audit import audit_record
from core.spreadsheets import csv_response, xlsx_response
from learning_sessions.public import CreditType

from . import reports
from .selectors_staff import staffed_collaborative_or_404


def _credit_type(request: HttpRequest) -> str | None:
    """The ?type= filter, or None for every type (anything unknown is ignored)."""
    value = request.GET.get("type") or ""
    return value if value in CreditType.values else None


@login_required
def reports_page(request: HttpRequest, collaborative_id) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    return render(
        request,
        "certificates/reports.html",
        {
            "collaborative": collaborative,
            "credit_types": CreditType.choices,
            "uploads": reports.uploads_of(collaborative=collaborative),
            "issued": reports.certificates_of(collaborative=collaborative).count(),
        },
    )


def _credit_download(request: HttpRequest, collaborative_id, fmt: str) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    credit_type = _credit_type(request)
    certificates = reports.certificates_of(collaborative=collaborative, credit_type=credit_type)
    rows = list(reports.credit_rows(certificates))
    audit_record(
        actor=request.user,
        verb="credit_report.downloaded",
        target=collaborative,
        data={"report": f"credit.{fmt}", "credit_type": credit_type or "all", "rows": len(rows)},
    )
    name = f"credit-{collaborative.public_id}{'-' + credit_type if credit_type else ''}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(
            filename=name, header=reports.CREDIT_HEADER, rows=rows, sheet_title="Credit"
        )
    return csv_response(filename=name, header=reports.CREDIT_HEADER, rows=rows)


@login_required
def credit_csv(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _credit_download(request, collaborative_id, "csv")


@login_required
def credit_xlsx(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _credit_download(request, collaborative_id, "xlsx")


def _upload(request: HttpRequest, collaborative_id, key: str) -> HttpResponse:
    collaborative = staffed_collaborative_or_404(
        user=request.user, collaborative_id=collaborative_id
    )
    upload = reports.UPLOADS[key](collaborative=collaborative)
    page = reverse(
        "certificates:credit_reports", kwargs={"collaborative_id": collaborative.public_id}
    )
    if upload.blocked:
        messages.error(request, upload.blocked)
        return redirect(page)
    if not upload.rows:
        messages.error(request, f"{upload.title}: nobody can be reported yet.")
        return redirect(page)
    audit_record(
        actor=request.user,
        verb="credit_report.downloaded",
        target=collaborative,
        data={
            "report": key,
            "rows": len(upload.rows),
            "not_reportable": len(upload.not_reportable),
        },
    )
    content_type = "text/plain" if upload.extension == "txt" else "text/csv"
    response = HttpResponse(upload.content(), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{key}-{collaborative.public_id}.{upload.extension}"'
    )
    return response


@login_required
def pars_cme(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _upload(request, collaborative_id, "pars-cme")


@login_required
def pars_moc(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _upload(request, collaborative_id, "pars-moc")


@login_required
def capce(request: HttpRequest, collaborative_id) -> HttpResponse:
    return _upload(request, collaborative_id, "capce")
