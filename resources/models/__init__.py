"""Resources' records, one module per concern (the library, its links, the
communities of practice); everything is importable from here."""

from .community import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CommunityInvitation,
    CommunityInvitationRole,
    CommunityMember,
    MemberStatus,
    Reply,
    Thread,
    ThreadFollow,
)
from .library import Resource, ResourceKind, ResourceViewDay, Visibility, resource_path
from .links import LinkTarget, ResourceLink
from .sustain import Storyboard, StoryboardBatch, StoryboardBatchPage, StoryboardBatchStatus

__all__ = [
    "BODY_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "CommunityInvitation",
    "CommunityInvitationRole",
    "CommunityMember",
    "LinkTarget",
    "MemberStatus",
    "Reply",
    "Resource",
    "ResourceKind",
    "ResourceLink",
    "ResourceViewDay",
    "Storyboard",
    "StoryboardBatch",
    "StoryboardBatchPage",
    "StoryboardBatchStatus",
    "Thread",
    "ThreadFollow",
    "Visibility",
    "resource_path",
]
