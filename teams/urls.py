from django.urls import path

from .views import enrolment, members, people, progress, team

app_name = "teams"

T = "teams/<uuid:team_id>"
C = "collaboratives/<uuid:collaborative_id>"
P = "programs/<uuid:program_id>"

urlpatterns = [
    path(f"{T}/", team.team_detail, name="detail"),
    path(f"{T}/members/", members.team_members_page, name="members"),
    path(f"{T}/members/<uuid:membership_id>/role/", members.member_role, name="member_role"),
    path(f"{T}/members/<uuid:membership_id>/remove/", members.member_remove, name="member_remove"),
    path(f"{T}/leave/", members.team_leave, name="leave"),
    path(
        f"{T}/invitations/<uuid:invitation_id>/revoke/",
        members.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        f"{T}/invitations/<uuid:invitation_id>/resend/",
        members.invitation_resend_view,
        name="invitation_resend",
    ),
    path(f"{T}/progress/", progress.team_progress, name="progress"),
    path("invitations/<str:token>/", members.invitation_accept_page, name="invitation_accept"),
    # A program's staff and coaches (its staff manage them).
    path(f"{P}/people/", people.program_people_page, name="people"),
    path(f"{P}/people/<uuid:user_id>/role/", people.program_role_view, name="people_role"),
    path(
        f"{P}/people/<uuid:user_id>/remove/",
        people.program_role_remove_view,
        name="people_remove",
    ),
    path(
        f"{P}/invitations/<uuid:program_invitation_id>/revoke/",
        people.program_invitation_follow_up,
        {"action": "revoke"},
        name="program_invitation_revoke",
    ),
    path(
        f"{P}/invitations/<uuid:program_invitation_id>/resend/",
        people.program_invitation_follow_up,
        {"action": "resend"},
        name="program_invitation_resend",
    ),
    # Enrolment: teams apply on a collaborative's public page; its staff decide.
    path("join/<uuid:collaborative_id>/register/", enrolment.team_register, name="register"),
    path(f"{C}/enrolment/", enrolment.enrolment_review, name="enrolment"),
    path(
        f"{C}/teams/<uuid:team_id>/approve/",
        enrolment.enrolment_decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        f"{C}/teams/<uuid:team_id>/decline/",
        enrolment.enrolment_decide,
        {"decision": "decline"},
        name="decline",
    ),
    path(
        f"{C}/teams/<uuid:team_id>/withdraw/",
        enrolment.enrolment_decide,
        {"decision": "withdraw"},
        name="withdraw",
    ),
    path(f"{C}/teams/<uuid:team_id>/coaches/", enrolment.team_coaches, name="coaches"),
    path(f"{C}/roster/", enrolment.roster, name="roster"),
]
