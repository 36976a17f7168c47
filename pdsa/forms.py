"""Forms of the PDSA pages. They parse input; the services decide.

The cycle form is built per stage: it shows only what the stage asks, and every
field is optional so that a draft saves at any point; the stage's required
fields are checked by the service when the cycle moves on. Choices of related
objects are the team's own and are addressed by public id.
"""

from django import forms
from django.db.models import Q

from assessments.public import gap_question_choices
from collaboratives.forms import DateInput
from core import clock
from core.filetypes import size_limit_attrs
from teams.models import Team

from .models import Cycle, Decision, Scale, Stage
from .selectors import (
    change_ideas_of,
    cycles_of_team,
    drivers_of,
    linkable_measures,
    team_members_for_filter,
)
from .services import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH
from .stages import (
    FIELD_LABELS,
    FUTURE_DATE_STAGES,
    STAGES,
    next_stage,
    stage_label,
    stages_up_to,
)
from .uploads import MAX_ATTACHMENT_BYTES, TOO_LARGE_ADVICE

TEXTAREA = forms.Textarea(attrs={"rows": 3})

HELP = {
    "title": "A short name for the test, e.g. “Weigh in kg on the night shift”.",
    "builds_on": "Part of a ramp? Choose the earlier cycle of the same change idea.",
    "scale": "Start small: one patient or one shift, then grow.",
    "objective": "What is this cycle for?",
    "questions": "What do you want to find out?",
    "predictions": "What do you expect to happen, and why?",
    "plan_details": "Who runs the test, what they do, when and where.",
    "data_to_collect": "What you will count or observe, e.g. “children weighed in kg”.",
    "plan_date": "The day of the plan; while the cycle is at Plan it may be the day the "
    "test is meant to start.",
    "do_date": "When the test started: today or earlier.",
    "study_date": "Today or earlier.",
    "act_date": "Today or earlier.",
    "what_happened": "Did the test go as planned?",
    "observations": "Anything you noticed, good or bad.",
    "problems": "What got in the way.",
    "results": "Compare what happened with your predictions.",
    "learned": "What will you keep in mind next time?",
    "linked_measures": "Their charts then appear on this cycle, and the cycle beside them.",
    "measure_notes": "What the data showed, e.g. “May: 92% weighed in kg, up from 60%”.",
    "decision": "Adopt it, adapt it and test again, or abandon it.",
    "next_steps": "What the next cycle will test, or how you will spread the change.",
}


def _required_help(stage: str, name: str) -> str:
    """Say which fields are needed to move on, beside the field itself."""
    help_text = HELP.get(name, "")
    following = next_stage(stage)
    if name in STAGES[stage].required and following:
        needed = f"Needed to move on to {stage_label(following)}."
        help_text = f"{help_text} {needed}".strip()
    return help_text


