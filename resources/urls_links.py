"""Pages of the links part of resources: a resource's Links page (staff), removing a
link, and linking a resource to a team's change idea from its ramp page."""

from django.urls import path

from . import views_links

R = "resources/<uuid:resource_id>/links"

urlpatterns: list = [
    path(f"{R}/", views_links.resource_links, name="links"),
    path(
        f"{R}/questions/<uuid:question_link_id>/remove/",
        views_links.question_link_remove,
        name="question_link_remove",
    ),
    path(
        "resources/links/<uuid:resource_link_id>/remove/",
        views_links.resource_link_remove,
        name="link_remove",
    ),
    path(
        "teams/<uuid:team_id>/pdsa/ramps/<uuid:change_idea_id>/resources/",
        views_links.change_idea_link_add,
        name="change_idea_link_add",
    ),
]
