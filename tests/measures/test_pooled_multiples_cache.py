"""The collaborative measures view's pooled thumbnails are drawn once and then served
from the cache under the pooled series' own key (measures/team_charts.py:
pooled_small_multiples), and the page shows every change to what they draw at once: a
value saved, a value written in bulk, the measure's definition (even by a bulk update),
the periods, the minimum share, the participating teams and the day."""

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

import measures.team_charts
from collaboratives.models import Collaborative
from core import clock
from measures import services
from measures.analysis import analyse_series
from measures.models import DataPoint, Measure, ReportingPeriod
from measures.presenters import small_multiples
from measures.selectors import measure_set_of, pooled_series_many, pooled_version
from measures.validation import Entry
from teams.models import Team, TeamStatus

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _same_ids(svg: str) -> str:
    """The drawing without its random element ids (each drawing gets new ones)."""
    return re.sub(r"chart-(title|desc)-[0-9a-f]{8}", r"chart-\1", str(svg))


def _view(world) -> tuple[list[str], int]:
    """The thumbnails the page shows, and how many series it analysed for them."""
    url = reverse(
        "measures:collaborative", kwargs={"collaborative_id": world.t.collaborative.public_id}
    )
    with mock.patch.object(
        measures.team_charts, "analyse_series", wraps=measures.team_charts.analyse_series
    ) as analysed:
        response = client_for(world.t.staff).get(url)
    assert response.status_code == 200
    return [_same_ids(card["chart"].svg) for card in response.context["cards"]], (
        analysed.call_count
    )


def _fresh(world) -> list[str]:
    """The thumbnails drawn now from the database, without the thumbnails' cache."""
    collaborative = Collaborative.objects.get(pk=world.t.collaborative.pk)
    measures_ = [e.measure for e in measure_set_of(collaborative=collaborative)]
    pooled = pooled_series_many(collaborative=collaborative, measures=measures_)
    charts = small_multiples(
        [(analyse_series(pooled[m.pk]), m.short_name) for m in measures_], shared_scale=False
    )
    return [_same_ids(chart.svg) for chart in charts]


def _shows_the_change(world, before: list[str]) -> None:
    shown, analysed = _view(world)
    assert analysed > 0  # drawn again
    assert shown == _fresh(world)
    assert shown != before


def _cached(world) -> list[str]:
    shown, analysed = _view(world)
    assert shown == _fresh(world)
    again, analysed_again = _view(world)
    assert again == shown and analysed_again == 0  # from the cache: nothing analysed
    return shown


def test_the_thumbnails_are_drawn_once(world):
    _, first = _view(world)
    assert first == len(measure_set_of(collaborative=world.t.collaborative))
    _cached(world)


def test_a_saved_value_shows_at_once(world):
    before = _cached(world)
    # May: one of the two teams reports, pooled at the default 50% minimum share.
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(1), Decimal(10))},
    )
    _shows_the_change(world, before)


def test_a_value_written_in_bulk_shows_at_once(world):
    """As the import writes (one UPDATE of many rows, its time stamp set, no signal)."""
    before = _cached(world)
    DataPoint.objects.filter(team=world.t.other_team, measure=world.m1, period=world.april).update(
        numerator=Decimal(11), updated_at=timezone.now()
    )
    _shows_the_change(world, before)


def test_the_measures_definition_shows_at_once_even_from_a_bulk_update(world):
    before = _cached(world)
    Measure.objects.filter(pk=world.m1.pk).update(short_name="Weighed in kg (renamed)")
    _shows_the_change(world, before)
    before = _cached(world)
    # A goal set by a bulk update that leaves updated_at alone.
    Measure.objects.filter(pk=world.m1.pk).update(target=Decimal(90))
    _shows_the_change(world, before)


def _may_of_one_team(world) -> None:
    """May: one of the two teams reports, pooled at the default 50% minimum share."""
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(5), Decimal(10))},
    )


def test_the_minimum_share_shows_at_once(world):
    _may_of_one_team(world)
    before = _cached(world)
    Collaborative.objects.filter(pk=world.t.collaborative.pk).update(pooled_min_share=100)
    _shows_the_change(world, before)  # May: 1 of 2 teams, below 100%


def test_a_changed_period_shows_at_once(world):
    _may_of_one_team(world)
    before = _cached(world)
    ReportingPeriod.objects.filter(pk=world.may.pk).update(end=clock.today() + timedelta(days=3))
    _shows_the_change(world, before)  # May has not ended any more: not pooled


def test_a_team_leaving_shows_at_once(world):
    before = _cached(world)
    Team.objects.filter(pk=world.t.other_team.pk).update(status=TeamStatus.WITHDRAWN)
    _shows_the_change(world, before)


def test_the_key_changes_with_the_day(world):
    collaborative = world.t.collaborative
    measures_ = [world.m1]
    today = clock.today()
    keys = {
        pooled_version(collaborative=collaborative, measures=measures_, today=day)[0]
        for day in (today, today + timedelta(days=1))
    }
    assert len(keys) == 2
