"""Operator views of PDSA records (platform operators only; teams use the pages)."""

from django.contrib import admin

from .models import (
    Aim,
    Attachment,
    ChangeIdea,
    ChangePackageItem,
    Comment,
    Cycle,
    CycleRevision,
    Driver,
)


@admin.register(ChangePackageItem)
class ChangePackageItemAdmin(admin.ModelAdmin):
    list_display = ["title", "collaborative", "program", "position", "retired_at"]
    list_filter = ["program"]
    search_fields = ["title"]


@admin.register(Aim)
class AimAdmin(admin.ModelAdmin):
    list_display = ["team", "program", "by_when", "updated_at"]
    list_filter = ["program"]
    raw_id_fields = ["team", "updated_by"]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "team", "program", "retired_at"]
    list_filter = ["program", "kind"]
    raw_id_fields = ["team", "parent"]


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "program", "shared_at", "retired_at"]
    list_filter = ["program"]
    raw_id_fields = ["team", "driver", "source_item", "shared_by"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "stage", "updated_at", "deleted_at"]
    list_filter = ["program", "stage"]
    search_fields = ["title"]
    raw_id_fields = ["team", "change_idea", "builds_on", "created_by", "updated_by", "deleted_by"]


@admin.register(CycleRevision)
class CycleRevisionAdmin(admin.ModelAdmin):
    list_display = ["cycle", "revised_by", "revised_at", "stage_before", "stage_after"]
    list_filter = ["program"]
    raw_id_fields = ["team", "cycle", "revised_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["cycle", "author", "by_coach", "created_at"]
    list_filter = ["program", "by_coach"]
    raw_id_fields = ["team", "cycle", "author"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "cycle", "content_type", "size", "deleted_at"]
    list_filter = ["program", "content_type"]
    raw_id_fields = ["team", "cycle", "uploaded_by"]
