"""The phase pattern and calendar checks (pure functions)."""

from datetime import date

import pytest

from collaboratives.models import PhaseKind
from collaboratives.phases import PhaseSpec, generate_phases, phase_problems, shift_phases


def test_pattern_covers_the_collaborative_without_gaps_or_overlaps():
    start, end = date(2026, 3, 1), date(2027, 8, 31)
    phases = generate_phases(start, end, learning_sessions=3)
    kinds = [p.kind for p in phases]
    assert kinds == [
        PhaseKind.PREWORK,
        PhaseKind.LEARNING_SESSION,
        PhaseKind.ACTION_PERIOD,
        PhaseKind.LEARNING_SESSION,
        PhaseKind.ACTION_PERIOD,
        PhaseKind.LEARNING_SESSION,
        PhaseKind.ACTION_PERIOD,
        PhaseKind.CONGRESS,
        PhaseKind.SUSTAIN,
    ]
    assert phases[0].start_date == start
    assert phases[-1].end_date == end
    for before, after in zip(phases, phases[1:], strict=False):
        assert (after.start_date - before.end_date).days == 1
    assert phase_problems(phases, start, end) == []
    assert [p.name for p in phases if p.kind == PhaseKind.LEARNING_SESSION] == [
        "Learning session 1",
        "Learning session 2",
        "Learning session 3",
    ]


def test_prework_and_sustain_have_minimum_lengths():
    phases = generate_phases(date(2026, 1, 1), date(2026, 6, 30), learning_sessions=2)
    prework, sustain = phases[0], phases[-1]
    assert (prework.end_date - prework.start_date).days + 1 >= 14
    assert (sustain.end_date - sustain.start_date).days + 1 >= 30


@pytest.mark.parametrize(
    ("start", "end", "sessions", "message"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), 3, "end date must be after"),
        (date(2026, 3, 1), date(2026, 4, 30), 6, "too short for 6 learning sessions"),
        (date(2026, 3, 1), date(2026, 9, 30), 0, "at least one learning session"),
    ],
)
def test_impossible_patterns_are_explained(start, end, sessions, message):
    with pytest.raises(ValueError, match=message):
        generate_phases(start, end, learning_sessions=sessions)


def test_problems_name_inverted_outside_and_overlapping_phases():
    start, end = date(2026, 3, 1), date(2026, 12, 31)
    phases = [
        PhaseSpec(PhaseKind.PREWORK, "Prework", date(2026, 2, 20), date(2026, 3, 20)),
        PhaseSpec(PhaseKind.LEARNING_SESSION, "LS 1", date(2026, 3, 15), date(2026, 3, 15)),
        PhaseSpec(PhaseKind.ACTION_PERIOD, "AP 1", date(2026, 5, 1), date(2026, 4, 1)),
        PhaseSpec(PhaseKind.SUSTAIN, "Sustain", date(2026, 12, 1), date(2027, 1, 31)),
    ]
    problems = phase_problems(phases, start, end)
    assert (
        "Prework: starts 20 February 2026, before the collaborative starts (1 March 2026)."
        in problems
    )
    assert "AP 1: the end date is before the start date." in problems
    assert (
        "Sustain: ends 31 January 2027, after the collaborative ends (31 December 2026)."
        in problems
    )
    assert "LS 1 overlaps Prework." in problems


def test_shift_moves_every_date():
    phases = generate_phases(date(2026, 3, 1), date(2027, 2, 28))
    moved = shift_phases(phases, 365)
    assert all(
        (m.start_date - p.start_date).days == 365 for m, p in zip(moved, phases, strict=True)
    )
    assert [m.name for m in moved] == [p.name for p in phases]
