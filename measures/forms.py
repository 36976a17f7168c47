"""Forms of the measures pages. They parse input; the services decide.

Numbers are typed as text and read by `validation.parse_number`, so "1,234" works and
"12%" gets a clear message; every value is then checked by `validation.value_problems`
at its field. Help texts are rendered as HTML by the project's field template, so any
user-written text put into one (operational definitions) is escaped here first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django import forms
from django.utils.html import escape

from collaboratives.forms import DateInput
from core.filetypes import size_limit_attrs
from core.widgets import PlainSelect

from .imports import MAX_UPLOAD_BYTES
from .models import (
    ChartType,
    DataKind,
    Direction,
    Frequency,
    Measure,
    MeasureType,
    ReportingPeriod,
    Requirement,
)
from .services import NARRATIVE_FIELDS
from .validation import NOTE_MAX_LENGTH, Entry, entry_field, parse_number, value_problems

TEXTAREA = forms.Textarea(attrs={"rows": 3})
NOTE_AREA = forms.Textarea(attrs={"rows": 2})
NUMBER = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})


class MeasureForm(forms.Form):
    """A measure definition (library measures and a team's own)."""

    program = forms.TypedChoiceField(label="Program", coerce=int, required=False)
    code = forms.CharField(
        label="Code", max_length=20, required=False, help_text="A short reference, e.g. M1."
    )
    name = forms.CharField(label="Name", max_length=200)
    short_name = forms.CharField(
        label="Short name",
        max_length=60,
        required=False,
        help_text="Shown on charts and in files, e.g. “Weight in kg”. The name if empty.",
    )
    measure_type = forms.ChoiceField(
        label="Type of measure", choices=MeasureType.choices, widget=forms.RadioSelect
    )
    data_kind = forms.ChoiceField(
        label="Kind of data", choices=DataKind.choices, widget=forms.RadioSelect
    )
    unit = forms.CharField(
        label="Unit",
        max_length=60,
        required=False,
        help_text="For counts and continuous values, e.g. “minutes”.",
    )
    multiplier = forms.IntegerField(
        label="Rate multiplier",
        min_value=1,
        initial=1,
        required=False,
        help_text="Rates only: 1000 shows the rate per 1,000.",
    )
    direction = forms.ChoiceField(
        label="Direction of improvement", choices=Direction.choices, widget=forms.RadioSelect
    )
    target = forms.DecimalField(
        label="Target",
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text="In the units of the chart: percent for proportions (e.g. 95).",
    )
    target_note = forms.CharField(
        label="Target in words",
        max_length=200,
        required=False,
        help_text="For goals without a number, e.g. “falling trend”.",
    )
    numerator_definition = forms.CharField(
        label="Numerator (or the value) counts", widget=TEXTAREA, required=False
    )
    denominator_definition = forms.CharField(
        label="Denominator counts", widget=TEXTAREA, required=False
    )
    inclusions = forms.CharField(label="Included", widget=TEXTAREA, required=False)
    exclusions = forms.CharField(label="Excluded", widget=TEXTAREA, required=False)
    sampling = forms.CharField(
        label="Sampling guidance",
        widget=TEXTAREA,
        required=False,
        help_text="E.g. 10 to 20 random charts a month.",
    )
    frequency = forms.ChoiceField(
        label="Reporting frequency", choices=Frequency.choices, initial=Frequency.MONTHLY
    )
    min_value = forms.DecimalField(
        label="Lowest expected value",
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text="Counts and continuous values: values outside the range are refused.",
    )
    max_value = forms.DecimalField(
        label="Highest expected value", required=False, max_digits=14, decimal_places=4
    )
    is_active = forms.BooleanField(
        label="Active (offered for new measure sets)", required=False, initial=True
    )

    def __init__(self, *args, programs: Sequence | None = None, custom: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if programs and len(programs) > 1:
            self.fields["program"].choices = [(p.pk, p.name) for p in programs]
            self.fields["program"].required = True
        else:
            del self.fields["program"]
        if custom:
            for name in ("frequency", "is_active", "code"):
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("short_name") and data.get("name"):
            data["short_name"] = data["name"][:60]
        if data.get("multiplier") is None:
            data["multiplier"] = 1
        return data

    def measure_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("program", None)
        return data


def initial_from(measure: Measure) -> dict:
    return {name: getattr(measure, name) for name in MeasureForm.base_fields if name != "program"}


class MeasureSetAddForm(forms.Form):
    measure = forms.ModelChoiceField(
        label="Measure from the library",
        queryset=Measure.objects.none(),
        to_field_name="public_id",
        empty_label="Choose a measure",
    )
    requirement = forms.ChoiceField(
        label="For teams", choices=Requirement.choices, initial=Requirement.REQUIRED
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["measure"].queryset = queryset
            self.fields["measure"].label_from_instance = lambda m: str(m)


class MeasureSetEntryForm(forms.Form):
    requirement = forms.ChoiceField(label="For teams", choices=Requirement.choices)
    position = forms.IntegerField(label="Order", min_value=0, max_value=999, required=False)


class PeriodGenerateForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Frequency", choices=Frequency.choices, initial=Frequency.MONTHLY
    )
    baseline_months = forms.IntegerField(
        label="Baseline months before the start",
        min_value=0,
        max_value=36,
        initial=12,
        help_text="Teams enter these months so that their charts show where they started.",
    )
    due_days = forms.IntegerField(
        label="Days after a period ends until it is due", min_value=0, max_value=90, initial=15
    )


class PeriodDueForm(forms.Form):
    due_date = forms.DateField(label="Due date", widget=DateInput())


class PeriodDataForm(forms.Form):
    """The grid of one period: the numbers and a note for each measure, and the narrative.

    Blank numbers leave a measure without a value (a note alone says why). Each measure's
    numbers are checked together, with the message at the field at fault.
    """

    tested = forms.CharField(
        label="What we tested this month", widget=TEXTAREA, required=False, max_length=5000
    )
    learned = forms.CharField(
        label="What we learned", widget=TEXTAREA, required=False, max_length=5000
    )
    barriers = forms.CharField(label="Barriers", widget=TEXTAREA, required=False, max_length=5000)
    wins = forms.CharField(label="Wins", widget=TEXTAREA, required=False, max_length=5000)

    def __init__(self, *args, measures: Sequence[Measure], **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        for measure in self.measures:
            name = escape(measure.short_name)
            if measure.is_ratio:
                self.fields[entry_field(measure, "numerator")] = forms.CharField(
                    label=f"{measure.short_name}: numerator",
                    required=False,
                    widget=NUMBER,
                    help_text=escape(measure.numerator_definition) or f"Counted for {name}.",
                )
                self.fields[entry_field(measure, "denominator")] = forms.CharField(
                    label=f"{measure.short_name}: denominator",
                    required=False,
                    widget=NUMBER,
                    help_text=escape(measure.denominator_definition),
                )
            else:
                unit = f" ({measure.unit})" if measure.unit else ""
                self.fields[entry_field(measure, "value")] = forms.CharField(
                    label=f"{measure.short_name}: value{unit}",
                    required=False,
                    widget=NUMBER,
                    help_text=escape(measure.numerator_definition),
                )
            self.fields[entry_field(measure, "note")] = forms.CharField(
                label=f"{measure.short_name}: note",
                required=False,
                widget=NOTE_AREA,
                max_length=NOTE_MAX_LENGTH,
                help_text="Optional: anything unusual this month, or why there is no value.",
            )

    def number_fields(self, measure: Measure) -> list[forms.BoundField]:
        names = ("numerator", "denominator") if measure.is_ratio else ("value",)
        return [self[entry_field(measure, n)] for n in names]

    def note_field(self, measure: Measure) -> forms.BoundField:
        return self[entry_field(measure, "note")]

    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NARRATIVE_FIELDS]

    def clean(self) -> dict:
        data = super().clean()
        self.entries: dict[Measure, Entry] = {}
        for measure in self.measures:
            numbers = {}
            for name in ("numerator", "denominator", "value"):
                field = entry_field(measure, name)
                if field not in self.fields:
                    numbers[name] = None
                    continue
                try:
                    numbers[name] = parse_number(data.get(field))
                except ValueError as error:
                    self.add_error(field, str(error)[:1].upper() + str(error)[1:] + ".")
                    numbers[name] = "bad"
            if "bad" in numbers.values():
                continue
            entry = Entry(
                numbers["numerator"],
                numbers["denominator"],
                numbers["value"],
                (data.get(entry_field(measure, "note")) or "").strip(),
            )
            for name, message in value_problems(measure, entry).items():
                self.add_error(entry_field(measure, name), message)
            self.entries[measure] = entry
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("reviewed", "Mark as reviewed"), ("returned", "Return it for changes")],
        widget=forms.RadioSelect,
        initial="reviewed",
    )
    comment = forms.CharField(
        label="Comment for the team",
        widget=TEXTAREA,
        required=False,
        max_length=5000,
        help_text="Needed when you return it: say what to check or change.",
    )


