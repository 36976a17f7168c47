"""API routes of the links part of resources."""

from django.urls import path

from .links import ResourceLinkDetail, ResourceLinkList, ResourceQuestionLinkDetail

R = "resources/<uuid:resource_id>"

urlpatterns: list = [
    path(f"{R}/links/", ResourceLinkList.as_view(), name="resource-links"),
    path(
        f"{R}/question-links/<uuid:question_link_id>/",
        ResourceQuestionLinkDetail.as_view(),
        name="resource-question-link",
    ),
    path(
        "resource-links/<uuid:resource_link_id>/",
        ResourceLinkDetail.as_view(),
        name="resource-link-detail",
    ),
]
