"""Forms of the gap-analysis pages. They parse what people type; the services decide.

The builder's question form takes options, bands and links as one line each, so a
question is written in one screen without JavaScript:

    options:  Written role with protected time = 3
    bands:    75 = 2          (75 or more earns 2 points)
    links:    PECC toolkit | https://example.org/pecc
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.text import slugify

from core.filetypes import size_limit_attrs

from .definition import (
    CONDITION_TYPES,
    IMPACTS,
    KEY_HELP,
    KEY_PATTERN,
    MULTI,
    NUMBER,
    PERCENT,
    QUESTION_TYPES,
    SINGLE,
    YES_NO,
    format_points,
    iter_questions,
    plain_number,
    to_decimal,
)
from .models import SurveyTemplate, TemplateStatus, WaveKind
from .template_io import MAX_FILE_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the survey")
    description = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who answers it and what it is for. Teams see this above the questions.",
    )
    max_points = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_value=Decimal("10000"),
        decimal_places=2,
        initial=100,
        label="Maximum score",
        help_text="The scored points must add up to this before the survey can be published.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Template file (JSON)",
        help_text="A file exported from this platform. It becomes a new draft you can review.",
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(
                MAX_FILE_BYTES,
                accept=".json,application/json",
                advice="A survey exported from this platform is far smaller. Check that you "
                "chose the right file.",
            )
        ),
    )


class SectionForm(forms.Form):
    key = forms.CharField(max_length=20, help_text=f"Short code: {KEY_HELP}.")
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _option_lines(question: dict) -> str:
    lines = []
    for option in question.get("options", []):
        if question.get("profile"):
            lines.append(option["label"])
        else:
            lines.append(f"{option['label']} = {format_points(option['points'])}")
    return "\n".join(lines)


def _band_lines(question: dict) -> str:
    return "\n".join(
        f"{format_points(b['at_least'])} = {format_points(b['points'])}"
        for b in question.get("bands", [])
    )


def _condition_choices(definition: dict, own_key: str | None) -> list[tuple[str, str]]:
    """Every "show only when" a question may use: an answer of a yes/no or choice question."""
    choices = [("", "Always show this question")]
    for _, question in iter_questions(definition):
        if question["key"] == own_key or question["type"] not in CONDITION_TYPES:
            continue
        key = question["key"]
        if question["type"] == YES_NO:
            answers = [("yes", "Yes"), ("no", "No")]
        else:
            answers = [(o["key"], o["label"]) for o in question.get("options", [])]
        verb = "includes" if question["type"] == MULTI else "is"
        for value, label in answers:
            condition = json.dumps({"question": key, "any_of": [value]})
            choices.append((condition, f"when {key} {verb} “{label}”"))
    return choices


class QuestionForm(forms.Form):
    section = forms.ChoiceField(label="Section")
    key = forms.CharField(max_length=20, help_text=f"Short code: {KEY_HELP}.")
    text = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label="Question"
    )
    help = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Help text",
        help_text="Shown under the question: what counts, where to find the answer.",
    )
    type = forms.ChoiceField(choices=list(QUESTION_TYPES.items()), label="Type of answer")
    profile = forms.BooleanField(
        required=False,
        label="Profile question (not scored)",
        help_text="Describes the facility, e.g. its type or size.",
    )
    points = forms.DecimalField(
        required=False,
        min_value=0,
        decimal_places=2,
        label="Points for “yes”",
        help_text="Yes/no questions only.",
    )
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options",
        help_text="Choice questions: one option a line, as “label = points”. "
        "Multiple choice adds the points of every ticked option.",
    )
    bands = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Scoring bands",
        help_text="Number and percent questions: one band a line, as “lowest value = points”. "
        "“75 = 2” means 75 or more earns 2 points; below the lowest band earns 0.",
    )
    min_value = forms.DecimalField(required=False, label="Lowest accepted answer")
    max_value = forms.DecimalField(required=False, label="Highest accepted answer")
    unit = forms.CharField(
        required=False, max_length=40, help_text="Shown after a number, e.g. “simulations”."
    )
    required = forms.BooleanField(required=False, initial=True, label="Answer required")
    allow_na = forms.BooleanField(
        required=False,
        label="Allow “not applicable”",
        help_text="A “not applicable” answer removes the question's points from the possible "
        "total; the score is then normalised to 100.",
    )
    show_if_question = forms.ChoiceField(
        required=False,
        label="Show this question",
        help_text="A hidden question counts as not applicable. It must come after the "
        "question it depends on.",
    )
    impact = forms.ChoiceField(
        required=False,
        choices=list(IMPACTS.items()),
        label="Effort to close the gap",
        help_text="Shown in the gap report: easy wins, moderate effort, high impact.",
    )
    links = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Resources for this gap",
        help_text="One a line, as “title | https://address”. Shown in the gap report.",
    )

    def __init__(
        self,
        *args: Any,
        definition: dict,
        question: dict | None = None,
        links: list | None = None,
        **kwargs: Any,
    ) -> None:
        initial = kwargs.pop("initial", {}) or {}
        self.existing = question or {}
        if question:
            initial = {
                "key": question["key"],
                "text": question["text"],
                "help": question.get("help", ""),
                "type": question["type"],
                "profile": question.get("profile", False),
                "points": question.get("points"),
                "options": _option_lines(question),
                "bands": _band_lines(question),
                "min_value": question.get("min_value"),
                "max_value": question.get("max_value"),
                "unit": question.get("unit", ""),
                "required": question.get("required", False),
                "allow_na": question.get("allow_na", False),
                "show_if_question": json.dumps(question["show_if"])
                if question.get("show_if")
                else "",
                "impact": question.get("impact", ""),
                "links": "\n".join(
                    f"{link.title} | {link.url}" for link in links or [] if link.url
                ),
                **initial,
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["section"].choices = [
            (s["key"], f"{s['key']} · {s['title']}") for s in definition.get("sections", [])
        ]
        choices = _condition_choices(definition, question["key"] if question else None)
        current = initial.get("show_if_question")
        if current and current not in dict(choices):
            condition = json.loads(current)
            choices.append(
                (
                    current,
                    f"when {condition['question']} is one of {', '.join(condition['any_of'])}",
                )
            )
        self.fields["show_if_question"].choices = choices

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not KEY_PATTERN.match(key):
            raise forms.ValidationError(f"Use {KEY_HELP}.")
        return key

    def _option_list(self) -> list[dict]:
        previous = self.existing.get("options", [])
        by_label = {o["label"].lower(): o["key"] for o in previous}
        used: set[str] = set()
        options = []
        lines = [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]
        for index, line in enumerate(line for line in lines if line):
            label, _, points_text = line.rpartition("=") if "=" in line else (line, "", "0")
            label = label.strip()
            points = to_decimal(points_text)
            if not label:
                raise forms.ValidationError(f"Line {index + 1}: write the option's label.")
            if points is None:
                raise forms.ValidationError(
                    f"Line {index + 1}: write the points after “=”, e.g. “{label} = 2”."
                )
            key = by_label.get(label.lower())
            if key is None and index < len(previous) and previous[index]["key"] not in used:
                key = previous[index]["key"]
            if key is None or key in used:
                base = slugify(label).replace("-", "_")[:16] or f"option{index + 1}"
                key, n = base, 2
                while key in used:
                    key, n = f"{base}_{n}", n + 1
            used.add(key)
            options.append({"key": key, "label": label, "points": plain_number(points)})
        return options

    def clean_options(self) -> list[dict]:
        return self._option_list()

    def clean_bands(self) -> list[dict]:
        bands = []
        for index, line in enumerate(self.cleaned_data.get("bands", "").splitlines(), start=1):
            line = line.strip().removeprefix(">=").strip()
            if not line:
                continue
            low, _, points = line.partition("=")
            low_value, points_value = to_decimal(low), to_decimal(points)
            if low_value is None or points_value is None:
                raise forms.ValidationError(
                    f"Line {index}: write “lowest value = points”, e.g. “75 = 2”."
                )
            bands.append(
                {"at_least": plain_number(low_value), "points": plain_number(points_value)}
            )
        return bands

    def clean_links(self) -> list[tuple[str, str]]:
        links = []
        for index, line in enumerate(self.cleaned_data.get("links", "").splitlines(), start=1):
            if not line.strip():
                continue
            title, _, url = line.rpartition("|")
            title, url = title.strip(), url.strip()
            parts = urlsplit(url)
            if not title or parts.scheme not in ("http", "https") or not parts.netloc:
                raise forms.ValidationError(f"Line {index}: write “title | https://address”.")
            if len(title) > 200 or len(url) > 500:
                raise forms.ValidationError(
                    f"Line {index}: a title has at most 200 characters, an address at most 500."
                )
            links.append((title, url))
        return links

    def clean_show_if_question(self) -> dict | None:
        value = self.cleaned_data.get("show_if_question")
        return json.loads(value) if value else None

    def question(self) -> dict:
        """The question as the template stores it (the service checks it)."""
        data = self.cleaned_data
        kind = data["type"]
        question: dict[str, Any] = {
            "key": data["key"],
            "text": data["text"],
            "help": data["help"],
            "type": kind,
            "profile": data["profile"],
            "required": data["required"],
            "allow_na": data["allow_na"],
            "impact": data["impact"] or "",
            "show_if": data["show_if_question"],
        }
        if kind == YES_NO and not data["profile"]:
            question["points"] = (
                plain_number(data["points"]) if data["points"] is not None else None
            )
        if kind in (SINGLE, MULTI):
            question["options"] = data["options"]
        if kind in (NUMBER, PERCENT):
            question["bands"] = data["bands"]
            question["unit"] = data["unit"]
            for name in ("min_value", "max_value"):
                if data[name] is not None:
                    question[name] = plain_number(data[name])
        return question


class WaveForm(forms.Form):
    kind = forms.ChoiceField(choices=WaveKind.choices, label="Which survey")
    template = forms.ModelChoiceField(
        queryset=SurveyTemplate.objects.none(),
        label="Template",
        help_text="Only published versions can be attached.",
    )
    opens_on = forms.DateField(widget=DateInput(), label="Opens on")
    due_on = forms.DateField(
        widget=DateInput(),
        label="Due on",
        help_text="Teams can still submit after this date; their survey is then marked late.",
    )

    def __init__(self, *args: Any, program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = SurveyTemplate.objects.filter(
            program=program, status=TemplateStatus.PUBLISHED
        ).order_by("name", "-version")
        self.fields["template"].label_from_instance = lambda t: f"{t.name} · version {t.version}"


class WaveEditForm(forms.Form):
    opens_on = forms.DateField(widget=DateInput(), label="Opens on")
    due_on = forms.DateField(widget=DateInput(), label="Due on")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why reopen it?",
        help_text="The team's leads receive this by e-mail; it is kept in the audit trail.",
    )
    due_on = forms.DateField(
        widget=DateInput(),
        required=False,
        label="New due date",
        help_text="The team submits the corrected survey by this date (two weeks from today "
        "if left empty); it is late only after it. A first submission that was on time "
        "stays on time.",
    )
