"""Writes about gap analyses: build and publish templates, attach waves, fill in,
submit and reopen responses.

One transaction each, with the audit event inside it. Everything is checked
before anything is written: a problem raises django.core.exceptions.ValidationError
with a message per problem (keyed by form field or question key where one is at
fault), and nothing is saved. Who may ask is decided by the callers through the
selectors; the services check it again where a wrong caller would corrupt data
(a non-member answering, a member submitting).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from accounts.models import Program, User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from core.emails import email_enqueue
from teams.models import Team, TeamMembership, TeamRole

from .definition import (
    NA,
    Problem,
    RawAnswer,
    answer_words,
    missing_required,
    normalise_definition,
    parse_answers,
    publish_problems,
    questions_by_key,
    to_decimal,
)
from .models import (
    Answer,
    LinkKind,
    QuestionLink,
    ResponseStatus,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
    TemplateStatus,
    WaveKind,
)
from .scoring import score_response
from .selectors import answer_rows, cached_sections, stored_value, survey_access, typed_answers
from .template_io import LinkSpec, parse_template_file

REASON_MAX_LENGTH = 2000

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


# --- templates ------------------------------------------------------------------------------


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


def _draft_for_update(template: SurveyTemplate) -> SurveyTemplate:
    """Lock the version; only drafts change, published versions are immutable."""
    locked = SurveyTemplate.objects.select_for_update().get(pk=template.pk)
    if locked.status != TemplateStatus.DRAFT:
        raise ValidationError(
            f"Version {locked.version} is published and can no longer change, so that the "
            "responses to it keep their meaning. Create a new version to edit it."
        )
    return locked


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


@transaction.atomic
def template_update_details(
    *, template: SurveyTemplate, actor: User, name: str, description: str, max_points: Any
) -> SurveyTemplate:
    locked = _draft_for_update(template)
    locked.name, locked.max_points = _check_details(name, max_points)
    locked.description = description.strip()
    locked.save(update_fields=["name", "description", "max_points", "updated_at"])
    audit_record(actor=actor, verb="survey_template.updated", target=locked)
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
    locked = _draft_for_update(template)
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
    locked = _draft_for_update(template)
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
            for _, other in _all_questions(definition):
                condition = other.get("show_if")
                if condition and condition.get("question") == original_key:
                    condition["question"] = key
    else:
        target["questions"].append(question)
    keys = [q["key"] for _, q in _all_questions(definition)]
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


def _all_questions(definition: dict):
    for section in definition["sections"]:
        for question in section["questions"]:
            yield section, question


@transaction.atomic
def template_item_delete(
    *, template: SurveyTemplate, actor: User, kind: str, key: str
) -> SurveyTemplate:
    """Remove a section (with its questions) or a question from a draft."""
    locked = _draft_for_update(template)
    definition = copy.deepcopy(locked.definition)
    if kind == "section":
        section = _find_section(definition, key)
        removed = {q["key"] for q in section["questions"]}
        definition["sections"].remove(section)
    else:
        removed = {key}
        for section in definition["sections"]:
            section["questions"] = [q for q in section["questions"] if q["key"] != key]
        if not any(key == q["key"] for _, q in _all_questions(locked.definition)):
            raise ValidationError({"__all__": [f"There is no question {key}."]})
    dependants = [
        f"Question {q['key']} depends on {q['show_if']['question']}: change or remove its "
        "condition first."
        for _, q in _all_questions(definition)
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
    locked = _draft_for_update(template)
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


@transaction.atomic
def template_publish(*, template: SurveyTemplate, actor: User) -> SurveyTemplate:
    """Freeze a draft so that waves can use it: only when its scored points add up to
    the stated maximum and every section has questions."""
    locked = _draft_for_update(template)
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


def _create_links(template: SurveyTemplate, links: list[LinkSpec]) -> None:
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
    _create_links(template, parsed.links)
    audit_record(
        actor=actor,
        verb="survey_template.imported",
        target=template,
        data={"questions": sum(len(s["questions"]) for s in parsed.definition["sections"])},
    )
    warnings = [str(p) for p in publish_problems(template.definition, template.max_points)]
    return template, warnings


@transaction.atomic
def question_link_add(
    *,
    template: SurveyTemplate,
    actor: User,
    question_key: str,
    kind: str,
    title: str,
    url: str = "",
    target_id=None,
) -> QuestionLink:
    """Link a resource or change idea to a question of an instrument (any version).

    For the resources and PDSA features: links are not part of the instrument's
    meaning, so they may be added to published versions too.
    """
    if question_key not in questions_by_key(template.definition):
        raise ValidationError({"question_key": f"There is no question {question_key}."})
    if kind not in LinkKind.values:
        raise ValidationError({"kind": "Link a resource or a change idea."})
    link = QuestionLink.objects.create(
        program_id=template.program_id,
        lineage=template.lineage,
        question_key=question_key,
        kind=kind,
        title=" ".join(title.split())[:200],
        url=url,
        target_id=target_id,
    )
    audit_record(actor=actor, verb="question_link.created", target=link)
    return link


# --- waves ------------------------------------------------------------------------------------


def _wave_problems(
    collaborative: Collaborative, template: SurveyTemplate | None, opens_on: date, due_on: date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if template is not None:
        if template.program_id != collaborative.program_id:
            problems["template"] = "Choose a template of this program."
        elif template.status != TemplateStatus.PUBLISHED:
            problems["template"] = "Publish the template before attaching it."
    if opens_on and due_on and due_on < opens_on:
        problems["due_on"] = "The due date must be on or after the opening date."
    return problems


@transaction.atomic
def wave_create(
    *,
    collaborative: Collaborative,
    actor: User,
    template: SurveyTemplate,
    kind: str,
    opens_on: date,
    due_on: date,
) -> SurveyWave:
    """Attach a published template to a collaborative as its baseline, midpoint or
    follow-up survey."""
    problems = _wave_problems(collaborative, template, opens_on, due_on)
    if kind not in WaveKind.values:
        problems["kind"] = "Choose baseline, midpoint or follow-up."
    elif SurveyWave.objects.filter(collaborative=collaborative, kind=kind).exists():
        problems["kind"] = (
            f"This collaborative already has a {WaveKind(kind).label.lower()} survey."
        )
    if collaborative.is_read_only:
        problems["__all__"] = "The collaborative has ended; add no new surveys to it."
    if problems:
        raise ValidationError(problems)
    wave = SurveyWave.objects.create(
        program=collaborative.program,
        collaborative=collaborative,
        template=template,
        kind=kind,
        opens_on=opens_on,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="survey_wave.created",
        target=wave,
        data={
            "template": str(template.public_id),
            "opens_on": str(opens_on),
            "due_on": str(due_on),
        },
    )
    return wave


@transaction.atomic
def wave_update(
    *,
    wave: SurveyWave,
    actor: User,
    opens_on: date,
    due_on: date,
    template: SurveyTemplate | None = None,
) -> SurveyWave:
    """Move a wave's dates; its template changes only while nobody has answered."""
    locked = SurveyWave.objects.select_for_update().select_related("collaborative").get(pk=wave.pk)
    problems = _wave_problems(locked.collaborative, template, opens_on, due_on)
    if template is not None and template.pk != locked.template_id and locked.responses.exists():
        problems["template"] = "Teams have started answering; the template can no longer change."
    if problems:
        raise ValidationError(problems)
    before = {"opens_on": str(locked.opens_on), "due_on": str(locked.due_on)}
    locked.opens_on, locked.due_on = opens_on, due_on
    if template is not None:
        locked.template = template
    locked.save()
    audit_record(
        actor=actor,
        verb="survey_wave.updated",
        target=locked,
        data={"before": before, "opens_on": str(opens_on), "due_on": str(due_on)},
    )
    return locked


