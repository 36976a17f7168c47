"""PDSA pages. Team work lives under the team; the change package under its collaborative."""

from django.urls import path

from . import views

app_name = "pdsa"

T = "teams/<uuid:team_id>"
C = f"{T}/pdsa/cycles/<uuid:cycle_id>"
D = f"{T}/drivers/<uuid:driver_id>"
I = f"{T}/change-ideas/<uuid:change_idea_id>"  # noqa: E741
P = "collaboratives/<uuid:collaborative_id>/change-package"

urlpatterns = [
    path(f"{T}/pdsa/", views.cycle_list_page, name="cycle_list"),
    path(f"{T}/pdsa/new/", views.cycle_create, name="cycle_create"),
    path(f"{T}/pdsa/deleted/", views.deleted_cycles, name="deleted_cycles"),
    path(f"{C}/", views.cycle_detail, name="cycle_detail"),
    path(f"{C}/edit/", views.cycle_edit, name="cycle_edit"),
    path(f"{C}/history/", views.cycle_history, name="cycle_history"),
    path(f"{C}/delete/", views.cycle_delete, name="cycle_delete"),
    path(f"{C}/restore/", views.cycle_restore, name="cycle_restore"),
    path(f"{C}/comments/", views.comment_add, name="comment_add"),
    path(f"{C}/attachments/", views.attachment_add, name="attachment_add"),
    path(f"{C}/attachments/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path(
        f"{C}/attachments/<uuid:attachment_id>/restore/",
        views.attachment_restore,
        name="attachment_restore",
    ),
    path(f"{T}/pdsa/ramps/", views.ramps_page, name="ramps"),
    path(f"{T}/pdsa/ramps/<uuid:change_idea_id>/", views.ramp_detail, name="ramp_detail"),
    path(f"{T}/pdsa/ramps/<uuid:change_idea_id>/share/", views.ramp_share, name="ramp_share"),
    path(f"{T}/pdsa/shared/", views.shared_ramps, name="shared_ramps"),
    path(f"{T}/pdsa/shared/<uuid:change_idea_id>/", views.shared_ramp, name="shared_ramp"),
    path(f"{T}/aim/", views.aim_page, name="aim"),
    path(f"{T}/drivers/", views.drivers_page, name="drivers"),
    path(f"{T}/drivers/diagram.svg", views.diagram_svg, name="diagram_svg"),
    path(f"{T}/drivers/seed/", views.change_ideas_seed, name="seed"),
    path(f"{D}/", views.driver_edit, name="driver_edit"),
    path(f"{D}/arrange/", views.driver_action, name="driver_action"),
    path(f"{I}/", views.change_idea_edit, name="change_idea_edit"),
    path(f"{I}/arrange/", views.change_idea_action, name="change_idea_action"),
    path(f"{P}/", views.change_package, name="change_package"),
    path(f"{P}/<uuid:package_item_id>/", views.package_item_edit, name="package_item"),
    path("pdsa/review/", views.review, name="review"),
]
