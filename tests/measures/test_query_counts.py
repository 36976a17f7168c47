"""The collaborative's pooled chart and per-team signal summary take the same number of
queries for 10 teams as for 100 (the 300-team size is timed by benchmarks/)."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.analysis import team_signal_summary
from measures.models import (
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    Measure,
    MeasureType,
    ReportingPeriod,
    Submission,
    TeamMeasure,
)
from measures.periods import iter_periods
from measures.selectors import measure_set_of, pooled_series_many
from teams.models import Facility, Team, TeamStatus
from tests.clock import month
from tests.factories import CollaborativeFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def grow(program, n_teams: int, label: str):
    """A collaborative with `n_teams` teams, 3 measures and 12 months of data (bulk), the
    twelve months before this one."""
    rng = random.Random(n_teams)
    start, end = month(-12), month(0) - timedelta(days=1)
    collaborative = CollaborativeFactory(
        program=program,
        title=f"{label} collaborative",
        slug=f"{label}-size",
        start_date=start,
        end_date=end,
    )
    measures = [
        Measure.objects.create(
            program=program,
            code=f"{label}{k}",
            name=f"{label} measure {k}",
            short_name=f"{label} {k}",
            measure_type=MeasureType.PROCESS,
            data_kind=kind,
            denominator_definition="visits",
        )
        for k, kind in enumerate((DataKind.PROPORTION, DataKind.COUNT, DataKind.CONTINUOUS))
    ]
    CollaborativeMeasure.objects.bulk_create(
        CollaborativeMeasure(program=program, collaborative=collaborative, measure=m, position=k)
        for k, m in enumerate(measures)
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(program=program, collaborative=collaborative, start=s, end=e, due_date=e)
        for s, e in iter_periods("monthly", start, end)
    )
    facilities = Facility.objects.bulk_create(
        Facility(
            program=program, name=f"{label} hospital {i}", facility_type="community_ed", state="OH"
        )
        for i in range(n_teams)
    )
    teams = Team.objects.bulk_create(
        Team(
            program=program,
            collaborative=collaborative,
            facility=f,
            name=f"{label} team {i:03d}",
            status=TeamStatus.ACTIVE,
        )
        for i, f in enumerate(facilities)
    )
    points = []
    for team in teams:
        for measure in measures:
            for period in periods:
                den = rng.randint(10, 30)
                points.append(
                    DataPoint(
                        program=program,
                        collaborative=collaborative,
                        team=team,
                        measure=measure,
                        period=period,
                        numerator=Decimal(rng.randint(0, den)) if measure.is_ratio else None,
                        denominator=Decimal(den) if measure.is_ratio else None,
                        value=None if measure.is_ratio else Decimal(rng.randint(1, 300)),
                    )
                )
    DataPoint.objects.bulk_create(points, batch_size=2000)
    TeamMeasure.objects.bulk_create(
        TeamMeasure(
            program=program,
            collaborative=collaborative,
            team=t,
            measure=measures[0],
            baseline_end=month(-9),
        )
        for t in teams[::3]
    )
    Submission.objects.bulk_create(
        Submission(program=program, collaborative=collaborative, team=t, period=p)
        for t in teams
        for p in periods[:6]
    )
    return collaborative, teams, measures


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


def test_pooled_chart_and_signal_summary_do_not_grow_with_the_teams(tenant_a):
    small = grow(tenant_a.program, 10, "small")
    large = grow(tenant_a.program, 100, "large")

    def reads(collaborative, teams):
        def run():
            measures = [e.measure for e in measure_set_of(collaborative=collaborative)]
            pooled_series_many(collaborative=collaborative, measures=measures)
            summary = team_signal_summary(
                collaborative=collaborative, teams=teams, measures=measures
            )
            assert len(summary) == len(teams)

        return run

    assert count_queries(reads(*small[:2])) == count_queries(reads(*large[:2]))

    client = client_for(tenant_a.staff)
    # The top bar's unread count is cached per person: count it once, before measuring.
    client.get(reverse("notifications"))

    def page(name, collaborative, measure=None):
        kwargs = {"collaborative_id": collaborative.public_id}
        if measure is not None:
            kwargs["measure_id"] = measure.public_id
        url = reverse(f"measures:{name}", kwargs=kwargs)

        def run():
            response = client.get(url)
            assert response.status_code == 200
            assert response.content.decode().count("team 00") >= 10

        return run

    assert count_queries(page("collaborative", small[0])) == count_queries(
        page("collaborative", large[0])
    )
    assert count_queries(page("measure", small[0], small[2][0])) == count_queries(
        page("measure", large[0], large[2][0])
    )
    assert count_queries(page("status", small[0])) == count_queries(page("status", large[0]))


def test_the_signal_summary_is_cached_but_follows_every_change(world):
    from measures import services
    from measures.validation import Entry

    teams = [world.t.team, world.t.other_team]
    measures = [world.m1]

    def latest(team_index=0):
        summary = team_signal_summary(
            collaborative=world.t.collaborative, teams=teams, measures=measures
        )
        return summary[team_index].cells[0][1].latest_value

    assert latest() == 80  # April: 8 of 10
    warm = count_queries(latest)
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(3), Decimal(10))},
    )
    assert latest() == 30  # the new value is seen at once
    services.period_save(
        team=world.t.team, period=world.may, actor=world.t.lead, entries={world.m1: Entry()}
    )
    assert latest() == 80  # and so is its deletion
    assert latest(1) == 25  # the other team: 3 of 12
    assert count_queries(latest) == warm == 1  # cached: only the version query (both aggregates)
