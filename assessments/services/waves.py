"""Waves: attach a published template to a collaborative as its baseline, midpoint or
follow-up survey, and move its dates.

A collaborative has one wave of each kind. A wave's template changes only while no
team has answered, so that the teams of a wave answer the same version.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from collaboratives.models import Collaborative
from core.audit import audit_record

from ..models import SurveyTemplate, SurveyWave, TemplateStatus, WaveKind


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
