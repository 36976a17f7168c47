"""Share and sustain: what a team keeps on its storyboard (the lessons learned, which
no other part of the product records) and staff's "print every storyboard" runs.

A storyboard is otherwise assembled from the team's own records (aim, driver diagram,
ramps and decisions, key chart), so only the lessons are stored here. A batch renders
every active team's storyboard of a collaborative into one PDF in a Celery task
(resources.tasks), counting teams done for the progress bar; the finished PDF is kept
through Django's storage and downloaded by the program's staff.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Storyboard(models.Model):
    """The part of a team's storyboard the team writes itself: its lessons learned."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField("teams.Team", on_delete=models.CASCADE, related_name="storyboard")
    lessons_learned = models.TextField(
        blank=True,
        help_text="What the team learned that others should know: a few sentences or a list.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["program", "team"])]

    def __str__(self) -> str:
        return f"Storyboard of {self.team}"


def storyboard_batch_path(instance: "StoryboardBatch", filename: str) -> str:
    """A random name under the tenant: nothing typed reaches the storage path."""
    return f"resources/{instance.program.public_id}/storyboards/{uuid.uuid4().hex}.pdf"


class StoryboardBatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be prepared"


class StoryboardBatch(models.Model):
    """Staff's "print every team's storyboard as one PDF" run of a collaborative.

    One active run per collaborative (a partial unique constraint); `done` of `total`
    teams rendered is what the progress bar shows; `progress_at` says when it last
    moved, so a run whose worker died can be resumed by staff."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=StoryboardBatchStatus.choices, default=StoryboardBatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to=storyboard_batch_path, blank=True, max_length=300)
    last_error = models.CharField(max_length=500, blank=True)
    #: Bumped by each worker that (re)starts the run: a worker whose number is no
    #: longer the row's stops, so a resumed run never stores two PDFs.
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "collaborative", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative"],
                condition=Q(status__in=["queued", "running"]),
                name="resources_one_active_storyboard_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"Storyboards of {self.collaborative} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (StoryboardBatchStatus.QUEUED, StoryboardBatchStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class StoryboardBatchPage(models.Model):
    """One team's storyboard as a run rendered it (its printable HTML), kept until the
    run ends: a run resumed after its worker died renders only the teams that have no
    page yet, and prints the others as they were rendered. Written in the same
    transaction as the run's `done`, so `done` is the number of pages kept; deleted
    once the run stored its PDF or failed."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(StoryboardBatch, on_delete=models.CASCADE, related_name="pages")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "team"], name="resources_one_storyboard_page_per_team"
            ),
        ]

    def __str__(self) -> str:
        return f"Storyboard page of {self.team} in run {self.batch_id}"
