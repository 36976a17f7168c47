from django.urls import path

from . import views

app_name = "teams"

T = "teams/<uuid:team_id>"

urlpatterns = [
    path(f"{T}/", views.team_detail, name="detail"),
    path(f"{T}/members/", views.team_members_page, name="members"),
    path(f"{T}/members/<uuid:membership_id>/role/", views.member_role, name="member_role"),
    path(f"{T}/members/<uuid:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(f"{T}/leave/", views.team_leave, name="leave"),
    path(
        f"{T}/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        f"{T}/invitations/<uuid:invitation_id>/resend/",
        views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(f"{T}/progress/", views.team_progress, name="progress"),
    path("invitations/<str:token>/", views.invitation_accept_page, name="invitation_accept"),
    path("coach/", views.coach_home, name="coach_home"),
]
