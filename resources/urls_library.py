"""Pages of the library part of resources: the library, a resource, its open route,
the public page without login, and the staff's management pages."""

from django.urls import path

from . import views_library as views

R = "resources/<uuid:resource_id>"
P = "programs/<uuid:program_id>/resources"

urlpatterns: list = [
    path("resources/", views.library, name="library"),
    path(f"{R}/", views.resource_detail, name="detail"),
    path(f"{R}/open/", views.resource_open, name="open"),
    path(f"{R}/edit/", views.resource_edit, name="edit"),
    path(f"{R}/retire/", views.resource_retire_page, name="retire"),
    path(f"{R}/restore/", views.resource_restore_page, name="restore"),
    path("r/<uuid:resource_id>/", views.public_resource, name="public"),
    path("r/<uuid:resource_id>/open/", views.public_resource_open, name="public_open"),
    path(f"{P}/manage/", views.manage, name="manage"),
    path(f"{P}/new/", views.resource_new, name="new"),
]
