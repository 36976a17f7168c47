"""Writes about PDSA cycles: create, edit and move through the stages (with the
history of every change), delete and restore."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core import clock
from core.audit import audit_record
from teams.models import Team

from ..models import STAGE_ORDER, ChangeIdea, Cycle, CycleRevision, Stage
from ..selectors import linkable_measures, linked_measures_of
from ..stages import (
    DATE_FIELDS,
    EDITABLE_FIELDS,
    FIELD_LABELS,
    STAGES,
    date_problems,
    future_date_problems,
    missing_message,
    missing_to_enter,
    stage_label,
    stages_up_to,
)
from ._common import clean_text, diff, json_value
from .feedback import feedback_requested

#: Autosaves by one person within this window update one revision, not many.
AUTOSAVE_MERGE_WINDOW = timedelta(minutes=10)

#: Long enough for a thorough note, short enough to keep pages readable.
TEXT_MAX_LENGTH = 10_000

#: Entering these stages asks the coach to look (the cycle waits for feedback).
FEEDBACK_STAGES = (Stage.STUDY, Stage.ACT, Stage.COMPLETE)


# --- checks ------------------------------------------------------------------------------


def _check_change_idea(team: Team, change_idea: ChangeIdea | None, *, current=None) -> None:
    if change_idea is None:
        raise ValidationError({"change_idea": "Choose the change idea this cycle tests."})
    if change_idea.team_id != team.pk or change_idea.program_id != team.program_id:
        raise ValidationError(
            {
                "change_idea": "Choose one of your team's change ideas (or seed one from the "
                "collaborative's change package)."
            }
        )
    if change_idea.retired_at is not None and change_idea.pk != getattr(current, "pk", None):
        raise ValidationError(
            {"change_idea": f"“{change_idea.title}” was retired; choose a current change idea."}
        )


def _check_builds_on(team: Team, cycle: Cycle, builds_on: Cycle | None) -> None:
    if builds_on is None:
        return
    if (
        builds_on.team_id != team.pk
        or builds_on.program_id != team.program_id
        or builds_on.deleted_at is not None
    ):
        raise ValidationError({"builds_on": "Choose one of your team's cycles to build on."})
    if builds_on.change_idea_id != cycle.change_idea_id:
        raise ValidationError(
            {"builds_on": "A cycle builds on an earlier test of the same change idea."}
        )
    if cycle.pk is not None:
        seen, link = set(), builds_on
        while link is not None and link.pk not in seen:
            if link.pk == cycle.pk:
                raise ValidationError(
                    {"builds_on": "A cycle cannot build on itself or on a cycle that follows it."}
                )
            seen.add(link.pk)
            link = link.builds_on


def _check_lengths(values: dict[str, Any]) -> None:
    problems = {
        name: f"{FIELD_LABELS[name]} is too long (at most {TEXT_MAX_LENGTH:,} characters)."
        for name, value in values.items()
        if isinstance(value, str) and len(value) > TEXT_MAX_LENGTH
    }
    if problems:
        raise ValidationError(problems)


def _measure_links(team: Team, cycle: Cycle, measures: Any) -> tuple[list, list | None]:
    """The measures to link and the [old, new] change record (None when unchanged).

    Only measures the team reports may be linked (pdsa.selectors.linkable_measures);
    ids from another team or program are refused, whatever the caller sent.
    """
    chosen = list(dict.fromkeys(measures or ()))
    current = list(linked_measures_of(cycle=cycle))
    allowed = set(linkable_measures(team=team, cycle=cycle).values_list("pk", flat=True))
    refused = [m for m in chosen if m.pk not in allowed]
    if refused:
        names = ", ".join(f"“{m.name}”" for m in refused)
        raise ValidationError(
            {"linked_measures": f"Link measures your team reports; {names} is not one of them."}
        )
    chosen.sort(key=lambda m: m.name)
    if {m.pk for m in chosen} == {m.pk for m in current}:
        return chosen, None
    return chosen, [
        ", ".join(m.name for m in current) or None,
        ", ".join(m.name for m in chosen) or None,
    ]


def _check_dates(cycle: Cycle) -> None:
    """The stage dates keep their order, and those that record what happened are not
    later than today (pdsa.stages: the one rule for the form, the API and the demo)."""
    values = {name: getattr(cycle, name) for name in DATE_FIELDS}
    problems = future_date_problems(values, stage=cycle.stage, today=clock.today())
    for name, message in date_problems(values).items():
        problems.setdefault(name, message)
    if problems:
        raise ValidationError(problems)


def _check_advance(cycle: Cycle, current: str, target: str) -> None:
    if target not in STAGE_ORDER:
        raise ValidationError({"stage": "Unknown stage."})
    if STAGE_ORDER.index(target) < STAGE_ORDER.index(current):
        raise ValidationError(
            {
                "stage": f"This cycle is already at {stage_label(current)}; it does not go back. "
                "Edit the earlier stage's notes instead."
            }
        )
    missing = missing_to_enter(cycle, target)
    if missing:
        raise ValidationError({"stage": missing_message(target, missing)}, code="missing")


def _clean_values(values: dict[str, Any], allowed: tuple[str, ...] | list[str]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    outside = [name for name in values if name not in allowed]
    if outside:
        raise ValidationError(
            {
                name: f"{FIELD_LABELS[name]} belongs to a later stage; move the cycle there first."
                for name in outside
            }
        )
    cleaned = {name: clean_text(value) for name, value in values.items()}
    for name in ("scale", "decision"):
        if cleaned.get(name) is None and name in cleaned:
            cleaned[name] = ""
    _check_lengths(cleaned)
    return cleaned


def _fields_of(stages: list[str]) -> list[str]:
    return [f for stage in stages for f in STAGES[stage].fields]


# --- revisions ---------------------------------------------------------------------------


def _record_revision(
    *, cycle: Cycle, actor: User, before: str, changes: dict, autosave: bool
) -> tuple[CycleRevision, bool]:
    """Write (or, for a run of autosaves, extend) the newest revision. Returns
    (revision, created)."""
    now = clock.now()
    if autosave and before == cycle.stage:
        last = (
            CycleRevision.objects.select_for_update()
            .filter(cycle=cycle, program_id=cycle.program_id)
            .order_by("-revised_at", "-id")
            .first()
        )
        if (
            last is not None
            and last.is_autosave
            and last.revised_by_id == actor.pk
            and last.stage_after == cycle.stage
            and last.stage_before == cycle.stage
            and now - last.revised_at <= AUTOSAVE_MERGE_WINDOW
        ):
            merged = dict(last.changes)
            for name, (old, new) in changes.items():
                first_old = merged[name][0] if name in merged else old
                if first_old == new:
                    merged.pop(name, None)
                else:
                    merged[name] = [first_old, new]
            last.changes = merged
            last.revised_at = now
            last.save(update_fields=["changes", "revised_at"])
            return last, False
    revision = CycleRevision.objects.create(
        program_id=cycle.program_id,
        team_id=cycle.team_id,
        cycle=cycle,
        revised_by=actor,
        revised_at=now,
        stage_before=before,
        stage_after=cycle.stage,
        changes=changes,
        is_autosave=autosave,
    )
    return revision, True


def _enter_stage(cycle: Cycle, target: str, actor_is_team: bool) -> None:
    cycle.stage = target
    if target == Stage.COMPLETE and cycle.completed_date is None:
        cycle.completed_date = max(d for d in (clock.today(), cycle.act_date) if d is not None)
    if actor_is_team and target in FEEDBACK_STAGES and cycle.awaiting_feedback_since is None:
        cycle.awaiting_feedback_since = clock.now()


# --- cycles ------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *, team: Team, actor: User, values: dict[str, Any], advance_to: str | None = None
) -> Cycle:
    """Log a new test of change at the Plan stage (a draft), optionally moving it on.

    The change idea (and the cycle it builds on) must be the team's own: ids from
    another team or program are refused, whatever the caller sent. The plan date is
    the caller's (the page fills in today; the API sends it or leaves it empty), and
    dates of what happened cannot be later than today (pdsa.stages).
    """
    values = _clean_values(values, STAGES[Stage.PLAN].fields)
    if not values.get("title"):
        raise ValidationError(
            {"title": "Give the test a short title, e.g. “Weigh in kg, 1 shift”."}
        )
    now = clock.now()
    cycle = Cycle(
        program_id=team.program_id,
        team=team,
        stage=Stage.PLAN,
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    for name, value in values.items():
        setattr(cycle, name, value)
    _check_change_idea(team, values.get("change_idea"))
    _check_builds_on(team, cycle, values.get("builds_on"))
    # No date is made up: a plan without a date stays a draft until the team gives
    # one (it is required to move on to Do), as on the page.
    if advance_to and advance_to != Stage.PLAN:
        _check_advance(cycle, Stage.PLAN, advance_to)
        _enter_stage(cycle, advance_to, actor_is_team=True)
    _check_dates(cycle)
    cycle.save()
    changes = {
        name: [None, json_value(value)] for name, value in values.items() if value not in (None, "")
    }
    _record_revision(cycle=cycle, actor=actor, before=Stage.PLAN, changes=changes, autosave=False)
    audit_record(
        actor=actor,
        verb="pdsa_cycle.created",
        target=cycle,
        data={"stage": cycle.stage, "change_idea": str(cycle.change_idea.public_id)},
    )
    feedback_requested(cycle=cycle, actor=actor)
    return cycle


@transaction.atomic
def cycle_update(
    *,
    cycle: Cycle,
    actor: User,
    values: dict[str, Any],
    advance_to: str | None = None,
    autosave: bool = False,
) -> Cycle:
    """Save edits of the stages the cycle has reached, and move it on if asked.

    Moving on needs every required field of the stages before the target (the
    message names them all); nothing is saved when a check fails, so callers that
    must not lose text save the draft first without `advance_to` (the views do).
    History: one revision per save with each changed field's old and new value.
    """
    locked = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("change_idea", "builds_on", "team")
        .get(pk=cycle.pk, program_id=cycle.program_id)
    )
    if locked.deleted_at is not None:
        raise ValidationError("This cycle was deleted; ask program staff to restore it first.")
    before = locked.stage
    waiting_before = locked.awaiting_feedback_since
    values = _clean_values(values, _fields_of(stages_up_to(before)))
    links_given = "linked_measures" in values
    links = values.pop("linked_measures", None)
    changes = diff(locked, values)
    if links_given:
        links, links_change = _measure_links(locked.team, locked, links)
        if links_change is not None:
            changes["linked_measures"] = links_change
    for name, value in values.items():
        setattr(locked, name, value)
    team = locked.team
    if "change_idea" in changes:
        _check_change_idea(team, values.get("change_idea"), current=cycle.change_idea)
        previous = locked.builds_on
        if previous is not None and previous.change_idea_id != locked.change_idea_id:
            if "builds_on" in values:
                _check_builds_on(team, locked, previous)
            # The chain belonged to the old change idea: the cycle starts a new ramp.
            locked.builds_on = None
            changes["builds_on"] = [str(previous), None]
    if "builds_on" in changes:
        _check_builds_on(team, locked, locked.builds_on)
    if advance_to and advance_to != before:
        completed_before = locked.completed_date
        _check_advance(locked, before, advance_to)
        _enter_stage(locked, advance_to, actor_is_team=True)
        if locked.completed_date != completed_before:
            changes["completed_date"] = [
                json_value(completed_before),
                json_value(locked.completed_date),
            ]
    _check_dates(locked)
    if not changes and locked.stage == before:
        return locked
    locked.updated_at = clock.now()
    locked.updated_by = actor
    locked.save()
    if "linked_measures" in changes:
        locked.linked_measures.set(
            links, through_defaults={"program_id": locked.program_id, "team_id": locked.team_id}
        )
    _, created = _record_revision(
        cycle=locked, actor=actor, before=before, changes=changes, autosave=autosave
    )
    if created or locked.stage != before:
        data: dict[str, Any] = {"fields": sorted(changes)}
        if locked.stage != before:
            data.update({"from": before, "to": locked.stage})
        audit_record(
            actor=actor,
            verb="pdsa_cycle.stage_changed" if locked.stage != before else "pdsa_cycle.updated",
            target=locked,
            data=data,
        )
    if waiting_before is None and locked.awaiting_feedback_since is not None:
        feedback_requested(cycle=locked, actor=actor)
    return locked


@transaction.atomic
def cycle_soft_delete(*, cycle: Cycle, actor: User) -> Cycle:
    """Hide a cycle from the team's pages; program staff can restore it (nothing is lost)."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk, program_id=cycle.program_id)
    if locked.deleted_at is not None:
        return locked
    locked.deleted_at = clock.now()
    locked.deleted_by = actor
    locked.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(actor=actor, verb="pdsa_cycle.deleted", target=locked)
    return locked


@transaction.atomic
def cycle_restore(*, cycle: Cycle, actor: User) -> Cycle:
    """Undo a delete: the cycle comes back with its notes, comments and history."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk, program_id=cycle.program_id)
    if locked.deleted_at is None:
        return locked
    deleted_at = locked.deleted_at
    locked.deleted_at = None
    locked.deleted_by = None
    locked.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(
        actor=actor,
        verb="pdsa_cycle.restored",
        target=locked,
        data={"deleted_at": deleted_at.isoformat()},
    )
    return locked
