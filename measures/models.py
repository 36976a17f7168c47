"""Measures: the program's library, each collaborative's measure set, reporting periods,
the teams' monthly data with its history, submissions and imports.

Every row carries `program` (the tenant), and `collaborative` / `team` where it belongs
to one, so that every read filters by tenant without a join (ARCHITECTURE.md).

Values are stored as entered (numerator and denominator, or one value); percentages,
rates and every statistic are computed when a chart is drawn (measures.spc), so that a
corrected value changes every chart at once and nothing derived can go stale.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class MeasureType(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"
    STRUCTURE = "structure", "Structure"


class DataKind(models.TextChoices):
    PROPORTION = "proportion", "Proportion (numerator / denominator, shown as %)"
    RATE = "rate", "Rate (numerator / denominator × a multiplier, e.g. per 1,000)"
    COUNT = "count", "Count"
    CONTINUOUS = "continuous", "Continuous value (e.g. median minutes)"


#: Kinds entered as a numerator and a denominator; the others are one value.
RATIO_KINDS = (DataKind.PROPORTION, DataKind.RATE)


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither: watch for change"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Measure(models.Model):
    """A measure definition with its operational definitions.

    Library measures belong to the program (no collaborative, no team) and are chosen
    into collaboratives' measure sets. A team's own custom measure carries its team (and
    the team's collaborative) and is seen only by that team's circle.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        max_length=20, blank=True, help_text="A short reference such as M1 (optional)."
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, help_text="Used on charts and in files.")
    measure_type = models.CharField(max_length=10, choices=MeasureType.choices)
    data_kind = models.CharField(max_length=10, choices=DataKind.choices)
    unit = models.CharField(
        max_length=60, blank=True, help_text='What a value counts, e.g. "minutes" or "visits".'
    )
    multiplier = models.PositiveIntegerField(
        default=1, help_text="Rates only: 1,000 shows the rate per 1,000."
    )
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    target = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="In the units the chart shows (percent for proportions).",
    )
    target_note = models.CharField(
        max_length=200, blank=True, help_text='Words for the goal, e.g. "falling trend".'
    )
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    inclusions = models.TextField(blank=True)
    exclusions = models.TextField(blank=True)
    sampling = models.TextField(blank=True, help_text="How many records to sample, and how.")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    min_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                "program",
                Lower("name"),
                condition=Q(team__isnull=True),
                name="measures_library_name_unique",
            ),
            models.UniqueConstraint(
                "team",
                Lower("name"),
                condition=Q(team__isnull=False),
                name="measures_custom_name_unique_per_team",
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(collaborative__isnull=False),
                name="measures_custom_measure_has_collaborative",
            ),
        ]
        indexes = [models.Index(fields=["program", "team", "is_active"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def is_ratio(self) -> bool:
        return self.data_kind in RATIO_KINDS

    @property
    def is_custom(self) -> bool:
        return self.team_id is not None

    @property
    def display_unit(self) -> str:
        """The unit of a charted value: %, "per 1,000", or the measure's own unit."""
        if self.data_kind == DataKind.PROPORTION:
            return "%"
        if self.data_kind == DataKind.RATE:
            return f"per {self.multiplier:,}"
        return self.unit

    @property
    def chart_multiplier(self) -> int:
        if self.data_kind == DataKind.PROPORTION:
            return 100
        if self.data_kind == DataKind.RATE:
            return self.multiplier
        return 1


class Requirement(models.TextChoices):
    REQUIRED = "required", "Required"
    OPTIONAL = "optional", "Optional"


class CollaborativeMeasure(models.Model):
    """A library measure chosen into a collaborative's measure set."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="measure_set"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="set_entries")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requirement = models.CharField(
        max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "measure__code", "measure__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "measure"], name="measures_set_entry_unique"
            )
        ]
        indexes = [models.Index(fields=["program", "collaborative", "position"])]

    def __str__(self) -> str:
        return f"{self.measure} in {self.collaborative}"


class ChartType(models.TextChoices):
    RUN = "run", "Run chart (median)"
    CONTROL = "control", "Control chart (mean and limits)"


class TeamMeasure(models.Model):
    """A team's own settings for one measure.

    `is_selected` marks an optional or custom measure the team reports (required
    measures are reported whatever it says). The chart settings (default chart, the
    end of the baseline, the phases) are set by the team or its coach, and audited.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="team_settings")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_selected = models.BooleanField(default=False)
    chart_type = models.CharField(max_length=10, choices=ChartType.choices, default=ChartType.RUN)
    baseline_end = models.DateField(
        null=True, blank=True, help_text="The last period of the baseline (its start date)."
    )
    phases = models.JSONField(
        default=list, blank=True, help_text='[{"start": "2026-06-01", "label": "New scale"}]'
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "measure"], name="measures_team_measure_unique")
        ]
        indexes = [models.Index(fields=["program", "collaborative", "team"])]

    def __str__(self) -> str:
        return f"{self.team} · {self.measure}"


