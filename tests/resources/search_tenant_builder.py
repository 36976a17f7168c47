"""A library resource of the tenant, shared with its active collaborative only, for the
isolation guard (tests/conftest.py): the resources API names it as `resource_id`.
Private text carries `marker`. (The library part's builder adds more kinds of rows;
this one is what the search part's routes need.)"""

from resources.models import Resource, ResourceKind, Visibility
from resources.search import index_resources


def build(tenant, marker: str) -> dict[str, object]:
    m = f" {marker}" if marker else ""
    resource = Resource.objects.create(
        program=tenant.program,
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant.collaborative,
        kind=ResourceKind.TOOLKIT,
        title=f"Weighing toolkit{m}",
        summary=f"How our teams weigh children in kilograms{m}",
        url="https://example.org/weighing",
    )
    index_resources([resource.pk])
    return {"resource_id": resource.public_id}
