"""What the measure pages do to stay fast at 300 teams (benchmarks/routes_benchmark.py
times them) without showing anything else: the period selects written in Python give
the same HTML as Django's templates, and the pages make the same, fixed number of
queries whatever the number of teams and months."""

import pytest
from django import forms
from django.urls import reverse

from measures.forms import ChartSettingsForm, FunnelPeriodForm, PeriodSelect
from measures.models import ReportingPeriod

from .conftest import client_for

pytestmark = pytest.mark.django_db

CHOICES = [
    ("", "No <phase>"),
    ("2026-01-01", "January & 2026"),
    ("2026-02-01", 'February "2026"'),
]


@pytest.mark.parametrize("value", ["", "2026-01-01", "2026-02-01", None, "not a choice"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "usa-select", "aria-describedby": "id_x_helptext", "required": True},
        {"disabled": False, "data-x": 'a"b<c>'},
    ],
)
def test_the_period_select_is_djangos_select(value, attrs):
    """Byte for byte what forms.Select renders through its templates, escaping included."""
    expected = forms.Select(choices=CHOICES).render("baseline_end", value, attrs=attrs)
    assert PeriodSelect(choices=CHOICES).render("baseline_end", value, attrs=attrs) == expected


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
            assert isinstance(field.field.widget, PeriodSelect)
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
