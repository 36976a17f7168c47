"""Writes about measures: the library, measure sets, periods, data entry, submissions.

One transaction each, with an audit event inside it. Problems a person can fix raise
django.core.exceptions.ValidationError with plain-language messages (a dict keyed by
the form field at fault where there is one); nothing is saved then.

Data that must not be lost: every change of a value writes a DataPointRevision with
the old and new numbers, who and when; deleting is a soft delete that staff undo.
Saving the same numbers again writes nothing, which is what makes imports idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.models import Program, User
from accounts.selectors import is_program_staff
from collaboratives.models import Collaborative
from core import clock
from core.audit import audit_record
from core.clock import add_months
from core.emails import email_enqueue
from teams.models import Team, TeamMembership, TeamRole
from teams.selectors import team_coaches

from .models import (
    HANDED_IN,
    BenchmarkConsent,
    ChartType,
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    DataPointRevision,
    DataSource,
    Frequency,
    Measure,
    ReportingPeriod,
    Requirement,
    RevisionAction,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from .periods import has_started, iter_periods, not_started_message
from .validation import Entry, entry_field, value_problems

NARRATIVE_FIELDS = ("tested", "learned", "barriers", "wins")
NARRATIVE_MAX_LENGTH = 5000
REVIEW_COMMENT_MAX_LENGTH = 5000
MAX_PHASES = 12

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


# --- the library -----------------------------------------------------------------------


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


@transaction.atomic
def measure_create(*, program: Program, actor: User, **fields) -> Measure:
    """A new library measure of the program (staff)."""
    fields = _clean_measure_fields(fields)
    problems = _measure_problems(fields)
    if not fields.get("name"):
        problems["name"] = "Give the measure a name."
    elif _name_taken(program.pk, None, fields["name"]):
        problems["name"] = "The library already has a measure with this name."
    if problems:
        raise ValidationError(problems)
    fields.setdefault("short_name", fields["name"][:60])
    measure = Measure.objects.create(program=program, created_by=actor, **fields)
    audit_record(actor=actor, verb="measure.created", target=measure)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, actor: User, **changes) -> Measure:
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
def custom_measure_create(*, team: Team, actor: User, **fields) -> Measure:
    """A team's own measure: seen only by the team's circle, reported by the team."""
    fields = _clean_measure_fields(fields)
    problems = _measure_problems(fields)
    if not fields.get("name"):
        problems["name"] = "Give the measure a name."
    elif _name_taken(team.program_id, team, fields["name"]):
        problems["name"] = "Your team already has a measure with this name."
    if problems:
        raise ValidationError(problems)
    fields.setdefault("short_name", fields["name"][:60])
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


# --- measure sets and periods --------------------------------------------------------------


@transaction.atomic
def measure_set_add(
    *,
    collaborative: Collaborative,
    measure: Measure,
    actor: User,
    requirement: str = Requirement.REQUIRED,
) -> CollaborativeMeasure:
    """Choose a library measure into the collaborative's set."""
    if measure.program_id != collaborative.program_id or measure.team_id is not None:
        raise ValidationError({"measure": "Choose a measure of this program's library."})
    if requirement not in Requirement.values:
        raise ValidationError({"requirement": "Choose required or optional."})
    if CollaborativeMeasure.objects.filter(collaborative=collaborative, measure=measure).exists():
        raise ValidationError({"measure": f"{measure.name} is already in the measure set."})
    last = (
        CollaborativeMeasure.objects.filter(collaborative=collaborative)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    entry = CollaborativeMeasure.objects.create(
        program_id=collaborative.program_id,
        collaborative=collaborative,
        measure=measure,
        requirement=requirement,
        position=(last or 0) + 1,
    )
    audit_record(
        actor=actor,
        verb="measure_set.added",
        target=collaborative,
        data={"measure": str(measure.public_id), "requirement": requirement},
    )
    return entry


@transaction.atomic
def measure_set_update(
    *, entry: CollaborativeMeasure, actor: User, requirement: str, position: int | None = None
) -> CollaborativeMeasure:
    if requirement not in Requirement.values:
        raise ValidationError({"requirement": "Choose required or optional."})
    entry.requirement = requirement
    if position is not None:
        entry.position = max(0, int(position))
    entry.save(update_fields=["requirement", "position"])
    audit_record(
        actor=actor,
        verb="measure_set.changed",
        target=entry.collaborative,
        data={"measure": str(entry.measure.public_id), "requirement": requirement},
    )
    return entry


@transaction.atomic
def measure_set_remove(*, entry: CollaborativeMeasure, actor: User) -> None:
    """Take a measure out of the set. Values already entered are kept (and come back if
    the measure is added again)."""
    collaborative, measure = entry.collaborative, entry.measure
    entry.delete()
    audit_record(
        actor=actor,
        verb="measure_set.removed",
        target=collaborative,
        data={"measure": str(measure.public_id)},
    )


@transaction.atomic
def periods_generate(
    *,
    collaborative: Collaborative,
    actor: User,
    frequency: str = Frequency.MONTHLY,
    baseline_months: int = 0,
    due_days: int = 15,
) -> int:
    """Create the reporting periods from `baseline_months` before the collaborative's
    start to its end; each is due `due_days` after it ends. Existing periods are kept
    (running it again adds only what is missing). Returns the number created."""
    if not collaborative.start_date or not collaborative.end_date:
        raise ValidationError("Set the collaborative's start and end dates first.")
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose weekly, monthly or quarterly."})
    if not 0 <= baseline_months <= 36:
        raise ValidationError({"baseline_months": "Give between 0 and 36 baseline months."})
    if not 0 <= due_days <= 90:
        raise ValidationError({"due_days": "Give between 0 and 90 days."})
    first = add_months(collaborative.start_date.replace(day=1), -baseline_months)
    existing = set(
        ReportingPeriod.objects.filter(
            collaborative=collaborative, frequency=frequency
        ).values_list("start", flat=True)
    )
    new = [
        ReportingPeriod(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            frequency=frequency,
            start=start,
            end=end,
            due_date=end + timedelta(days=due_days),
        )
        for start, end in iter_periods(frequency, first, collaborative.end_date)
        if start not in existing
    ]
    ReportingPeriod.objects.bulk_create(new)
    if new:
        audit_record(
            actor=actor,
            verb="reporting_periods.generated",
            target=collaborative,
            data={"frequency": frequency, "created": len(new), "baseline_months": baseline_months},
        )
    return len(new)


@transaction.atomic
def period_update(*, period: ReportingPeriod, actor: User, due_date: date) -> ReportingPeriod:
    if due_date < period.end:
        raise ValidationError({"due_date": "A period is due after it ends."})
    previous = period.due_date
    period.due_date = due_date
    period.save(update_fields=["due_date"])
    audit_record(
        actor=actor,
        verb="reporting_period.due_changed",
        target=period,
        data={"from": str(previous), "to": str(due_date)},
    )
    return period


@transaction.atomic
def period_delete(*, period: ReportingPeriod, actor: User) -> None:
    """Remove a period nobody reported on (one with data is kept: its values matter)."""
    if (
        DataPoint.objects.filter(period=period).exists()
        or Submission.objects.filter(period=period).exists()
    ):
        raise ValidationError(f"Teams have reported on {period.label}: it cannot be removed.")
    collaborative = period.collaborative
    label = period.label
    period.delete()
    audit_record(
        actor=actor, verb="reporting_period.deleted", target=collaborative, data={"period": label}
    )


# --- the team's choices ------------------------------------------------------------------


def _team_measure(team: Team, measure: Measure) -> TeamMeasure:
    tm, _ = TeamMeasure.objects.select_for_update().get_or_create(
        team=team,
        measure=measure,
        defaults={"program_id": team.program_id, "collaborative_id": team.collaborative_id},
    )
    return tm


@transaction.atomic
def team_measures_choose(*, team: Team, actor: User, selected: Iterable[Measure]) -> None:
    """Set which optional (and own) measures the team reports."""
    selected_ids = {m.pk for m in selected}
    optional = {
        e.measure_id: e.measure
        for e in CollaborativeMeasure.objects.filter(
            collaborative_id=team.collaborative_id, requirement=Requirement.OPTIONAL
        ).select_related("measure")
    }
    own = {m.pk: m for m in Measure.objects.filter(program_id=team.program_id, team=team)}
    choosable = {**optional, **own}
    unknown = selected_ids - set(choosable)
    if unknown:
        raise ValidationError({"measures": "Choose among the optional measures and your own."})
    changes = {}
    for measure_id, measure in choosable.items():
        tm = _team_measure(team, measure)
        wanted = measure_id in selected_ids
        if tm.is_selected != wanted:
            tm.is_selected = wanted
            tm.updated_by = actor
            tm.save(update_fields=["is_selected", "updated_by", "updated_at"])
            changes[str(measure.public_id)] = wanted
    if changes:
        audit_record(actor=actor, verb="team_measures.chosen", target=team, data=changes)


def _clean_phases(phases: Iterable[Mapping]) -> list[dict]:
    cleaned = []
    for phase in phases:
        start = phase.get("start")
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                raise ValidationError({"phases": f"“{start}” is not a date."}) from None
        if not isinstance(start, date):
            raise ValidationError({"phases": "Each phase needs a start date."})
        label = " ".join(str(phase.get("label", "")).split())[:80]
        cleaned.append({"start": start.replace(day=1).isoformat(), "label": label})
    if len(cleaned) > MAX_PHASES:
        raise ValidationError({"phases": f"At most {MAX_PHASES} phases."})
    starts = [p["start"] for p in cleaned]
    if len(set(starts)) != len(starts):
        raise ValidationError({"phases": "Two phases start in the same month."})
    return sorted(cleaned, key=lambda p: p["start"])


@transaction.atomic
def chart_settings_update(
    *,
    team: Team,
    measure: Measure,
    actor: User,
    chart_type: str,
    baseline_end: date | None,
    phases: Iterable[Mapping] = (),
) -> TeamMeasure:
    """The team's (or coach's) choice of chart, baseline and phases, audited."""
    if chart_type not in ChartType.values:
        raise ValidationError({"chart_type": "Choose a run chart or a control chart."})
    clean = _clean_phases(phases)
    tm = _team_measure(team, measure)
    before = {
        "chart_type": tm.chart_type,
        "baseline_end": str(tm.baseline_end or ""),
        "phases": tm.phases,
    }
    tm.chart_type = chart_type
    tm.baseline_end = baseline_end.replace(day=1) if baseline_end else None
    tm.phases = clean
    tm.updated_by = actor
    tm.save()
    after = {"chart_type": chart_type, "baseline_end": str(tm.baseline_end or ""), "phases": clean}
    if after != before:
        audit_record(
            actor=actor,
            verb="chart_settings.changed",
            target=tm,
            data={"measure": str(measure.public_id), "before": before, "after": after},
        )
    return tm


@transaction.atomic
def benchmark_consent_set(*, team: Team, actor: User, show_name: bool) -> BenchmarkConsent:
    consent, _ = BenchmarkConsent.objects.select_for_update().get_or_create(
        team=team, defaults={"program_id": team.program_id}
    )
    if consent.show_name != show_name:
        consent.show_name = show_name
        consent.updated_by = actor
        consent.save()
        audit_record(
            actor=actor,
            verb="benchmark_consent.changed",
            target=team,
            data={"show_name": show_name},
        )
    return consent


# --- values -------------------------------------------------------------------------------


def _entry_of(point: DataPoint | None) -> Entry:
    if point is None or point.deleted_at is not None:
        return Entry()
    return Entry(point.numerator, point.denominator, point.value, point.note)


def _revision(
    point: DataPoint, action: str, before: Entry, after: Entry, actor: User | None, source: str
) -> DataPointRevision:
    return DataPointRevision(
        program_id=point.program_id,
        team_id=point.team_id,
        data_point=point,
        action=action,
        source=source,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        old_numerator=before.numerator,
        old_denominator=before.denominator,
        old_value=before.value,
        old_note=before.note or "",
        new_numerator=after.numerator,
        new_denominator=after.denominator,
        new_value=after.value,
        new_note=after.note or "",
    )


def period_problem(
    *, team: Team, period: ReportingPeriod, measure: Measure, today: date | None = None
) -> str | None:
    """Why values of `measure` cannot be entered for `period` (None when they can)."""
    today = today or clock.today()
    if period.collaborative_id != team.collaborative_id:
        return f"{period.label} is not a reporting period of {team.collaborative.title}."
    if period.frequency != measure.frequency:
        return (
            f"{measure.short_name} is reported {measure.get_frequency_display().lower()}, "
            f"not in {period.label}'s periods."
        )
    if not has_started(period, today):
        return not_started_message(period)
    return None


def _write_entry(
    *,
    team: Team,
    measure: Measure,
    period: ReportingPeriod,
    existing: DataPoint | None,
    entry: Entry,
    actor: User,
    source: str,
) -> tuple[DataPoint | None, DataPointRevision | None]:
    """Apply one entry to one (possibly missing or deleted) data point; nothing when it
    does not change anything."""
    before = _entry_of(existing)
    if entry.is_blank and not entry.note:
        if existing is None or existing.deleted_at is not None:
            return existing, None
        existing.deleted_at = clock.now()
        existing.deleted_by = actor
        existing.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        return existing, _revision(existing, RevisionAction.DELETED, before, Entry(), actor, source)
    if existing is not None and existing.deleted_at is None and before.same_as(entry):
        return existing, None
    if existing is None:
        point = DataPoint.objects.create(
            program_id=team.program_id,
            collaborative_id=team.collaborative_id,
            team=team,
            measure=measure,
            period=period,
            numerator=entry.numerator,
            denominator=entry.denominator,
            value=entry.value,
            note=entry.note or "",
            source=source,
            entered_by=actor,
        )
        return point, _revision(point, RevisionAction.CREATED, before, entry, actor, source)
    action = RevisionAction.UPDATED if existing.deleted_at is None else RevisionAction.RESTORED
    existing.numerator, existing.denominator = entry.numerator, entry.denominator
    existing.value, existing.note = entry.value, entry.note or ""
    existing.source, existing.entered_by = source, actor
    existing.deleted_at, existing.deleted_by = None, None
    existing.save()
    return existing, _revision(existing, action, before, entry, actor, source)


def _lock_submission(team: Team, period: ReportingPeriod) -> Submission | None:
    return Submission.objects.select_for_update().filter(team=team, period=period).first()


def _refuse_if_handed_in(
    submission: Submission | None, period: ReportingPeriod, actor: User, team: Team
) -> None:
    if (
        submission is not None
        and submission.status in HANDED_IN
        and not is_program_staff(user=actor, program=team.program)
    ):
        word = "reviewed" if submission.status == SubmissionStatus.REVIEWED else "submitted"
        raise ValidationError(
            f"{period.label} is already {word}. Ask your coach to return it if a value "
            "needs to change."
        )


@transaction.atomic
def data_point_upsert(
    *,
    team: Team,
    measure: Measure,
    period: ReportingPeriod,
    entry: Entry,
    actor: User,
    source: str = DataSource.API,
) -> DataPoint | None:
    """Enter or change one value (API). A blank entry deletes (softly) the value."""
    problem = period_problem(team=team, period=period, measure=measure)
    if problem:
        raise ValidationError({"period": problem})
    problems = value_problems(measure, entry)
    if problems:
        raise ValidationError(problems)
    submission = _lock_submission(team, period)
    _refuse_if_handed_in(submission, period, actor, team)
    existing = (
        DataPoint.objects.select_for_update()
        .filter(team=team, measure=measure, period=period)
        .first()
    )
    point, revision = _write_entry(
        team=team,
        measure=measure,
        period=period,
        existing=existing,
        entry=entry,
        actor=actor,
        source=source,
    )
    if revision is not None:
        revision.save()
        if submission is None:
            Submission.objects.create(
                program_id=team.program_id,
                collaborative_id=team.collaborative_id,
                team=team,
                period=period,
                updated_by=actor,
            )
        audit_record(
            actor=actor,
            verb=f"data_point.{revision.action}",
            target=point,
            data={"measure": str(measure.public_id), "period": str(period.start)},
        )
    return point


@dataclass
class SaveResult:
    submission: Submission
    changed: int
    submitted: bool


def _coach_url(team: Team, period: ReportingPeriod) -> str:
    return settings.SITE_URL + reverse(
        "measures:period", kwargs={"team_id": team.public_id, "period_id": period.public_id}
    )


def _notify_coaches(submission: Submission, actor: User) -> int:
    team, period = submission.team, submission.period
    stamp = int(submission.submitted_at.timestamp())
    sent = 0
    for assignment in team_coaches(team=team):
        coach = assignment.coach
        if not coach.is_active or not coach.email:
            continue
        email_enqueue(
            to=coach.email,
            template="measures_submitted",
            context={
                "recipient": coach,
                "team": team,
                "period": period,
                "submitter": actor.display_name,
                "submission": submission,
                "program": team.program,
                "url": _coach_url(team, period),
            },
            program=team.program,
            dedupe_key=f"measures-submitted:{submission.public_id}:{stamp}:{coach.public_id}",
        )
        sent += 1
    return sent


def _team_recipients(team: Team, also: User | None = None) -> list[User]:
    """The team's leads and data contacts (and whoever submitted), for review notices."""
    people = {
        m.user.pk: m.user
        for m in TeamMembership.objects.filter(
            team=team, is_active=True, role__in=(TeamRole.LEAD, TeamRole.DATA_CONTACT)
        ).select_related("user")
        if m.user.is_active
    }
    if also is not None and also.is_active and also.pk not in people:
        people[also.pk] = also
    return list(people.values())


def submission_problems(
    *, team: Team, period: ReportingPeriod, measures: Iterable[tuple[Measure, str]]
) -> dict[str, str]:
    """Field -> message for required measures without a value or a note saying why."""
    points = {
        p.measure_id: p
        for p in DataPoint.objects.filter(team=team, period=period, deleted_at__isnull=True)
    }
    problems = {}
    for measure, requirement in measures:
        if requirement != "required" or measure.frequency != period.frequency:
            continue
        point = points.get(measure.pk)
        if point is None:
            problems[entry_field(measure, "numerator" if measure.is_ratio else "value")] = (
                f"{measure.short_name} is required: enter it, or write a note saying why "
                "there is no value this period."
            )
    return problems


@transaction.atomic
def period_save(
    *,
    team: Team,
    period: ReportingPeriod,
    actor: User,
    entries: Mapping[Measure, Entry],
    narrative: Mapping[str, str] | None = None,
    submit: bool = False,
    team_set: Iterable[tuple[Measure, str]] = (),
    source: str = DataSource.ENTRY,
) -> SaveResult:
    """Save the period grid: every value (with its history), the narrative, and, when
    `submit`, hand the period in and tell the team's coaches by e-mail.

    All or nothing: one wrong number refuses the whole save, with the message at its
    field. A submitted or reviewed period is closed to the team (staff may correct it).
    `team_set` lists (measure, "required"/"optional"/"custom") for the completeness
    check on submission.
    """
    problems: dict[str, str] = {}
    for measure, entry in entries.items():
        problem = period_problem(team=team, period=period, measure=measure)
        if problem:
            raise ValidationError(problem)
        for field, message in value_problems(measure, entry).items():
            problems[entry_field(measure, field)] = message
    narrative = {k: (v or "").strip() for k, v in (narrative or {}).items()}
    for key, text in narrative.items():
        if key not in NARRATIVE_FIELDS:
            raise ValueError(f"unknown narrative field {key}")
        if len(text) > NARRATIVE_MAX_LENGTH:
            problems[key] = f"Keep this under {NARRATIVE_MAX_LENGTH:,} characters."
    if problems:
        raise ValidationError(problems)

    submission = _lock_submission(team, period)
    _refuse_if_handed_in(submission, period, actor, team)
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    program_id=team.program_id,
                    collaborative_id=team.collaborative_id,
                    team=team,
                    period=period,
                    updated_by=actor,
                )
        except IntegrityError:  # created by a concurrent save: lock it instead
            submission = _lock_submission(team, period)
    existing = {
        p.measure_id: p
        for p in DataPoint.objects.select_for_update().filter(team=team, period=period)
    }
    revisions = []
    for measure, entry in entries.items():
        _, revision = _write_entry(
            team=team,
            measure=measure,
            period=period,
            existing=existing.get(measure.pk),
            entry=entry,
            actor=actor,
            source=source,
        )
        if revision is not None:
            revisions.append(revision)
    DataPointRevision.objects.bulk_create(revisions)
    for key, text in narrative.items():
        setattr(submission, key, text)
    submission.updated_by = actor

    submitted = False
    if submit:
        # A note alone (no value) is stored too, and explains a missing required value.
        missing = submission_problems(team=team, period=period, measures=team_set)
        if missing:
            raise ValidationError(missing)
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = clock.now()
        submission.submitted_by = actor
        submission.reviewed_at = None
        submission.reviewed_by = None
        submitted = True
    submission.save()
    if submitted:
        notified = _notify_coaches(submission, actor)
        audit_record(
            actor=actor,
            verb="submission.submitted",
            target=submission,
            data={"period": str(period.start), "changed": len(revisions), "notified": notified},
        )
    elif revisions or narrative:
        audit_record(
            actor=actor,
            verb="submission.saved",
            target=submission,
            data={"period": str(period.start), "changed": len(revisions)},
        )
    return SaveResult(submission=submission, changed=len(revisions), submitted=submitted)


