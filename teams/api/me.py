"""The caller and their programs: "who am I" for the dashboards, and the tenants they
work in. Here rather than in accounts because both count team memberships."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import MeSerializer, ProgramSerializer
from accounts.models import Program, User
from accounts.selectors import program_roles
from core.api.views import UserScopedAPIView, UserScopedReadOnlyViewSet
from teams.selectors import programs_visible_to, team_memberships_of


class MeView(UserScopedAPIView):
    """Who am I, and which roles do I hold? The dashboard's first call."""

    queryset_model = User
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = self.scope
        program_rows = []
        for program in programs_visible_to(user=user):
            roles = sorted(program_roles(user=user, program=program))
            if roles:
                program_rows.append(
                    {"program": program.public_id, "program_name": program.name, "roles": roles}
                )
        team_rows = [
            {
                "team": m.team.public_id,
                "team_name": m.team.name,
                "collaborative": m.team.collaborative.public_id,
                "role": m.role,
            }
            for m in team_memberships_of(user=user)
        ]
        data = {
            "id": user.public_id,
            "email": user.email,
            "full_name": user.full_name,
            "credentials": user.credentials,
            "program_roles": program_rows,
            "team_roles": team_rows,
        }
        return Response(MeSerializer(data).data)


class ProgramViewSet(UserScopedReadOnlyViewSet):
    """Programs (tenants) the caller works in."""

    serializer_class = ProgramSerializer
    queryset_model = Program
    lookup_url_kwarg = "program_id"

    def scoped_queryset(self, user):
        return programs_visible_to(user=user).order_by("name")
