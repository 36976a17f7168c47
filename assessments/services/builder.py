"""The builder: add, edit, move and delete a draft's sections and questions.

Each change is made on a copy of the document and checked whole by
`normalise_definition` before it is saved; a problem with the item being edited is
reported at its form field. Links typed in the builder and conditions of other
questions follow a renamed question.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record

from ..definition import Problem, iter_questions, normalise_definition
from ..models import LinkKind, QuestionLink, SurveyTemplate
from ._common import draft_for_update

#: Problem fields as the builder's question form names them.
QUESTION_FORM_FIELDS = {
    "key": "key",
    "text": "text",
    "help": "help",
    "type": "type",
    "points": "points",
    "options": "options",
    "bands": "bands",
    "min_value": "min_value",
    "max_value": "max_value",
    "unit": "unit",
    "impact": "impact",
    "show_if": "show_if_question",
}


def _error(problems: list[Problem], *, question: str = "", section: str = "") -> ValidationError:
    """Problems of the item being edited go to its form fields, the rest to the top."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        mine = (question and problem.question == question) or (
            section and not question and problem.section == section and not problem.question
        )
        if mine and problem.field in QUESTION_FORM_FIELDS:
            errors.setdefault(QUESTION_FORM_FIELDS[problem.field], []).append(problem.message)
        elif mine and problem.field in ("title", "description"):
            errors.setdefault(problem.field, []).append(problem.message)
        else:
            errors.setdefault("__all__", []).append(str(problem))
    return ValidationError(errors)


def _save_definition(
    locked: SurveyTemplate,
    actor: User,
    definition: dict,
    *,
    verb: str,
    data: dict,
    question: str = "",
    section: str = "",
) -> SurveyTemplate:
    normalised, problems = normalise_definition(definition)
    if problems:
        raise _error(problems, question=question, section=section)
    locked.definition = normalised
    locked.save(update_fields=["definition", "updated_at"])
    audit_record(actor=actor, verb=verb, target=locked, data=data)
    return locked


def _find_section(definition: dict, key: str) -> dict:
    for section in definition["sections"]:
        if section["key"] == key:
            return section
    raise ValidationError({"__all__": [f"There is no section {key}."]})


@transaction.atomic
def template_section_save(
    *,
    template: SurveyTemplate,
    actor: User,
    original_key: str | None,
    key: str,
    title: str,
    description: str = "",
) -> SurveyTemplate:
    """Add a section at the end, or edit one (its key, title and description)."""
    locked = draft_for_update(template)
    definition = copy.deepcopy(locked.definition) or {"sections": []}
    definition.setdefault("sections", [])
    key = (key or "").strip()
    if original_key:
        section = _find_section(definition, original_key)
    else:
        section = {"questions": []}
        definition["sections"].append(section)
    if any(s is not section and s["key"] == key for s in definition["sections"]):
        raise ValidationError({"key": f"Section key {key} is already used."})
    section.update({"key": key, "title": title, "description": description})
    return _save_definition(
        locked,
        actor,
        definition,
        verb="survey_template.section_saved",
        data={"section": key},
        section=key,
    )


def _rename_links(template: SurveyTemplate, old: str, new: str) -> None:
    """Links follow a renamed question; a key still used by another version keeps its copy."""
    used_elsewhere = any(
        old in {q["key"] for s in v.definition.get("sections", []) for q in s["questions"]}
        for v in SurveyTemplate.objects.filter(
            program_id=template.program_id, lineage=template.lineage
        ).exclude(pk=template.pk)
    )
    links = QuestionLink.objects.filter(
        program_id=template.program_id, lineage=template.lineage, question_key=old
    )
    if not used_elsewhere:
        links.update(question_key=new)
        return
    QuestionLink.objects.bulk_create(
        QuestionLink(
            program_id=link.program_id,
            lineage=link.lineage,
            question_key=new,
            kind=link.kind,
            title=link.title,
            url=link.url,
            target_id=link.target_id,
            position=link.position,
        )
        for link in links
    )


