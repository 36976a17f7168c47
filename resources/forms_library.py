"""Forms of the library: its filters (a GET form that works without JavaScript) and
the staff's resource form (a file or a link, and the facts teams filter by)."""

from __future__ import annotations

from django import forms

from accounts.models import Program
from collaboratives.models import Collaborative, FacilityType, FocusArea
from core.filetypes import DOCUMENTS, MP4, size_limit_attrs

from .models import Resource, ResourceKind, Visibility
from .services.library import MAX_TAG_LENGTH, MAX_TAGS, ResourceInput
from .uploads import MAX_RESOURCE_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LibraryFilterForm(forms.Form):
    """Search words, type, focus area and audience; every field optional."""

    q = forms.CharField(label="Search the library", required=False, max_length=200)
    kind = forms.ChoiceField(label="Type", required=False)
    focus_area = forms.ChoiceField(label="Focus area", required=False)
    audience = forms.ChoiceField(label="For", required=False)

    def __init__(self, *args, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any type"), *ResourceKind.choices]
        self.fields["focus_area"].choices = [
            ("", "Any focus area"),
            *((str(area.public_id), area.name) for area in focus_areas),
        ]
        self.fields["audience"].choices = [("", "Any facility"), *FacilityType.choices]

    def filters(self) -> dict:
        """The chosen filters (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "focus_area": data.get("focus_area") or None,
            "audience": data.get("audience") or "",
        }

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class ResourceForm(forms.Form):
    """A resource as staff describe it. The service checks it all again (a focus area
    or collaborative of another program, a disguised file, a `javascript:` link)."""

    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: what it is and when a team would use it.",
    )
    kind = forms.ChoiceField(label="Type", choices=ResourceKind.choices)
    file = forms.FileField(
        label="File",
        required=False,
        help_text=(
            "PDF, Word, PowerPoint, Excel, PNG or JPEG (an MP4 for a video or recording); "
            f"at most {MAX_RESOURCE_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(
            attrs=size_limit_attrs(MAX_RESOURCE_BYTES, types=(*DOCUMENTS, MP4))
        ),
    )
    url = forms.CharField(
        label="Or a link",
        required=False,
        max_length=500,
        help_text="https://… A link replaces the file; a “Link” needs one.",
    )
    visibility = forms.ChoiceField(
        label="Who may see it", choices=Visibility.choices, widget=forms.RadioSelect
    )
    collaborative = forms.ChoiceField(
        label="Collaborative",
        required=False,
        help_text="Only when one collaborative's people may see it.",
    )
    focus_areas = forms.MultipleChoiceField(
        label="Focus areas", required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.MultipleChoiceField(
        label="Audience",
        required=False,
        choices=FacilityType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The kinds of facility it is for; none means everyone.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text=(
            f"Separate with commas, e.g. “triage, weight in kg”; at most {MAX_TAGS} tags "
            f"of {MAX_TAG_LENGTH} characters."
        ),
    )
    body = forms.CharField(
        label="Description",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Longer text, searched too. Plain text; blank lines make paragraphs.",
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=200,
        help_text="Who published it, e.g. “Emergency Nurses Association”.",
    )
    source_date = forms.DateField(label="Published on", required=False, widget=DateInput())

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self._collaboratives = {
            str(c.public_id): c
            for c in Collaborative.objects.filter(program=program).order_by("-start_date", "pk")
        }
        self._focus_areas = {
            str(a.public_id): a
            for a in FocusArea.objects.filter(program=program).order_by("name", "pk")
        }
        self.fields["collaborative"].choices = [
            ("", "—"),
            *((key, c.title) for key, c in self._collaboratives.items()),
        ]
        self.fields["focus_areas"].choices = [(key, a.name) for key, a in self._focus_areas.items()]

    def resource_input(self) -> ResourceInput:
        """The cleaned input for resources.services.library."""
        data = self.cleaned_data
        return ResourceInput(
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            visibility=data["visibility"],
            collaborative=self._collaboratives.get(data.get("collaborative") or ""),
            body=data.get("body") or "",
            focus_areas=[self._focus_areas[key] for key in data.get("focus_areas") or []],
            tags=data.get("tags") or "",
            audience=list(data.get("audience") or []),
            source=data.get("source") or "",
            source_date=data.get("source_date"),
            upload=data.get("file"),
            url=data.get("url") or "",
        )


def initial_from(resource: Resource) -> dict:
    """The form's starting values for editing `resource`."""
    return {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "url": resource.url,
        "visibility": resource.visibility,
        "collaborative": str(resource.collaborative.public_id) if resource.collaborative else "",
        "focus_areas": [str(a.public_id) for a in resource.focus_areas.all()],
        "audience": list(resource.audience),
        "tags": ", ".join(resource.tags),
        "body": resource.body,
        "source": resource.source,
        "source_date": resource.source_date,
    }
