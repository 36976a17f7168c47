"""Demo data for measures: the DOMAIN.md measure catalogue as NPRIC's library, measure
sets on the active and the past collaborative (and one measure for the second tenant),
reporting periods with baseline months, and 12 to 30 months of monthly data per active
team, up to last month (or the collaborative's end).

Everything is invented for demonstration (DOMAIN.md marks the wording and targets as
demo content). Values are drawn from a fixed seed per team and measure, so every run
produces the same numbers. Teams working on a measure improve some months after the
collaborative starts (a real shift: the run chart flags it); the others only vary by
chance. Past months are submitted and reviewed by the coach; last month (counted from
the day of seeding) is left in every state (submitted and waiting for review, draft,
missing, and late two months running) so each role has something to see. Rows are found
by natural keys (get_or_create, or the set of existing keys before a bulk insert), so
seeding twice adds nothing, and seeding on a later day adds the months since.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.clock import add_months, month_start
from measures.models import (
    BenchmarkConsent,
    ChartType,
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    DataPointRevision,
    DataSource,
    Direction,
    Measure,
    MeasureType,
    ReportingPeriod,
    Requirement,
    RevisionAction,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from measures.periods import iter_periods
from teams.models import CoachAssignment, TeamMembership, TeamRole

from .collaboratives import ACTIVE, GREAT_LAKES, PAST, last_month
from .world import DemoResult, DemoWorld

P, R, C, V = DataKind.PROPORTION, DataKind.RATE, DataKind.COUNT, DataKind.CONTINUOUS
UP, DOWN = Direction.INCREASE, Direction.DECREASE
SAMPLING = "10 to 20 randomly chosen charts a month (about 30 a quarter)."


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    short: str
    kind: str
    mtype: str
    numerator: str
    denominator: str
    target: str | None = None
    target_note: str = ""
    direction: str = UP
    unit: str = ""


#: DOMAIN.md section 5 (population: ED visits of children under 18). Demo wording.
CATALOGUE = [
    Spec("M1", "Weight recorded in kilograms only", "Weight in kg", P, MeasureType.PROCESS,
         "Visits where the triage weight is recorded only in kilograms", "Sampled visits",
         "95"),
    Spec("M2", "Full vital-sign set before provider exam", "Full vital signs", P,
         MeasureType.PROCESS,
         "Visits with heart rate, respiratory rate, temperature and SpO2 (and blood pressure "
         "by the age rule) before the provider's exam", "Sampled visits", "90"),
    Spec("M3", "Abnormal vital signs: provider notified", "Abnormal VS notified", P,
         MeasureType.PROCESS,
         "Visits where a physician or APP was notified within 15 minutes, documented",
         "Visits with at least one age-abnormal triage vital sign", "90"),
    Spec("M4", "Abnormal vital signs reassessed", "VS reassessed", P, MeasureType.PROCESS,
         "Visits with a repeat set of vital signs before disposition",
         "Visits with abnormal initial vital signs", "85"),
    Spec("M5", "Pain assessed at triage", "Pain assessed", P, MeasureType.PROCESS,
         "Visits with an age-appropriate pain score at triage", "Sampled visits", "90"),
    Spec("M6", "Pain reassessed after treatment", "Pain reassessed", P, MeasureType.PROCESS,
         "Visits with a repeat pain score within 60 minutes of an analgesic",
         "Visits given an analgesic", "80"),
    Spec("M7", "Suicide risk screening", "Suicide screen", P, MeasureType.PROCESS,
         "Visits screened with a validated tool", "Visits of patients aged 12 or older",
         "90"),
    Spec("M8", "First vital signs to first intervention", "VS to intervention", V,
         MeasureType.PROCESS, "Median minutes from the first vital signs to the first "
         "intervention", "", None, "falling trend", DOWN, "minutes"),
    Spec("M9", "ED length of stay", "Length of stay", V, MeasureType.BALANCING,
         "Median minutes from arrival to discharge, discharged visits", "", None, "no rise",
         DOWN, "minutes"),
    Spec("M10", "Arrival to transport for transfers", "Arrival to transport", V,
         MeasureType.PROCESS, "Median minutes from arrival to transport, transferred children",
         "", None, "falling trend", DOWN, "minutes"),
    Spec("M11", "Short-stay transfers", "Short-stay transfers", P, MeasureType.OUTCOME,
         "Transfers discharged within 24 hours at the receiving centre",
         "Transferred children", None, "falling trend", DOWN),
    Spec("M12", "Steroid for asthma or croup", "Steroid given", P, MeasureType.PROCESS,
         "Asthma or croup visits given a steroid", "Asthma and croup visits", "90"),
    Spec("M13", "Pediatric emergency care coordinator in place", "PECC in place", P,
         MeasureType.STRUCTURE, "Sites with a named PECC", "Sites", "100"),
    Spec("M14", "Pediatric-inclusive disaster plan", "Disaster plan", P, MeasureType.STRUCTURE,
         "Hospitals whose disaster plan addresses children", "Hospitals", "85"),
    Spec("M15", "EMS pediatric skills check", "EMS skills check", P, MeasureType.STRUCTURE,
         "Agencies with hands-on pediatric equipment checks at least twice a year",
         "Agencies", "90"),
]  # fmt: skip

GREAT_LAKES_CATALOGUE = [
    Spec("GL1", "Staff trained in family reunification", "Reunification training", P,
         MeasureType.PROCESS, "Emergency department staff trained in the pediatric "
         "reunification procedure this month or earlier", "Emergency department staff", "90"),
]  # fmt: skip

#: collaborative slug -> (program slug, baseline months, [(code, requirement)])
SETS = {
    ACTIVE: (
        "npric",
        12,
        [
            ("M1", Requirement.REQUIRED),
            ("M2", Requirement.REQUIRED),
            ("M3", Requirement.REQUIRED),
            ("M9", Requirement.REQUIRED),
            ("M5", Requirement.OPTIONAL),
            ("M7", Requirement.OPTIONAL),
        ],
    ),
    PAST: (
        "npric",
        6,
        [("M1", Requirement.REQUIRED), ("M3", Requirement.REQUIRED), ("M4", Requirement.OPTIONAL)],
    ),
    GREAT_LAKES: ("great-lakes", 6, [("GL1", Requirement.REQUIRED)]),
}

#: Optional measures teams chose.
CHOSEN = {
    "Lakeside Pain Champions": ["M5"],
    "Northgate Peds Team": ["M7"],
    "Coastal Carolina Peds": ["M7"],
    "Riverside ED Peds Ready": ["M5"],
}

#: team (its key in DemoWorld.teams) -> the measures it works on (these improve; the rest
#: only vary by chance).
FOCUS = {
    "Riverside ED Peds Ready": {"M1", "M3"},
    "Desert Springs Peds Ready": {"M1"},
    "Cascade Vital Signs Team": {"M3", "M2"},
    "Lakeside Pain Champions": {"M5"},
    "Northgate Peds Team": {"M7"},
    "Bayou Parish Kids Count": {"M1"},
    "Riverside Readiness {year}": {"M1"},
    "Lakeside Readiness {year}": {"M3"},
    "Bay City Disaster Ready Kids": {"GL1"},
}

#: Teams whose length of stay (M9, a balancing measure: lower is better) has crept up
#: over their last eight months: the coach dashboard flags a concern signal on it.
LOS_RISING = {"Coastal Carolina Peds"}

#: Starting proportions (the baseline) per measure; teams spread around them.
BASELINE = {
    "M1": 0.58, "M2": 0.62, "M3": 0.55, "M4": 0.6, "M5": 0.64, "M7": 0.42, "GL1": 0.3,
}  # fmt: skip

#: Last month in every state: submitted (waiting for review), draft, or missing; one
#: team has not entered the month before either.
LAST_MONTH_DRAFT = {"Prairie View Kids First", "Green Mountain Ready"}
LAST_MONTH_MISSING = {"Turtle Mountain Kids", "Red Mesa Pediatric Readiness"}
MONTH_BEFORE_MISSING = {"Turtle Mountain Kids"}
NAMED_IN_COMPARISONS = {"Lakeside Pain Champions", "Cascade Vital Signs Team"}

#: (team, measure, months after the collaborative's start) -> the note on that month.
NOTES = {
    ("Riverside ED Peds Ready", "M1", 1): "Triage scale locked to kilograms on every shift "
    "from the 6th.",
    ("Riverside ED Peds Ready", "M1", -3): "Two new travel nurses this month.",
    ("Riverside ED Peds Ready", "M3", 3): "Abnormal vital sign alert added to the EHR "
    "tracking board.",
    ("Lakeside Pain Champions", "M5", 2): "Pain scale cards at every triage desk.",
}
#: The Riverside team's monthly narrative, from the collaborative's start.
NARRATIVE_TEAM = "Riverside ED Peds Ready"
NARRATIVE = {
    "tested": "Locking the triage scale to kilograms on all shifts; a kg-only sticker on the "
    "paediatric scale.",
    "learned": "Night shift adopted it fastest once the charge nurse championed it.",
    "barriers": "The old EHR weight field still defaults to pounds.",
    "wins": "Four weeks with every child weighed in kilograms.",
}


def _seed_library(world: DemoWorld, result: DemoResult) -> dict[str, dict[str, Measure]]:
    library: dict[str, dict[str, Measure]] = {}
    for program_slug, specs in (("npric", CATALOGUE), ("great-lakes", GREAT_LAKES_CATALOGUE)):
        program = world.programs[program_slug]
        library[program_slug] = {}
        for spec in specs:
            measure, created = Measure.objects.get_or_create(
                program=program,
                team=None,
                name=spec.name,
                defaults={
                    "code": spec.code,
                    "short_name": spec.short,
                    "measure_type": spec.mtype,
                    "data_kind": spec.kind,
                    "unit": spec.unit,
                    "direction": spec.direction,
                    "target": Decimal(spec.target) if spec.target else None,
                    "target_note": spec.target_note,
                    "numerator_definition": spec.numerator,
                    "denominator_definition": spec.denominator,
                    "sampling": SAMPLING if spec.kind == P else "",
                    "min_value": Decimal(0) if spec.kind == V else None,
                    "max_value": Decimal(1440) if spec.kind == V else None,
                },
            )
            result.count(created)
            library[program_slug][spec.code] = measure
    return library


def _seed_periods(collaborative, baseline: int, result) -> list[ReportingPeriod]:
    first = add_months(collaborative.start_date, -baseline)
    existing = {p.start: p for p in ReportingPeriod.objects.filter(collaborative=collaborative)}
    new = [
        ReportingPeriod(
            program_id=collaborative.program_id,
            collaborative=collaborative,
            start=start,
            end=end,
            due_date=end + timedelta(days=15),
        )
        for start, end in iter_periods("monthly", first, collaborative.end_date)
        if start not in existing
    ]
    ReportingPeriod.objects.bulk_create(new)
    for _ in new:
        result.count(True)
    return list(ReportingPeriod.objects.filter(collaborative=collaborative).order_by("start"))


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32(":".join(parts).encode()))  # noqa: S311 - demo values


def _proportion(rng: random.Random, p: float, n: int) -> int:
    p = min(max(p, 0.01), 0.995)
    return sum(1 for _ in range(n) if rng.random() < p)


def _months_in(start: date, collaborative_start: date) -> int:
    """How many months after the collaborative's first month `start` is (negative: before)."""
    return (start.year - collaborative_start.year) * 12 + start.month - collaborative_start.month


