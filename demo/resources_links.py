"""Demo links between the library and the work: a few resources of the program linked
to a gap-analysis question (shown in the gap reports), a measure, a change-package item
and a learning session of the active collaborative.

All content is invented for demonstration. Resources are the library demo's own
(demo/resources_library.py; created here only when that demo has not run), found by
program and title, and links by their natural
keys, so seeding twice adds nothing. Rows are created directly (no audit events).
"""

from __future__ import annotations

from datetime import date

from assessments.definition import is_scored, iter_questions
from assessments.models import LinkKind, QuestionLink, SurveyTemplate
from learning_sessions.models import Event
from measures.models import Measure
from pdsa.models import ChangePackageItem
from resources.models import LinkTarget, Resource, ResourceKind, ResourceLink
from resources.search import index_resources
from resources.services.links import resource_page_path

from .collaboratives import ACTIVE
from .world import DemoResult, DemoWorld

SITE = "https://npric.demo.example/library"

#: (title, kind, summary, path on the demo site)
RESOURCES = [
    (
        "Weighing children in kilograms: implementation toolkit",
        ResourceKind.TOOLKIT,
        "Lock the scales, update the chart, teach triage: a step-by-step toolkit for "
        "weighing every child in kilograms only.",
        "kilograms-toolkit",
    ),
    (
        "Weight in kilograms: one-page triage checklist",
        ResourceKind.TEMPLATE,
        "A one-page sheet for sampling 20 charts a month and counting weights recorded "
        "in kilograms only (the operational definition of the weight measure).",
        "weight-audit-sheet",
    ),
    (
        "Pediatric readiness checklist for emergency departments",
        ResourceKind.DOCUMENT,
        "What a pediatric-ready emergency department has in place, item by item, with "
        "the evidence behind each.",
        "readiness-checklist",
    ),
]


def _resources(world: DemoWorld, result: DemoResult) -> list[Resource]:
    program = world.programs["npric"]
    staff = world.users["staff@demo.example"]
    made = []
    for title, kind, summary, path in RESOURCES:
        resource, created = Resource.objects.get_or_create(
            program=program,
            title=title,
            defaults={
                "kind": kind,
                "summary": summary,
                "url": f"{SITE}/{path}",
                "source": "Demo improvement centre",
                "created_by": staff,
            },
        )
        result.count(created)
        if created:
            index_resources([resource.pk])
        made.append(resource)
    return made


def _link(resource: Resource, kind: str, target, title: str, user, result: DemoResult) -> None:
    if target is None:
        return
    _, created = ResourceLink.objects.get_or_create(
        resource=resource,
        target_kind=kind,
        target_id=target.public_id,
        defaults={"program": resource.program, "target_title": title[:200], "created_by": user},
    )
    result.count(created)


def _first(queryset, **preferred):
    return queryset.filter(**preferred).first() or queryset.first()


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Link the demo resources to what they help with (`today` is unused: links are
    not dated)."""
    toolkit, sheet, checklist = _resources(world, result)
    program = toolkit.program
    staff = world.users["staff@demo.example"]
    active = world.collaboratives[ACTIVE]

    measure = _first(
        Measure.objects.filter(program=program, team__isnull=True).order_by("code", "name"),
        name__icontains="kg",
    )
    _link(sheet, LinkTarget.MEASURE, measure, str(measure or ""), staff, result)
    item = _first(
        ChangePackageItem.objects.filter(collaborative=active, retired_at__isnull=True),
        title__icontains="kilogram",
    )
    _link(toolkit, LinkTarget.PACKAGE_ITEM, item, getattr(item, "title", ""), staff, result)
    event = _first(
        Event.objects.filter(collaborative=active, is_cancelled=False).order_by("starts_at"),
        title__icontains="kilograms",
    )
    _link(toolkit, LinkTarget.EVENT, event, getattr(event, "title", ""), staff, result)

    template = SurveyTemplate.objects.filter(program=program).order_by("-version").first()
    if template is None:
        return
    question = next(
        (q for _, q in iter_questions(template.definition) if is_scored(q)),
        None,
    )
    if question is None:
        return
    _, created = QuestionLink.objects.get_or_create(
        program=program,
        lineage=template.lineage,
        question_key=question["key"],
        kind=LinkKind.RESOURCE,
        target_id=checklist.public_id,
        defaults={"title": checklist.title, "url": resource_page_path(checklist)},
    )
    result.count(created)
