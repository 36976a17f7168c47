"""What the measure pages do to stay fast at 300 teams (benchmarks/routes_benchmark.py
times them) without showing anything else: the period selects written in Python give
the same HTML as Django's templates, and the pages make the same, fixed number of
queries whatever the number of teams and months."""

from decimal import Decimal
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.charts import fmt
from core.widgets import PlainSelect
from measures import services
from measures.analysis import SignalCell, TeamSignals
from measures.forms import ChartOptionsForm, ChartSettingsForm, FunnelPeriodForm
from measures.models import ChartType, DataPoint, Measure, ReportingPeriod
from measures.selectors import (
    funnel_inputs,
    pooled_periods,
    pooled_series_many,
    team_measure_get,
    team_measure_rows,
)
from measures.views._common import chart_options_html, chart_settings_html
from measures.views.collaborative import summary_rows

from .conftest import client_for
from .test_query_counts import grow

pytestmark = pytest.mark.django_db


def test_the_chart_settings_and_funnel_forms_render_as_before(world):
    """Each period field of both forms, rendered as the page renders it, equals Django's
    own select with the same choices, value and attributes."""
    periods = list(ReportingPeriod.objects.filter(collaborative=world.t.collaborative))
    initial = {"baseline_end": periods[2].start.isoformat(), "phase2_start": ""}
    for form in (
        ChartSettingsForm(initial=initial, periods=periods),
        FunnelPeriodForm(initial={"period": str(periods[1].public_id)}, periods=periods),
    ):
        selects = [f for f in form if isinstance(f.field.widget, forms.Select)]
        assert selects
        for field in selects:
            assert isinstance(field.field.widget, PlainSelect)
            plain = forms.Select(choices=field.field.choices)
            attrs = {**field.build_widget_attrs({}), "id": field.auto_id}
            assert field.as_widget() == plain.render(field.html_name, field.value(), attrs)
            assert "selected>" in field.as_widget() or field.value() in (None, "")


def test_the_measure_page_renders_no_option_through_a_template(world):
    """The team's measure page (lead, with the chart settings) draws its four period
    selects without one template include per option."""
    t = world.t
    url = reverse(
        "measures:team_measure",
        kwargs={"team_id": t.team.public_id, "measure_id": world.m1.public_id},
    )
    response = client_for(t.member).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phase3_start"' in html and 'name="baseline_end"' in html
    names = {template.name for template in response.templates}
    assert "django/forms/widgets/select_option.html" not in names


def _plain(value) -> bool:
    """Whether `value` holds only numbers, strings, None and containers of them."""
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, int | float | Decimal | str)


def test_the_pooled_cache_keeps_plain_numbers_and_gives_the_same_series(tenant_a):
    """The pooled aggregate is cached as plain numbers (no model instances to unpickle),
    and the series built from a cached copy equal those built from the query."""
    collaborative, _, measures = grow(tenant_a.program, 4, "pool")
    cache.clear()
    with patch.object(cache, "set", wraps=cache.set) as stored:
        fresh = pooled_series_many(collaborative=collaborative, measures=measures)
    [(key, value), *_] = [c.args[:2] for c in stored.call_args_list if "pooled" in c.args[0]]
    assert _plain(value)
    assert cache.get(key) is not None
    again = pooled_series_many(collaborative=collaborative, measures=measures)
    assert stored.call_count == 1  # the second read came from the cache
    for measure in measures:
        a, b = fresh[measure.pk], again[measure.pk]
        assert (a.labels, a.values, a.numerators, a.denominators) == (
            b.labels,
            b.values,
            b.numerators,
            b.denominators,
        )
        assert (a.reporting, a.expected, a.period_ids) == (b.reporting, b.expected, b.period_ids)
        assert a.coverage == b.coverage and a.n_values > 0


def test_the_funnel_reads_plain_rows(tenant_a):
    """One row per team with its name and its numbers as floats, smallest first."""
    collaborative, teams, measures = grow(tenant_a.program, 5, "fun")
    series = pooled_series_many(collaborative=collaborative, measures=measures[:1])
    period = pooled_periods(series[measures[0].pk])[-1]
    rows = funnel_inputs(collaborative=collaborative, measure=measures[0], period=period)
    by_pk = {t.pk: t for t in teams}
    assert len(rows) == 5
    assert [den for _, _, den in rows] == sorted(den for _, _, den in rows)
    for team, num, den in rows:
        point = DataPoint.objects.get(team_id=team.pk, measure=measures[0], period=period)
        assert (num, den) == (float(point.numerator), float(point.denominator))
        assert type(num) is float and type(den) is float
        assert (team.name, team.public_id) == (by_pk[team.pk].name, by_pk[team.pk].public_id)


