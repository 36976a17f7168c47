"""Forms for people: the extra sign-up fields, the profile, notification settings, and the
filters of a program's audit log and outbox."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from core.audit import verb_choices
from core.models import Delivery, EmailStatus
from core.notification_kinds import KINDS, optional_kinds
from core.notifications import preferences_of
from core.timezones import time_zone_choices
from core.widgets import PlainSelect

from .audit_log import object_type_label
from .models import Program, User
from .selectors import AuditFilters, program_audit_choices


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


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
        # ~600 zones: written without a template per option (core.widgets).
        widget=PlainSelect,
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


#: The dates the audit log's filters accept.
AUDIT_FIRST_DAY = date(1900, 1, 1)
AUDIT_LAST_DAY = date(2999, 12, 31)


class AuditLogFilterForm(forms.Form):
    """The audit log's filters, read from the query string (GET: links can be shared).

    Choices come from the program's own log (its people, its kinds of object), so a
    person or object type of another program is refused like any unknown value. Dates
    are the viewer's local days; `filters()` turns them into instants.
    """

    actor = forms.ChoiceField(
        required=False,
        label="Person",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    kind = forms.ChoiceField(
        required=False,
        label="Kind of change",
        error_messages={"invalid_choice": "Choose a kind of change from the list."},
    )
    object = forms.ChoiceField(
        required=False,
        label="Kind of object",
        error_messages={"invalid_choice": "Choose a kind of object from the list."},
    )
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Object name contains",
        help_text="Part of the name of the collaborative, team, cycle or other object.",
    )

    def __init__(self, *args, program: Program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: declared here, not as class attributes.
        self.fields["from"] = forms.DateField(
            required=False, label="From", widget=DateInput(), help_text="Your time zone."
        )
        self.fields["to"] = forms.DateField(
            required=False, label="To (inclusive)", widget=DateInput()
        )
        self.order_fields(["actor", "kind", "object", "from", "to", "q"])
        choices = program_audit_choices(program=program)
        self.people = {p.public_id: p for p in choices.people}
        self.fields["actor"].choices = [
            ("", "Anyone"),
            ("system", "System (no person)"),
            *((p.public_id, f"{p.name} ({p.email})") for p in choices.people),
        ]
        self.fields["kind"].choices = [("", "Any change"), *verb_choices()]
        self.fields["object"].choices = [
            ("", "Any object"),
            *sorted(
                ((t, object_type_label(t)) for t in choices.target_types),
                key=lambda choice: choice[1],
            ),
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and not (AUDIT_FIRST_DAY <= day <= AUDIT_LAST_DAY):
                # Far dates would overflow when turned into instants in the viewer's zone.
                self.add_error(name, "Enter a date between 1900 and 2999.")
                cleaned.pop(name, None)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid form's values as selector filters, days read in the active zone."""
        data = self.cleaned_data
        actor = data.get("actor") or ""
        kind = data.get("kind") or ""
        zone = timezone.get_current_timezone()

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time.min, tzinfo=zone)

        return AuditFilters(
            actor_pk=self.people[actor].pk if actor in self.people else None,
            system_only=actor == "system",
            verb="" if kind.endswith(".*") else kind,
            verb_group=kind.removesuffix(".*") if kind.endswith(".*") else "",
            target_type=data.get("object") or "",
            since=midnight(data["from"]) if data.get("from") else None,
            until=midnight(data["to"] + timedelta(days=1)) if data.get("to") else None,
            text=(data.get("q") or "").strip(),
        )


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of e-mail that can be turned off: immediately, in the weekly
    digest, or off. Starts from the person's stored choices."""

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = preferences_of(user)
        for kind in optional_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                initial=current[kind.key],
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                error_messages={
                    "required": f"Choose how you receive “{kind.label}” e-mails.",
                    "invalid_choice": f"Choose how you receive “{kind.label}” e-mails: "
                    "immediately, in a weekly digest, or off.",
                },
            )

    def rows(self) -> list[forms.BoundField]:
        """The kinds' fields in the page's order."""
        return [self[kind.key] for kind in optional_kinds()]


class OutboxFilterForm(forms.Form):
    """The outbox page's filters; every one optional."""

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *EmailStatus.choices]
    )
    kind = forms.ChoiceField(
        label="Kind of e-mail",
        required=False,
        choices=[("", "Any kind"), *((kind.key, kind.label) for kind in KINDS.values())],
    )
