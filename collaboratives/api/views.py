import django_filters

from collaboratives.models import Collaborative, CollaborativeStatus
from collaboratives.selectors import collaboratives_visible_to
from core.api.views import ScopedReadOnlyViewSet

from .serializers import CollaborativeSerializer


class CollaborativeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CollaborativeStatus.choices)

    class Meta:
        model = Collaborative
        fields = ["status"]


class CollaborativeViewSet(ScopedReadOnlyViewSet):
    """Collaboratives the caller works in."""

    serializer_class = CollaborativeSerializer
    queryset_model = Collaborative
    lookup_url_kwarg = "collaborative_id"
    filterset_class = CollaborativeFilter
    ordering_fields = ["start_date", "title"]

    def get_scoped_queryset(self, user):
        return collaboratives_visible_to(user=user).order_by("-start_date", "title")
