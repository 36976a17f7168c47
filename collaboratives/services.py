"""Writes about collaboratives: create, edit, plan phases, move through the lifecycle, copy.

One transaction each, with an audit event inside it. Problems a person can fix
raise django.core.exceptions.ValidationError with plain-language messages
(a dict keyed by field where a field is at fault); nothing is saved then.
"""

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from accounts.models import Program, User
from core import clock
from core.audit import audit_record

from .copying import run_copy_steps
from .lifecycle import transition_problems
from .models import Collaborative, CollaborativeStatus, FocusArea, Phase
from .phases import PhaseSpec, generate_phases, phase_problems

#: Durations outside this range are refused; 6 to 18 months is typical.
MIN_DAYS, MAX_DAYS = 28, 3 * 366

EDITABLE_FIELDS = (
    "title",
    "focus_area",
    "summary",
    "aims",
    "eligible_facility_types",
    "start_date",
    "end_date",
    "timezone",
    "enrolment_opens",
    "enrolment_closes",
    "pooled_min_share",
)


def collaborative_date_problems(
    *,
    start_date: date | None,
    end_date: date | None,
    enrolment_opens: date | None = None,
    enrolment_closes: date | None = None,
) -> dict[str, str]:
    """Field -> message for every inconsistent date of a collaborative."""
    problems: dict[str, str] = {}
    if start_date and end_date:
        if end_date <= start_date:
            problems["end_date"] = "The end date must be after the start date."
        elif (end_date - start_date).days < MIN_DAYS:
            problems["end_date"] = "A collaborative lasts at least four weeks."
        elif (end_date - start_date).days > MAX_DAYS:
            problems["end_date"] = "A collaborative lasts at most three years."
    elif bool(start_date) != bool(end_date):
        problems["end_date" if start_date else "start_date"] = "Give both dates, or neither."
    if enrolment_opens and enrolment_closes and enrolment_closes < enrolment_opens:
        problems["enrolment_closes"] = "Enrolment must close after it opens."
    if enrolment_closes and end_date and enrolment_closes > end_date:
        problems["enrolment_closes"] = "Enrolment must close before the collaborative ends."
    return problems


def _check_min_share(value: int) -> None:
    """The pooled charts' minimum share of teams is a percentage: 1 to 100."""
    if not isinstance(value, int) or not 1 <= value <= 100:
        raise ValidationError({"pooled_min_share": "Give a share between 1% and 100%."})


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"timezone": f"Unknown time zone: {name}."}) from None


