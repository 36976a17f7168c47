from django.urls import path

from . import views

app_name = "accounts"

P = "programs/<uuid:program_id>"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/notifications/", views.notification_settings, name="notifications"),
    path("me/api-token/", views.api_token, name="api_token"),
    # A program's audit log, for its staff; the exports take the same filters.
    path(f"{P}/audit/", views.audit_log, name="audit_log"),
    path(f"{P}/audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
    path(f"{P}/audit/export.xlsx", views.audit_log_xlsx, name="audit_log_xlsx"),
    # The program's outbox: what was e-mailed, what failed, sending a failed one again.
    path(f"{P}/outbox/", views.outbox, name="outbox"),
    path(f"{P}/outbox/<uuid:email_id>/retry/", views.outbox_retry, name="outbox_retry"),
]
