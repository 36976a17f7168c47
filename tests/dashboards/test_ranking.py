"""The needs-attention ranking on realistic team histories, built in memory (the
ranking is pure: no database)."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from dashboards.ranking import (
    filter_rows,
    parse_sort,
    rank,
    reasons_for,
    sort_rows,
)
from dashboards.summary import TeamSummary
from measures.public import MeasureDigest, TeamDataStatus
from pdsa.public import CycleActivity
from teams.selectors import LatestScore, TeamScores

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
COLLAB = SimpleNamespace(title="Safe Births", public_id="c1")
OTHER_COLLAB = SimpleNamespace(title="Sepsis", public_id="c2")


def _team(name, collaborative=COLLAB):
    return SimpleNamespace(name=name, collaborative=collaborative)


def _expectation(expected=True):
    return SimpleNamespace(expected=expected, reason="" if expected else "ended")


def _summary(name, **changes) -> TeamSummary:
    """A healthy team: October handed in on time, a cycle started 10 days ago, rated
    this month by coach and team alike, no signals, gap analysis improving."""
    team = _team(name, changes.pop("collaborative", COLLAB))
    ratings = TeamScores(
        team=team,
        coach=LatestScore(date(2026, 11, 1), Decimal("3.0")),
        self_rating=LatestScore(date(2026, 11, 1), Decimal("3.0")),
        gap_month=date(2026, 11, 1),
        gap=Decimal("0.0"),
        coach_rated_this_month=True,
        expectation=_expectation(),
    )
    base = TeamSummary(
        team=team,
        data=TeamDataStatus(
            period_label="October 2026",
            period_start=date(2026, 10, 1),
            status="submitted",
            status_label="Submitted",
            last_handed_in=date(2026, 10, 1),
        ),
        measures=[
            MeasureDigest(1, "Hemorrhage risk assessed", "%", False, (80.0, 85.0, 90.0)),
            MeasureDigest(2, "Unplanned ICU admissions", "", True, (1.0, 0.0, 2.0)),
        ],
        cycles=CycleActivity(
            started_30=1,
            started_90=3,
            completed_90=2,
            total=5,
            last_started=NOW - timedelta(days=10),
        ),
        ratings=ratings,
        today=TODAY,
    )
    return replace(base, **changes)


def _codes(summary):
    return [r.code for r in reasons_for(summary)]


def test_a_healthy_team_needs_nothing():
    assert reasons_for(_summary("Healthy")) == ()


def test_a_team_that_went_quiet_in_the_summer():
    quiet = _summary(
        "Quiet",
        data=TeamDataStatus(
            period_label="October 2026",
            period_start=date(2026, 10, 1),
            status="not_started",
            status_label="Not started",
            is_late=True,
            days_late=5,
            last_handed_in=date(2026, 7, 1),
        ),
        cycles=CycleActivity(total=4, last_started=NOW - timedelta(days=120), stalled=2),
    )
    texts = [r.text for r in reasons_for(quiet)]
    assert "no data for 3 months" in texts
    assert "October 2026 data 5 days late" in texts
    assert "no PDSA cycle in 120 days" in texts
    assert "2 stalled cycles" in texts
    assert texts[0] == "no data for 3 months"  # heaviest first


def test_one_month_behind_is_only_late():
    late = _summary(
        "Late",
        data=TeamDataStatus(
            period_label="October 2026",
            period_start=date(2026, 10, 1),
            status="draft",
            status_label="Draft",
            is_late=True,
            days_late=2,
            last_handed_in=date(2026, 9, 1),
        ),
    )
    assert _codes(late) == ["late"]


def test_a_new_team_that_never_handed_in_or_started_a_cycle():
    new = _summary(
        "New",
        data=replace(_summary("x").data, last_handed_in=None, status="not_started"),
        cycles=CycleActivity(),
    )
    texts = [r.text for r in reasons_for(new)]
    assert texts[:2] == ["no data handed in yet", "no PDSA cycle yet"]


def test_concern_on_a_balancing_measure_outweighs_one_on_a_process_measure():
    digests = [
        MeasureDigest(1, "Hemorrhage risk assessed", "%", False, signal_tone="concern"),
        MeasureDigest(2, "Unplanned ICU admissions", "", True, signal_tone="concern"),
        MeasureDigest(3, "Debriefs held", "", False, signal_tone="improvement"),
    ]
    reasons = reasons_for(_summary("Signals", measures=digests))
    assert [(r.text, r.weight) for r in reasons] == [
        ("concern signal on a balancing measure", 4),
        ("concern signal on Hemorrhage risk assessed", 2),
    ]


def test_ratings_one_point_apart_and_a_rating_due():
    s = _summary("Apart")
    ratings = replace(
        s.ratings,
        gap=Decimal("1.0"),
        coach_rated_this_month=False,
        self_rating=LatestScore(date(2026, 10, 1), Decimal("4.0")),
    )
    texts = [r.text for r in reasons_for(replace(s, ratings=ratings))]
    assert "coach and team ratings 1.0 apart" in texts
    assert "progress rating due this month" in texts
    # Half a point is a difference, not a reason.
    close = replace(s, ratings=replace(s.ratings, gap=Decimal("0.5")))
    assert reasons_for(close) == ()


def test_no_rating_due_when_the_collaborative_ended():
    s = _summary("Ended")
    ratings = replace(s.ratings, coach_rated_this_month=False, expectation=_expectation(False))
    assert "rating_due" not in _codes(replace(s, ratings=ratings))


def test_feedback_unread_and_gap_analysis_down():
    from assessments.public import GapScore

    s = _summary(
        "Waiting",
        cycles=replace(_summary("x").cycles, waiting_feedback=1),
        unread_comments=3,
        gap=GapScore(score=Decimal("2.5"), wave_label="Follow-up", change=Decimal("-0.5")),
    )
    texts = [r.text for r in reasons_for(s)]
    assert texts == [
        "1 cycle waiting for feedback",
        "gap-analysis score down 0.5 since baseline",
        "3 unread comments",
    ]


def test_rank_orders_by_score_then_name():
    healthy = _summary("Alpha")
    also_healthy = _summary("beta")
    stuck = _summary("Zulu", cycles=CycleActivity())
    quiet = _summary(
        "Mike",
        data=replace(healthy.data, last_handed_in=date(2026, 5, 1)),
        cycles=CycleActivity(),
    )
    ranked = rank([healthy, stuck, also_healthy, quiet])
    assert [r.summary.team.name for r in ranked] == ["Mike", "Zulu", "Alpha", "beta"]
    assert ranked[0].score > ranked[1].score > ranked[2].score == 0


def test_sort_and_filter():
    rows = rank(
        [
            _summary("Alpha", cycles=CycleActivity()),
            _summary("Bravo"),
            _summary("Charlie", collaborative=OTHER_COLLAB),
        ]
    )
    assert [r.summary.team.name for r in sort_rows(rows, column="name", descending=True)] == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    assert [r.summary.team.name for r in filter_rows(rows, reason="no_pdsa")] == ["Alpha"]
    assert [r.summary.team.name for r in filter_rows(rows, query="RAV")] == ["Bravo"]
    assert [r.summary.team.name for r in filter_rows(rows, collaborative="c2")] == ["Charlie"]
    assert parse_sort("-pdsa") == ("pdsa", True)
    assert parse_sort("nonsense") == ("need", False)
    assert parse_sort(None) == ("need", False)
