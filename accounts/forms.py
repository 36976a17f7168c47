"""Forms for people: the extra sign-up fields and the profile."""

from django import forms

from core.timezones import time_zone_choices

from .models import User


class SignupProfileForm(forms.Form):
    """Fields allauth's sign-up form gains: who the person is professionally."""

    full_name = forms.CharField(
        max_length=150,
        label="Full name",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    credentials = forms.CharField(
        max_length=60,
        required=False,
        label="Professional credentials",
        help_text="As printed on certificates, e.g. MD, RN, EMT-P. Optional.",
    )

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.credentials = self.cleaned_data.get("credentials", "").strip()
        user.save(update_fields=["full_name", "credentials"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        required=False,
        label="Time zone",
        help_text="Pages and e-mails show times in this zone. Leave it on the first "
        "choice to use your collaborative's time zone.",
    )

    class Meta:
        model = User
        fields = ["full_name", "credentials", "time_zone"]
        help_texts = {"credentials": "As printed on certificates, e.g. MD, RN, EMT-P."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per form: the list of zones comes from the machine's tz database.
        self.fields["time_zone"].choices = [
            ("", "My collaborative's time zone"),
            *time_zone_choices(),
        ]
