import django_filters

from core.api.views import ScopedReadOnlyViewSet
from teams.models import Team, TeamStatus
from teams.selectors import teams_visible_to

from .serializers import TeamSerializer


class TeamFilter(django_filters.FilterSet):
    collaborative = django_filters.UUIDFilter(field_name="collaborative__public_id")
    status = django_filters.ChoiceFilter(choices=TeamStatus.choices)

    class Meta:
        model = Team
        fields = ["collaborative", "status"]


class TeamViewSet(ScopedReadOnlyViewSet):
    """Teams whose records the caller may read (own teams, coached teams, or all as staff)."""

    serializer_class = TeamSerializer
    queryset_model = Team
    lookup_url_kwarg = "team_id"
    filterset_class = TeamFilter
    ordering_fields = ["name"]

    def get_scoped_queryset(self, user):
        return teams_visible_to(user=user).order_by("name")
