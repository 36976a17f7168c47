from django.contrib import admin

from .models import CoachAssignment, Facility, Team, TeamMembership


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "facility_type", "state", "program"]
    list_filter = ["program", "facility_type", "state"]
    search_fields = ["name"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "collaborative", "status", "program"]
    list_filter = ["program", "status"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    list_display = ["coach", "team", "program"]