def _values(key: str, measure: Measure, periods, collaborative_start: date) -> dict:
    """period id -> (numerator, denominator, value) for every month up to last month."""
    code = measure.code
    rng = _rng(key, code)
    improves = code in FOCUS.get(key, set())
    base = BASELINE.get(code, 0.6) + rng.uniform(-0.08, 0.08)
    # Focus teams start testing during the prework, a month or two before the start.
    lag = rng.randint(-2, 0)
    gain = rng.uniform(0.24, 0.34)
    size = rng.randint(12, 28)
    los = rng.uniform(150, 230)
    values = {}
    periods = list(periods)
    rising_from = len(periods) - 8 if code == "M9" and key in LOS_RISING else len(periods)
    for i, period in enumerate(periods):
        months_in = _months_in(period.start, collaborative_start)
        if measure.data_kind == DataKind.CONTINUOUS:
            centre = los * 1.3 if i >= rising_from else los
            values[period.pk] = (None, None, Decimal(str(round(rng.gauss(centre, los * 0.07)))))
            continue
        p = base
        if improves and months_in >= lag:
            p = base + gain * min(1.0, (months_in - lag + 1) / 2)
        n = max(5, size + rng.randint(-4, 4))
        values[period.pk] = (Decimal(_proportion(rng, p, n)), Decimal(n), None)
    return values


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """The library, then each collaborative's set, periods and its teams' data up to last
    month (the whole calendar of a collaborative that has ended)."""
    library = _seed_library(world, result)
    for slug, (program_slug, baseline, entries) in SETS.items():
        collaborative = world.collaboratives[slug]
        measures = []
        for position, (code, requirement) in enumerate(entries, start=1):
            measure = library[program_slug][code]
            _, created = CollaborativeMeasure.objects.get_or_create(
                collaborative=collaborative,
                measure=measure,
                defaults={
                    "program_id": collaborative.program_id,
                    "requirement": requirement,
                    "position": position,
                },
            )
            result.count(created)
            measures.append((measure, requirement))
        periods = _seed_periods(collaborative, baseline, result)
        ended = collaborative.end_date < today
        if ended:
            past = [p for p in periods if p.end <= collaborative.end_date]
        else:
            past = [p for p in periods if p.start <= last_month(today) and p.end < today]
        _seed_team_data(collaborative, world.teams_of(slug), measures, past, today, ended, result)


