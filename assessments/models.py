"""Gap-analysis survey templates, waves, responses and answers.

A template is versioned: every row of SurveyTemplate is one version of an
instrument, and the versions of one instrument share a `lineage`. A published
version never changes (services refuse to edit it); editing it creates the next
draft version, so responses keep pointing at the exact questions they answered.

The questions live in the version's `definition` document (see
`assessments.definition` for its shape), which is also what is exported and
imported as JSON. Links from questions to resources and change ideas live in
QuestionLink rows keyed by lineage and question key, so they can be added later
by the resources and PDSA features without touching a published version, and
they follow the question into new versions.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SurveyTemplate(models.Model):
    """One version of a gap-analysis instrument of a program."""

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.CASCADE, related_name="survey_templates"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lineage = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Shared by every version of one instrument."
    )
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    max_points = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=100,
        help_text="The stated maximum; scored points must add up to it before publishing.",
    )
    definition = models.JSONField(default=dict, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "lineage", "version"], name="assessments_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "lineage"],
                condition=Q(status="draft"),
                name="assessments_template_one_draft_per_lineage",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == TemplateStatus.PUBLISHED


class LinkKind(models.TextChoices):
    RESOURCE = "resource", "Resource"
    CHANGE_IDEA = "change_idea", "Change idea"


class QuestionLink(models.Model):
    """A resource or change idea that helps close the gap a question reveals.

    Keyed by the instrument's lineage and the question key, not by a version: a
    link stays valid for every version that keeps the question. `target_id` is the
    public id of the linked object when the resources or PDSA features made the
    link; links typed in the builder or imported carry only a title and a URL.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lineage = models.UUIDField()
    question_key = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=LinkKind.choices, default=LinkKind.RESOURCE)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    target_id = models.UUIDField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["program", "lineage", "question_key"])]

    def __str__(self) -> str:
        return self.title


class WaveKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MIDPOINT = "midpoint", "Midpoint"
    FOLLOW_UP = "follow_up", "Follow-up"


#: Order of waves in a collaborative, for comparisons (baseline before follow-up).
WAVE_ORDER = {WaveKind.BASELINE: 0, WaveKind.MIDPOINT: 1, WaveKind.FOLLOW_UP: 2}


class SurveyWave(models.Model):
    """A published template attached to a collaborative for one round of responses."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="survey_waves"
    )
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="waves")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=WaveKind.choices)
    opens_on = models.DateField()
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "collaborative", "kind"], name="assessments_one_wave_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")),
                name="assessments_wave_due_after_open",
            ),
        ]
        indexes = [models.Index(fields=["program", "collaborative", "opens_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} survey"

    @property
    def order(self) -> int:
        return WAVE_ORDER.get(self.kind, 9)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class SurveyResponse(models.Model):
    """A team's answers to one wave. Filled over several sittings, submitted by a lead.

    The score of a submitted response is cached here (computed by
    `assessments.scoring.score_response` at submission), so lists, charts and the
    API read it without scoring every response again.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="survey_responses"
    )
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    template = models.ForeignKey(
        SurveyTemplate,
        on_delete=models.PROTECT,
        related_name="responses",
        help_text="The exact version answered.",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last submitted."
    )
    first_submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was first submitted: set once, kept when staff reopen it.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(blank=True)
    reopen_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="The team's new due date, set by staff when they reopen the survey: the "
        "reopened survey is late only against it.",
    )
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    earned = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    section_scores = models.JSONField(
        default=list, blank=True, help_text="Per section: key, title, earned, possible, score."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "wave", "team"], name="assessments_one_response_per_team"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "wave", "status"]),
            models.Index(fields=["program", "team", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.wave} of {self.team}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def first_handed_in_at(self):
        """When the team first submitted it (None if never): `first_submitted_at`, or for
        rows written before it existed, `submitted_at`."""
        return self.first_submitted_at or self.submitted_at


class Answer(models.Model):
    """One answer of a response, with who changed it last (members share the work)."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=20)
    value = models.JSONField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["response", "question_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_key"], name="assessments_one_answer_per_question"
            ),
        ]
        indexes = [models.Index(fields=["program", "response"])]

    def __str__(self) -> str:
        return f"{self.question_key} of {self.response}"
