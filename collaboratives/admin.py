from django.contrib import admin

from .models import Collaborative


@admin.register(Collaborative)
class CollaborativeAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "status", "start_date", "end_date"]
    list_filter = ["program", "status"]
    search_fields = ["title"]