class ChartOptionsForm(forms.Form):
    """How to look at a chart right now (GET: nothing is saved)."""

    chart = forms.ChoiceField(
        label="Chart", choices=ChartType.choices, required=False, widget=forms.RadioSelect
    )
    rollup = forms.ChoiceField(
        label="Time step",
        choices=[("month", "Months"), ("quarter", "Quarters (monthly data added up)")],
        required=False,
        widget=forms.RadioSelect,
    )
    rules = forms.ChoiceField(
        label="Signals by",
        choices=[
            ("anhoej", "Anhøj rules (the default: run length adapts to the number of points)"),
            ("ihi", "IHI rules (shift of 6, trend of 5, runs; 2 of 3 beyond 2 sigma)"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def chosen(self) -> dict[str, str | None]:
        """The viewer's choices as Settings takes them (`chart_type`, `rollup`, `rules`);
        None for each one not made, and for all of them when the query is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "chart_type": data.get("chart") or None,
            "rollup": data.get("rollup") or None,
            "rules": data.get("rules") or None,
        }


PHASE_SLOTS = 3


class ChartSettingsForm(forms.Form):
    """The team's chart: default chart, end of the baseline, and up to three phases."""

    chart_type = forms.ChoiceField(
        label="Chart shown first", choices=ChartType.choices, widget=forms.RadioSelect
    )
    baseline_end = forms.TypedChoiceField(
        label="Last month of the baseline",
        required=False,
        coerce=date.fromisoformat,
        empty_value=None,
        widget=PlainSelect,
        help_text="The centre line (and limits) come from the baseline and are extended "
        "over later months, so a change shows against where you started. "
        "Ignored when phases are set: each phase then gets its own centre line.",
    )

    def __init__(self, *args, periods: Sequence[ReportingPeriod], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "No baseline: use every point")] + [
            (p.start.isoformat(), p.label) for p in periods
        ]
        self.fields["baseline_end"].choices = choices
        phase_choices = [("", "No phase")] + [(p.start.isoformat(), p.label) for p in periods]
        for k in range(1, PHASE_SLOTS + 1):
            self.fields[f"phase{k}_start"] = forms.TypedChoiceField(
                label=f"Phase {k} starts in",
                choices=phase_choices,
                widget=PlainSelect,
                required=False,
                coerce=date.fromisoformat,
                empty_value=None,
            )
            self.fields[f"phase{k}_label"] = forms.CharField(
                label=f"Phase {k} name",
                max_length=80,
                required=False,
                help_text="E.g. “Kilogram-only scale”.",
            )

    def phases(self) -> list[dict]:
        phases = []
        for k in range(1, PHASE_SLOTS + 1):
            start = self.cleaned_data.get(f"phase{k}_start")
            if start:
                phases.append(
                    {"start": start, "label": self.cleaned_data.get(f"phase{k}_label", "")}
                )
        return phases

    @staticmethod
    def initial_for(tm) -> dict:
        initial = {"chart_type": ChartType.RUN}
        if tm is None:
            return initial
        initial["chart_type"] = tm.chart_type
        initial["baseline_end"] = tm.baseline_end.isoformat() if tm.baseline_end else ""
        for k, phase in enumerate(tm.phases or [], start=1):
            if k > PHASE_SLOTS:
                break
            initial[f"phase{k}_start"] = phase.get("start", "")
            initial[f"phase{k}_label"] = phase.get("label", "")
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=f"The template filled in, up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB. "
        "Nothing is saved until you have seen the preview.",
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(
                MAX_UPLOAD_BYTES,
                accept=".csv,.xlsx,text/csv",
                advice="Split it by team or by year and upload the parts one after the other.",
            )
        ),
    )


class ChooseMeasuresForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label="Measures your team reports",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Required measures are always reported; choose the optional ones and your own.",
    )

    def __init__(self, *args, choices: Sequence[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = list(choices)


class SharingForm(forms.Form):
    show_name = forms.BooleanField(
        label="Show our team's name to other teams in comparison charts",
        required=False,
        help_text="Without it, other teams see your point on the funnel plot without your name.",
    )


class FunnelPeriodForm(forms.Form):
    period = forms.ChoiceField(label="Month compared", required=False, widget=PlainSelect)

    def __init__(self, *args, periods: Sequence[ReportingPeriod], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(str(p.public_id), p.label) for p in periods]
