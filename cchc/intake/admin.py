from django.contrib import admin

from .models import IntakeDraft


@admin.register(IntakeDraft)
class IntakeDraftAdmin(admin.ModelAdmin):
    """Read-only: drafts change through the review page, where the services audit them."""

    list_display = ("source_name", "unit", "owner", "status", "plan", "created_at")
    list_filter = ("status", "source_kind")
    search_fields = ("source_name", "owner__username", "unit__name")
    raw_id_fields = ("owner", "unit", "plan")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
