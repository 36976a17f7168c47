import django_filters
from rest_framework import generics

from collaboratives.models import Collaborative, CollaborativeStatus, Phase
from collaboratives.selectors import collaboratives_visible_to, phases_of
from core.api.views import UserScopedReadOnlyViewSet

from .base import CollaborativeScopedAPIView
from .serializers import CollaborativeSerializer, PhaseSerializer


class CollaborativeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CollaborativeStatus.choices)

    class Meta:
        model = Collaborative
        fields = ["status"]


class CollaborativeViewSet(UserScopedReadOnlyViewSet):
    """Collaboratives the caller works in."""

    serializer_class = CollaborativeSerializer
    queryset_model = Collaborative
    lookup_url_kwarg = "collaborative_id"
    filterset_class = CollaborativeFilter
    ordering_fields = ["start_date", "title"]

    def scoped_queryset(self, user):
        return (
            collaboratives_visible_to(user=user)
            .select_related("focus_area")
            .order_by("-start_date", "title")
        )


class PhaseList(CollaborativeScopedAPIView, generics.ListAPIView):
    """The phases of one collaborative the caller works in, in date order."""

    serializer_class = PhaseSerializer
    queryset_model = Phase
    pagination_class = None

    def scoped_queryset(self, collaborative):
        return phases_of(collaborative=collaborative)
