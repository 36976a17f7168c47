from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("teams/<uuid:team_id>/", views.team_detail, name="detail"),
    path("coach/", views.coach_home, name="coach_home"),
]
