"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path  # noqa: F401  (each part of the workflow adds its routes)

app_name = "certificates"

C = "collaboratives/<uuid:collaborative_id>/credit"

urlpatterns: list = []

# Bulk issue (program staff)
from . import views_bulk  # noqa: E402

urlpatterns += [
    path(f"{C}/bulk/", views_bulk.bulk_start, name="bulk_start"),
    path(f"{C}/bulk/<uuid:bulk_id>/", views_bulk.bulk_progress, name="bulk_progress"),
    path(
        f"{C}/bulk/<uuid:bulk_id>/progress.json",
        views_bulk.bulk_progress_json,
        name="bulk_progress_json",
    ),
    path(f"{C}/bulk/<uuid:bulk_id>/resume/", views_bulk.bulk_resume, name="bulk_resume"),
]

# Reports for the accreditors (program staff)
from . import views_reports  # noqa: E402

urlpatterns += [
    path(f"{C}/reports/", views_reports.reports_page, name="credit_reports"),
    path(f"{C}/reports/credit.csv", views_reports.credit_csv, name="credit_report_csv"),
    path(f"{C}/reports/credit.xlsx", views_reports.credit_xlsx, name="credit_report_xlsx"),
    path(f"{C}/reports/pars-cme.txt", views_reports.pars_cme, name="credit_report_pars_cme"),
    path(f"{C}/reports/pars-moc.txt", views_reports.pars_moc, name="credit_report_pars_moc"),
    path(f"{C}/reports/capce.csv", views_reports.capce, name="credit_report_capce"),
]
