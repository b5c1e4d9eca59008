"""Admin: the reform areas are an editable taxonomy; plans, tasks and indicators are read
here and written through the plans screens, whose services audit every change."""

from django.contrib import admin

from .models import Indicator, Plan, ReformArea, Task


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "taxonomy", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["taxonomy", "is_active"]
    search_fields = ["name", "key", "keywords"]
    ordering = ["taxonomy", "order"]
    fields = ["key", "name", "taxonomy", "order", "keywords", "is_active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inspection only: a write here would bypass the services' rules and audit trail."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = ["order", "text", "comparator", "target", "unit_of_measure", "area", "metric_key"]
    readonly_fields = fields


class TaskInline(ReadOnlyInline):
    model = Task
    fk_name = "plan"
    fields = [
        "order",
        "group",
        "number",
        "content",
        "timeframe_text",
        "due_date",
        "lead_unit",
        "status",
        "percent",
    ]
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "reference", "issuer", "kind", "status", "period_start", "period_end"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "number", "symbol", "issuer__name", "issuer__code"]
    list_select_related = ["issuer"]
    date_hierarchy = "period_start"
    inlines = [IndicatorInline, TaskInline]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["content_short", "plan", "lead_unit", "due_date", "status", "percent"]
    list_filter = ["status", "timeframe_kind", "area"]
    search_fields = ["content", "plan__title", "lead_text"]
    list_select_related = ["plan", "lead_unit"]

    @admin.display(description="nội dung")
    def content_short(self, obj):
        return obj.content[:100]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["text_short", "plan", "comparator", "target", "unit_of_measure", "metric_key"]
    list_filter = ["area", "comparator"]
    search_fields = ["text", "plan__title"]
    list_select_related = ["plan"]

    @admin.display(description="chỉ tiêu")
    def text_short(self, obj):
        return obj.text[:100]
