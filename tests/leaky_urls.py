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


#: The mistakes alone: the guard's self-checks walk only these (tests/test_isolation.py);
#: the project's own routes are walked by the real guard tests.
leaky_urlpatterns = [
    path("leaky/<uuid:team_id>/", leaky_team_view, name="leaky-team"),
    path("widgets/<int:widget_id>/", unknown_kwarg_view, name="widget"),
    path("api/leaky-teams/", LeakyTeamList.as_view(), name="leaky-teams"),
]

#: The project with the mistakes added: what the test client serves (ROOT_URLCONF).
urlpatterns = [*project_urlpatterns, *leaky_urlpatterns]
