"""The Model for Improvement in the browser: aims, key driver diagrams, change ideas,
PDSA cycles chained into ramps, their comments and attachments.

Every row carries `program` (the tenant) and `team`, so every read can be scoped
without a join; change-package items belong to a collaborative instead. Cycles and
aims keep their history in revision tables written by the services (who, when,
which fields, the values before); a deleted cycle is only marked deleted, so that
program staff can restore it.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone


class Stage(models.TextChoices):
    """The stages of a PDSA cycle, in the order a cycle moves through them."""

    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    COMPLETE = "complete", "Complete"


#: Stage values in order; the index is how far a cycle has come.
STAGE_ORDER: list[str] = [s.value for s in Stage]


class Decision(models.TextChoices):
    ADOPT = "adopt", "Adopt: make it the way we work"
    ADAPT = "adapt", "Adapt: change it and test again"
    ABANDON = "abandon", "Abandon: stop testing this change"


class Scale(models.TextChoices):
    """How big a test is. A ramp grows the scale cycle by cycle."""

    ONE_PATIENT = "one_patient", "One patient"
    FEW_PATIENTS = "few_patients", "A few patients"
    ONE_SHIFT = "one_shift", "One shift or one clinician"
    ONE_DAY = "one_day", "One day"
    ONE_WEEK = "one_week", "One week"
    WHOLE_UNIT = "whole_unit", "The whole unit, every shift"


class DriverKind(models.TextChoices):
    PRIMARY = "primary", "Primary driver"
    SECONDARY = "secondary", "Secondary driver"


class TeamOwned(models.Model):
    """Tenant and team on every row: scoping never needs a join."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class ChangePackageItem(models.Model):
    """One change idea of a collaborative's change package, kept by program staff.

    Teams seed change ideas of their driver diagram from it; copying the
    collaborative copies the package (pdsa/copying.py).
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="change_package"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    suggested_driver = models.CharField(
        max_length=200,
        blank=True,
        help_text="The primary driver this change usually serves, e.g. “Weigh in kilograms”.",
    )
    gap_item = models.CharField(
        "gap-analysis item",
        max_length=200,
        blank=True,
        help_text="The readiness-assessment item this change closes, e.g. “Weight in kg only”.",
    )
    gap_question = models.CharField(
        max_length=60,
        blank=True,
        help_text="The linked question as “<instrument lineage>:<key>” (assessments app).",
    )
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "title"]
        indexes = [models.Index(fields=["program", "collaborative", "position"])]

    def __str__(self) -> str:
        return self.title


class Aim(TeamOwned):
    """The team's aim statement, with the parts a coach checks (a SMART aim)."""

    team = models.OneToOneField("teams.Team", on_delete=models.CASCADE, related_name="pdsa_aim")
    statement = models.TextField(help_text="The aim in one or two sentences.")
    what = models.CharField("what will improve", max_length=300, blank=True)
    how_much = models.CharField("how much", max_length=200, blank=True)
    by_when = models.DateField("by when", null=True, blank=True)
    for_whom = models.CharField("for whom", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def missing_parts(self) -> list[str]:
        """The SMART parts still empty, in the words a coach uses."""
        parts = {
            "what will improve": self.what,
            "how much": self.how_much,
            "by when": self.by_when,
            "for whom": self.for_whom,
        }
        return [label for label, value in parts.items() if not value]


class AimRevision(TeamOwned):
    """One saved change of an aim: who, when, and each changed field's old and new value."""

    aim = models.ForeignKey(Aim, on_delete=models.CASCADE, related_name="revisions")
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revised_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, help_text="field -> [old, new]")

    class Meta:
        ordering = ["-revised_at", "-id"]
        indexes = [models.Index(fields=["program", "team", "-revised_at"])]

    def __str__(self) -> str:
        return f"Aim revision of {self.revised_at:%Y-%m-%d %H:%M}"


