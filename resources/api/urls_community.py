"""API routes of the community part of resources: the board of a community of practice."""

from django.urls import path

from ..community.api import ReplyList, ThreadDetail, ThreadFollowView, ThreadList

C = "communities/<uuid:community_id>"
T = f"{C}/threads/<uuid:thread_id>"

urlpatterns: list = [
    path(f"{C}/threads/", ThreadList.as_view(), name="community-thread-list"),
    path(f"{T}/", ThreadDetail.as_view(), name="community-thread-detail"),
    path(f"{T}/replies/", ReplyList.as_view(), name="community-reply-list"),
    path(f"{T}/follow/", ThreadFollowView.as_view(), name="community-thread-follow"),
]
