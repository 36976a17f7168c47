"""Resources' records, one module per concern (the library, its links, the
communities of practice); everything is importable from here."""

from .library import Resource, ResourceKind, ResourceViewDay, Visibility, resource_path
from .links import LinkTarget, ResourceLink

__all__ = [
    "LinkTarget",
    "Resource",
    "ResourceKind",
    "ResourceLink",
    "ResourceViewDay",
    "Visibility",
    "resource_path",
]
