"""Operators' view of gap-analysis rows (read-mostly; the product's pages do the work)."""

from django.contrib import admin

from .models import Answer, QuestionLink, SurveyResponse, SurveyTemplate, SurveyWave


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "program", "published_at"]
    list_filter = ["status", "program"]
    search_fields = ["name"]
    readonly_fields = ["public_id", "lineage", "definition", "published_at", "published_by"]


@admin.register(SurveyWave)
class SurveyWaveAdmin(admin.ModelAdmin):
    list_display = ["collaborative", "kind", "template", "opens_on", "due_on"]
    list_filter = ["kind", "program"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["team", "wave", "status", "score", "submitted_at"]
    list_filter = ["status", "program"]
    readonly_fields = ["public_id", "score", "earned", "possible", "section_scores"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question_key", "not_applicable", "updated_by", "updated_at"]
    list_filter = ["program"]


@admin.register(QuestionLink)
class QuestionLinkAdmin(admin.ModelAdmin):
    list_display = ["question_key", "kind", "title", "program"]
    list_filter = ["kind", "program"]