def _skipped(key: str, period, today: date, ended: bool) -> bool:
    """Months a team has not entered yet: last month for some, the one before for one."""
    if ended:
        return False
    newest = last_month(today)
    return (period.start == newest and key in LAST_MONTH_MISSING) or (
        period.start == add_months(newest, -1) and key in MONTH_BEFORE_MISSING
    )


def _seed_team_data(collaborative, teams, measures, past, today, ended, result) -> None:
    team_ids = [team.pk for _, team in teams]
    coaches = {}
    for assignment in CoachAssignment.objects.filter(team__in=team_ids).select_related("coach"):
        coaches.setdefault(assignment.team_id, assignment.coach)
    leads = {}
    for membership in TeamMembership.objects.filter(
        team__in=team_ids, role=TeamRole.LEAD, is_active=True
    ).select_related("user"):
        leads.setdefault(membership.team_id, membership.user)
    existing = set(
        DataPoint.objects.filter(collaborative=collaborative).values_list(
            "team_id", "measure_id", "period_id"
        )
    )
    points: list[DataPoint] = []
    for key, team in teams:
        chosen = set(CHOSEN.get(key, []))
        team_measures = [
            m for m, req in measures if req == Requirement.REQUIRED or m.code in chosen
        ]
        for measure in team_measures:
            if measure.code in chosen:
                _, created = TeamMeasure.objects.get_or_create(
                    team=team,
                    measure=measure,
                    defaults={
                        "program_id": team.program_id,
                        "collaborative": collaborative,
                        "is_selected": True,
                    },
                )
                result.count(created)
            values = _values(key, measure, past, collaborative.start_date)
            for period in past:
                if _skipped(key, period, today, ended):
                    continue
                if (team.pk, measure.pk, period.pk) in existing:
                    continue
                num, den, value = values[period.pk]
                months_in = _months_in(period.start, collaborative.start_date)
                points.append(
                    DataPoint(
                        program_id=team.program_id,
                        collaborative=collaborative,
                        team=team,
                        measure=measure,
                        period=period,
                        numerator=num,
                        denominator=den,
                        value=value,
                        note=NOTES.get((key, measure.code, months_in), ""),
                        source=DataSource.ENTRY,
                        entered_by=leads.get(team.pk),
                    )
                )
    created = DataPoint.objects.bulk_create(points, batch_size=1000)
    DataPointRevision.objects.bulk_create(
        [
            DataPointRevision(
                program_id=p.program_id,
                team_id=p.team_id,
                data_point=p,
                action=RevisionAction.CREATED,
                changed_by=p.entered_by,
                new_numerator=p.numerator,
                new_denominator=p.denominator,
                new_value=p.value,
                new_note=p.note,
            )
            for p in created
        ],
        batch_size=1000,
    )
    for _ in created:
        result.count(True)
    _seed_submissions(collaborative, teams, past, coaches, leads, today, ended, result)
    _seed_settings(collaborative, teams, result)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _handed_in(period, today: date) -> datetime:
    """When the demo hands `period` in: three days before it is due (or yesterday, when
    that is sooner), but never before the period has ended (measures.periods.has_ended)
    and never after now."""
    preferred = min(period.due_date - timedelta(days=3), today - timedelta(days=1))
    day = max(period.end + timedelta(days=1), preferred)
    if day < today:
        return _at(day)
    # Seeded on the first of a month: last month ended yesterday, so it is handed in today.
    return min(timezone.make_aware(datetime.combine(today, time(0, 1))), timezone.now())


