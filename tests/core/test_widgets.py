"""core.widgets.PlainSelect writes Django's select HTML without templates: byte for byte
what forms.Select renders, for flat and grouped choices, any value, attributes and
escaping, so pages and browser tests cannot tell them apart."""

import pytest
from django import forms

from accounts.forms import ProfileForm
from core.widgets import PlainSelect
from tests.factories import UserFactory

FLAT = [
    ("", "No <phase>"),
    ("2026-01-01", "January & 2026"),
    ("2026-02-01", 'February "2026"'),
]
GROUPED = [
    ("", "Choose a zone"),
    ("United <States>", [("America/New_York", "Eastern"), ("America/Chicago", "Central")]),
    ("All & every", [("Europe/Paris", 'Paris "FR"'), ("Asia/Tokyo", "Tokyo")]),
]


@pytest.mark.parametrize("choices", [FLAT, GROUPED], ids=["flat", "grouped"])
@pytest.mark.parametrize(
    "value", ["", "2026-01-01", "2026-02-01", "America/Chicago", "Asia/Tokyo", None, "nope"]
)
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "usa-select", "aria-describedby": "id_x_helptext", "required": True},
        {"disabled": False, "data-x": 'a"b<c>'},
    ],
)
def test_the_plain_select_is_djangos_select(choices, value, attrs):
    expected = forms.Select(choices=choices).render("field", value, attrs=attrs)
    assert PlainSelect(choices=choices).render("field", value, attrs=attrs) == expected


@pytest.mark.django_db
def test_the_profile_time_zone_select_is_plain_and_renders_as_django_would():
    user = UserFactory(time_zone="Asia/Tokyo")
    form = ProfileForm(instance=user)
    field = form["time_zone"]
    assert isinstance(field.field.widget, PlainSelect)
    plain = forms.Select(choices=field.field.choices)
    attrs = {**field.build_widget_attrs({}), "id": field.auto_id}
    html = field.as_widget()
    assert html == plain.render(field.html_name, field.value(), attrs)
    assert '<option value="Asia/Tokyo" selected>' in html
