"""The tenant's library for the isolation guard (tests/conftest.py): a program-wide
PDF (its id is `resource_id`, so every resource route is tried with it), a link shared
with the active collaborative, and a public link (reachable by anyone by design; its
text carries no marker). Made directly, without the services' audit rows."""

from django.core.files.base import ContentFile

from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    program = tenant.program
    document = Resource(
        program=program,
        kind=ResourceKind.TOOLKIT,
        title=f"{program.name} Readiness Toolkit{m}",
        summary=f"Checklists for the emergency department{m}",
        body=f"Private notes{m}",
        tags=["readiness"],
        original_name="toolkit.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        created_by=tenant.staff,
        view_count=2,
    )
    document.file.save("toolkit.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    document.focus_areas.set([tenant.focus_area])
    ResourceViewDay.objects.create(resource=document, day=document.created_at.date(), count=2)
    Resource.objects.create(
        program=program,
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant.collaborative,
        kind=ResourceKind.LINK,
        title=f"{program.name} Collaborative Reading{m}",
        summary=f"For the active collaborative{m}",
        url="https://example.org/reading",
        created_by=tenant.staff,
    )
    Resource.objects.create(
        program=program,
        visibility=Visibility.PUBLIC,
        kind=ResourceKind.LINK,
        title=f"{program.slug} public weight poster",
        summary="A poster on weighing children in kilograms.",
        url="https://example.org/poster",
        created_by=tenant.staff,
    )
    return {"resource_id": document.public_id}


def make_resource(tenant, title: str, **fields) -> Resource:
    """A program-wide link of the tenant (tests' own resources; `fields` override)."""
    values = {
        "program": tenant.program,
        "kind": ResourceKind.LINK,
        "title": title,
        "summary": f"About {title}",
        "url": "https://example.org/r",
    }
    return Resource.objects.create(**(values | fields))
