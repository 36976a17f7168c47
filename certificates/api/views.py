"""The caller's own credit in the API: the same standing "My credit" shows.

Scoped to the caller (core.api.views.UserScopedAPIView): the offers are those of
certificates.eligibility.offers_for, so nobody reads another person's standing or an
offer of a collaborative they are not part of.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import UserScopedAPIView

from ..eligibility import standings_for
from ..models import CreditOffer


class ActivitySerializer(serializers.Serializer):
    event = serializers.UUIDField(source="event_public_id", help_text="The event's id.")
    title = serializers.CharField()
    date = serializers.DateField(source="day", help_text="In the collaborative's time zone.")
    offered = serializers.DecimalField(max_digits=6, decimal_places=2)
    attendance = serializers.CharField(help_text="How the person took part, in words.")
    attendance_counts = serializers.BooleanField(source="qualifies")
    evaluation = serializers.CharField(
        allow_null=True, help_text="'Done', 'Not done', or null when not required."
    )
    earned = serializers.DecimalField(max_digits=6, decimal_places=2)


class RequirementSerializer(serializers.Serializer):
    label = serializers.CharField()
    met = serializers.BooleanField()
    detail = serializers.CharField()


class ClaimSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=6, decimal_places=2)
    completion_date = serializers.DateField()
    claimed_at = serializers.DateTimeField()


class CertificateStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField(help_text="pending, issued or failed.")
    is_current = serializers.BooleanField()
    revoked = serializers.BooleanField(source="is_revoked")
    revoked_reason = serializers.CharField()
    amount = serializers.DecimalField(max_digits=6, decimal_places=2)
    issued_at = serializers.DateTimeField()


class StandingSerializer(serializers.Serializer):
    offer = serializers.UUIDField(source="offer.public_id")
    collaborative = serializers.UUIDField(source="offer.collaborative.public_id")
    collaborative_title = serializers.CharField(source="offer.collaborative.title")
    credit_type = serializers.CharField(source="offer.credit_type")
    basis = serializers.CharField(source="offer.basis")
    unit = serializers.CharField(source="offer.unit", help_text="'hours' or 'points'.")
    max_amount = serializers.DecimalField(source="offer.max_amount", max_digits=6, decimal_places=2)
    earned = serializers.DecimalField(max_digits=6, decimal_places=2)
    eligible = serializers.BooleanField()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What is still missing, in sentences."
    )
    activities = ActivitySerializer(many=True)
    requirements = RequirementSerializer(many=True)
    claim = ClaimSerializer(allow_null=True)
    certificates = CertificateStateSerializer(many=True)


class MyCredit(UserScopedAPIView):
    """The caller's standing on every credit offer they may earn: what each event
    earned, what is missing, their claim and certificates."""

    serializer_class = StandingSerializer
    queryset_model = CreditOffer
    pagination_class = None

    @extend_schema(responses=StandingSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        standings = standings_for(user=self.scope)
        return Response(StandingSerializer(standings, many=True).data)
