"""Links between questions and other features, read by lineage and question key.

A `QuestionLink` names a question across the versions of its instrument, so the gap
report of any version shows the resources and change ideas linked to the question,
and pdsa offers the questions of a collaborative's instruments to link a change idea to.
"""

from __future__ import annotations

from collaboratives.models import Collaborative

from ..definition import is_scored, iter_questions
from ..models import QuestionLink, SurveyTemplate, SurveyWave


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
