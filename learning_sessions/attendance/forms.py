"""Forms of the attendance pages: the code, one's own statement, staff's roster, a report."""

from __future__ import annotations

from django import forms

from core.filetypes import size_limit_attrs

from .parsing import MAX_BYTES
from .services import CODE_LENGTH, LIVE, MINUTES_CEILING, RECORDING


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Session code",
        max_length=20,
        help_text=f"The {CODE_LENGTH} letters and digits shown in the session.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "usa-input check-in-input",
            }
        ),
    )


class AttestForm(forms.Form):
    kind = forms.ChoiceField(choices=[(LIVE, "Live"), (RECORDING, "Recording")])
    minutes = forms.IntegerField(
        label="Minutes of the recording you watched",
        required=False,
        min_value=1,
        max_value=MINUTES_CEILING,
    )


class RosterMarkForm(forms.Form):
    person = forms.UUIDField()
    present = forms.TypedChoiceField(
        choices=[("yes", "Present"), ("no", "Absent")], coerce=lambda v: v == "yes"
    )
    minutes = forms.IntegerField(required=False, min_value=0, max_value=MINUTES_CEILING)


class ImportForm(forms.Form):
    report = forms.FileField(
        label="Participant report (Zoom or Microsoft Teams)",
        help_text=f"The CSV file as the platform exported it, up to {MAX_BYTES // 1024 // 1024} "
        "MB. Nothing is recorded until you have reviewed the matches.",
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(
                MAX_BYTES,
                accept=".csv,.txt,text/csv",
                advice="A participant report is far smaller. Check that you chose the right file.",
            )
        ),
    )
