"""Library rows for the search tests, made with the ORM and indexed as the library's
services do (resources.search.index_resources)."""

from resources.models import Resource, ResourceKind, Visibility
from resources.search import index_resources


def make_resource(tenant, title: str, *, summary: str = "A resource.", body: str = "", **fields):
    """A link resource of `tenant`'s program, program-wide unless `visibility` says
    otherwise (a collaborative-scoped one gets the tenant's active collaborative)."""
    visibility = fields.pop("visibility", Visibility.PROGRAM)
    if visibility == Visibility.COLLABORATIVE:
        fields.setdefault("collaborative", tenant.collaborative)
    resource = Resource.objects.create(
        program=tenant.program,
        visibility=visibility,
        kind=fields.pop("kind", ResourceKind.LINK),
        title=title,
        summary=summary,
        body=body,
        url=fields.pop("url", "https://example.org/resource"),
        **fields,
    )
    index_resources([resource.pk])
    resource.refresh_from_db()
    return resource