def _replace_typed_links(
    template: SurveyTemplate, question_key: str, links: list[tuple[str, str]]
) -> None:
    """The builder edits the links typed as title and URL; links made by other features
    (with a target) are left alone."""
    QuestionLink.objects.filter(
        program_id=template.program_id,
        lineage=template.lineage,
        question_key=question_key,
        target_id__isnull=True,
    ).delete()
    QuestionLink.objects.bulk_create(
        QuestionLink(
            program_id=template.program_id,
            lineage=template.lineage,
            question_key=question_key,
            kind=LinkKind.RESOURCE,
            title=title[:200],
            url=url,
            position=index,
        )
        for index, (title, url) in enumerate(links)
    )


@transaction.atomic
def template_question_save(
    *,
    template: SurveyTemplate,
    actor: User,
    section_key: str,
    original_key: str | None,
    question: dict,
    links: list[tuple[str, str]] | None = None,
) -> SurveyTemplate:
    """Add a question at the end of a section, or edit one (and move it to
    `section_key`). Conditions of other questions follow a renamed key."""
    locked = draft_for_update(template)
    definition = copy.deepcopy(locked.definition)
    target = _find_section(definition, section_key)
    key = question.get("key", "")
    if original_key:
        found = None
        for section in definition["sections"]:
            for index, existing in enumerate(section["questions"]):
                if existing["key"] == original_key:
                    found = (section, index)
        if found is None:
            raise ValidationError({"__all__": [f"There is no question {original_key}."]})
        section, index = found
        if section is target:
            section["questions"][index] = question
        else:
            del section["questions"][index]
            target["questions"].append(question)
        if key != original_key:
            for _, other in iter_questions(definition):
                condition = other.get("show_if")
                if condition and condition.get("question") == original_key:
                    condition["question"] = key
    else:
        target["questions"].append(question)
    keys = [q["key"] for _, q in iter_questions(definition)]
    if keys.count(key) > 1:
        raise ValidationError({"key": f"Question key {key} is already used."})
    saved = _save_definition(
        locked,
        actor,
        definition,
        verb="survey_template.question_saved",
        data={"question": key},
        question=key,
    )
    if original_key and key != original_key:
        _rename_links(locked, original_key, key)
    if links is not None:
        _replace_typed_links(locked, key, links)
    return saved


@transaction.atomic
def template_item_delete(
    *, template: SurveyTemplate, actor: User, kind: str, key: str
) -> SurveyTemplate:
    """Remove a section (with its questions) or a question from a draft."""
    locked = draft_for_update(template)
    definition = copy.deepcopy(locked.definition)
    if kind == "section":
        section = _find_section(definition, key)
        removed = {q["key"] for q in section["questions"]}
        definition["sections"].remove(section)
    else:
        removed = {key}
        for section in definition["sections"]:
            section["questions"] = [q for q in section["questions"] if q["key"] != key]
        if not any(key == q["key"] for _, q in iter_questions(locked.definition)):
            raise ValidationError({"__all__": [f"There is no question {key}."]})
    dependants = [
        f"Question {q['key']} depends on {q['show_if']['question']}: change or remove its "
        "condition first."
        for _, q in iter_questions(definition)
        if q.get("show_if") and q["show_if"]["question"] in removed
    ]
    if dependants:
        raise ValidationError({"__all__": dependants})
    return _save_definition(
        locked,
        actor,
        definition,
        verb="survey_template.item_deleted",
        data={"kind": kind, "key": key},
    )


@transaction.atomic
def template_item_move(
    *, template: SurveyTemplate, actor: User, kind: str, key: str, direction: str
) -> SurveyTemplate:
    """Move a section, or a question within its section, one place up or down."""
    locked = draft_for_update(template)
    definition = copy.deepcopy(locked.definition)
    step = -1 if direction == "up" else 1
    if kind == "section":
        items = definition["sections"]
    else:
        items = next(
            (
                s["questions"]
                for s in definition["sections"]
                if key in {q["key"] for q in s["questions"]}
            ),
            [],
        )
    index = next((i for i, item in enumerate(items) if item["key"] == key), None)
    if index is None:
        raise ValidationError({"__all__": [f"There is no {kind} {key}."]})
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    return _save_definition(
        locked,
        actor,
        definition,
        verb="survey_template.item_moved",
        data={"kind": kind, "key": key, "direction": direction},
    )
