"""Communities of practice: who belongs to a collaborative's community, and its board.

When a collaborative becomes a community of practice (collaboratives.lifecycle), its
people become members (`CommunityMember`); others of the program ask to join or are
invited, and program staff decide. Members talk on the community's discussion board:
threads and their replies, plain text only. People follow a thread to hear of replies;
staff moderate by hiding a thread or a reply (with a reason, kept for the record) and
by locking a thread. Every row carries its program (the tenant) and its collaborative.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from teams.models import OPEN_INVITATION, InvitationBase

#: The longest thread title, and the longest body of a thread or a reply.
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10000


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "Member"
    REQUESTED = "requested", "Asked to join"
    INVITED = "invited", "Invited"
    REMOVED = "removed", "Removed"


class CommunityMember(models.Model):
    """One person's place in one community: a member, someone who asked to join or was
    invited, or someone removed (the row stays, so that a removed person is not made a
    member again by the next seeding, and the history says who decided)."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=MemberStatus.choices)
    #: What the person wrote when asking to join, or staff when inviting.
    message = models.TextField(blank=True, max_length=1000)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Who approved, declined or removed (None for members made by the phase change).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "user"], name="resources_community_member_unique"
            )
        ]
        indexes = [
            models.Index(fields=["program", "collaborative", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.collaborative} ({self.get_status_display()})"


class CommunityInvitationRole(models.TextChoices):
    """What a community invitation grants: the one place a community has to give."""

    MEMBER = "member", "Community member"


class CommunityInvitation(InvitationBase):
    """An e-mailed invitation to join a community of practice, for an address with no
    account yet (someone with an account is invited in the app: `CommunityMember`).

    Built on the team and program invitations' machinery (teams.services), so the link,
    its expiry, resending, withdrawing and the refusals work and read alike. Accepting
    it, with a new or an existing account of that address, makes an active member:
    being invited is the grant, whether or not the person works in the program.
    """

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        max_length=10,
        choices=CommunityInvitationRole.choices,
        default=CommunityInvitationRole.MEMBER,
    )
    #: What staff wrote to the invitee, shown in the e-mail.
    message = models.TextField(blank=True, max_length=1000)

    class Meta(InvitationBase.Meta):
        constraints = [
            # One open invitation per address and community.
            models.UniqueConstraint(
                "collaborative",
                Lower("email"),
                condition=OPEN_INVITATION,
                name="resources_one_open_community_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to the community of {self.collaborative}"


class Thread(models.Model):
    """A conversation on a community's board: a title and an opening message."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The newest visible activity (the thread itself, then each reply): lists sort by it.
    last_activity_at = models.DateTimeField()
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["program", "collaborative", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Reply(models.Model):
    """One answer in a thread."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["program", "thread", "created_at"])]

    def __str__(self) -> str:
        return f"Reply to {self.thread}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ThreadFollow(models.Model):
    """Someone who hears of new replies to a thread (its author and repliers follow it
    on their own; anyone may stop or start following)."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: False once the person unfollowed: replying again does not make them follow again.
    is_following = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="resources_thread_follow_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"
