"""Forms of the team pages. They parse input; the services decide what is allowed."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import ProgramRole
from collaboratives.models import FacilityType
from core.clock import current_month, month_start

from .models import IHI_SCALE, Invitation, TeamRole, VolumeBand
from .services import (
    FACILITY_CHOICE_NEW,
    INVITATION_VALID_FOR,
    RATIONALE_MAX_LENGTH,
    facility_label,
)

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
    """Invite someone to a team by e-mail."""

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


class ProgramInvitationForm(InvitationForm):
    """Invite someone to work for a program; the roles offered are those the inviter
    may give (services.grantable_roles)."""

    def __init__(self, *args, role_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        role.label = "Role in the program"
        role.choices = role_choices
        role.initial = ProgramRole.COACH
        role.help_text = (
            "Program staff run the program's collaboratives and see every team's records. "
            "Coaches see the teams they are assigned to."
        )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=TeamRole.choices)


class ProgramRoleForm(forms.Form):
    """Change one of a person's program roles (`from_role`) to another."""

    from_role = forms.ChoiceField(choices=ProgramRole.choices, widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role", choices=ProgramRole.choices)


# --- enrolment --------------------------------------------------------------------------

US_STATES = [
    ("", "Choose a state"),
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VI", "U.S. Virgin Islands"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The team's leads and the applicant receive this by e-mail.",
    )


class CoachAssignmentForm(forms.Form):
    coaches = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A coach may serve several teams; a team may have several coaches.",
        error_messages={
            "invalid_choice": "Choose the coaches from the list (coaches of this program).",
            "invalid_pk_value": "Choose the coaches from the list (coaches of this program).",
        },
    )

    def __init__(self, *args, coach_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coaches"].queryset = coach_queryset
        self.fields["coaches"].label_from_instance = lambda user: user.display_name


class TeamRegistrationForm(forms.Form):
    """Register a team: the facility, then the team, then who leads it."""

    facility_name = forms.CharField(
        max_length=200,
        label="Facility name",
        help_text="The hospital, emergency department or EMS agency, as it is known locally.",
    )
    facility_type = forms.ChoiceField(choices=FacilityType.choices, label="Type of facility")
    state = forms.ChoiceField(choices=US_STATES)
    city = forms.CharField(max_length=100, required=False)
    volume_band = forms.ChoiceField(
        choices=[("", "I don't know"), *VolumeBand.choices],
        required=False,
        label="Pediatric visits a year",
    )
    # Asked only when the facility typed matches registered ones (offer_facility_matches);
    # otherwise a hidden empty field. The service checks the answer.
    facility_choice = forms.CharField(
        label="Is this your facility?", required=False, widget=forms.HiddenInput
    )
    team_name = forms.CharField(max_length=200, label="Team name")
    goals = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What does your team want to achieve?",
        help_text="A sentence or two is enough; you will write your aim statement later.",
    )
    lead = forms.ChoiceField(
        choices=[("me", "I will lead the team"), ("other", "Someone else leads the team")],
        initial="me",
        widget=forms.RadioSelect,
        label="Who leads the team?",
    )
    lead_email = forms.EmailField(
        max_length=254,
        required=False,
        label="E-mail of the team lead",
        help_text="We send them an invitation; you join as a member.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead") == "other" and not cleaned.get("lead_email"):
            self.add_error("lead_email", "Give the e-mail address of the person who leads.")
        return cleaned

    def offer_facility_matches(self, matches) -> None:
        """Ask whether a registered facility is the applicant's, keeping what they typed.

        The re-displayed form keeps every field as typed; the question names the
        registered facilities and, as the other answer, the applicant's own.
        """
        field = self.fields["facility_choice"]
        if len(matches) == 1:
            field.label = f"We found {facility_label(matches[0])} already registered. "
            field.label += "Is this your facility?"
            yes = [(str(matches[0].public_id), "Yes, use this facility")]
        else:
            field.label = (
                f"We found {len(matches)} facilities with this name already registered. "
                "Is one of them yours?"
            )
            yes = [(str(f.public_id), f"Yes, use {facility_label(f)}") for f in matches]
        typed = ", ".join(
            part
            for part in (
                " ".join(self.data.get("facility_name", "").split()),
                " ".join(self.data.get("city", "").split()),
            )
            if part
        )
        field.widget = forms.RadioSelect(
            choices=[*yes, (FACILITY_CHOICE_NEW, f"No, register mine as typed ({typed})")]
        )
        # A bound field made before (by is_valid) would keep the old label and widget.
        self._bound_fields_cache.pop("facility_choice", None)