@transaction.atomic
def submission_submit(
    *, team: Team, period: ReportingPeriod, actor: User, team_set: Iterable[tuple[Measure, str]]
) -> Submission:
    """Hand in the period as it stands (API): the values were entered one by one."""
    return period_save(
        team=team, period=period, actor=actor, entries={}, submit=True, team_set=list(team_set)
    ).submission


@transaction.atomic
def submission_review(
    *, submission: Submission, actor: User, decision: str, comment: str = ""
) -> Submission:
    """The coach (or staff) marks a submitted period reviewed, or returns it with a
    comment so that the team corrects it; the team's leads hear about it by e-mail."""
    comment = (comment or "").strip()
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if decision not in ("reviewed", "returned"):
        raise ValidationError({"decision": "Choose reviewed or returned."})
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the comment under {REVIEW_COMMENT_MAX_LENGTH:,} characters."}
        )
    if decision == "returned" and not comment:
        raise ValidationError({"comment": "Say what the team should change before returning it."})
    allowed = (
        (SubmissionStatus.SUBMITTED,)
        if decision == "reviewed"
        else (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED)
    )
    if locked.status not in allowed:
        raise ValidationError(
            f"{locked.period.label} is {locked.get_status_display().lower()}: only a "
            "submitted period can be "
            f"{'marked reviewed' if decision == 'reviewed' else 'returned'}."
        )
    locked.status = (
        SubmissionStatus.REVIEWED if decision == "reviewed" else SubmissionStatus.RETURNED
    )
    locked.reviewed_at = clock.now()
    locked.reviewed_by = actor
    locked.review_comment = comment
    locked.save()
    team, period = locked.team, locked.period
    stamp = int(locked.reviewed_at.timestamp())
    for person in _team_recipients(team, also=locked.submitted_by):
        email_enqueue(
            to=person.email,
            template="measures_reviewed",
            context={
                "recipient": person,
                "team": team,
                "period": period,
                "reviewer": actor.display_name,
                "returned": decision == "returned",
                "comment": comment,
                "program": team.program,
                "url": _coach_url(team, period),
            },
            program=team.program,
            dedupe_key=f"measures-review:{locked.public_id}:{stamp}:{person.public_id}",
        )
    audit_record(
        actor=actor,
        verb=f"submission.{decision}",
        target=locked,
        data={"period": str(period.start), "comment": comment[:500]},
    )
    submission.status, submission.review_comment = locked.status, locked.review_comment
    submission.reviewed_at, submission.reviewed_by = locked.reviewed_at, locked.reviewed_by
    return locked


