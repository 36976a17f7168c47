"""A library resource linked to the tenant's measure, change-package item, change
idea, event and a gap question, for the isolation guard (tests/conftest.py). Private
text carries `marker`.

It links the library builder's resource when there is one (so that every route under
`resource_id` sees links), else a resource of its own. Returns the URL keywords of the
links routes: the resource, a link, and a gap question's link.
"""

from assessments.models import LinkKind, QuestionLink, SurveyTemplate
from resources.models import LinkTarget, Resource, ResourceKind, ResourceLink, Visibility


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    extras = tenant.extras
    out: dict = {}
    resource = None
    if "resource_id" in extras:
        resource = Resource.objects.filter(public_id=extras["resource_id"]).first()
    if resource is None:
        resource = Resource.objects.create(
            program=tenant.program,
            visibility=Visibility.PROGRAM,
            kind=ResourceKind.TOOLKIT,
            title=f"Weigh-in-kilograms toolkit{m}",
            summary=f"How to weigh every child in kilograms{m}",
            url="https://example.org/kilograms",
        )
        out["resource_id"] = resource.public_id
    targets = [
        (LinkTarget.MEASURE, extras["measure_id"], "M1"),
        (LinkTarget.PACKAGE_ITEM, extras["package_item_id"], "Package item"),
        (LinkTarget.CHANGE_IDEA, extras["change_idea_id"], f"Change idea{m}"),
        (LinkTarget.EVENT, extras["event_id"], "Event"),
    ]
    links = [
        ResourceLink.objects.create(
            program=tenant.program,
            resource=resource,
            target_kind=kind,
            target_id=target_id,
            target_title=title,
            created_by=tenant.staff,
        )
        for kind, target_id, title in targets
    ]
    template = SurveyTemplate.objects.get(public_id=extras["template_id"])
    question_link = QuestionLink.objects.create(
        program=tenant.program,
        lineage=template.lineage,
        question_key="B3",
        kind=LinkKind.RESOURCE,
        title=resource.title,
        url=f"/resources/{resource.public_id}/",
        target_id=resource.public_id,
    )
    out["resource_link_id"] = links[0].public_id
    out["question_link_id"] = question_link.public_id
    return out