class ReportingPeriod(models.Model):
    """A period teams report on (a month by default), with its due date.

    A collaborative's periods may begin before its start date: teams enter baseline
    months so that their charts show where they started.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="reporting_periods"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    start = models.DateField()
    end = models.DateField()
    due_date = models.DateField()

    class Meta:
        ordering = ["start", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaborative", "frequency", "start"], name="measures_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="measures_period_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["program", "collaborative", "frequency", "start"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from .periods import period_label

        return period_label(self.frequency, self.start)


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    RETURNED = "returned", "Returned for changes"


#: Statuses in which the team has handed the period in.
HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED)


class Submission(models.Model):
    """A team's report for one period: its status and the monthly narrative.

    No row means "not started". The coach reviews a submitted period or returns it
    with a comment; a returned period is edited and submitted again. A period is
    submitted only once it has ended (measures.periods.has_ended).
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    tested = models.TextField(blank=True, help_text="What we tested this month.")
    learned = models.TextField(blank=True, help_text="What we learned.")
    barriers = models.TextField(blank=True)
    wins = models.TextField(blank=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last handed in."
    )
    first_submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was first handed in: set once, kept when the coach returns it "
        "and the team hands it in again. Lateness is judged by this.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "period"], name="measures_submission_unique")
        ]
        indexes = [
            models.Index(fields=["program", "collaborative", "period", "status"]),
            models.Index(fields=["program", "team", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period}: {self.get_status_display()}"

    @property
    def is_handed_in(self) -> bool:
        return self.status in HANDED_IN

    @property
    def first_handed_in_at(self):
        """When the team first handed the period in (None if never): `first_submitted_at`,
        or for rows written before it existed (or by hand), `submitted_at`."""
        return self.first_submitted_at or self.submitted_at

    @property
    def has_narrative(self) -> bool:
        return any((self.tested, self.learned, self.barriers, self.wins))


class DataSource(models.TextChoices):
    ENTRY = "entry", "Typed in"
    IMPORT = "import", "Imported"
    API = "api", "API"


class DataPoint(models.Model):
    """One team's value of one measure for one period, as entered.

    Proportions and rates keep numerator and denominator; counts and continuous
    measures keep `value`. Deleting is a soft delete (`deleted_at`) that staff undo;
    every change writes a DataPointRevision with the old values.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="data_points")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=DataSource.choices, default=DataSource.ENTRY)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "measure", "period"], name="measures_one_value_per_period"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="measures_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="measures_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="measures_value_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "collaborative", "measure", "period"]),
            models.Index(fields=["program", "team", "measure"]),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.measure.short_name} · {self.period}"


class RevisionAction(models.TextChoices):
    CREATED = "created", "Entered"
    UPDATED = "updated", "Changed"
    DELETED = "deleted", "Deleted"
    RESTORED = "restored", "Restored"


class DataPointRevision(models.Model):
    """One change of a data point: who, when, and the values before and after."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    data_point = models.ForeignKey(DataPoint, on_delete=models.CASCADE, related_name="revisions")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.CharField(max_length=8, choices=RevisionAction.choices)
    source = models.CharField(max_length=8, choices=DataSource.choices, default=DataSource.ENTRY)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    old_numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_note = models.TextField(blank=True)
    new_numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["program", "team", "data_point", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.data_point_id} at {self.changed_at}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "Waiting for confirmation"
    COMMITTED = "committed", "Imported"
    DISCARDED = "discarded", "Discarded"


class ImportBatch(models.Model):
    """An uploaded file, checked row by row, waiting for (or past) its commit.

    The parsed rows are kept so that the commit does not need the file again; the
    commit re-checks them against the data as it is then, and writes all or nothing.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for a whole-collaborative import by staff.",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "collaborative", "team", "-created_at"])]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"


class BenchmarkConsent(models.Model):
    """A team's choice to be named to other teams in benchmark charts (funnel plots).

    Without it the team appears anonymously to teams outside its circle.
    """

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(
        "teams.Team", on_delete=models.CASCADE, related_name="benchmark_consent"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    show_name = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.team}: {'named' if self.show_name else 'anonymous'}"


# --- whole-collaborative files made in the background ------------------------------------


class ExportKind(models.TextChoices):
    VALUES = "values", "Every value"
    TEMPLATE = "template", "Import template"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


def export_file_path(instance: "CollaborativeExport", filename: str) -> str:
    return f"measures/{instance.program_id}/exports/{uuid.uuid4().hex}.{instance.file_format}"


class CollaborativeExport(models.Model):
    """A file of every team of a collaborative (all values, or the import template)
    that program staff asked for: built by a Celery task (measures.tasks) with its
    progress in percent, stored through Django's storage, downloaded by the program's
    staff only. At 300 teams these take seconds, too long for a request."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    #: Percent of the teams written so far (0-100).
    progress = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=export_file_path, blank=True)
    #: The download's name, without its extension ("measures-<slug>-<date>").
    filename = models.CharField(max_length=120)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["program", "collaborative", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.collaborative} ({self.get_status_display()})"
