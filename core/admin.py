from django.contrib import admin

from .models import AuditEvent, OutboundEmail


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "target_repr", "actor", "program"]
    list_filter = ["program", "verb"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "subject", "kind", "status", "attempts"]
    list_filter = ["status", "kind", "program"]
    search_fields = ["to_email", "subject"]
