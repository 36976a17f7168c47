"""The collaborative measure page's small multiples (one run chart per team) are analysed
and drawn once and then served from the cache, until something they show changes
(measures/team_charts.py; found by the load test, benchmarks/load)."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

import measures.analysis
import measures.team_charts
from measures import services
from measures.validation import Entry
from teams.models import Team

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _page(world):
    return reverse(
        "measures:measure",
        kwargs={
            "collaborative_id": world.t.collaborative.public_id,
            "measure_id": world.m1.public_id,
        },
    )


def _analyses_of_one_view(client, url) -> tuple[int, str]:
    """How many series one view of the page analyses, and the page."""
    with mock.patch.object(
        measures.analysis, "analyze", wraps=measures.analysis.analyze
    ) as analyze:
        response = client.get(url)
    assert response.status_code == 200
    return analyze.call_count, response.content.decode()


def test_a_second_view_analyses_only_the_pooled_series(world):
    client, url = client_for(world.t.staff), _page(world)
    teams = Team.objects.filter(collaborative=world.t.collaborative, status="active").count()
    assert teams >= 2
    first, _ = _analyses_of_one_view(client, url)
    assert first == 1 + teams  # the pooled series and every team's
    second, _ = _analyses_of_one_view(client, url)
    assert second == 1  # the pooled series only: the teams' charts come from the cache
    # Another member of staff sees the same teams: the same cached charts.
    third, _ = _analyses_of_one_view(client_for(world.t.admin), url)
    assert third == 1


def test_the_cached_charts_follow_a_new_value_and_a_renamed_team(world):
    client, url = client_for(world.t.staff), _page(world)
    _analyses_of_one_view(client, url)
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(3), Decimal(10))},
    )
    count, page = _analyses_of_one_view(client, url)
    assert count > 1  # drawn again
    assert "30%" in page  # May: 3 of 10
    Team.objects.filter(pk=world.t.team.pk).update(name="Renamed riverside team")
    count, page = _analyses_of_one_view(client, url)
    assert count > 1
    assert "Renamed riverside team" in page


def test_the_funnel_is_drawn_once_for_the_same_numbers(world):
    client, url = client_for(world.t.staff), _page(world)

    def funnels_drawn() -> int:
        with mock.patch.object(
            measures.team_charts, "funnel_for", wraps=measures.team_charts.funnel_for
        ) as funnel_for:
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["funnel_chart"] is not None
        return funnel_for.call_count

    assert funnels_drawn() == 1
    assert funnels_drawn() == 0  # the same teams and numbers: from the cache
    Team.objects.filter(pk=world.t.team.pk).update(name="Renamed riverside team")
    assert funnels_drawn() == 1  # a label changed: drawn again
