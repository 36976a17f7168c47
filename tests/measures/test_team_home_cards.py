"""The team home's charts are drawn once and kept until the team's data change, and the
page's parts share one read of the team's measure set (core.memo.page_memo)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.memo import page_memo
from measures import services
from measures.selectors import team_measure_rows
from measures.team_charts import team_home_cards
from measures.validation import Entry

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _reads_values(fn) -> bool:
    with CaptureQueriesContext(connection) as context:
        fn()
    return any(
        'FROM "measures_datapoint"' in q["sql"] and "MAX(" not in q["sql"]
        for q in context.captured_queries
    )


def test_the_home_charts_are_kept_but_follow_a_new_value(world):
    team = world.t.team

    def svgs():
        return {c["row"].measure.pk: str(c["card"].svg) for c in team_home_cards(team=team)}

    assert _reads_values(svgs)  # cold: values read and charts drawn...
    assert not _reads_values(svgs)  # ...then kept: only the version queries
    before = svgs()
    services.period_save(
        team=team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(1), Decimal(10))},
    )
    assert _reads_values(svgs)
    after = svgs()
    assert after[world.m1.pk] != before[world.m1.pk]
    page = client_for(world.t.lead).get(reverse("teams:detail", kwargs={"team_id": team.public_id}))
    assert "Latest charts" in page.content.decode()
    assert after[world.m1.pk] in page.content.decode()


def test_the_measure_set_is_read_once_inside_a_page_memo(world):
    team = world.t.team

    def twice():
        return team_measure_rows(team=team), team_measure_rows(team=team)

    with CaptureQueriesContext(connection) as outside:
        twice()
    with page_memo(), CaptureQueriesContext(connection) as inside:
        first, second = twice()
    assert len(inside.captured_queries) * 2 == len(outside.captured_queries)
    assert [r.measure.pk for r in first] == [r.measure.pk for r in second]
    with page_memo():
        mine = team_measure_rows(team=team)
        mine.clear()  # a caller's list is its own: the memo keeps its copy
        assert team_measure_rows(team=team)
