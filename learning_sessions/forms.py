"""The staff form for an event. Times are entered in the collaborative's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

from collaboratives.models import Collaborative, FocusArea
from core.filetypes import DOCUMENTS, size_limit_attrs

from .materials import MAX_MATERIAL_BYTES
from .models import CREDIT_MAX, CreditType, Event, EventCredit, EventKind
from .services import EVENT_FIELDS, validate_event

CREDIT_HELP = {
    CreditType.MOC_PART_4: "Points, in units of 25.",
}
HOURS_HELP = (
    "Hours in quarter-hour steps; a live event offers at most 1 per 60 minutes (modules excepted)."
)


def credit_field_name(credit_type: str) -> str:
    return f"credit_{credit_type}"


TEXTAREA = forms.Textarea(attrs={"rows": 4})
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
#: Years a typed date may have: year 1 would overflow when turned into UTC.
MIN_YEAR, MAX_YEAR = 2000, 2200


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in `zone` (a native date-time picker, no JavaScript needed)."""

    def __init__(self, *, zone: ZoneInfo, **kwargs) -> None:
        self.zone = zone
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
        )
        kwargs.setdefault("input_formats", [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime | None:
        if isinstance(value, str):
            value = value.strip()
            for fmt in self.input_formats:
                try:
                    naive = datetime.strptime(value, fmt)
                except ValueError:
                    continue
                if not MIN_YEAR <= naive.year <= MAX_YEAR:
                    raise ValidationError(f"Enter a date between {MIN_YEAR} and {MAX_YEAR}.")
                return naive.replace(tzinfo=self.zone)
            if value:
                raise ValidationError("Enter a date and time, e.g. 2026-12-15 13:00.")
            return None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).strftime(LOCAL_FORMAT)
        return value


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=EventKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=TEXTAREA, max_length=10000
    )
    agenda = forms.CharField(label="Agenda", required=False, widget=TEXTAREA, max_length=10000)
    location = forms.CharField(
        label="Location", required=False, max_length=300, help_text="A room or address."
    )
    join_url = forms.CharField(
        label="Join link",
        required=False,
        max_length=500,
        help_text="The meeting link (https://…). Only people who registered see it.",
    )
    capacity = forms.IntegerField(
        label="Seats", required=False, max_value=100_000, help_text="Leave empty for no limit."
    )
    recording_url = forms.CharField(
        label="Recording link",
        required=False,
        max_length=500,
        help_text="Shown to the collaborative once the event has started.",
    )

    def __init__(self, *args, collaborative: Collaborative, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.collaborative = collaborative
        zone = ZoneInfo(collaborative.timezone)
        label = collaborative.timezone.replace("_", " ")
        self.fields["starts_at"] = LocalDateTimeField(
            zone=zone, label="Starts", help_text=f"In the collaborative's time zone, {label}."
        )
        self.fields["ends_at"] = LocalDateTimeField(
            zone=zone, label="Ends", help_text=f"In the collaborative's time zone, {label}."
        )
        self.fields["tracks"] = forms.ModelMultipleChoiceField(
            label="Tracks",
            required=False,
            queryset=FocusArea.objects.filter(program_id=collaborative.program_id, is_active=True),
            widget=forms.CheckboxSelectMultiple,
            help_text="The focus areas this event belongs to; the calendar filters by them.",
        )
        for credit_type in CreditType:
            self.fields[credit_field_name(credit_type)] = forms.DecimalField(
                label=credit_type.label,
                required=False,
                min_value=0,
                max_value=CREDIT_MAX,
                max_digits=6,
                decimal_places=2,
                help_text=CREDIT_HELP.get(credit_type, HOURS_HELP),
            )
        self.order_fields(["kind", "title", "starts_at", "ends_at"])

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        initial = {name: getattr(event, name) for name in EVENT_FIELDS}
        initial["tracks"] = list(event.tracks.all())
        for credit in EventCredit.objects.filter(program_id=event.program_id, event=event):
            initial[credit_field_name(credit.credit_type)] = credit.amount.normalize()
        return initial

    def clean(self) -> dict:
        data = super().clean()
        data["credits"] = {t.value: data.pop(credit_field_name(t), None) for t in CreditType}
        try:
            validate_event(collaborative=self.collaborative, data=data)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(field, item.messages)
        return data


class MaterialForm(forms.Form):
    """Add a material: a file (PDF, Office document, image) or a link, with a title."""

    title = forms.CharField(label="Title", max_length=200, required=False)
    file = forms.FileField(
        label="File",
        required=False,
        help_text=(
            "PDF, Word, PowerPoint, Excel, PNG or JPEG; at most "
            f"{MAX_MATERIAL_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(MAX_MATERIAL_BYTES, types=DOCUMENTS)
        ),
    )
    url = forms.CharField(
        label="Or a link",
        required=False,
        max_length=500,
        help_text="https://… (a recording, a reading, a shared folder).",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("file") and (data.get("url") or "").strip():
            raise ValidationError("Upload a file or give a link, not both.")
        if not data.get("file") and not (data.get("url") or "").strip():
            raise ValidationError("Choose a file to upload or give a link.")
        return data
