"""Links API: what a resource is linked to, linking it, removing a link.

Scoped like the pages (core.api.views.ScopedAPIView): the resource through
`resource_for_links_or_404`, a link through `resource_link_or_404`, so that what the
caller may not see answers 404 before any handler runs. Writes go through the pages'
services: program staff link a resource to gap questions, measures, package items and
events, a team's members to their own change ideas (403 for anyone else), and every
refusal (another program's target, a retired resource, a link that exists) is a 400
with the services' message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import ScopedAPIView

from ..models import LinkTarget, Resource, ResourceLink
from ..selectors.links import (
    resource_for_links_or_404,
    resource_link_or_404,
    resource_targets_for,
)
from ..services.links import (
    resource_link_create,
    resource_link_delete,
    resource_question_link_create,
    resource_question_link_delete,
)

QUESTION = "question"
KIND_CHOICES = [(QUESTION, "Gap-analysis question"), *LinkTarget.choices]


class LinkSerializer(serializers.Serializer):
    """One thing the resource is linked to, as the caller may see it."""

    id = serializers.UUIDField(help_text="The link's id (DELETE it to remove the link).")
    target_kind = serializers.ChoiceField(choices=KIND_CHOICES)
    title = serializers.CharField()
    url = serializers.CharField(
        help_text="The target's page on this site (a path); empty for a gap question."
    )


class LinkCreateSerializer(serializers.Serializer):
    """A measure, package item, change idea or event by id; or a gap question by its
    survey (a survey template's id) and question key."""

    target_kind = serializers.ChoiceField(choices=KIND_CHOICES)
    target_id = serializers.UUIDField(required=False)
    survey = serializers.UUIDField(required=False)
    question_key = serializers.CharField(required=False, max_length=20)

    def validate(self, attrs: dict) -> dict:
        if attrs["target_kind"] == QUESTION:
            missing = [f for f in ("survey", "question_key") if not attrs.get(f)]
        else:
            missing = [] if attrs.get("target_id") else ["target_id"]
        if missing:
            raise serializers.ValidationError({f: ["This field is required."] for f in missing})
        return attrs


def _links_payload(request: Request, resource: Resource) -> list[dict]:
    targets = resource_targets_for(user=request.user, resource=resource)
    rows = [
        {
            "id": q.link_id,
            "target_kind": QUESTION,
            "title": f"{q.survey}: {q.question_key} {q.question_text}".strip(),
            "url": "",
        }
        for q in targets.questions
    ]
    for kind, group in (
        (LinkTarget.MEASURE, targets.measures),
        (LinkTarget.PACKAGE_ITEM, targets.package_items),
        (LinkTarget.CHANGE_IDEA, targets.change_ideas),
        (LinkTarget.EVENT, targets.events),
    ):
        rows += [
            {"id": t.link_id, "target_kind": kind, "title": t.title, "url": t.url} for t in group
        ]
    return LinkSerializer(rows, many=True).data


class ResourceLinkList(ScopedAPIView, generics.GenericAPIView):
    """GET: what the resource is linked to (only targets the caller may see). POST:
    link it (gap questions, measures, package items, events: program staff; a change
    idea: that team's members)."""

    serializer_class = LinkSerializer
    queryset_model = ResourceLink
    pagination_class = None
    filter_backends = []

    def get_scope(self) -> Resource:
        return resource_for_links_or_404(
            user=self.request.user, resource_id=self.kwargs["resource_id"]
        )

    @extend_schema(responses=LinkSerializer(many=True))
    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(_links_payload(request, self.scope))

    @extend_schema(request=LinkCreateSerializer, responses={201: LinkSerializer(many=True)})
    def post(self, request: Request, *args, **kwargs) -> Response:
        resource = self.scope
        body = LinkCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["target_kind"] == QUESTION:
            resource_question_link_create(
                resource=resource,
                actor=request.user,
                survey_id=data["survey"],
                question_key=data["question_key"],
            )
        else:
            resource_link_create(
                resource=resource,
                actor=request.user,
                target_kind=data["target_kind"],
                target_id=data["target_id"],
            )
        return Response(_links_payload(request, resource), status=status.HTTP_201_CREATED)


class ResourceLinkDetail(ScopedAPIView, generics.GenericAPIView):
    """DELETE: remove a link to a measure, package item, change idea or event."""

    serializer_class = LinkSerializer
    queryset_model = ResourceLink

    def get_scope(self) -> ResourceLink:
        return resource_link_or_404(user=self.request.user, link_id=self.kwargs["resource_link_id"])

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        resource_link_delete(link=self.scope, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResourceQuestionLinkDetail(ScopedAPIView, generics.GenericAPIView):
    """DELETE: take the resource off one gap question (program staff)."""

    serializer_class = LinkSerializer
    queryset_model = Resource

    def get_scope(self) -> Resource:
        return resource_for_links_or_404(
            user=self.request.user, resource_id=self.kwargs["resource_id"]
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, *args, **kwargs) -> Response:
        try:
            resource_question_link_delete(
                resource=self.scope, actor=request.user, link_id=self.kwargs["question_link_id"]
            )
        except ValidationError:
            # Another resource's (or program's) question link: as if it did not exist.
            raise NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)