# --- responses ---------------------------------------------------------------------------------


@dataclass
class SaveOutcome:
    response: SurveyResponse
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    submitted: bool = False


def _same(old: Any, new: Any) -> bool:
    if old is NA or new is NA:
        return old is new
    return old == new


def _lock_response(team: Team, wave: SurveyWave) -> SurveyResponse | None:
    return (
        SurveyResponse.objects.select_for_update()
        .select_related("template", "wave")
        .filter(program_id=team.program_id, team=team, wave=wave)
        .first()
    )


def _start_response(team: Team, wave: SurveyWave) -> SurveyResponse:
    """The team's draft for the wave, created on the first save (racing saves share it)."""
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(
                program_id=team.program_id,
                collaborative_id=team.collaborative_id,
                team=team,
                wave=wave,
                template_id=wave.template_id,
            )
    except IntegrityError:
        pass  # another member's first save won; lock theirs below
    return _lock_response(team, wave)


def _words(question: dict | None, value: Any) -> str:
    if question is None:
        return ""
    return answer_words(question, value)[:200]


@transaction.atomic
def response_save(
    *,
    team: Team,
    wave: SurveyWave,
    actor: User,
    raw: dict[str, RawAnswer],
    submit: bool = False,
    since: datetime | None = None,
) -> SaveOutcome:
    """Save a team's answers (a draft, autosaved or not) and, for a lead, submit them.

    Every answer is checked first; one bad answer saves nothing. Only answers that
    differ from the stored ones are written, each with its editor. An answer that
    another member changed after `since` (when this person's page was rendered) is
    kept, and reported as a conflict; a submission with conflicts is refused, so a
    lead never submits an answer they have not seen.
    """
    if wave.program_id != team.program_id or wave.collaborative_id != team.collaborative_id:
        raise ValidationError({"__all__": ["This survey is not for this team."]})
    response = _lock_response(team, wave)
    access = survey_access(user=actor, team=team, wave=wave, response=response)
    if not access.team_access.is_member:
        raise PermissionDenied("Only the team's members fill in the survey.")
    if not access.can_edit:
        raise ValidationError({"__all__": [access.reason]})
    if submit and not access.can_submit:
        raise PermissionDenied("Only the team lead submits the survey.")
    template = response.template if response else wave.template
    definition = template.definition
    answers, problems = parse_answers(definition, raw)
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    rows = answer_rows(response=response) if response else {}
    current = typed_answers(definition, rows.values())
    changes: dict[str, Any] = {}
    conflicts: list[str] = []
    for key, value in answers.items():
        if _same(current.get(key), value):
            continue
        row = rows.get(key)
        if since and row and row.updated_by_id != actor.pk and row.updated_at > since:
            conflicts.append(key)
            continue
        changes[key] = value
    merged = {k: v for k, v in {**current, **changes}.items() if v is not None}
    if submit:
        errors: dict[str, list[str]] = {}
        for key in conflicts:
            errors[key] = [
                "Someone else changed this answer after you opened the page; check it, "
                "then submit again."
            ]
        for key in missing_required(definition, merged):
            errors.setdefault(key, ["Answer this question before submitting."])
        if errors:
            raise ValidationError(errors)
    if response is None:
        if not changes and not submit:
            return SaveOutcome(
                response=SurveyResponse(team=team, wave=wave, template=template),
                conflicts=conflicts,
            )
        response = _start_response(team, wave)
    now = clock.now()
    questions = questions_by_key(definition)
    history: dict[str, list[str]] = {}
    for key, value in changes.items():
        history[key] = [_words(questions.get(key), current.get(key)), _words(questions[key], value)]
        if value is None:
            Answer.objects.filter(response=response, question_key=key).delete()
            continue
        json_value, not_applicable = stored_value(value)
        Answer.objects.update_or_create(
            response=response,
            question_key=key,
            defaults={
                "program_id": response.program_id,
                "team_id": response.team_id,
                "value": json_value,
                "not_applicable": not_applicable,
                "updated_by": actor,
                "updated_at": now,
            },
        )
    if changes:
        response.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            verb="survey_response.answers_saved",
            target=response,
            data={"answers": history},
        )
    if submit:
        result = score_response(definition, merged)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
        response.submitted_by = actor
        response.score = result.score
        response.earned = result.earned
        response.possible = result.possible
        response.section_scores = cached_sections(result)
        response.save()
        audit_record(
            actor=actor,
            verb="survey_response.submitted",
            target=response,
            data={"score": str(result.score), "late": response.was_late},
        )
    return SaveOutcome(
        response=response, changed=list(changes), conflicts=conflicts, submitted=submit
    )


