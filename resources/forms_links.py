"""Forms of the links part: staff link a resource to a gap question, a measure, a
change-package item or an event; a team member links a resource to a change idea.

Choices are built from scoped lists (the program's own targets), and the services
check every id again, so a forged value answers with a clear message, never a link.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from .models import LinkTarget, Resource


class QuestionLinkForm(forms.Form):
    """A question of one of the program's gap-analysis surveys."""

    question = forms.ChoiceField(
        label="Gap-analysis question",
        help_text="The gap report (and its PDF) lists the resource beside this question.",
    )

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", "Choose a question"), *choices]

    def survey_and_key(self) -> tuple[str, str]:
        survey, _, key = self.cleaned_data["question"].partition(":")
        return survey, key


#: Labels and help of the target picker of each kind.
TARGET_FIELDS = {
    LinkTarget.MEASURE: ("Measure", "Its operational definition or data-collection tool."),
    LinkTarget.PACKAGE_ITEM: ("Change-package item", "Teams see it beside this change."),
    LinkTarget.EVENT: ("Event", "Listed with the event's materials."),
}


class TargetLinkForm(forms.Form):
    """One measure, package item or event of the program (`kind` says which)."""

    target = forms.ChoiceField()

    def __init__(self, *args, kind: str, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        label, help_text = TARGET_FIELDS[kind]
        field = self.fields["target"]
        field.label, field.help_text = label, help_text
        field.choices = [("", f"Choose a {label.lower()}"), *choices]
        self.kind = kind


class ChangeIdeaResourceForm(forms.Form):
    """A library resource the team member may open, for their change idea."""

    resource = forms.ChoiceField(
        label="Link a resource from the library",
        help_text="Everyone who sees this change idea sees the resource beside it.",
    )

    def __init__(self, *args, resources: Iterable[Resource], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [
            ("", "Choose a resource"),
            *((str(r.public_id), r.title) for r in resources),
        ]