def _seed_submissions(collaborative, teams, past, coaches, leads, today, ended, result) -> None:
    """Every month with data is handed in after it ended, three days before it is due (see
    `_handed_in`) and reviewed four days later, except last month: submitted and waiting
    for review, or still a draft."""
    existing = set(
        Submission.objects.filter(collaborative=collaborative).values_list("team_id", "period_id")
    )
    with_data = set(
        DataPoint.objects.filter(collaborative=collaborative).values_list("team_id", "period_id")
    )
    newest = last_month(today)
    first_month = month_start(collaborative.start_date)
    rows = []
    for key, team in teams:
        for period in past:
            if (team.pk, period.pk) in existing or (team.pk, period.pk) not in with_data:
                continue
            submitted = _handed_in(period, today)
            status = SubmissionStatus.REVIEWED
            if not ended and period.start == newest:
                draft = key in LAST_MONTH_DRAFT
                status = SubmissionStatus.DRAFT if draft else SubmissionStatus.SUBMITTED
            narrative = NARRATIVE if key == NARRATIVE_TEAM and period.start >= first_month else {}
            reviewed = status == SubmissionStatus.REVIEWED
            rows.append(
                Submission(
                    program_id=team.program_id,
                    collaborative=collaborative,
                    team=team,
                    period=period,
                    status=status,
                    submitted_at=submitted if status != SubmissionStatus.DRAFT else None,
                    first_submitted_at=submitted if status != SubmissionStatus.DRAFT else None,
                    submitted_by=leads.get(team.pk) if status != SubmissionStatus.DRAFT else None,
                    reviewed_at=submitted + timedelta(days=4) if reviewed else None,
                    reviewed_by=coaches.get(team.pk) if reviewed else None,
                    review_comment="Thank you: the data look complete."
                    if reviewed and period.start.month % 4 == 0
                    else "",
                    updated_by=leads.get(team.pk),
                    **narrative,
                )
            )
    Submission.objects.bulk_create(rows, batch_size=1000)
    for _ in rows:
        result.count(True)


def _seed_settings(collaborative, teams, result) -> None:
    """The focus measures' baseline ends where the collaborative starts; some teams are
    named in comparisons."""
    baseline_end = add_months(collaborative.start_date, -1)
    by_code = {
        m.code: m
        for m in Measure.objects.filter(set_entries__collaborative=collaborative, team__isnull=True)
    }
    for key, team in teams:
        for code in sorted(FOCUS.get(key, set())):
            measure = by_code.get(code)
            if measure is None:
                continue
            tm, created = TeamMeasure.objects.get_or_create(
                team=team,
                measure=measure,
                defaults={
                    "program_id": team.program_id,
                    "collaborative": collaborative,
                    "chart_type": ChartType.RUN,
                    "baseline_end": baseline_end,
                },
            )
            result.count(created)
            if not created and tm.baseline_end is None:
                tm.baseline_end = baseline_end
                tm.save(update_fields=["baseline_end"])
        if key in NAMED_IN_COMPARISONS:
            _, created = BenchmarkConsent.objects.get_or_create(
                team=team, defaults={"program_id": team.program_id, "show_name": True}
            )
            result.count(created)
