"""An instrument's life: create a draft, change its details, publish it, open the next
version, import a shared one.

Published versions are immutable, so that the responses to them keep their meaning;
"edit" opens (or creates) the next draft of the same lineage.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts.models import Program, User
from core import clock
from core.audit import audit_record

from ..definition import normalise_definition, publish_problems, to_decimal
from ..models import QuestionLink, SurveyTemplate, TemplateStatus
from ..template_io import LinkSpec, parse_template_file
from ._common import draft_for_update


def _check_details(name: str, max_points: Any) -> tuple[str, Decimal]:
    name = " ".join((name or "").split())
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Give the template a name."
    elif len(name) > 200:
        problems["name"] = "At most 200 characters."
    points = to_decimal(max_points)
    if points is None or points <= 0 or points > Decimal("10000"):
        problems["max_points"] = "The maximum score must be a number above 0, e.g. 100."
    elif points != points.quantize(Decimal("0.01")):
        problems["max_points"] = "Use at most two decimal places."
    if problems:
        raise ValidationError(problems)
    return name, points


@transaction.atomic
def template_create(
    *,
    program: Program,
    actor: User,
    name: str,
    description: str = "",
    max_points: Any = 100,
) -> SurveyTemplate:
    """A new instrument, as an empty draft (version 1) to build in the browser."""
    name, points = _check_details(name, max_points)
    template = SurveyTemplate.objects.create(
        program=program,
        name=name,
        description=description.strip(),
        max_points=points,
        definition={"sections": []},
        created_by=actor,
    )
    audit_record(actor=actor, verb="survey_template.created", target=template)
    return template


@transaction.atomic
def template_update_details(
    *, template: SurveyTemplate, actor: User, name: str, description: str, max_points: Any
) -> SurveyTemplate:
    locked = draft_for_update(template)
    locked.name, locked.max_points = _check_details(name, max_points)
    locked.description = description.strip()
    locked.save(update_fields=["name", "description", "max_points", "updated_at"])
    audit_record(actor=actor, verb="survey_template.updated", target=locked)
    return locked


@transaction.atomic
def template_publish(*, template: SurveyTemplate, actor: User) -> SurveyTemplate:
    """Freeze a draft so that waves can use it: only when its scored points add up to
    the stated maximum and every section has questions."""
    locked = draft_for_update(template)
    definition, problems = normalise_definition(locked.definition)
    problems += publish_problems(definition, locked.max_points)
    if problems:
        raise ValidationError({"__all__": [str(p) for p in problems]})
    locked.definition = definition
    locked.status = TemplateStatus.PUBLISHED
    locked.published_at = clock.now()
    locked.published_by = actor
    locked.save()
    audit_record(
        actor=actor,
        verb="survey_template.published",
        target=locked,
        data={"version": locked.version, "max_points": str(locked.max_points)},
    )
    return locked


@transaction.atomic
def template_new_version(*, template: SurveyTemplate, actor: User) -> SurveyTemplate:
    """The draft to edit a published instrument in: the existing draft of its lineage,
    or a new version copied from `template`."""
    existing = (
        SurveyTemplate.objects.select_for_update()
        .filter(program_id=template.program_id, lineage=template.lineage, status="draft")
        .first()
    )
    if existing:
        return existing
    latest = (
        SurveyTemplate.objects.filter(
            program_id=template.program_id, lineage=template.lineage
        ).aggregate(n=Max("version"))["n"]
        or 0
    )
    try:
        with transaction.atomic():
            draft = SurveyTemplate.objects.create(
                program_id=template.program_id,
                lineage=template.lineage,
                version=latest + 1,
                name=template.name,
                description=template.description,
                max_points=template.max_points,
                definition=copy.deepcopy(template.definition),
                based_on=template,
                created_by=actor,
            )
    except IntegrityError:
        # Someone else created the draft at the same moment: edit theirs.
        return SurveyTemplate.objects.get(
            program_id=template.program_id, lineage=template.lineage, status="draft"
        )
    audit_record(
        actor=actor,
        verb="survey_template.version_created",
        target=draft,
        data={"based_on": str(template.public_id), "version": draft.version},
    )
    return draft


def template_links_create(template: SurveyTemplate, links: list[LinkSpec]) -> None:
    """Add the resource links an imported template file names to its questions."""
    QuestionLink.objects.bulk_create(
        QuestionLink(
            program_id=template.program_id,
            lineage=template.lineage,
            question_key=link.question_key,
            kind=link.kind,
            title=link.title,
            url=link.url,
            position=index,
        )
        for index, link in enumerate(links)
    )


@transaction.atomic
def template_import(
    *, program: Program, actor: User, content: bytes | str
) -> tuple[SurveyTemplate, list[str]]:
    """A shared instrument, as a new draft of this program; nothing is saved when the
    file has any problem. Returns the draft and what still stops it being published."""
    parsed, problems = parse_template_file(content)
    if parsed is None:
        raise ValidationError({"file": [str(p) for p in problems]})
    template = SurveyTemplate.objects.create(
        program=program,
        name=parsed.name,
        description=parsed.description,
        max_points=parsed.max_points,
        definition=parsed.definition,
        created_by=actor,
    )
    template_links_create(template, parsed.links)
    audit_record(
        actor=actor,
        verb="survey_template.imported",
        target=template,
        data={"questions": sum(len(s["questions"]) for s in parsed.definition["sections"])},
    )
    warnings = [str(p) for p in publish_problems(template.definition, template.max_points)]
    return template, warnings
