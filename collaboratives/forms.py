"""Forms of the collaborative pages. They parse input; the services decide."""

from django import forms

from accounts.models import Program
from teams.models import FacilityType, VolumeBand

from .models import Collaborative, FocusArea, PhaseKind

#: Time zones of U.S. states and territories, where these programs run.
TIMEZONES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro (Guam)"),
    ("UTC", "UTC"),
]

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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CollaborativeForm(forms.ModelForm):
    """Create and edit a collaborative. On create, phases are generated from the pattern."""

    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        help_text="The program that runs this collaborative.",
    )
    new_focus_area = forms.CharField(
        max_length=120,
        required=False,
        label="Or add a focus area",
        help_text="Adds it to the program's list, for this and later collaboratives.",
    )
    eligible_facility_types = forms.MultipleChoiceField(
        choices=FacilityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who may join",
        help_text="Leave all unticked to welcome every type of facility.",
    )
    timezone = forms.ChoiceField(choices=TIMEZONES, initial="America/New_York")
    learning_sessions = forms.IntegerField(
        min_value=1,
        max_value=12,
        initial=3,
        label="Number of learning sessions",
        help_text="Phases are planned from this; you can edit them next.",
    )

    class Meta:
        model = Collaborative
        fields = [
            "program",
            "title",
            "focus_area",
            "new_focus_area",
            "summary",
            "aims",
            "eligible_facility_types",
            "start_date",
            "end_date",
            "timezone",
            "enrolment_opens",
            "enrolment_closes",
            "learning_sessions",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "enrolment_opens": DateInput(),
            "enrolment_closes": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "aims": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "start_date": "Collaboratives typically run 6 to 18 months.",
            "enrolment_closes": "Teams can apply until this date.",
        }

    def __init__(self, *args, programs=None, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        programs = list(programs or [])
        self.fields["title"].max_length = 200
        self.fields["program"].queryset = Program.objects.filter(pk__in=[p.pk for p in programs])
        if len(programs) == 1 or not creating:
            self.fields["program"].widget = forms.HiddenInput()
            self.fields["program"].required = False
            self.fields["program"].initial = programs[0].pk if programs else None
        program_ids = [p.pk for p in programs] if creating else [self.instance.program_id]
        self.fields["focus_area"].queryset = FocusArea.objects.filter(
            program_id__in=program_ids, is_active=True
        )
        self.fields["focus_area"].required = False
        if not creating:
            del self.fields["learning_sessions"]

    def clean_program(self):
        program = self.cleaned_data.get("program")
        if program is None:
            choices = list(self.fields["program"].queryset)
            if self.instance.pk:
                return self.instance.program
            if len(choices) == 1:
                return choices[0]
            raise forms.ValidationError("Choose the program.")
        return program

    def clean(self):
        cleaned = super().clean()
        area, program = cleaned.get("focus_area"), cleaned.get("program")
        if area and program and area.program_id != program.pk:
            self.add_error("focus_area", "Choose a focus area of this program.")
        return cleaned


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Choose the kind"), *PhaseKind.choices])
    name = forms.CharField(max_length=120)
    start_date = forms.DateField(widget=DateInput())
    end_date = forms.DateField(widget=DateInput())


class BasePhaseFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]:
            raise forms.ValidationError("Keep at least one phase.")


PhaseFormSet = forms.formset_factory(
    PhaseForm, formset=BasePhaseFormSet, extra=1, can_delete=True, max_num=40, validate_max=True
)


class RegeneratePhasesForm(forms.Form):
    learning_sessions = forms.IntegerField(min_value=1, max_value=12, initial=3)


class CopyForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title of the new collaborative")
    start_date = forms.DateField(
        widget=DateInput(),
        label="New start date",
        help_text="Every date (phases, enrolment window, end) moves by the same amount.",
    )


class TransitionForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput())
    note = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The team receives this by e-mail.",
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
