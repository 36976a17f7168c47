"""Operator views of measures records (platform operators only; teams use the pages)."""

from django.contrib import admin

from .models import (
    BenchmarkConsent,
    CollaborativeMeasure,
    DataPoint,
    DataPointRevision,
    ImportBatch,
    Measure,
    ReportingPeriod,
    Submission,
    TeamMeasure,
)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "data_kind", "program", "team", "is_active"]
    list_filter = ["program", "data_kind", "measure_type"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["collaborative", "team", "created_by"]


@admin.register(CollaborativeMeasure)
class CollaborativeMeasureAdmin(admin.ModelAdmin):
    list_display = ["measure", "collaborative", "requirement", "position"]
    list_filter = ["program"]
    raw_id_fields = ["collaborative", "measure"]


@admin.register(TeamMeasure)
class TeamMeasureAdmin(admin.ModelAdmin):
    list_display = ["team", "measure", "is_selected", "chart_type", "baseline_end"]
    list_filter = ["program"]
    raw_id_fields = ["collaborative", "team", "measure", "updated_by"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["collaborative", "frequency", "start", "due_date"]
    list_filter = ["program", "frequency"]
    raw_id_fields = ["collaborative"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["team", "period", "status", "submitted_at", "reviewed_at"]
    list_filter = ["program", "status"]
    raw_id_fields = ["collaborative", "team", "period", "submitted_by", "reviewed_by", "updated_by"]


@admin.register(DataPoint)
class DataPointAdmin(admin.ModelAdmin):
    list_display = ["team", "measure", "period", "numerator", "denominator", "value", "deleted_at"]
    list_filter = ["program", "source"]
    raw_id_fields = ["collaborative", "team", "measure", "period", "entered_by", "deleted_by"]


@admin.register(DataPointRevision)
class DataPointRevisionAdmin(admin.ModelAdmin):
    list_display = ["data_point", "action", "changed_by", "changed_at"]
    list_filter = ["program", "action"]
    raw_id_fields = ["team", "data_point", "changed_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "collaborative", "team", "status", "created_at"]
    list_filter = ["program", "status"]
    raw_id_fields = ["collaborative", "team", "uploaded_by"]


@admin.register(BenchmarkConsent)
class BenchmarkConsentAdmin(admin.ModelAdmin):
    list_display = ["team", "show_name", "updated_at"]
    raw_id_fields = ["team", "updated_by"]
