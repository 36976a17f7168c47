"""The participant's MOC Part 4 attestation form, and staff's return reason."""

from __future__ import annotations

import calendar

from django import forms

from core import clock

from .models import Board, CreditOffer, MocAttestation, MocRole
from .services.attestations import (
    MIN_ROLES,
    RETURN_REASON_MAX,
    birth_day_error,
    board_id_error,
    points_error,
)

MONTHS = [("", "Month")] + [(str(m), calendar.month_name[m]) for m in range(1, 13)]


class AttestationForm(forms.ModelForm):
    """Saving a draft accepts gaps; attesting (the "attest" button) needs every fact,
    and the checks below run on what was entered either way."""

    roles = forms.MultipleChoiceField(
        label="Your roles in the project",
        choices=MocRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            f"Meaningful participation needs at least {MIN_ROLES} of these 4 "
            "(the board's rule for improvement projects)."
        ),
    )
    birth_month = forms.TypedChoiceField(
        label="Birth month", choices=MONTHS, coerce=int, empty_value=None, required=False
    )
    birth_day = forms.IntegerField(label="Birth day", min_value=1, max_value=31, required=False)
    points = forms.IntegerField(label="Points you claim", min_value=0, required=False)

    class Meta:
        model = MocAttestation
        fields = [
            "roles",
            "role_description",
            "board",
            "board_id",
            "birth_month",
            "birth_day",
            "completion_date",
            "points",
            "permission_to_report",
        ]
        labels = {
            "role_description": "What you did in the project",
            "board": "Certifying board",
            "board_id": "Board ID number",
            "completion_date": "Date you completed your part",
            "permission_to_report": (
                "I give permission to report my completion to my board through ACCME PARS"
            ),
        }
        help_texts = {
            "board_id": "ABP IDs are 6 digits; digits only.",
            "birth_month": "",
            "completion_date": "For example 2026-10-31.",
            "permission_to_report": (
                "Required to attest: without it the board is not told and gives no points."
            ),
        }
        widgets = {
            "role_description": forms.Textarea(attrs={"rows": 4}),
            "completion_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, offer: CreditOffer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fields["board"].choices = Board.choices
        self.fields["birth_day"].help_text = "Your board matches you by name, then birth date."
        self.fields[
            "points"
        ].help_text = f"25-point units, at most {int(offer.max_amount)} for this activity."
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("points", int(offer.max_amount))

    def clean_role_description(self) -> str:
        text = (self.cleaned_data.get("role_description") or "").strip()
        if len(text) > 4000:
            raise forms.ValidationError("Keep the description under 4,000 characters.")
        return text

    def clean(self):
        data = super().clean()
        board, board_id = data.get("board"), (data.get("board_id") or "").strip()
        data["board_id"] = board_id
        if board_id and board and (problem := board_id_error(board, board_id)):
            self.add_error("board_id", problem)
        month, day = data.get("birth_month"), data.get("birth_day")
        if (month or day) and (problem := birth_day_error(month, day)):
            self.add_error("birth_day", problem)
        if (done := data.get("completion_date")) and done > clock.today():
            self.add_error("completion_date", "The completion date cannot be in the future.")
        if data.get("points") and (problem := points_error(data["points"], self.offer)):
            self.add_error("points", problem)
        data["points"] = data.get("points") or 0
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why it is returned (the participant reads this)",
        max_length=RETURN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
