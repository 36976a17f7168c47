"""Explicit input and output shapes of the measures API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..display import charted_value, value_text
from ..models import (
    DataKind,
    DataPoint,
    Direction,
    Frequency,
    Measure,
    MeasureType,
    ReportingPeriod,
    SubmissionStatus,
)


def _pattern(choices, description: str) -> dict:
    """A choice documented as a pattern, not an enum: drf-spectacular names enums after
    the field, and other apps' fields of the same name (status, kind) would collide."""
    return {
        "type": "string",
        "pattern": "^(" + "|".join(value for value, _ in choices) + ")$",
        "description": description,
    }


@extend_schema_field(_pattern(MeasureType.choices, "outcome, process, balancing or structure."))
class MeasureTypeField(serializers.CharField):
    pass


@extend_schema_field(
    _pattern(DataKind.choices, "proportion (numerator/denominator as %), rate, count, continuous.")
)
class DataKindField(serializers.CharField):
    pass


@extend_schema_field(_pattern(Direction.choices, "The direction of improvement."))
class DirectionField(serializers.CharField):
    pass


@extend_schema_field(_pattern(Frequency.choices, "How often teams report the measure."))
class FrequencyField(serializers.CharField):
    pass


@extend_schema_field(
    _pattern(
        SubmissionStatus.choices,
        "not_started (no data yet), draft, submitted, reviewed, returned (for changes).",
    )
)
class SubmissionStatusField(serializers.CharField):
    pass


class MeasureSerializer(serializers.ModelSerializer):
    """A measure definition with its operational definitions. `is_custom`: a team's own."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    measure_type = MeasureTypeField(read_only=True)
    data_kind = DataKindField(read_only=True)
    direction = DirectionField(read_only=True)
    frequency = FrequencyField(read_only=True)
    display_unit = serializers.CharField(read_only=True)
    is_custom = serializers.BooleanField(read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "measure_type",
            "data_kind",
            "unit",
            "display_unit",
            "multiplier",
            "direction",
            "target",
            "target_note",
            "numerator_definition",
            "denominator_definition",
            "inclusions",
            "exclusions",
            "sampling",
            "frequency",
            "is_active",
            "is_custom",
        ]
        read_only_fields = fields


class MeasureBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    code = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)
    data_kind = DataKindField(read_only=True)
    display_unit = serializers.CharField(read_only=True)


@extend_schema_field(_pattern([("required", ""), ("optional", "")], "required or optional."))
class RequirementField(serializers.CharField):
    pass


@extend_schema_field(
    _pattern([("required", ""), ("optional", ""), ("custom", "")], "Why the team reports it.")
)
class TeamRequirementField(serializers.CharField):
    pass


class SetEntrySerializer(serializers.Serializer):
    measure = MeasureSerializer(read_only=True)
    requirement = RequirementField(read_only=True)
    position = serializers.IntegerField(read_only=True)


class TeamMeasureSerializer(serializers.Serializer):
    """A measure of the team's set and the team's chart settings for it."""

    measure = MeasureSerializer(read_only=True)
    requirement = TeamRequirementField(read_only=True)
    chart_type = serializers.SerializerMethodField()
    baseline_end = serializers.SerializerMethodField()

    def get_chart_type(self, row) -> str:
        return row.settings.chart_type if row.settings else "run"

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_baseline_end(self, row):
        return row.settings.baseline_end if row.settings else None


class PeriodSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    frequency = FrequencyField(read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "frequency", "start", "end", "due_date"]
        read_only_fields = fields


class PersonNameSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    display_name = serializers.CharField(read_only=True)


class PeriodStatusSerializer(serializers.Serializer):
    """A period and the team's status for it (computed: `not_started` has no record)."""

    period = PeriodSerializer(read_only=True)
    status = SubmissionStatusField(read_only=True)
    status_display = serializers.CharField(source="status_label", read_only=True)
    is_owed = serializers.BooleanField(
        read_only=True,
        help_text="False for a period that ended before the team joined: never late or "
        "missing (the team may still enter it as its baseline).",
    )
    is_late = serializers.BooleanField(
        read_only=True,
        help_text="First handed in after the due date, or not handed in and the due date "
        "has passed. A period returned by the coach keeps the verdict of its first hand-in.",
    )
    can_submit = serializers.BooleanField(
        source="has_ended",
        read_only=True,
        help_text="The period has ended, so it can be submitted (values can be saved before).",
    )
    submitted_at = serializers.SerializerMethodField()
    first_submitted_at = serializers.SerializerMethodField()
    reviewed_at = serializers.SerializerMethodField()
    review_comment = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, status):
        return status.submission.submitted_at if status.submission else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_first_submitted_at(self, status):
        return status.submission.first_handed_in_at if status.submission else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_reviewed_at(self, status):
        return status.submission.reviewed_at if status.submission else None

    def get_review_comment(self, status) -> str:
        return status.submission.review_comment if status.submission else ""