class CycleStageForm(forms.Form):
    """The fields of one stage of a cycle (all optional: drafts save at any stage)."""

    def __init__(
        self,
        *args,
        team: Team,
        stage: str,
        cycle: Cycle | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage
        for name in STAGES[stage].fields:
            field = self._field(name, team, cycle)
            field.label = FIELD_LABELS[name]
            field.help_text = _required_help(stage, name)
            self.fields[name] = field

    def _field(self, name: str, team: Team, cycle: Cycle | None) -> forms.Field:
        if name == "title":
            return forms.CharField(max_length=200, required=True)
        if name == "change_idea":
            current = Q(retired_at__isnull=True)
            if cycle is not None:
                current |= Q(pk=cycle.change_idea_id)
            ideas = change_ideas_of(team=team).filter(current)
            return forms.ModelChoiceField(
                queryset=ideas.order_by("position", "id"),
                to_field_name="public_id",
                required=True,
                empty_label="Choose a change idea",
            )
        if name == "builds_on":
            qs = cycles_of_team(team=team).order_by("-created_at")
            if cycle is not None:
                qs = qs.exclude(pk=cycle.pk)
            return forms.ModelChoiceField(
                queryset=qs,
                to_field_name="public_id",
                required=False,
                empty_label="None: this is the first test",
            )
        if name == "linked_measures":
            field = forms.ModelMultipleChoiceField(
                queryset=linkable_measures(team=team, cycle=cycle),
                to_field_name="public_id",
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            field.label_from_instance = lambda m: m.name
            return field
        if name == "scale":
            return forms.ChoiceField(
                choices=[("", "Choose the size of the test"), *Scale.choices], required=False
            )
        if name == "decision":
            return forms.ChoiceField(
                choices=Decision.choices, required=False, widget=forms.RadioSelect
            )
        if name.endswith("_date"):
            # The browser's picker stops at today for dates of what happened; the
            # service enforces it (pdsa.stages.future_date_problems).
            attrs = {}
            at = cycle.stage if cycle is not None else Stage.PLAN
            if at not in FUTURE_DATE_STAGES.get(name, ()):
                attrs["max"] = clock.today().isoformat()
            return forms.DateField(required=False, widget=DateInput(attrs=attrs))
        return forms.CharField(required=False, widget=TEXTAREA, max_length=TEXT_MAX_LENGTH)

    def changed_values(self) -> dict:
        """The cleaned values of this stage's fields (the service records real changes)."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="The team's lead, members and coaches are e-mailed when you send it.",
    )
    stage = forms.ChoiceField(label="About", required=False)

    def __init__(self, *args, cycle: Cycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "The whole cycle")] + [
            (stage, f"The {stage_label(stage)} stage")
            for stage in stages_up_to(cycle.stage)
            if stage != Stage.COMPLETE
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Photo or document",
        help_text=(
            f"A photo (JPEG or PNG) or a PDF, up to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB: "
            "a whiteboard, a tool, a checklist."
        ),
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(
                MAX_ATTACHMENT_BYTES,
                accept="image/jpeg,image/png,application/pdf",
                advice=TOO_LARGE_ADVICE,
            )
        ),
    )
    caption = forms.CharField(max_length=200, required=False, label="Caption (optional)")


class CycleFilterForm(forms.Form):
    """Filters of the team's cycle list (GET; unknown values are ignored)."""

    stage = forms.ChoiceField(required=False)
    change_idea = forms.ChoiceField(required=False, label="Change idea")
    member = forms.ChoiceField(required=False, label="Logged by")
    date_from = forms.DateField(required=False, label="Updated from", widget=DateInput())
    date_to = forms.DateField(required=False, label="Updated until", widget=DateInput())

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any stage"), *Stage.choices]
        self.fields["change_idea"].choices = [("", "Any change idea")] + [
            (str(idea.public_id), idea.title) for idea in change_ideas_of(team=team)
        ]
        self.fields["member"].choices = [("", "Anyone")] + [
            (str(user.public_id), user.display_name) for user in team_members_for_filter(team=team)
        ]


class AimForm(forms.Form):
    statement = forms.CharField(
        label="Aim statement",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What are we trying to accomplish? e.g. “By June 2027, 95% of children "
        "seen in our ED will be weighed in kilograms only.”",
    )
    what = forms.CharField(label="What will improve", max_length=300, required=False)
    how_much = forms.CharField(
        label="How much", max_length=200, required=False, help_text="e.g. “from 60% to 95%”."
    )
    by_when = forms.DateField(label="By when", required=False, widget=DateInput())
    for_whom = forms.CharField(
        label="For whom",
        max_length=300,
        required=False,
        help_text="e.g. “every child under 18 seen in our ED”.",
    )


class DriverForm(forms.Form):
    title = forms.CharField(label="Driver", max_length=200)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=TEXTAREA, max_length=2000
    )
    parent = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="public_id",
        label="Under the primary driver",
        empty_label="None: this is a primary driver",
        help_text="Choose a primary driver to add a secondary driver under it.",
    )

    def __init__(self, *args, team: Team, secondary_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = drivers_of(team=team, include_retired=False).filter(
            kind="primary"
        )
        if secondary_only:
            self.fields["parent"].required = True
            self.fields["parent"].empty_label = None


class GapQuestionMixin:
    """A choice of the collaborative's gap-analysis items, when it has a survey.

    The chosen question's wording becomes the idea's `gap_item` label unless one was
    typed; without a survey the free-text label is all there is.
    """

    def add_gap_question(self, collaborative) -> None:
        choices = gap_question_choices(collaborative=collaborative)
        self.gap_labels = dict(choices)
        if choices:
            self.fields["gap_question"] = forms.ChoiceField(
                label="Gap-analysis item it closes (optional)",
                choices=[("", "None"), *choices],
                required=False,
                help_text="The gap report then shows this change beside that item.",
            )

    def clean_gap(self, cleaned: dict) -> dict:
        question = cleaned.get("gap_question", "")
        cleaned["gap_question"] = question
        if question and not cleaned.get("gap_item"):
            cleaned["gap_item"] = self.gap_labels.get(question, "")[:200]
        return cleaned


class ChangeIdeaForm(GapQuestionMixin, forms.Form):
    title = forms.CharField(label="Change idea", max_length=200)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=TEXTAREA, max_length=2000
    )
    driver = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="public_id",
        label="Under the driver",
        empty_label="Not placed yet",
    )
    gap_item = forms.CharField(
        label="Gap-analysis item (optional)",
        max_length=200,
        required=False,
        help_text="The readiness-assessment item this change closes.",
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers_of(team=team, include_retired=False)
        self.fields["driver"].label_from_instance = lambda d: (
            d.title if d.kind == "primary" else f"— {d.title}"
        )
        self.add_gap_question(team.collaborative)

    def clean(self) -> dict:
        return self.clean_gap(super().clean())


class SeedForm(forms.Form):
    items = forms.MultipleChoiceField(
        label="Changes from the collaborative's change package",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, package, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.package = {str(item.public_id): item for item in package}
        self.fields["items"].choices = [(key, item.title) for key, item in self.package.items()]

    def chosen(self) -> list:
        return [self.package[key] for key in self.cleaned_data["items"]]


class ShareForm(forms.Form):
    include_notes = forms.BooleanField(
        required=False,
        label="Also share our raw notes (plans, observations, results)",
        help_text="Without this, other teams see the title, the change idea, what was "
        "learned and each decision.",
    )


class PackageItemForm(GapQuestionMixin, forms.Form):
    title = forms.CharField(label="Change", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=TEXTAREA, max_length=4000
    )
    suggested_driver = forms.CharField(
        label="Usual primary driver",
        max_length=200,
        required=False,
        help_text="Seeded ideas go under a team's primary driver of this name.",
    )
    gap_item = forms.CharField(label="Gap-analysis item", max_length=200, required=False)

    def __init__(self, *args, collaborative, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_gap_question(collaborative)

    def clean(self) -> dict:
        return self.clean_gap(super().clean())