def test_one_measure_of_the_team_is_read_alone_but_as_in_the_set(world):
    """team_measure_get reads one measure's row, the one the whole set holds for it: the
    set's required and optional measures, the team's own, and nothing else (another
    team's own measure, a library measure outside the set, an id that is no id)."""
    t = world.t
    other_own = Measure.objects.create(
        program=t.program,
        team=t.other_team,
        collaborative=t.other_team.collaborative,
        code="X1",
        name="Theirs",
        short_name="Theirs",
    )
    outside = Measure.objects.create(program=t.program, code="L9", name="Lib", short_name="Lib")
    rows = {r.measure.pk: r for r in team_measure_rows(team=t.team, include_unselected=True)}
    assert {world.m1.pk, world.los.pk, world.own.pk} <= set(rows)
    for measure in Measure.objects.filter(program=t.program):
        if measure.pk in rows:
            row = team_measure_get(team=t.team, measure_id=measure.public_id)
            expected = rows[measure.pk]
            assert (row.measure, row.requirement, row.settings) == (
                expected.measure,
                expected.requirement,
                expected.settings,
            )
        else:
            with pytest.raises(Measure.DoesNotExist):
                team_measure_get(team=t.team, measure_id=measure.public_id)
    for measure_id in (other_own.public_id, outside.public_id, "not-a-uuid"):
        with pytest.raises(Measure.DoesNotExist):
            team_measure_get(team=t.team, measure_id=measure_id)


#: The signal table's row as the template wrote it before summary_rows wrote it.
OLD_SUMMARY_ROW = (
    '<tr><th scope="row" data-label="Team"><a href="{{ row.url }}">{{ row.name }}</a></th>'
    '{% for label, value, signal in row.cells %}<td data-label="{{ label }}">{{ value }}'
    '{% if signal %}<br><span class="usa-tag status-tag status-tag--signal" '
    'title="{{ signal }}">Signal</span><span class="usa-sr-only">: {{ signal }}</span>'
    "{% endif %}</td>{% endfor %}</tr>"
)


def test_the_signal_table_rows_are_the_templates_rows(world):
    """summary_rows writes, escaped alike, the HTML the template loop wrote."""
    t = world.t
    t.team.name = 'Mercy <b>"ED"</b> & Co'
    t.team.save()
    world.m1.short_name = "Weight <kg>"
    world.m1.save()
    cell = SignalCell(
        latest_value=81.25,
        latest_label="May",
        n_points=8,
        signals=({"kind": "shift", "text": 'A "shift" <up> & more', "tone": "good"},),
    )
    empty = SignalCell(latest_value=None, latest_label="", n_points=0)
    summary = [
        TeamSignals(team=t.team, cells=[(world.m1, cell), (world.los, empty)]),
        TeamSignals(team=t.other_team, cells=[(world.m1, empty), (world.los, cell)]),
    ]
    template = Template(OLD_SUMMARY_ROW)
    for item, html in zip(summary, summary_rows(summary), strict=True):
        cells = []
        for measure, c in item.cells:
            unit = "%" if measure.display_unit == "%" else ""
            value = "–" if c.latest_value is None else f"{fmt(c.latest_value)}{unit}"
            cells.append((measure.short_name, value, c.signals[0]["text"] if c.signals else ""))
        url = reverse("measures:team_measures", kwargs={"team_id": item.team.public_id})
        row = {"name": item.team.name, "url": url, "cells": cells}
        assert html == template.render(Context({"row": row}))
    assert "&lt;b&gt;&quot;ED&quot;" in summary_rows(summary)[0]


#: Queries of each page as staff with warm caches (session, user, roles, the page's
#: reads, its panels, the top bar): exactly these at 3 teams and at 30. The measure
#: page read the periods twice (26) before its reads shared a page memo; the top bar
#: read staff's teams, too, before its programs' query said they are in none (one more),
#: and the team measure page read the viewer's role in the team apart from the team.
PAGE_QUERIES = {"team_measure": 14, "collaborative": 14, "measure": 19}


