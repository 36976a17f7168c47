"""Measure definitions: the program's library (staff) and a team's own measures.

A definition says what a number means (kind of data, numerator and denominator,
direction of improvement, goal), so a change that would make stored values mean
something else is refused: the kind of data cannot change once values exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import Program, User
from core.audit import audit_record
from teams.models import Team

from ..models import DataKind, DataPoint, Frequency, Measure, TeamMeasure

MEASURE_FIELDS = (
    "code",
    "name",
    "short_name",
    "measure_type",
    "data_kind",
    "unit",
    "multiplier",
    "direction",
    "target",
    "target_note",
    "numerator_definition",
    "denominator_definition",
    "inclusions",
    "exclusions",
    "sampling",
    "frequency",
    "min_value",
    "max_value",
    "is_active",
)


def _measure_problems(fields: Mapping) -> dict[str, str]:
    problems: dict[str, str] = {}
    kind = fields.get("data_kind")
    if kind == DataKind.RATE and (fields.get("multiplier") or 0) < 1:
        problems["multiplier"] = "A rate needs a multiplier of at least 1 (e.g. 1,000)."
    if kind in (DataKind.PROPORTION, DataKind.RATE) and not fields.get("denominator_definition"):
        problems["denominator_definition"] = (
            "Say what the denominator counts: a proportion or rate needs one."
        )
    target = fields.get("target")
    if target is not None and kind == DataKind.PROPORTION and not 0 <= target <= 100:
        problems["target"] = "A proportion's goal is a percentage between 0 and 100."
    if target is not None and target < 0:
        problems["target"] = "The goal cannot be negative."
    low, high = fields.get("min_value"), fields.get("max_value")
    if low is not None and high is not None and low > high:
        problems["max_value"] = "The highest expected value must be above the lowest."
    if kind in (DataKind.PROPORTION, DataKind.RATE) and (low is not None or high is not None):
        problems["min_value"] = "Expected ranges apply to counts and continuous values only."
    return problems


def _clean_measure_fields(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in MEASURE_FIELDS}
    for key in ("name", "short_name", "code", "unit", "target_note"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = " ".join(cleaned[key].split())
    if cleaned.get("data_kind") == DataKind.PROPORTION:
        cleaned["multiplier"] = 1
    return cleaned


def _name_taken(program_id: int, team: Team | None, name: str, exclude_pk=None) -> bool:
    existing = Measure.objects.annotate(lname=Lower("name")).filter(
        program_id=program_id, lname=name.lower()
    )
    existing = existing.filter(team=team) if team else existing.filter(team__isnull=True)
    return existing.exclude(pk=exclude_pk).exists()


def _new_measure_fields(
    fields: dict, *, program_id: int, team: Team | None, name_taken: str
) -> dict:
    """The cleaned fields of a new library (no team) or team measure; ValidationError
    with every problem, `name_taken` when the name is already used there."""
    fields = _clean_measure_fields(fields)
    problems = _measure_problems(fields)
    if not fields.get("name"):
        problems["name"] = "Give the measure a name."
    elif _name_taken(program_id, team, fields["name"]):
        problems["name"] = name_taken
    if problems:
        raise ValidationError(problems)
    fields.setdefault("short_name", fields["name"][:60])
    return fields


@transaction.atomic
def measure_create(*, program: Program, actor: User, **fields: Any) -> Measure:
    """A new library measure of the program (staff)."""
    fields = _new_measure_fields(
        fields,
        program_id=program.pk,
        team=None,
        name_taken="The library already has a measure with this name.",
    )
    measure = Measure.objects.create(program=program, created_by=actor, **fields)
    audit_record(actor=actor, verb="measure.created", target=measure)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, actor: User, **changes: Any) -> Measure:
    """Edit a definition. The kind of data cannot change once values exist: the stored
    numbers would no longer mean what the chart says."""
    changes = _clean_measure_fields(changes)
    merged = {f: changes.get(f, getattr(measure, f)) for f in MEASURE_FIELDS}
    problems = _measure_problems(merged)
    if not merged["name"]:
        problems["name"] = "Give the measure a name."
    elif _name_taken(measure.program_id, measure.team, merged["name"], exclude_pk=measure.pk):
        problems["name"] = "Another measure already has this name."
    if (
        merged["data_kind"] != measure.data_kind
        and DataPoint.objects.filter(program_id=measure.program_id, measure=measure).exists()
    ):
        problems["data_kind"] = (
            "Teams have entered values for this measure: its kind of data cannot change. "
            "Create a new measure instead."
        )
    if problems:
        raise ValidationError(problems)
    changed = sorted(f for f, v in changes.items() if getattr(measure, f) != v)
    for field, value in changes.items():
        setattr(measure, field, value)
    measure.save()
    if changed:
        audit_record(actor=actor, verb="measure.updated", target=measure, data={"fields": changed})
    return measure


@transaction.atomic
def custom_measure_create(*, team: Team, actor: User, **fields: Any) -> Measure:
    """A team's own measure: seen only by the team's circle, reported by the team."""
    fields = _new_measure_fields(
        fields,
        program_id=team.program_id,
        team=team,
        name_taken="Your team already has a measure with this name.",
    )
    fields["frequency"] = Frequency.MONTHLY
    measure = Measure.objects.create(
        program_id=team.program_id,
        collaborative_id=team.collaborative_id,
        team=team,
        created_by=actor,
        **fields,
    )
    TeamMeasure.objects.update_or_create(
        team=team,
        measure=measure,
        defaults={
            "program_id": team.program_id,
            "collaborative_id": team.collaborative_id,
            "is_selected": True,
            "updated_by": actor,
        },
    )
    audit_record(actor=actor, verb="measure.custom_created", target=measure)
    return measure
