"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path

from . import public_views, staff_views

app_name = "certificates"

C = "collaboratives/<uuid:collaborative_id>/credit"
P = "programs/<uuid:program_id>/certificate-template"
CERT = f"{C}/certificates/<str:certificate_code>"

urlpatterns: list = [
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
