"""A URL configuration with deliberate mistakes, to prove the isolation guard works."""

from django.http import HttpResponse
from django.urls import path
from rest_framework import generics, serializers

from config.urls import urlpatterns as project_urlpatterns
from teams.models import Team


def leaky_team_view(request, team_id):
    """Forgets the selector: reads any tenant's team by id."""
    return HttpResponse(Team.objects.get(public_id=team_id).name)


def unknown_kwarg_view(request, widget_id):
    return HttpResponse("ok")


class TeamNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["name"]


class LeakyTeamList(generics.ListAPIView):
    """Forgets the scoped base class."""

    queryset = Team.objects.all()
    serializer_class = TeamNameSerializer


urlpatterns = [
    *project_urlpatterns,
    path("leaky/<uuid:team_id>/", leaky_team_view, name="leaky-team"),
    path("widgets/<int:widget_id>/", unknown_kwarg_view, name="widget"),
    path("api/leaky-teams/", LeakyTeamList.as_view(), name="leaky-teams"),
]
