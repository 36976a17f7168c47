"""The collaborative calendar: generating phases from the Breakthrough Series pattern,
and checking a set of phases before it is saved.

Pure functions on plain values, so that the create form, the copy service and the
phase editor all share one definition of a valid calendar.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .models import PhaseKind

#: Shortest action period the pattern will generate between two learning sessions.
MIN_ACTION_PERIOD_DAYS = 14


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    name: str
    start_date: date
    end_date: date


def generate_phases(
    start: date, end: date, *, learning_sessions: int = 3, session_days: int = 1
) -> list[PhaseSpec]:
    """The IHI Breakthrough Series shape: prework, then learning sessions each followed
    by an action period, then a closing congress and a sustain phase.

    Prework takes the first tenth (at least two weeks), sustain the last eighth (at
    least a month), the congress one day before sustain; the rest is split evenly
    between the learning sessions and their action periods. Raises ValueError when
    the dates cannot hold that many sessions.
    """
    if end <= start:
        raise ValueError("The end date must be after the start date.")
    if learning_sessions < 1:
        raise ValueError("Plan at least one learning session.")
    if session_days < 1:
        raise ValueError("A learning session lasts at least one day.")
    total = (end - start).days + 1
    prework = max(14, round(total * 0.10))
    sustain = max(30, round(total * 0.125))
    congress = 1
    middle = total - prework - sustain - congress
    per_session = middle // learning_sessions if middle > 0 else 0
    if per_session < session_days + MIN_ACTION_PERIOD_DAYS:
        raise ValueError(
            f"{total} days are too short for {learning_sessions} learning sessions "
            f"with action periods of at least {MIN_ACTION_PERIOD_DAYS} days: choose later "
            "end date or fewer sessions."
        )

    phases = [PhaseSpec(PhaseKind.PREWORK, "Prework", start, start + timedelta(days=prework - 1))]
    cursor = start + timedelta(days=prework)
    for number in range(1, learning_sessions + 1):
        length = per_session if number < learning_sessions else middle - per_session * (number - 1)
        session_end = cursor + timedelta(days=session_days - 1)
        phases.append(
            PhaseSpec(PhaseKind.LEARNING_SESSION, f"Learning session {number}", cursor, session_end)
        )
        period_end = cursor + timedelta(days=length - 1)
        phases.append(
            PhaseSpec(
                PhaseKind.ACTION_PERIOD,
                f"Action period {number}",
                session_end + timedelta(days=1),
                period_end,
            )
        )
        cursor = period_end + timedelta(days=1)
    phases.append(PhaseSpec(PhaseKind.CONGRESS, "Closing congress", cursor, cursor))
    phases.append(PhaseSpec(PhaseKind.SUSTAIN, "Sustain", cursor + timedelta(days=1), end))
    return phases


def phase_problems(phases: list[PhaseSpec], start: date | None, end: date | None) -> list[str]:
    """Everything wrong with a calendar, as sentences for the person editing it.

    Checks inverted dates, phases outside the collaborative's dates and overlaps
    (phases are compared in date order; touching end-to-start is allowed only when
    the next phase starts the day after).
    """
    problems = []
    for phase in phases:
        if phase.end_date < phase.start_date:
            problems.append(f"{phase.name}: the end date is before the start date.")
        if start and phase.start_date < start:
            problems.append(
                f"{phase.name}: starts {phase.start_date:%-d %B %Y}, before the collaborative "
                f"starts ({start:%-d %B %Y})."
            )
        if end and phase.end_date > end:
            problems.append(
                f"{phase.name}: ends {phase.end_date:%-d %B %Y}, after the collaborative "
                f"ends ({end:%-d %B %Y})."
            )
    ordered = sorted(phases, key=lambda p: (p.start_date, p.end_date))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start_date <= before.end_date:
            problems.append(f"{after.name} overlaps {before.name}.")
    return problems


def shift_phases(phases: list[PhaseSpec], days: int) -> list[PhaseSpec]:
    """The same calendar moved by `days` (used when copying a collaborative)."""
    delta = timedelta(days=days)
    return [
        replace(p, start_date=p.start_date + delta, end_date=p.end_date + delta) for p in phases
    ]
