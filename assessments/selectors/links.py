"""Links between questions and other features, read by lineage and question key.

A `QuestionLink` names a question across the versions of its instrument, so the gap
report of any version shows the resources and change ideas linked to the question,
and pdsa offers the questions of a collaborative's instruments to link a change idea to.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from accounts.models import User
from collaboratives.models import Collaborative
from core.http import parse_uuid

from ..definition import is_scored, iter_questions, questions_by_key
from ..models import LinkKind, QuestionLink, SurveyTemplate, SurveyWave
from .templates import templates_visible_to


def question_links(*, template: SurveyTemplate) -> dict[str, list[QuestionLink]]:
    """Question key -> links to resources and change ideas, for one instrument.

    The same change (a change-package item copied into next year's collaborative)
    is listed once.
    """
    links: dict[str, list[QuestionLink]] = {}
    seen: set[tuple[str, str, str]] = set()
    for link in QuestionLink.objects.filter(
        program_id=template.program_id, lineage=template.lineage
    ):
        identity = (link.question_key, link.kind, link.title.lower())
        if identity in seen:
            continue
        seen.add(identity)
        links.setdefault(link.question_key, []).append(link)
    return links


def gap_question_choices(*, collaborative: Collaborative) -> list[tuple[str, str]]:
    """Scored questions of the instruments a collaborative's waves use, as form choices.

    The value "<lineage>:<question key>" names the question across versions (how
    QuestionLink keys links), so a change idea stays linked when the instrument
    gets a new version. Newest version of each instrument wins for the wording.
    """
    templates = {}
    for wave in (
        SurveyWave.objects.filter(program_id=collaborative.program_id, collaborative=collaborative)
        .select_related("template")
        .order_by("template__version")
    ):
        templates[wave.template.lineage] = wave.template
    choices = []
    for lineage, template in templates.items():
        for _section, question in iter_questions(template.definition):
            if is_scored(question):
                text = " ".join(str(question.get("text", "")).split())
                choices.append((f"{lineage}:{question['key']}", f"{question['key']} {text}"[:200]))
    return choices


def _newest_by_lineage(templates) -> dict[UUID, SurveyTemplate]:
    newest: dict[UUID, SurveyTemplate] = {}
    for template in templates.order_by("version"):
        newest[template.lineage] = template
    return newest


def survey_question_choices(*, program_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every question of the program's instruments (newest version of each), grouped
    by instrument, as form choices "<template public id>:<question key>", so staff can
    link a library resource to the gap a question reveals."""
    groups = []
    templates = _newest_by_lineage(SurveyTemplate.objects.filter(program_id=program_id))
    for template in sorted(templates.values(), key=lambda t: t.name.lower()):
        options = [
            (
                f"{template.public_id}:{question['key']}",
                f"{question['key']} {' '.join(str(question.get('text', '')).split())}"[:200],
            )
            for _section, question in iter_questions(template.definition)
        ]
        if options:
            groups.append((template.name, options))
    return groups


def survey_template_of(*, program_id: int, template_id: UUID | str) -> SurveyTemplate | None:
    """A version of one of the program's instruments by public id (None for another
    program's, or an unknown or malformed id)."""
    public_id = parse_uuid(str(template_id))
    if public_id is None:
        return None
    return SurveyTemplate.objects.filter(program_id=program_id, public_id=public_id).first()


@dataclass(frozen=True)
class ResourceQuestion:
    """A gap-analysis question a resource is linked to, as its page lists it."""

    link_id: UUID
    survey: str
    template_id: UUID
    question_key: str
    question_text: str


def resource_questions(
    *, program_id: int, resource_id: UUID, user: User | None = None
) -> list[ResourceQuestion]:
    """The questions a resource is linked to, with the instrument's name and the
    question's wording from its newest version; with `user`, only instruments that
    person may read (templates_visible_to). Two queries."""
    links = list(
        QuestionLink.objects.filter(
            program_id=program_id, kind=LinkKind.RESOURCE, target_id=resource_id
        ).order_by("pk")
    )
    if not links:
        return []
    templates = SurveyTemplate.objects.filter(
        program_id=program_id, lineage__in={link.lineage for link in links}
    )
    if user is not None:
        templates = templates.filter(pk__in=templates_visible_to(user=user).values("pk"))
    newest = _newest_by_lineage(templates)
    rows = []
    for link in links:
        template = newest.get(link.lineage)
        if template is None:
            continue
        question = questions_by_key(template.definition).get(link.question_key, {})
        rows.append(
            ResourceQuestion(
                link_id=link.public_id,
                survey=template.name,
                template_id=template.public_id,
                question_key=link.question_key,
                question_text=" ".join(str(question.get("text", "")).split()),
            )
        )
    return rows
