"""The library: toolkits, documents, templates, links, videos and recordings.

A resource belongs to one program (the tenant) and is visible program-wide, to one
collaborative's people, or to anyone (a public page without login). Its words are
indexed for PostgreSQL full-text search in `search_vector`, kept by the services
on every write (title weighted A, summary B, body and tags C); the GIN index over it
is created by migration 0002 on PostgreSQL only, so `make run` on SQLite still
migrates and searches with a plain fallback (resources.search).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class ResourceKind(models.TextChoices):
    TOOLKIT = "toolkit", "Toolkit"
    DOCUMENT = "document", "Document"
    TEMPLATE = "template", "Template"
    LINK = "link", "Link"
    VIDEO = "video", "Video"
    RECORDING = "recording", "Recording"


class Visibility(models.TextChoices):
    PROGRAM = "program", "Everyone in the program"
    COLLABORATIVE = "collaborative", "One collaborative's people"
    PUBLIC = "public", "Public: anyone with the link, no login"


def resource_path(instance: "Resource", filename: str) -> str:
    """A random name under the tenant: nothing the uploader typed reaches the storage
    path (the original name is kept for display and the download's name)."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix.isascii() and len(suffix) <= 6 else ""
    return f"resources/{instance.program.public_id}/{uuid.uuid4().hex}{suffix}"


class Resource(models.Model):
    """One item of a program's library: an uploaded file or a link, with the facts
    teams filter by (type, focus areas, tags, audience) and its source."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PROGRAM
    )
    #: Set when (and only when) the resource is visible to one collaborative.
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=12, choices=ResourceKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000)
    #: Longer description or the text of the resource, searched with a lower weight.
    body = models.TextField(blank=True, max_length=20000)
    focus_areas = models.ManyToManyField("collaboratives.FocusArea", blank=True, related_name="+")
    #: Free words staff add ("triage", "weight"); a list of short strings.
    tags = models.JSONField(default=list, blank=True)
    #: collaboratives.FacilityType values the resource is for; empty means everyone.
    audience = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=200, blank=True)
    source_date = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=resource_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Retired resources leave lists and search but keep their links' history.
    retired_at = models.DateTimeField(null=True, blank=True)
    #: Opens in all time, counted without recording who opened it.
    view_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["program", "visibility"], name="resources_program_vis_idx"),
            models.Index(fields=["program", "-created_at"], name="resources_program_new_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(visibility="collaborative") & Q(collaborative__isnull=False))
                | (~Q(visibility="collaborative") & Q(collaborative__isnull=True)),
                name="resources_collaborative_iff_scoped",
            ),
            models.CheckConstraint(
                condition=(~Q(file="") & Q(url="")) | (Q(file="") & ~Q(url="")),
                name="resources_file_or_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class ResourceViewDay(models.Model):
    """How many times a resource was opened on one day: "most used" and "no one opens
    this" come from these counts, and nothing records who opened what."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "day"], name="resources_view_day_unique")
        ]
        indexes = [models.Index(fields=["day"], name="resources_view_day_idx")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.day}: {self.count}"