def test_the_measure_pages_make_a_fixed_number_of_queries(tenant_a):
    small = grow(tenant_a.program, 3, "few")
    large = grow(tenant_a.program, 30, "many")
    client = client_for(tenant_a.staff)
    # The top bar's unread count is cached per person: count it once, before measuring.
    client.get(reverse("notifications"))

    def urls(collaborative, teams, measures):
        c, m = collaborative.public_id, measures[0].public_id
        return {
            "team_measure": reverse(
                "measures:team_measure", kwargs={"team_id": teams[0].public_id, "measure_id": m}
            ),
            "collaborative": reverse("measures:collaborative", kwargs={"collaborative_id": c}),
            "measure": reverse("measures:measure", kwargs={"collaborative_id": c, "measure_id": m}),
        }

    def count(url, *, cold: bool = False):
        if cold:
            cache.clear()
            client.get(reverse("notifications"))
        else:
            assert client.get(url).status_code == 200  # warm: the caches hold the charts
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few, many = urls(*small), urls(*large)
    counts = {name: (count(few[name]), count(many[name])) for name in PAGE_QUERIES}
    assert counts == {name: (n, n) for name, n in PAGE_QUERIES.items()}
    # Cold (charts drawn anew), too, the count does not grow with the teams.
    for name in PAGE_QUERIES:
        assert count(few[name], cold=True) == count(many[name], cold=True)


def test_the_chart_options_are_the_forms_html_for_every_choice():
    """The remembered "Choose the chart" form is the form rendered now, for every
    combination of its choices (and a chart type given as the model's enum)."""
    fields = ChartOptionsForm.base_fields
    for chart in [value for value, _ in fields["chart"].choices]:
        for rollup in [value for value, _ in fields["rollup"].choices]:
            for rules in [value for value, _ in fields["rules"].choices]:
                initial = {"chart": chart, "rollup": rollup, "rules": rules}
                expected = ChartOptionsForm(initial=initial).render()
                assert chart_options_html(**initial) == expected
                assert chart_options_html(**initial) == expected  # remembered: the same
                assert f'value="{chart}" ' in expected or f'value="{chart}"' in expected
    assert chart_options_html(chart=ChartType.CONTROL, rollup="month", rules="ihi") == (
        ChartOptionsForm(initial={"chart": "control", "rollup": "month", "rules": "ihi"}).render()
    )


def test_the_chart_settings_are_the_forms_html_for_the_teams_settings(world):
    """The remembered settings form is the form rendered now from the same settings and
    periods: none, a baseline, phases (a name with markup is escaped), and a phase
    stored in an odd shape (rendered without the memo)."""
    periods = list(ReportingPeriod.objects.filter(collaborative=world.t.collaborative))
    cases = [
        None,
        SimpleNamespace(chart_type="control", baseline_end=periods[2].start, phases=[]),
        SimpleNamespace(
            chart_type="run",
            baseline_end=None,
            phases=[
                {"start": periods[3].start.isoformat(), "label": "Kg <b>only</b>"},
                {"start": periods[5].start.isoformat(), "label": "Huddles"},
            ],
        ),
        SimpleNamespace(chart_type="run", baseline_end=None, phases=[{"start": ["odd"]}]),
    ]
    for tm in cases:
        initial = ChartSettingsForm.initial_for(tm)
        expected = ChartSettingsForm(initial=initial, periods=periods).render()
        assert chart_settings_html(initial=initial, periods=periods) == expected
        assert chart_settings_html(initial=initial, periods=periods) == expected
    assert "Kg &lt;b&gt;only&lt;/b&gt;" in chart_settings_html(
        initial=ChartSettingsForm.initial_for(cases[2]), periods=periods
    )
    # Other periods (another collaborative's, or a month more): another form.
    initial = ChartSettingsForm.initial_for(None)
    assert chart_settings_html(initial=initial, periods=periods[:-1]) == (
        ChartSettingsForm(initial=initial, periods=periods[:-1]).render()
    )


def test_saved_chart_settings_show_at_once(world):
    t = world.t
    url = reverse(
        "measures:team_measure",
        kwargs={"team_id": t.team.public_id, "measure_id": world.m1.public_id},
    )
    client = client_for(t.lead)
    assert 'value="control" selected' not in client.get(url).content.decode()
    services.chart_settings_update(
        team=t.team,
        measure=world.m1,
        actor=t.lead,
        chart_type="run",
        baseline_end=world.may.start,
        phases=[],
    )
    html = client.get(url).content.decode()
    assert f'<option value="{world.may.start.isoformat()}" selected>' in html
