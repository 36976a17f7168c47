"""The community board's API: a community's threads (list, start one), a thread with its
replies, replies (list, post one), and following a thread.

Scoped like the pages: the community through `community_member_or_404` (a
non-member, another program's user or an unknown id gets 404 before any handler
runs), a thread through `thread_or_404` inside it. Writes go through the pages'
services: the same rules (a locked thread refuses replies: 400), the same notices
and audit trail. A hidden thread or reply comes without its text for non-moderators.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.pagination import PageNumberPagination
from core.api.views import ScopedAPIView

from ..models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Reply, Thread
from . import services
from .selectors import (
    REPLIES_PER_PAGE,
    CommunityAccess,
    community_member_or_404,
    is_following,
    replies_of,
    thread_or_404,
    threads_of,
)


class AuthorSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    display_name = serializers.CharField(read_only=True)


class _HidesText(serializers.ModelSerializer):
    """Blanks the text of a hidden item for people who do not moderate."""

    hidden_text_fields: tuple[str, ...] = ()

    def to_representation(self, instance) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.is_hidden and not self.context.get("can_moderate"):
            for name in self.hidden_text_fields:
                data[name] = ""
            data["author"] = None
            data["hidden_reason"] = ""
        return data


class ReplySerializer(_HidesText):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = AuthorSerializer(read_only=True, allow_null=True)
    is_hidden = serializers.BooleanField(read_only=True)
    hidden_text_fields = ("body",)

    class Meta:
        model = Reply
        fields = ["id", "author", "body", "created_at", "is_hidden", "hidden_reason"]
        read_only_fields = fields


class ThreadSerializer(_HidesText):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = AuthorSerializer(read_only=True, allow_null=True)
    is_locked = serializers.BooleanField(read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)
    n_replies = serializers.IntegerField(read_only=True, help_text="Replies the caller sees.")
    hidden_text_fields = ("title", "body")

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "body",
            "author",
            "created_at",
            "last_activity_at",
            "is_locked",
            "is_hidden",
            "hidden_reason",
            "n_replies",
        ]
        read_only_fields = fields


class ThreadDetailSerializer(ThreadSerializer):
    """A thread with the FIRST page of its replies: a thread of 2,000 replies must not
    answer with all of them. The rest is at `replies_url` (the paged replies endpoint,
    same page size), from `replies_next` on."""

    replies = serializers.SerializerMethodField(
        help_text=f"The first page of replies, oldest first (at most {REPLIES_PER_PAGE}); "
        "the rest from replies_next."
    )
    replies_count = serializers.SerializerMethodField(
        help_text="How many replies the replies endpoint lists (all pages)."
    )
    replies_url = serializers.SerializerMethodField(
        help_text="The paged replies endpoint of this thread (also where to POST a reply)."
    )
    replies_next = serializers.SerializerMethodField(
        help_text="The replies endpoint's second page, or null when `replies` holds them all."
    )
    following = serializers.SerializerMethodField()
    hidden_text_fields = ("title", "body")

    class Meta(ThreadSerializer.Meta):
        fields = [
            *ThreadSerializer.Meta.fields,
            "following",
            "replies",
            "replies_count",
            "replies_url",
            "replies_next",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_following(self, thread: Thread) -> bool:
        return is_following(thread=thread, user=self.context["request"].user)

    def _first_page(self, thread: Thread) -> tuple[list[Reply], int]:
        """(the first page of replies, the count of all of them), computed once; the
        count costs a query only when there is more than one page."""
        cache = self.context.setdefault("_first_page", {})
        if thread.pk not in cache:
            if thread.is_hidden and not self.context.get("can_moderate"):
                cache[thread.pk] = ([], 0)
            else:
                replies = replies_of(thread=thread)
                first = list(replies[: REPLIES_PER_PAGE + 1])
                count = len(first) if len(first) <= REPLIES_PER_PAGE else replies.count()
                cache[thread.pk] = (first[:REPLIES_PER_PAGE], count)
        return cache[thread.pk]

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, thread: Thread) -> list[dict]:
        replies, _count = self._first_page(thread)
        return ReplySerializer(replies, many=True, context=self.context).data

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_replies_count(self, thread: Thread) -> int:
        return self._first_page(thread)[1]

    def _replies_url(self, thread: Thread) -> str:
        # The view's scope is the thread's community: no query for it.
        collaborative = self.context.get("collaborative") or thread.collaborative
        path = reverse(
            "api:community-reply-list",
            kwargs={"community_id": collaborative.public_id, "thread_id": thread.public_id},
        )
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(serializers.URLField())
    def get_replies_url(self, thread: Thread) -> str:
        return self._replies_url(thread)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_replies_next(self, thread: Thread) -> str | None:
        if self._first_page(thread)[1] <= REPLIES_PER_PAGE:
            return None
        return f"{self._replies_url(thread)}?page=2"


class ThreadCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class ReplyCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField(help_text="true to follow the thread, false to stop.")


class CommunityScopedAPIView(ScopedAPIView):
    """Scope: the community named by `community_id`, if the caller is an active member
    or runs its program; else 404."""

    scope: CommunityAccess

    def get_scope(self) -> CommunityAccess:
        return community_member_or_404(
            user=self.request.user, community_id=self.kwargs["community_id"]
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        scope = getattr(self, "scope", None)
        context["can_moderate"] = bool(scope and self.access.can_moderate)
        if scope:
            context["collaborative"] = self.access.collaborative
        return context

    @property
    def access(self) -> CommunityAccess:
        return self.scope


class ThreadScopedAPIView(CommunityScopedAPIView):
    """Scope: the community, and the thread named by `thread_id` in it (else 404)."""

    def get_scope(self) -> CommunityAccess:
        access = super().get_scope()
        self.thread = thread_or_404(access=access, thread_id=self.kwargs["thread_id"])
        return access


class ThreadList(CommunityScopedAPIView, generics.ListAPIView):
    """The community's threads, most recent activity first (paginated); POST starts one
    (its author follows it; people it @mentions are notified)."""

    serializer_class = ThreadSerializer
    queryset_model = Thread

    def scoped_queryset(self, access):
        return threads_of(access=access)

    @extend_schema(request=ThreadCreateSerializer, responses={201: ThreadSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        body = ThreadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        thread = services.thread_create(
            access=self.access, actor=request.user, **body.validated_data
        )
        thread = threads_of(access=self.access).get(pk=thread.pk)
        return Response(
            ThreadSerializer(thread, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class RepliesPagination(PageNumberPagination):
    """The replies endpoint's pages: the size of the thread page's (and of the first
    page the thread detail embeds)."""

    page_size = REPLIES_PER_PAGE


class ThreadDetail(ThreadScopedAPIView, generics.GenericAPIView):
    """One thread with the first page of its replies (oldest first), their count, the
    replies endpoint for the rest, and whether the caller follows it."""

    serializer_class = ThreadDetailSerializer
    queryset_model = Thread

    def get(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(self.thread).data)


class ReplyList(ThreadScopedAPIView, generics.ListAPIView):
    """The thread's replies, oldest first (paginated); POST replies (400 when the thread
    is locked or hidden; followers and people @mentioned are notified)."""

    serializer_class = ReplySerializer
    queryset_model = Reply
    pagination_class = RepliesPagination

    def scoped_queryset(self, access):
        if self.thread.is_hidden and not access.can_moderate:
            return Reply.objects.none()
        return replies_of(thread=self.thread)

    @extend_schema(request=ReplyCreateSerializer, responses={201: ReplySerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        body = ReplyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reply = services.reply_create(
            access=self.access,
            thread=self.thread,
            actor=request.user,
            body=body.validated_data["body"],
        )
        return Response(
            ReplySerializer(reply, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class ThreadFollowView(ThreadScopedAPIView, generics.GenericAPIView):
    """Follow or stop following the thread."""

    serializer_class = FollowSerializer
    queryset_model = Thread

    @extend_schema(request=FollowSerializer, responses={200: FollowSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        body = FollowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        following = services.follow_set(
            thread=self.thread, user=request.user, following=body.validated_data["following"]
        )
        return Response({"following": following})