class Driver(TeamOwned):
    """A primary driver of the team's aim, or a secondary driver under a primary one."""

    kind = models.CharField(max_length=10, choices=DriverKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The primary driver a secondary driver belongs to.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["program", "team", "kind", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="primary", parent__isnull=True)
                    | models.Q(kind="secondary", parent__isnull=False)
                ),
                name="pdsa_driver_secondary_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChangeIdea(TeamOwned):
    """A change the team can test, hanging off a driver; its cycles form its ramp.

    `shared_at` marks a completed ramp the team shared with the other teams of
    its collaborative; `share_notes` says whether they may read the raw notes too.
    """

    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="change_ideas"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source_item = models.ForeignKey(
        ChangePackageItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seeded_ideas",
        help_text="The change-package item this idea was seeded from.",
    )
    gap_item = models.CharField("gap-analysis item", max_length=200, blank=True)
    gap_question = models.CharField(max_length=60, blank=True)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_notes = models.BooleanField(
        default=False, help_text="Other teams may also read the cycles' raw notes."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["program", "team", "position"]),
            models.Index(fields=["program", "shared_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Cycle(TeamOwned):
    """One PDSA cycle: a test of one change idea, following the PDSA worksheet.

    Fields are grouped by stage (pdsa/stages.py says which are needed to move on).
    `builds_on` chains cycles of the same change idea into a ramp. `updated_at` is
    the team's last edit (coach comments do not count), which is what "stalled"
    is measured from; `awaiting_feedback_since` is set when the team moves a cycle
    on and cleared when a coach or staff member comments.
    """

    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.PROTECT, related_name="cycles")
    builds_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    title = models.CharField(max_length=200)
    scale = models.CharField(max_length=20, choices=Scale.choices, blank=True)
    # Plan
    objective = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    predictions = models.TextField(blank=True)
    plan_details = models.TextField(blank=True)
    data_to_collect = models.TextField(blank=True)
    plan_date = models.DateField(null=True, blank=True)
    # Do
    do_date = models.DateField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    observations = models.TextField(blank=True)
    problems = models.TextField(blank=True)
    # Study
    study_date = models.DateField(null=True, blank=True)
    results = models.TextField(blank=True)
    learned = models.TextField(blank=True)
    measure_notes = models.TextField(blank=True)
    linked_measures = models.ManyToManyField(
        "measures.Measure",
        through="CycleMeasure",
        blank=True,
        related_name="+",
        help_text="The team's measures whose charts show this test's result.",
    )
    # Act
    act_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    next_steps = models.TextField(blank=True)
    completed_date = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    awaiting_feedback_since = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["program", "team", "deleted_at", "-updated_at"]),
            models.Index(fields=["program", "team", "change_idea"]),
            models.Index(fields=["program", "awaiting_feedback_since"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    @property
    def is_complete(self) -> bool:
        return self.stage == Stage.COMPLETE


class CycleMeasure(models.Model):
    """A measure of the team's set that shows a cycle's result (the Study stage's
    "link to measure data"). The cycle's page shows the measure's chart and the
    measure's chart page lists the cycles linked to it."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="measure_links")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="cycle_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "cycle", "measure"], name="pdsa_cycle_measure_once"
            )
        ]
        indexes = [models.Index(fields=["program", "team", "measure"])]

    def __str__(self) -> str:
        return f"{self.cycle} -> {self.measure}"


class CycleRevision(TeamOwned):
    """One saved change of a cycle. Autosaves by the same person in the same stage
    within a few minutes update the newest revision instead of piling up rows."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="revisions")
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revised_at = models.DateTimeField(default=timezone.now)
    stage_before = models.CharField(max_length=10, choices=Stage.choices)
    stage_after = models.CharField(max_length=10, choices=Stage.choices)
    changes = models.JSONField(default=dict, help_text="field -> [old, new]")
    is_autosave = models.BooleanField(default=False)

    class Meta:
        ordering = ["-revised_at", "-id"]
        indexes = [models.Index(fields=["program", "team", "cycle", "-revised_at"])]

    def __str__(self) -> str:
        return f"Cycle revision of {self.revised_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Random names under the tenant and team: nothing of the upload's name reaches
    the storage path (the original name is kept in a column for display). The
    service passes a name whose extension it derived from the checked content."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in (".jpg", ".png", ".pdf") else ""
    return f"pdsa/{instance.program.public_id}/{instance.team.public_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(TeamOwned):
    """A photo of a whiteboard, a tool or a checklist, attached to a cycle.

    Stored through Django's storage API and served only by a scoped view.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["program", "team", "cycle"])]

    def __str__(self) -> str:
        return self.original_name


class Comment(TeamOwned):
    """A comment on a cycle, or on one stage of it (coaches, staff, and the team's replies)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="comments")
    stage = models.CharField(
        max_length=10, choices=Stage.choices, blank=True, help_text="Empty: the whole cycle."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    by_coach = models.BooleanField(
        default=False, help_text="Written by an assigned coach or program staff."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["program", "team", "cycle", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class CommentReceipt(TeamOwned):
    """A comment delivered to one person; `read_at` is set when they open the cycle.

    One row per recipient makes "unread comments" a per-person question.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="receipts")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pdsa_receipts"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="pdsa_receipt_unique"),
        ]
        indexes = [models.Index(fields=["program", "user", "read_at"])]

    def __str__(self) -> str:
        return f"Receipt of comment {self.comment_id} for user {self.user_id}"
