from django.contrib import admin

from .models import AuditEvent
from .privacy_admin import SystemAdminOnly


@admin.register(AuditEvent)
class AuditEventAdmin(SystemAdminOnly, admin.ModelAdmin):
    """The trail holds old and new values, citizens' personal data among them."""

    list_display = ["at", "actor", "action", "event", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "event", "target_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
