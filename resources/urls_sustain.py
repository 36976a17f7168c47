"""Pages of the sustain part of resources: the change-package heat map, storyboards."""

from django.urls import path

from . import views_sustain as views

C = "collaboratives/<uuid:collaborative_id>"
B = f"{C}/storyboards/<uuid:batch_id>"

urlpatterns: list = [
    path(f"{C}/heat-map/", views.heat_map, name="heat_map"),
    path(f"{C}/heat-map/<uuid:package_item_id>/", views.heat_map_item, name="heat_map_item"),
    path(f"{C}/storyboards/", views.storyboards, name="storyboards"),
    path(f"{B}/", views.storyboard_batch, name="storyboard_batch"),
    path(f"{B}/progress.json", views.storyboard_batch_progress, name="storyboard_batch_progress"),
    path(f"{B}/resume/", views.storyboard_batch_resume_view, name="storyboard_batch_resume"),
    path(f"{B}/storyboards.pdf", views.storyboard_batch_download, name="storyboard_batch_download"),
    path("teams/<uuid:team_id>/storyboard/", views.storyboard, name="storyboard"),
    path("teams/<uuid:team_id>/storyboard.pdf", views.storyboard_download, name="storyboard_pdf"),
]