@transaction.atomic
def data_point_delete(*, data_point: DataPoint, actor: User) -> DataPoint:
    """Soft delete: the value leaves the charts; staff can restore it."""
    locked = DataPoint.objects.select_for_update().get(pk=data_point.pk)
    if locked.deleted_at is not None:
        return locked
    submission = _lock_submission(locked.team, locked.period)
    _refuse_if_handed_in(submission, locked.period, actor, locked.team)
    before = _entry_of(locked)
    locked.deleted_at = clock.now()
    locked.deleted_by = actor
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _revision(locked, RevisionAction.DELETED, before, Entry(), actor, DataSource.ENTRY).save()
    audit_record(
        actor=actor,
        verb="data_point.deleted",
        target=locked,
        data={"period": str(locked.period.start), "measure": str(locked.measure.public_id)},
    )
    return locked


@transaction.atomic
def data_point_restore(*, data_point: DataPoint, actor: User) -> DataPoint:
    """Undo a soft delete (staff)."""
    locked = DataPoint.objects.select_for_update().get(pk=data_point.pk)
    if locked.deleted_at is None:
        return locked
    locked.deleted_at = None
    locked.deleted_by = None
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _revision(
        locked, RevisionAction.RESTORED, Entry(), _entry_of(locked), actor, DataSource.ENTRY
    ).save()
    audit_record(
        actor=actor,
        verb="data_point.restored",
        target=locked,
        data={"period": str(locked.period.start), "measure": str(locked.measure.public_id)},
    )
    return locked
