"""The staff form for a series: a pattern plus the fields every occurrence starts with."""

from __future__ import annotations

from django import forms

from collaboratives.models import Collaborative

from .forms import MAX_YEAR, MIN_YEAR
from .models import MAX_OCCURRENCES, EventKind, SeriesFrequency, Weekday, WeekOfMonth
from .recurrence import Pattern
from .series_services import MAX_DURATION_MINUTES, MAX_INTERVAL, SERIES_EVENT_FIELDS
from .services import check_web_address

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=EventKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    frequency = forms.ChoiceField(
        label="Repeats",
        choices=SeriesFrequency.choices,
        widget=forms.RadioSelect,
        initial=SeriesFrequency.MONTHLY,
    )
    week_of_month = forms.TypedChoiceField(
        label="Week of the month",
        choices=[("", "—")] + list(WeekOfMonth.choices),
        coerce=int,
        empty_value=None,
        required=False,
        help_text="For monthly series: e.g. the third Tuesday, or the last Friday.",
    )
    weekday = forms.TypedChoiceField(label="Weekday", choices=Weekday.choices, coerce=int)
    interval = forms.IntegerField(
        label="Every how many weeks or months",
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
        help_text="1: every week (or month); 2: every other one; and so on.",
    )
    first_date = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The first occurrence is on or after this date.",
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=1, max_value=MAX_DURATION_MINUTES, initial=90
    )
    count = forms.IntegerField(
        label="How many times",
        min_value=1,
        max_value=MAX_OCCURRENCES,
        help_text=f"At most {MAX_OCCURRENCES}.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=TEXTAREA, max_length=10000
    )
    location = forms.CharField(
        label="Location", required=False, max_length=300, help_text="A room or address."
    )
    join_url = forms.CharField(
        label="Join link",
        required=False,
        max_length=500,
        help_text="The meeting link (https://…). Only people who registered see it.",
    )
    capacity = forms.IntegerField(
        label="Seats",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="For each occurrence; leave empty for no limit.",
    )

    def __init__(self, *args, collaborative: Collaborative, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.collaborative = collaborative
        label = collaborative.timezone.replace("_", " ")
        self.fields[
            "start_time"
        ].help_text = (
            f"In the collaborative's time zone, {label}; kept across daylight-saving changes."
        )

    def clean_first_date(self):
        value = self.cleaned_data["first_date"]
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(f"Enter a date between {MIN_YEAR} and {MAX_YEAR}.")
        return value

    def clean_join_url(self) -> str:
        value = self.cleaned_data["join_url"].strip()
        check_web_address(value)
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("frequency") == SeriesFrequency.MONTHLY and not data.get("week_of_month"):
            self.add_error(
                "week_of_month", "Choose which week of the month (first … fourth, or last)."
            )
        return data

    def pattern(self) -> Pattern:
        """The pattern of a valid form."""
        data = self.cleaned_data
        monthly = data["frequency"] == SeriesFrequency.MONTHLY
        return Pattern(
            frequency=data["frequency"],
            interval=data["interval"],
            weekday=data["weekday"],
            week_of_month=data["week_of_month"] if monthly else None,
            first_date=data["first_date"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            count=data["count"],
            timezone=self.collaborative.timezone,
        )

    def event_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in SERIES_EVENT_FIELDS}
