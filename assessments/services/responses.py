"""A team's response: save answers over several sittings, submit, and reopen.

Several members fill in one survey, so a save writes only the answers that changed
and keeps (and reports) one that another member changed meanwhile; a lead submits,
and a submission caches the score. Staff reopen a submitted survey only with a
reason and a new due date, which the team's leads receive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.selectors import is_program_staff
from core import clock
from core.audit import audit_record
from core.emails import Recipient, absolute_url, email_enqueue
from teams.models import Team, TeamMembership, TeamRole

from ..definition import (
    NA,
    RawAnswer,
    answer_words,
    missing_required,
    parse_answers,
    questions_by_key,
)
from ..models import Answer, ResponseStatus, SurveyResponse, SurveyWave
from ..scoring import score_response
from ..selectors import (
    answer_rows,
    cached_sections,
    stored_value,
    survey_access,
    survey_due,
    typed_answers,
)

REASON_MAX_LENGTH = 2000


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
        if response.first_submitted_at is None:
            response.first_submitted_at = now
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
            data={
                "score": str(result.score),
                "late": survey_due(wave=wave, team=team, response=response).is_late,
            },
        )
    return SaveOutcome(
        response=response, changed=list(changes), conflicts=conflicts, submitted=submit
    )


#: A reopened survey is due this many days later unless staff choose another date.
REOPEN_DAYS = 14


def reopen_default_due(today: date | None = None) -> date:
    return (today or clock.today()) + timedelta(days=REOPEN_DAYS)


@transaction.atomic
def response_reopen(
    *, response: SurveyResponse, actor: User, reason: str, due_on: date | None = None
) -> SurveyResponse:
    """Staff reopen a submitted survey so the team can correct it; the reason is kept
    in the audit trail and e-mailed to the team's leads with the new due date
    (`due_on`, by default two weeks from today). The reopened survey is late only
    against that date; the first submission keeps its own verdict
    (assessments.selectors.deadlines). The cached score is cleared until the team
    submits again. The returned response carries `emailed`: the leads an e-mail was
    queued for (none when the team has no lead), for the page to say."""
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
    today = clock.today()
    due_on = due_on or reopen_default_due(today)
    if due_on < today:
        raise ValidationError({"due_on": "Choose a new due date from today on."})
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
    locked.reopen_due_on = due_on
    if locked.first_submitted_at is None:
        locked.first_submitted_at = locked.submitted_at
    locked.score = locked.earned = locked.possible = None
    locked.section_scores = []
    locked.save()
    audit_record(
        actor=actor,
        verb="survey_response.reopened",
        target=locked,
        data={"reason": reason, "due_on": str(due_on), **previous},
    )
    path = reverse(
        "assessments:response_form",
        kwargs={"team_id": locked.team.public_id, "wave_id": locked.wave.public_id},
    )
    url = absolute_url(path)
    leads = TeamMembership.objects.filter(
        team=locked.team, role=TeamRole.LEAD, is_active=True
    ).select_related("user")
    emailed = []
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
                "due_on": due_on,
                "actor": actor,
                "url": url,
            },
            program=locked.program,
            kind="assessment_reopened",
            notice_url=path,
        )
        emailed.append(Recipient.of(membership.user, "lead"))
    response.status = locked.status
    locked.emailed = tuple(emailed)
    return locked
