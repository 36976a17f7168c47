"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path

from . import (
    public_views,
    staff_views,
    views_attestation,
    views_bulk,
    views_credit,
    views_participant,
    views_reports,
)

app_name = "certificates"

C = "collaboratives/<uuid:collaborative_id>/credit"
P = "programs/<uuid:program_id>/certificate-template"
CERT = f"{C}/certificates/<str:certificate_code>"

urlpatterns: list = [
    path("credit/", views_participant.my_credit, name="my_credit"),
    path("credit/offers/<uuid:offer_id>/claim", views_participant.claim, name="claim"),
    path(
        "credit/certificates/<str:certificate_code>/pdf",
        views_participant.certificate_pdf,
        name="certificate_pdf",
    ),
    # Staff's credit configuration and the MOC Part 4 attestation workflow.
    path(f"{C}/", views_credit.collaborative_credit, name="collaborative_credit"),
    path(f"{C}/offers/new/", views_credit.offer_create_view, name="offer_create"),
    path(f"{C}/offers/<uuid:offer_id>/", views_credit.offer_edit_view, name="offer_edit"),
    path(
        f"{C}/offers/<uuid:offer_id>/publish/",
        views_credit.offer_publish_view,
        name="offer_publish",
    ),
    path(
        f"{C}/attestations/<uuid:attestation_id>/decide/",
        views_credit.attestation_decide_view,
        name="attestation_decide",
    ),
    path(
        "credit/offers/<uuid:offer_id>/attestation/",
        views_attestation.attestation_form_view,
        name="attestation_form",
    ),
    path(
        "credit/attestations/<uuid:attestation_id>/",
        views_attestation.attestation_view,
        name="attestation",
    ),
    path(
        "credit/attestations/<uuid:attestation_id>/cosign/",
        views_attestation.attestation_cosign_view,
        name="attestation_cosign",
    ),
    path(
        "credit/attestations/<uuid:attestation_id>/return/",
        views_attestation.attestation_return_view,
        name="attestation_return",
    ),
    # Bulk issue (program staff).
    path(f"{C}/bulk/", views_bulk.bulk_start, name="bulk_start"),
    path(f"{C}/bulk/<uuid:bulk_id>/", views_bulk.bulk_progress, name="bulk_progress"),
    path(
        f"{C}/bulk/<uuid:bulk_id>/progress.json",
        views_bulk.bulk_progress_json,
        name="bulk_progress_json",
    ),
    path(f"{C}/bulk/<uuid:bulk_id>/resume/", views_bulk.bulk_resume, name="bulk_resume"),
    # Reports for the accreditors (program staff).
    path(f"{C}/reports/", views_reports.reports_page, name="credit_reports"),
    path(f"{C}/reports/credit.csv", views_reports.credit_csv, name="credit_report_csv"),
    path(f"{C}/reports/credit.xlsx", views_reports.credit_xlsx, name="credit_report_xlsx"),
    path(f"{C}/reports/pars-cme.txt", views_reports.pars_cme, name="credit_report_pars_cme"),
    path(f"{C}/reports/pars-moc.txt", views_reports.pars_moc, name="credit_report_pars_moc"),
    path(f"{C}/reports/capce.csv", views_reports.capce, name="credit_report_capce"),
    # Public verification (no login) and the participant's transcript.
    path("verify/", public_views.verify_form, name="verify"),
    path("verify/<str:verify_code>/", public_views.verify_code, name="verify_code"),
    path("credit/transcript.pdf", public_views.transcript_pdf, name="transcript"),
    # The program's certificate design (staff).
    path(f"{P}/", staff_views.template_editor, name="template_editor"),
    path(f"{P}/preview.pdf", staff_views.template_preview, name="template_preview"),
    path(f"{P}/publish/", staff_views.template_publish, name="template_publish"),
    # One certificate (staff): history, PDF, revoke, re-issue after a correction.
    path(f"{CERT}/", staff_views.certificate_detail, name="certificate_detail"),
    path(f"{CERT}/pdf", staff_views.certificate_pdf_staff, name="certificate_pdf_staff"),
    path(f"{CERT}/revoke/", staff_views.certificate_revoke, name="certificate_revoke"),
    path(f"{CERT}/reissue/", staff_views.certificate_reissue, name="certificate_reissue"),
]
