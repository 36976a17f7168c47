"""Resources' records, one module per concern (the library, its links, the
communities of practice); everything is importable from here."""

from .community import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CommunityMember,
    MemberStatus,
    Reply,
    Thread,
    ThreadFollow,
)
from .library import Resource, ResourceKind, ResourceViewDay, Visibility, resource_path
from .links import LinkTarget, ResourceLink

__all__ = [
    "BODY_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "CommunityMember",
    "LinkTarget",
    "MemberStatus",
    "Reply",
    "Resource",
    "ResourceKind",
    "ResourceLink",
    "ResourceViewDay",
    "Thread",
    "ThreadFollow",
    "Visibility",
    "resource_path",
]
