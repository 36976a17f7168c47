from django.urls import path

from . import views

app_name = "collaboratives"

urlpatterns = [
    path("collaboratives/", views.collaborative_list, name="staff_list"),
    path("collaboratives/<uuid:collaborative_id>/", views.collaborative_detail, name="detail"),
    path("join/<uuid:collaborative_id>/", views.collaborative_public, name="public"),
]
