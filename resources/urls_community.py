"""Pages of the community part of resources: communities of practice and their board."""

from django.urls import path

from .community import views

C = "communities/<uuid:community_id>"
T = f"{C}/threads/<uuid:thread_id>"

urlpatterns: list = [
    path("communities/", views.community_list, name="communities"),
    path(f"{C}/", views.community, name="community"),
    path(f"{C}/join/", views.community_join, name="community_join"),
    path(f"{C}/invitation/", views.community_invitation, name="community_invitation"),
    path(f"{C}/members/", views.community_members, name="community_members"),
    path(
        f"{C}/members/<uuid:community_member_id>/",
        views.community_member_action,
        name="community_member_action",
    ),
    path(
        f"{C}/invitations/<uuid:community_invitation_id>/resend/",
        views.community_invitation_follow_up,
        {"action": "resend"},
        name="community_invitation_resend",
    ),
    path(
        f"{C}/invitations/<uuid:community_invitation_id>/withdraw/",
        views.community_invitation_follow_up,
        {"action": "withdraw"},
        name="community_invitation_withdraw",
    ),
    path(
        "communities/invitations/<str:token>/",
        views.community_invitation_accept,
        name="community_invitation_accept",
    ),
    path(f"{C}/threads/new/", views.thread_new, name="community_thread_new"),
    path(f"{T}/", views.thread_detail, name="community_thread"),
    path(f"{T}/follow/", views.thread_follow, name="community_thread_follow"),
    path(f"{T}/moderate/", views.thread_moderate, name="community_thread_moderate"),
    path(
        f"{C}/replies/<uuid:reply_id>/moderate/",
        views.reply_moderate,
        name="community_reply_moderate",
    ),
    path(f"{C}/shared/", views.shared_ramps, name="community_shared_ramps"),
    path(
        f"{C}/shared/<uuid:change_idea_id>/",
        views.shared_ramp,
        name="community_shared_ramp",
    ),
]
