"""Resources' records, one module per concern (the library, its links, the
communities of practice); everything is importable from here."""

from .library import Resource, ResourceKind, ResourceViewDay, Visibility, resource_path
from .links import LinkTarget, ResourceLink
from .sustain import Storyboard, StoryboardBatch, StoryboardBatchStatus

__all__ = [
    "LinkTarget",
    "Resource",
    "ResourceKind",
    "ResourceLink",
    "ResourceViewDay",
    "Storyboard",
    "StoryboardBatch",
    "StoryboardBatchStatus",
    "Visibility",
    "resource_path",
]
