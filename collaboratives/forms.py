"""Forms of the collaborative pages. They parse input; the services decide."""

from django import forms

from accounts.models import Program
from core.timezones import COMMON_TIME_ZONES

from .models import Collaborative, FacilityType, FocusArea, PhaseKind


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
    timezone = forms.ChoiceField(choices=COMMON_TIME_ZONES, initial="America/New_York")
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
            "pooled_min_share",
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
        share = self.fields["pooled_min_share"]
        share.required = False  # empty: the default (50%)
        share.validators = []  # one message for the range, in clean_pooled_min_share
        share.widget.attrs.update({"min": 1, "max": 100})
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

    def clean_pooled_min_share(self):
        value = self.cleaned_data.get("pooled_min_share")
        if value is None:
            return Collaborative._meta.get_field("pooled_min_share").default
        if not 1 <= value <= 100:
            raise forms.ValidationError("Give a share between 1% and 100%.")
        return value

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
