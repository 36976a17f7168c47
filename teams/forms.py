"""Forms of the team pages. They parse input; the services decide what is allowed."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.clock import current_month, month_start

from .models import IHI_SCALE, Invitation, TeamRole
from .services import INVITATION_VALID_FOR, RATIONALE_MAX_LENGTH

#: How far back the month picker of the rating form reaches.
RATING_MONTHS_SHOWN = 18


class MonthField(forms.Field):
    """A month, typed as "2026-05" (or any ISO date in it); cleans to its first day."""

    widget = forms.Select
    default_error_messages = {"invalid": "Choose a month, for example 2026-05."}

    def to_python(self, value) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return month_start(value.date())
        if isinstance(value, date):
            return month_start(value)
        text = str(value).strip()
        for pattern in ("%Y-%m", "%Y-%m-%d"):
            try:
                return month_start(datetime.strptime(text, pattern).date())
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, date):
            return value.strftime("%Y-%m")
        return value


def recent_months(count: int = RATING_MONTHS_SHOWN) -> list[tuple[str, str]]:
    """("2026-05", "May 2026") for the current month and the ones before it."""
    month = current_month()
    choices = []
    for _ in range(count):
        choices.append((month.strftime("%Y-%m"), month.strftime("%B %Y")))
        month = month_start(month - timedelta(days=1))
    return choices


#: The IHI scale as radio choices, each with its definition beside the score.
SCORE_CHOICES = [(str(value), f"{value} – {text}") for value, text in IHI_SCALE.items()]


class ProgressRatingForm(forms.Form):
    """A monthly rating on the IHI scale (coach or team self-rating: the view decides)."""

    month = MonthField(
        label="Month",
        help_text="You can rate a month again: the newest rating counts, and earlier ones "
        "stay in the history.",
    )
    score = forms.TypedChoiceField(
        label="Score on the IHI scale",
        choices=SCORE_CHOICES,
        coerce=Decimal,
        # USWDS tiles: each score sits in a box beside its definition, easy to tap.
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input usa-radio__input--tile"}),
        error_messages={"required": "Choose a score on the IHI scale."},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="What has the team done this month, and what do the data show?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RATIONALE_MAX_LENGTH,
        error_messages={
            "required": "Write a short rationale: what the team has done and what the data show."
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("month", current_month())
        super().__init__(*args, **kwargs)
        self.fields["month"].widget.choices = recent_months()

    def clean_month(self) -> date:
        month = self.cleaned_data["month"]
        if month > current_month():
            raise ValidationError(
                f"{month:%B %Y} has not started yet. Rate a month once it has begun.",
                code="future",
            )
        return month


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=Invitation._meta.get_field("email").max_length,
        help_text="We e-mail an invitation link to this address. It works for "
        f"{INVITATION_VALID_FOR.days} days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role in the team",
        choices=TeamRole.choices,
        initial=TeamRole.MEMBER,
        help_text="Leads can invite and manage members and give the team's self-rating.",
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=TeamRole.choices)
