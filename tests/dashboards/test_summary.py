"""Per-team summaries: what each number is, and that building them takes the same
number of queries for 10 teams as for 60."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.clock import add_months, month_end
from dashboards.ranking import reasons_for
from dashboards.summary import team_summaries
from learning_sessions.models import Attendance, Event, EventKind
from measures.models import (
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    Direction,
    Measure,
    MeasureType,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
)
from pdsa.models import ChangeIdea, Cycle, Stage
from tests.clock import instant
from tests.factories import (
    CoachAssignmentFactory,
    CollaborativeFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

#: 16 months up to October 2026 (the suite's today is 20 November 2026).
OCTOBER = date(2026, 10, 1)
MONTHS = [add_months(OCTOBER, i - 15) for i in range(16)]


def _world(tenant, n_teams: int):
    """A collaborative with a balancing measure (lower is better) and `n_teams` teams,
    each with 16 months of values: 8 low then 8 high (a shift the worse way that ends
    at the latest point), handed in up to July 2026 only."""
    program = tenant.program
    collaborative = CollaborativeFactory(program=program, start_date=MONTHS[0])
    measure = Measure.objects.create(
        program=program,
        collaborative=collaborative,
        code="B1",
        name=f"Unplanned ICU admissions {collaborative.pk}",
        short_name="ICU admissions",
        measure_type=MeasureType.BALANCING,
        data_kind=DataKind.COUNT,
        direction=Direction.DECREASE,
    )
    CollaborativeMeasure.objects.create(
        program=program, collaborative=collaborative, measure=measure, position=1
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            program=program,
            collaborative=collaborative,
            start=start,
            end=month_end(start),
            due_date=month_end(start) + timedelta(days=15),
        )
        for start in MONTHS
    )
    teams = [
        TeamFactory(program=program, collaborative=collaborative, name=f"Team {n:02d}")
        for n in range(n_teams)
    ]
    for team in teams:
        CoachAssignmentFactory(team=team, coach=tenant.coach)
    DataPoint.objects.bulk_create(
        DataPoint(
            program=program,
            collaborative=collaborative,
            team=team,
            measure=measure,
            period=period,
            value=Decimal(1 + (i % 2) if i < 8 else 6 + (i % 2)),
        )
        for team in teams
        for i, period in enumerate(periods)
    )
    handed_in = instant(MONTHS[12] + timedelta(days=40))
    Submission.objects.bulk_create(
        Submission(
            program=program,
            collaborative=collaborative,
            team=team,
            period=period,
            status=SubmissionStatus.REVIEWED,
            submitted_at=handed_in,
            first_submitted_at=handed_in,
        )
        for team in teams
        for period in periods[:13]
    )
    return collaborative, teams


def test_each_number_of_a_team(tenant_a):
    collaborative, (team,) = _world(tenant_a, 1)
    idea = ChangeIdea.objects.create(program=tenant_a.program, team=team, title="Huddle")
    now = timezone.now()
    old = Cycle.objects.create(
        program=tenant_a.program, team=team, change_idea=idea, title="Old", stage=Stage.DO
    )
    Cycle.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=100), updated_at=now - timedelta(days=60)
    )
    done = Cycle.objects.create(
        program=tenant_a.program,
        team=team,
        change_idea=idea,
        title="Done",
        stage=Stage.COMPLETE,
        completed_date=now.date() - timedelta(days=5),
        awaiting_feedback_since=now,
    )
    Cycle.objects.filter(pk=done.pk).update(created_at=now - timedelta(days=50))
    member = UserFactory()
    TeamMembershipFactory(team=team, user=member)
    event = Event.objects.create(
        program=tenant_a.program,
        collaborative=collaborative,
        kind=EventKind.WEBINAR,
        title="Webinar",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
    )
    Attendance.objects.create(
        program=tenant_a.program, event=event, user=member, source="manual", present=True
    )

    (summary,) = team_summaries(teams=[team], viewer=tenant_a.coach)

    assert summary.data.period_label == "October 2026"
    assert summary.data.status == "not_started"
    assert summary.data.is_late and summary.data.days_late == 5  # due 15 November
    assert summary.data.last_handed_in == MONTHS[12]  # July 2026
    assert summary.months_without_data == 3
    (icu,) = summary.measures
    assert icu.is_balancing
    assert icu.signal_tone == "concern"
    assert len(icu.values) == 12 and icu.values[-1] == 7.0
    assert "latest 7" in icu.words
    cycles = summary.cycles
    assert (cycles.started_30, cycles.started_90, cycles.completed_30) == (0, 1, 1)
    assert (cycles.stalled, cycles.waiting_feedback, cycles.total) == (1, 1, 2)
    assert summary.days_since_cycle == 50
    assert summary.events_attended == 1
    assert summary.gap is None

    texts = [r.text for r in reasons_for(summary)]
    assert "no data for 3 months" in texts
    assert "concern signal on a balancing measure" in texts
    assert "no PDSA cycle in 50 days" in texts
    assert "1 stalled cycle" in texts
    assert "1 cycle waiting for feedback" in texts


def test_the_fixture_team_has_a_submission_waiting_for_review(tenant_a):
    (summary,) = team_summaries(teams=[tenant_a.team], viewer=tenant_a.coach)
    assert summary.data.review_submission is not None
    assert summary.data.review_period_label


def _count(teams, viewer) -> int:
    with CaptureQueriesContext(connection) as queries:
        summaries = team_summaries(teams=teams, viewer=viewer)
    assert len(summaries) == len(teams)
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_teams(tenant_a):
    _, ten = _world(tenant_a, 10)
    _, sixty = _world(tenant_a, 62)
    cache.clear()
    cold_10 = _count(ten, tenant_a.coach)
    cold_60 = _count(sixty, tenant_a.coach)
    # Cold: periods, one query for the submissions, ratings, PDSA activity with unread
    # comments, gap scores and events, and the key measures' sets, values and settings.
    assert cold_10 == cold_60 == 5
    warm_10 = _count(ten, tenant_a.coach)
    warm_60 = _count(sixty, tenant_a.coach)
    assert warm_10 == warm_60 == 2


def test_queries_do_not_grow_with_the_number_of_collaboratives(tenant_a):
    """A coach's teams span collaboratives: the key measures are read for all of them
    at once, not once per collaborative."""
    _, one = _world(tenant_a, 3)
    spread = one + _world(tenant_a, 3)[1] + _world(tenant_a, 3)[1]
    cache.clear()
    assert _count(one, tenant_a.coach) == _count(spread, tenant_a.coach) == 5


def test_the_folded_figures_equal_each_apps_own_reading(tenant_a):
    """The submissions, ratings, PDSA activity, gap scores and events a summary reads in
    one query (each app's correlated subquery) are what each app's own query answers:
    data statuses, re-rated months, baseline and follow-up surveys, cycles, unread
    comments and attendance."""
    from assessments.models import SurveyResponse, WaveKind
    from assessments.public import latest_gap_scores
    from learning_sessions.public import events_attended_by_teams
    from measures.public import team_data_statuses
    from pdsa.public import CycleActivity, cycle_activity
    from teams.selectors import team_scores
    from tests.dashboards.progress_helpers import add_teams

    teams = [tenant_a.team, *add_teams(tenant_a, 4)]
    ids = [t.pk for t in teams]
    responses = SurveyResponse.objects.filter(team_id__in=ids[1:])
    responses.filter(wave__kind=WaveKind.BASELINE).update(score=Decimal("45.5"))
    responses.filter(wave__kind=WaveKind.FOLLOW_UP).update(score=Decimal("61.0"))
    now = timezone.now()
    summaries = team_summaries(teams=teams, viewer=tenant_a.coach, now=now)
    scores = team_scores(teams=teams)
    cycles = cycle_activity(team_ids=ids, now=now, unread_for=tenant_a.coach)
    gaps = latest_gap_scores(team_ids=ids)
    events = events_attended_by_teams(team_ids=ids)
    statuses = team_data_statuses(teams=teams)
    assert any(s.data.review_submission for s in summaries)
    assert any(s.data.last_handed_in for s in summaries)
    assert any(s.ratings.gap is not None for s in summaries)
    assert any(s.gap is not None and s.gap.change is not None for s in summaries)
    assert any(s.cycles.total for s in summaries)
    for summary in summaries:
        pk = summary.team.pk
        ours, theirs = summary.ratings, scores[pk]
        assert (ours.coach, ours.self_rating, ours.gap_month, ours.gap) == (
            theirs.coach,
            theirs.self_rating,
            theirs.gap_month,
            theirs.gap,
        )
        assert ours.coach_rated_this_month == theirs.coach_rated_this_month
        assert ours.rating_due == theirs.rating_due
        assert summary.cycles == cycles.get(pk, CycleActivity())
        assert summary.gap == gaps.get(pk)
        assert summary.events_attended == events.get(pk, 0)
        assert summary.data == statuses[pk]


def test_sparkline_breaks_at_gaps_escapes_and_says_its_values():
    from core.charts.sparkline import sparkline, sparkline_words

    labels = ["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]
    svg = str(sparkline([40.0, None, 52.0, 55.0], labels, name="<Pain> assessed", unit="%"))
    assert svg.count("<polyline") == 1  # the gap splits 40 from 52-55
    assert svg.count("<circle") == 2  # the lone 40, and the latest point marked
    assert "&lt;Pain&gt; assessed" in svg and "<Pain>" not in svg
    assert "Sep 2026 no value" in svg
    assert sparkline([None, None], labels[:2], name="x") is None
    assert sparkline_words([None], ["Oct 2026"], name="Pain") == "Pain: no values yet."
    assert sparkline_words([1.0, 2.5], labels[:2], name="LOS", unit="min").endswith(
        "latest 2.5 min."
    )