def _unique_slug(program: Program, title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "collaborative"
    taken = set(
        Collaborative.objects.filter(program=program, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def focus_area_get_or_create(*, program: Program, name: str, actor: User) -> FocusArea:
    """Staff extend the program's list of focus areas (case-insensitive, no duplicates)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"new_focus_area": "Give the focus area a name."})
    existing = (
        FocusArea.objects.annotate(lname=Lower("name"))
        .filter(program=program, lname=name.lower())
        .first()
    )
    if existing:
        return existing
    area = FocusArea.objects.create(program=program, name=name)
    audit_record(actor=actor, verb="focus_area.created", target=area)
    return area


def _phase_rows(collaborative: Collaborative, specs: list[PhaseSpec]) -> list[Phase]:
    return [
        Phase(
            program=collaborative.program,
            collaborative=collaborative,
            kind=s.kind,
            name=s.name,
            start_date=s.start_date,
            end_date=s.end_date,
        )
        for s in specs
    ]


@transaction.atomic
def collaborative_create(
    *,
    program: Program,
    actor: User,
    title: str,
    start_date: date | None,
    end_date: date | None,
    focus_area: FocusArea | None = None,
    summary: str = "",
    aims: str = "",
    eligible_facility_types: list[str] | None = None,
    timezone_name: str = "America/New_York",
    enrolment_opens: date | None = None,
    enrolment_closes: date | None = None,
    learning_sessions: int = 3,
    pooled_min_share: int = 50,
) -> Collaborative:
    """A new draft collaborative, with phases generated from the Breakthrough Series
    pattern when both dates are known (staff edit them afterwards)."""
    problems = collaborative_date_problems(
        start_date=start_date,
        end_date=end_date,
        enrolment_opens=enrolment_opens,
        enrolment_closes=enrolment_closes,
    )
    if problems:
        raise ValidationError(problems)
    _check_timezone(timezone_name)
    _check_min_share(pooled_min_share)
    if focus_area is not None and focus_area.program_id != program.pk:
        raise ValidationError({"focus_area": "Choose a focus area of this program."})
    specs: list[PhaseSpec] = []
    if start_date and end_date:
        try:
            specs = generate_phases(start_date, end_date, learning_sessions=learning_sessions)
        except ValueError as exc:
            raise ValidationError({"learning_sessions": str(exc)}) from None

    collaborative = Collaborative.objects.create(
        program=program,
        title=title.strip(),
        slug=_unique_slug(program, title),
        focus_area=focus_area,
        summary=summary,
        aims=aims,
        eligible_facility_types=list(eligible_facility_types or []),
        start_date=start_date,
        end_date=end_date,
        timezone=timezone_name,
        enrolment_opens=enrolment_opens,
        enrolment_closes=enrolment_closes,
        pooled_min_share=pooled_min_share,
    )
    Phase.objects.bulk_create(_phase_rows(collaborative, specs))
    audit_record(
        actor=actor,
        verb="collaborative.created",
        target=collaborative,
        data={"phases": len(specs)},
    )
    return collaborative


@transaction.atomic
def collaborative_update(*, collaborative: Collaborative, actor: User, **changes) -> Collaborative:
    """Edit the collaborative's description and dates.

    Dates may not move so that a planned phase falls outside them: the message
    names the phases to adjust first.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {f: changes.get(f, getattr(collaborative, f)) for f in EDITABLE_FIELDS}
    problems = collaborative_date_problems(
        start_date=merged["start_date"],
        end_date=merged["end_date"],
        enrolment_opens=merged["enrolment_opens"],
        enrolment_closes=merged["enrolment_closes"],
    )
    if problems:
        raise ValidationError(problems)
    _check_timezone(merged["timezone"])
    _check_min_share(merged["pooled_min_share"])
    focus_area = merged["focus_area"]
    if focus_area is not None and focus_area.program_id != collaborative.program_id:
        raise ValidationError({"focus_area": "Choose a focus area of this program."})
    phases = [
        PhaseSpec(p.kind, p.name, p.start_date, p.end_date) for p in collaborative.phases.all()
    ]
    outside = phase_problems(phases, merged["start_date"], merged["end_date"])
    if outside:
        raise ValidationError(
            {"start_date": ["These phases would fall outside the new dates:", *outside]}
        )
    changed = {f: str(v) for f, v in changes.items() if getattr(collaborative, f) != v}
    for field, value in changes.items():
        setattr(collaborative, field, value)
    if "title" in changes:
        collaborative.title = collaborative.title.strip()
    collaborative.save()
    if changed:
        audit_record(
            actor=actor,
            verb="collaborative.updated",
            target=collaborative,
            data={"fields": sorted(changed)},
        )
    return collaborative


@transaction.atomic
def phases_replace(
    *, collaborative: Collaborative, actor: User, phases: list[PhaseSpec]
) -> list[Phase]:
    """Save the edited calendar as a whole: all phases valid, or nothing changes."""
    problems = phase_problems(phases, collaborative.start_date, collaborative.end_date)
    if problems:
        raise ValidationError(problems)
    Phase.objects.filter(collaborative=collaborative).delete()
    rows = Phase.objects.bulk_create(
        _phase_rows(collaborative, sorted(phases, key=lambda p: p.start_date))
    )
    audit_record(
        actor=actor,
        verb="collaborative.phases_changed",
        target=collaborative,
        data={"phases": [f"{p.name} {p.start_date}–{p.end_date}" for p in phases]},
    )
    return rows


@transaction.atomic
def collaborative_transition(
    *, collaborative: Collaborative, actor: User, target: str, note: str = ""
) -> Collaborative:
    """Move the collaborative to `target` status, if the lifecycle allows it now.

    The row is locked so that two staff clicking at once cannot both move it.
    """
    locked = Collaborative.objects.select_for_update().get(pk=collaborative.pk)
    problems = transition_problems(
        locked, target, n_phases=locked.phases.count(), today=clock.today()
    )
    if problems:
        raise ValidationError(problems)
    previous = locked.status
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="collaborative.status_changed",
        target=locked,
        data={"from": previous, "to": target, "note": note[:500]},
    )
    collaborative.status = target
    return locked


@transaction.atomic
def collaborative_copy(
    *, source: Collaborative, actor: User, title: str, start_date: date
) -> Collaborative:
    """Launch a new draft collaborative from a past one.

    The calendar (dates, enrolment window, phases) moves by the difference between
    the new and the old start date; the description, focus area and eligibility
    come along, and every registered copy step (measures, surveys, sessions,
    resources, as those features arrive) runs in the same transaction.
    """
    if not source.start_date or not source.end_date:
        raise ValidationError({"start_date": "The source collaborative has no dates to shift."})
    shift = (start_date - source.start_date).days

    def moved(value: date | None) -> date | None:
        return value + (start_date - source.start_date) if value else None

    copy = Collaborative.objects.create(
        program=source.program,
        title=title.strip(),
        slug=_unique_slug(source.program, title),
        focus_area=source.focus_area,
        summary=source.summary,
        aims=source.aims,
        eligible_facility_types=list(source.eligible_facility_types),
        start_date=start_date,
        end_date=moved(source.end_date),
        timezone=source.timezone,
        enrolment_opens=moved(source.enrolment_opens),
        enrolment_closes=moved(source.enrolment_closes),
        pooled_min_share=source.pooled_min_share,
        copied_from=source,
        status=CollaborativeStatus.DRAFT,
    )
    steps = run_copy_steps(source, copy, shift)
    audit_record(
        actor=actor,
        verb="collaborative.copied",
        target=copy,
        data={"source": str(source.public_id), "shift_days": shift, "steps": steps},
    )
    return copy