class SubmissionDetailSerializer(PeriodStatusSerializer):
    """The period's status with the team's narrative."""

    tested = serializers.SerializerMethodField()
    learned = serializers.SerializerMethodField()
    barriers = serializers.SerializerMethodField()
    wins = serializers.SerializerMethodField()

    def _text(self, status, name) -> str:
        return getattr(status.submission, name) if status.submission else ""

    def get_tested(self, status) -> str:
        return self._text(status, "tested")

    def get_learned(self, status) -> str:
        return self._text(status, "learned")

    def get_barriers(self, status) -> str:
        return self._text(status, "barriers")

    def get_wins(self, status) -> str:
        return self._text(status, "wins")


class TeamStatusSerializer(serializers.Serializer):
    """One team's status for the latest started periods of the collaborative (`periods`)."""

    team_id = serializers.UUIDField(source="team.public_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    periods = PeriodStatusSerializer(many=True, read_only=True)
    late = serializers.IntegerField(
        read_only=True,
        help_text="Periods late or missing (see is_late), of those the team owes, among the "
        "periods the answer covers.",
    )


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("reviewed", "Reviewed"), ("returned", "Returned")],
        help_text="reviewed, or returned (for changes: a comment is then required).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DataPointSerializer(serializers.ModelSerializer):
    """An entered value as stored (`numerator` and `denominator` for proportions and
    rates, `value` for the others) and as shown: `display_value` in the measure's
    display unit (percent, per 1,000...), `display_text` as the pages write it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    measure = serializers.UUIDField(source="measure.public_id", read_only=True)
    period = serializers.UUIDField(source="period.public_id", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    entered_by = PersonNameSerializer(read_only=True, allow_null=True)
    display_value = serializers.SerializerMethodField()
    display_text = serializers.SerializerMethodField()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_display_value(self, point):
        shown = charted_value(point.measure, point.numerator, point.denominator, point.value)
        return None if shown is None else round(shown, 4)

    def get_display_text(self, point) -> str:
        return value_text(point.measure, point.numerator, point.denominator, point.value)

    class Meta:
        model = DataPoint
        fields = [
            "id",
            "measure",
            "period",
            "period_label",
            "numerator",
            "denominator",
            "value",
            "display_value",
            "display_text",
            "note",
            "entered_by",
            "updated_at",
        ]
        read_only_fields = fields


class DataPointUpdateSerializer(serializers.Serializer):
    """A change to an entered value: numerator and denominator for proportions and rates,
    value for counts and continuous measures, and the note."""

    numerator = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    denominator = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DataPointWriteSerializer(DataPointUpdateSerializer):
    """A value to enter: the measure and period are the team's (checked), numerator and
    denominator for proportions and rates, value for counts and continuous measures."""

    measure = serializers.UUIDField()
    period = serializers.UUIDField()


class SeriesPointSerializer(serializers.Serializer):
    period = serializers.UUIDField(allow_null=True, help_text="Null for quarters rolled up.")
    label = serializers.CharField()
    start = serializers.DateField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True, help_text="Counts and continuous values.")
    y = serializers.FloatField(allow_null=True, help_text="The charted value (%, per 1,000…).")
    cl = serializers.FloatField(allow_null=True, help_text="Centre line: median or mean.")
    lcl = serializers.FloatField(allow_null=True)
    ucl = serializers.FloatField(allow_null=True)
    signal = serializers.BooleanField(help_text="The point belongs to a signal.")
    signal_kinds = serializers.ListField(child=serializers.CharField())
    part = serializers.IntegerField(allow_null=True, help_text="Phase number, from 1.")
    note = serializers.CharField(allow_blank=True)
    teams_reporting = serializers.IntegerField(help_text="Pooled series: teams behind the point.")
    teams_counted = serializers.IntegerField(
        allow_null=True,
        help_text="Pooled series: the participating teams the period counts (teams_reporting "
        "of teams_counted, e.g. 12 of 20); null for a team's series.",
    )


class SignalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.IntegerField(help_text="Position (0-based) where the signal starts.")
    end = serializers.IntegerField()
    text = serializers.CharField(help_text="The signal in plain language.")


class PartSerializer(serializers.Serializer):
    part = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    n_useful = serializers.IntegerField()
    longest_run = serializers.IntegerField(allow_null=True)
    longest_run_max = serializers.IntegerField(allow_null=True)
    n_crossings = serializers.IntegerField(allow_null=True)
    n_crossings_min = serializers.IntegerField(allow_null=True)
    runs_signal = serializers.BooleanField()
    cl = serializers.FloatField(allow_null=True)
    lcl = serializers.FloatField(allow_null=True)
    ucl = serializers.FloatField(allow_null=True)


class LeftOutSerializer(serializers.Serializer):
    period = serializers.UUIDField()
    label = serializers.CharField()
    reason = serializers.CharField(
        help_text='e.g. "not ended" or "4 of 20 teams, below the 50% minimum".'
    )


class SeriesSerializer(serializers.Serializer):
    """A series with the SPC engine's analysis (measures.spc.analyze): values, centre
    line and limits per point, the runs statistics per phase, and the signals and
    warnings in plain language."""

    measure = MeasureBriefSerializer()
    chart = serializers.CharField(help_text="run, p, u, c or i.")
    chart_name = serializers.CharField()
    rules = serializers.CharField(help_text="The rules that found the signals: anhoej or ihi.")
    rolled_up = serializers.BooleanField(help_text="Monthly data added up to quarters.")
    points = SeriesPointSerializer(many=True)
    parts = PartSerializer(many=True)
    signals = SignalSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    suggest_control_chart = serializers.BooleanField()
    left_out = LeftOutSerializer(
        many=True,
        help_text="Pooled series: periods left out (not ended, or too few teams reported "
        "them) and why. Pooled points, funnels and signals use only ended periods that "
        "reached the collaborative's minimum share of teams.",
    )


def series_payload(analysis, left_out=()) -> dict:
    """The JSON of a SeriesAnalysis (measures.analysis); `left_out` are the periods a
    pooled series leaves out (measures.selectors.pooled_left_out)."""
    series = analysis.series
    result = analysis.result
    per = result["per_point"] if result else None
    points = []
    for i in range(len(series)):
        label = series.labels[i]
        points.append(
            {
                "period": series.period_ids[i],
                "label": label if isinstance(label, str) else _label(series, i, analysis),
                "start": series.starts[i],
                "numerator": series.numerators[i],
                "denominator": series.denominators[i],
                "value": series.values[i],
                "y": per["y"][i] if per else series.display_value(i),
                "cl": per["cl"][i] if per else None,
                "lcl": per["lcl"][i] if per else None,
                "ucl": per["ucl"][i] if per else None,
                "signal": bool(per and (per["signal_kinds"][i] or per["sigma_signal"][i])),
                "signal_kinds": list(per["signal_kinds"][i]) if per else [],
                "part": per["part"][i] if per else None,
                "note": series.notes[i],
                "teams_reporting": series.reporting[i] if i < len(series.reporting) else 0,
                "teams_counted": series.expected[i] if series.expected else None,
            }
        )
    return {
        "measure": series.measure,
        "chart": analysis.chart,
        "chart_name": analysis.chart_name,
        "rules": analysis.rules,
        "rolled_up": analysis.rolled_up,
        "points": points,
        "parts": result["per_part"] if result else [],
        "signals": [
            {"kind": s["kind"], "start": s["start"], "end": s["end"], "text": s["text"]}
            for s in analysis.signals
        ],
        "warnings": analysis.warnings,
        "suggest_control_chart": analysis.suggest_control,
        "left_out": [
            {"period": c.period.public_id, "label": c.period.label, "reason": c.reason}
            for c in left_out
        ],
    }


def _label(series, i, analysis) -> str:
    from ..presenters import long_label

    frequency = "quarterly" if analysis.rolled_up else series.measure.frequency
    return long_label(series.labels[i], frequency)
