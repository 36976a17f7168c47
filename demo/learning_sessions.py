"""Demo calendar of the active collaborative: learning sessions, a fireside chat, office
hours, a module window and the kickoff, with registrations, attendance from every
source, evaluations, recordings, materials and CE credit per credit type.

All content is invented for demonstration (DOMAIN.md marks demo content). The
calendar is counted from the collaborative's own start date (stored when it was first
seeded), so seeding again on a later day finds the same events by their titles;
what differs with the day is only which events are past (attendance, evaluations and
the recording) and which are upcoming (registrations). Nothing is dated after the day
of seeding: registrations are made before it, evaluations the day after an event that
ended before it. Rows are created directly with the models (no e-mails, no audit
events), found by natural keys with get_or_create, so seeding twice adds nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from collaboratives.models import Collaborative, FocusArea
from core.clock import add_months
from learning_sessions.models import (
    Attendance,
    AttendanceMode,
    AttendanceSource,
    CreditType,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    Event,
    EventCredit,
    EventKind,
    EventMaterial,
    MaterialKind,
    QuestionKind,
    Registration,
    RegistrationStatus,
)

from .collaboratives import ACTIVE
from .world import DemoResult, DemoWorld

K = EventKind
C = CreditType
SITE = "https://npric.demo.example"
JOIN = "https://meet.npric.demo.example/prqc"
READINESS = "Pediatric readiness"
PREHOSPITAL = "Prehospital pediatric readiness"

#: Topics of the monthly learning sessions, in order (one a month after the kickoff).
TOPICS = [
    "Weighing children in kilograms",
    "Abnormal vital signs: who gets called",
    "Pain assessment and reassessment",
    "Suicide risk screening in the ED",
    "The pediatric emergency care coordinator",
    "Handoffs from EMS to the ED",
    "Family-centred care in a busy department",
    "Pediatric equipment and the crash cart",
    "Interfacility transfer agreements",
    "Disaster plans that include children",
    "Sustaining the gains",
    "Spreading changes across the system",
    "Data for improvement: reading your run chart",
    "Simulation on a shoestring",
    "Closing learning session: what we learned",
    "Community of practice: what comes next",
    "Celebration and results",
]
#: Topics that speak to EMS as well (a prehospital track, and CAPCE hours).
PREHOSPITAL_TOPICS = {"Handoffs from EMS to the ED", "Interfacility transfer agreements"}

QUESTIONS = [
    (QuestionKind.RATING, "The session met its stated objectives.", True),
    (QuestionKind.RATING, "What I learned will change my practice.", True),
    (QuestionKind.RATING, "The speakers were effective.", True),
    (QuestionKind.TEXT, "What one change will you test in the next month?", False),
    (QuestionKind.TEXT, "What could make these sessions better?", False),
]
COMMENTS = [
    "We will put the kilogram-only scale in triage next week.",
    "More time for team breakouts, please.",
    "The example run charts helped a lot.",
    "Share the slides before the session so we can follow along on the phone.",
    "Start a PDSA on the weight prompt in the EHR.",
    "Hearing from a critical access hospital like ours was the best part.",
]

#: Who comes, and how we know: the demo's team people and coaches.
PARTICIPANTS = (
    "lead@demo.example",
    "member@demo.example",
    "sponsor@demo.example",
    "coach@demo.example",
    "coach2@demo.example",
)
#: How each participant's attendance of a live event is known (every source appears).
SOURCES = {
    "lead@demo.example": (AttendanceSource.CODE, AttendanceMode.LIVE),
    "member@demo.example": (AttendanceSource.ROSTER, AttendanceMode.LIVE),
    "sponsor@demo.example": (AttendanceSource.SELF_LIVE, AttendanceMode.LIVE),
    "coach@demo.example": (AttendanceSource.IMPORT, AttendanceMode.LIVE),
    "coach2@demo.example": (AttendanceSource.SELF_RECORDING, AttendanceMode.RECORDING),
}
#: When after the event the demo's evaluations are submitted.
EVALUATED_AFTER = timedelta(hours=20)
#: Who answers the evaluation after a session they attended.
EVALUATORS = ("lead@demo.example", "member@demo.example", "coach@demo.example")


@dataclass
class Spec:
    """One event of the demo calendar (`key` names its recording and slides)."""

    key: str
    kind: str
    title: str
    day: date
    start: time
    minutes: int
    description: str = ""
    location: str = ""
    capacity: int | None = None
    tracks: tuple[str, ...] = (READINESS,)
    credits: dict = field(default_factory=dict)
    recorded: bool = False


def _weekday(month: date, weekday: int, nth: int) -> date:
    """The `nth` (1-based) `weekday` (Monday = 0) of `month` (a first of the month)."""
    first = month + timedelta(days=(weekday - month.weekday()) % 7)
    return first + timedelta(weeks=nth - 1)


def _hours(amount: str, *types) -> dict:
    return {t: Decimal(amount) for t in types}


def calendar_specs(collaborative: Collaborative) -> list[Spec]:
    """The active collaborative's calendar, from its start date to its end date."""
    start = collaborative.start_date
    months = (collaborative.end_date.year - start.year) * 12 + (
        collaborative.end_date.month - start.month
    )
    specs = [
        Spec(
            "kickoff",
            K.LEARNING_SESSION,
            "Kickoff learning session",
            _weekday(start, 1, 2),
            time(12, 0),
            210,
            "Meet the faculty and the other teams, set your aim, and plan your first "
            "test of change.",
            credits=_hours("3.5", C.AMA_PRA_1, C.NURSING, C.PARTICIPATION),
            recorded=True,
        )
    ]
    for n, topic in enumerate(TOPICS[: months - 1], start=1):
        prehospital = topic in PREHOSPITAL_TOPICS
        types = [C.AMA_PRA_1, C.NURSING, C.PARTICIPATION] + ([C.EMS] if prehospital else [])
        specs.append(
            Spec(
                f"ls-{n:02d}",
                K.LEARNING_SESSION,
                f"Learning session {n}: {topic}",
                _weekday(add_months(start, n), 1, 3),
                time(13, 0),
                90,
                f"Monthly learning session on {topic[0].lower() + topic[1:]}: faculty "
                "talk, a team's story, and breakouts by facility type.",
                tracks=(READINESS, PREHOSPITAL) if prehospital else (READINESS,),
                credits=_hours("1.5", *types),
                recorded=True,
            )
        )
    specs += [
        Spec(
            "fireside",
            K.FIRESIDE_CHAT,
            "Fireside chat: leading change in a small emergency department",
            _weekday(add_months(start, 3), 3, 3),
            time(15, 0),
            60,
            "An informal conversation with a rural nurse manager about getting a "
            "department to try something new.",
            credits=_hours("1", C.PARTICIPATION, C.NURSING),
            recorded=True,
        ),
        Spec(
            "module-kg",
            K.MODULE,
            "Module: weighing and recording in kilograms",
            add_months(start, 6),
            time(8, 0),
            int(timedelta(days=27, hours=9).total_seconds() // 60),
            "Four short videos and an assignment: audit ten charts for weights recorded "
            "in kilograms only, and bring the result to the next learning session.",
            credits=_hours("2", C.NURSING, C.PARTICIPATION),
        ),
        Spec(
            "tabletop",
            K.TABLETOP,
            "Tabletop exercise: a critically ill infant in a small ED",
            _weekday(add_months(start, 9), 3, 2),
            time(9, 0),
            180,
            "A small-group exercise in person: a septic infant arrives by car at 3 a.m.",
            location="Riverside Community Hospital, Conference Room B, Marietta, OH",
            capacity=3,
            credits=_hours("3", C.AMA_PRA_1, C.NURSING, C.EMS),
        ),
    ]
    for offset in (2, 5, 8, 9):
        specs.append(
            Spec(
                f"office-hours-{offset}",
                K.OFFICE_HOURS,
                f"Office hours with the coaches (month {offset + 1})",
                _weekday(add_months(start, offset), 2, 1),
                time(12, 0),
                60,
                "Bring your run chart or your PDSA question; no agenda.",
            )
        )
    end = collaborative.end_date
    return [s for s in specs if start <= s.day and s.day + timedelta(minutes=s.minutes) <= end]


def _number(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode())


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """The active collaborative's calendar with everything that happened up to `today`."""
    collaborative = world.collaboratives[ACTIVE]
    program = collaborative.program
    zone = ZoneInfo(collaborative.timezone)
    areas = {a.name: a for a in FocusArea.objects.filter(program=program)}
    staff = world.users["staff@demo.example"]
    people = {email: world.users[email] for email in PARTICIPANTS}
    # Whatever the time zone `today` was taken in, this is before now: an event that
    # ended (and was evaluated) before it is past; one starting two days after the
    # day's start is upcoming; the few in between get neither.
    cutoff = datetime.combine(today, time(0, 0), tzinfo=UTC) - timedelta(days=1)
    questions = _evaluation_form(collaborative, result)
    for spec in calendar_specs(collaborative):
        starts_at = datetime.combine(spec.day, spec.start, tzinfo=zone)
        ends_at = starts_at + timedelta(minutes=spec.minutes)
        event, created = Event.objects.get_or_create(
            program=program,
            collaborative=collaborative,
            title=spec.title,
            defaults={
                "kind": spec.kind,
                "description": spec.description,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "location": spec.location,
                "join_url": "" if spec.location else f"{JOIN}-{spec.key}",
                "capacity": spec.capacity,
            },
        )
        result.count(created)
        if created:
            event.tracks.set([areas[name] for name in spec.tracks if name in areas])
            EventCredit.objects.bulk_create(
                EventCredit(program=program, event=event, credit_type=t, amount=amount)
                for t, amount in spec.credits.items()
            )
            if spec.kind in (K.LEARNING_SESSION, K.FIRESIDE_CHAT):
                EventMaterial.objects.create(
                    program=program,
                    event=event,
                    kind=MaterialKind.LINK,
                    title="Slides",
                    url=f"{SITE}/materials/{spec.key}-slides.pdf",
                    added_by=staff,
                )
        if event.ends_at + EVALUATED_AFTER <= cutoff:
            _happened(event, spec, people, staff, questions, result)
        elif event.starts_at >= cutoff + timedelta(days=3):
            _upcoming(event, spec, people, cutoff, result)


def _register(event, user, status, at, result) -> None:
    _, created = Registration.objects.get_or_create(
        event=event,
        user=user,
        defaults={"program": event.program, "status": status, "created_at": at},
    )
    result.count(created)


def _upcoming(event, spec: Spec, people, cutoff, result) -> None:
    """Registrations for the events of the next two months; the tabletop exercise is
    full, with one person on the waiting list."""
    if event.starts_at > cutoff + timedelta(days=63):
        return
    at = cutoff - timedelta(days=2)
    if spec.key == "tabletop":
        for email in ("lead@demo.example", "member@demo.example", "sponsor@demo.example"):
            _register(event, people[email], RegistrationStatus.REGISTERED, at, result)
        _register(event, people["coach@demo.example"], RegistrationStatus.WAITLISTED, at, result)
        return
    for email in ("lead@demo.example", "member@demo.example", "coach@demo.example"):
        _register(event, people[email], RegistrationStatus.REGISTERED, at, result)


def _happened(event, spec: Spec, people, staff, questions, result) -> None:
    """A past event: its recording, who attended (every source), and evaluations."""
    if spec.recorded and not event.recording_url:
        event.recording_url = f"{SITE}/recordings/{spec.key}"
        event.save(update_fields=["recording_url", "updated_at"])
    if spec.kind == K.MODULE:
        attendees = {"lead@demo.example": (AttendanceSource.SELF_LIVE, AttendanceMode.LIVE)}
    elif spec.kind == K.OFFICE_HOURS:
        attendees = {"lead@demo.example": (AttendanceSource.ROSTER, AttendanceMode.LIVE)}
    else:
        # The sponsor comes to every other session; everyone else to each of them.
        attendees = {
            email: how
            for email, how in SOURCES.items()
            if email != "sponsor@demo.example" or _number(spec.key) % 2 == 0
        }
    for email, (source, mode) in attendees.items():
        user = people[email]
        _register(
            event,
            user,
            RegistrationStatus.REGISTERED,
            event.starts_at - timedelta(days=7),
            result,
        )
        minutes = None
        if source == AttendanceSource.IMPORT:
            minutes = spec.minutes - _number(spec.key, email) % 12  # joined a little late
        elif source == AttendanceSource.SELF_RECORDING:
            minutes = spec.minutes - _number(spec.key, email) % 20
        _, created = Attendance.objects.get_or_create(
            event=event,
            user=user,
            defaults={
                "program": event.program,
                "source": source,
                "mode": mode,
                "minutes": minutes,
                "recorded_by": staff
                if source in (AttendanceSource.ROSTER, AttendanceSource.IMPORT)
                else None,
            },
        )
        result.count(created)
    if spec.kind in (K.LEARNING_SESSION, K.FIRESIDE_CHAT):
        for email in EVALUATORS:
            _evaluate(event, spec, people[email], questions, result)


def _evaluate(event, spec: Spec, user, questions, result) -> None:
    response, created = EvaluationResponse.objects.get_or_create(
        event=event,
        user=user,
        defaults={
            "program": event.program,
            "submitted_at": event.ends_at + EVALUATED_AFTER,
        },
    )
    result.count(created)
    if not created:
        return
    answers = []
    for question in questions:
        n = _number(spec.key, user.email, question.prompt)
        if question.kind == QuestionKind.RATING:
            answers.append(
                EvaluationAnswer(
                    program=event.program, response=response, question=question, rating=3 + n % 3
                )
            )
        elif n % 3:  # free text is optional: about two in three write something
            answers.append(
                EvaluationAnswer(
                    program=event.program,
                    response=response,
                    question=question,
                    text=COMMENTS[n % len(COMMENTS)],
                )
            )
    EvaluationAnswer.objects.bulk_create(answers)


def _evaluation_form(collaborative: Collaborative, result: DemoResult) -> list:
    form, created = EvaluationForm.objects.get_or_create(
        collaborative=collaborative,
        defaults={
            "program": collaborative.program,
            "intro": "Two minutes, please: your answers shape the next sessions and are "
            "part of the record for continuing-education credit.",
        },
    )
    result.count(created)
    questions = []
    for position, (kind, prompt, required) in enumerate(QUESTIONS):
        question, created = EvaluationQuestion.objects.get_or_create(
            form=form,
            prompt=prompt,
            defaults={
                "program": collaborative.program,
                "kind": kind,
                "required": required,
                "position": position,
            },
        )
        result.count(created)
        questions.append(question)
    return questions