@transaction.atomic
def response_reopen(*, response: SurveyResponse, actor: User, reason: str) -> SurveyResponse:
    """Staff reopen a submitted survey so the team can correct it; the reason is kept
    in the audit trail and e-mailed to the team's leads. The cached score is cleared
    until the team submits again."""
    locked = (
        SurveyResponse.objects.select_for_update()
        .select_related("team", "wave", "collaborative", "program")
        .get(pk=response.pk)
    )
    if not is_program_staff(user=actor, program=locked.program):
        raise PermissionDenied("Only program staff reopen a submitted survey.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the survey is reopened; the team reads it."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"At most {REASON_MAX_LENGTH} characters."})
    if locked.status != ResponseStatus.SUBMITTED:
        raise ValidationError({"__all__": ["Only a submitted survey can be reopened."]})
    if locked.collaborative.is_read_only:
        raise ValidationError(
            {"__all__": ["The collaborative has ended; its surveys stay as submitted."]}
        )
    previous = {
        "score": str(locked.score),
        "submitted_at": locked.submitted_at.isoformat() if locked.submitted_at else "",
    }
    locked.status = ResponseStatus.DRAFT
    locked.reopened_at = clock.now()
    locked.reopened_by = actor
    locked.reopen_reason = reason
    locked.score = locked.earned = locked.possible = None
    locked.section_scores = []
    locked.save()
    audit_record(
        actor=actor,
        verb="survey_response.reopened",
        target=locked,
        data={"reason": reason, **previous},
    )
    url = settings.SITE_URL + reverse(
        "assessments:response_form",
        kwargs={"team_id": locked.team.public_id, "wave_id": locked.wave.public_id},
    )
    leads = TeamMembership.objects.filter(
        team=locked.team, role=TeamRole.LEAD, is_active=True
    ).select_related("user")
    for membership in leads:
        email_enqueue(
            to=membership.user.email,
            template="assessments_reopened",
            context={
                "person": membership.user,
                "team": locked.team,
                "wave": locked.wave,
                "collaborative": locked.collaborative,
                "reason": reason,
                "actor": actor,
                "url": url,
            },
            program=locked.program,
        )
    response.status = locked.status
    return locked


@transaction.atomic
def change_idea_link_set(
    *, program_id: int, target_id, title: str, gap_question: str = ""
) -> QuestionLink | None:
    """Make the gap report show a collaborative-level change idea beside its item.

    `gap_question` is "<lineage>:<question key>" (see selectors.gap_question_choices);
    empty removes the link. Only change-package items (shared with every team) are
    linked this way: a team's own ideas are private and never shown to other teams.
    """
    QuestionLink.objects.filter(
        program_id=program_id, kind=LinkKind.CHANGE_IDEA, target_id=target_id
    ).delete()
    if not gap_question:
        return None
    lineage, _, key = gap_question.partition(":")
    return QuestionLink.objects.create(
        program_id=program_id,
        lineage=lineage,
        question_key=key,
        kind=LinkKind.CHANGE_IDEA,
        title=" ".join(title.split())[:200],
        target_id=target_id,
    )
