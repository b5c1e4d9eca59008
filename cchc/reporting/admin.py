"""Admin: schedules and reports are read here and written through the reporting
services, which check access and audit every change (a write here would bypass both)."""

from django.contrib import admin

from cchc.plans.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Report, ReportAttachment, ReportingSchedule, ReportReview, ReportVersion


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(ReadOnlyAdmin):
    list_display = ["name", "owner", "depth", "is_active", "version"]
    list_filter = ["is_active", "depth"]
    search_fields = ["name", "owner__name", "owner__code"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "plan"]


class VersionInline(ReadOnlyInline):
    model = ReportVersion
    fields = ["number", "submitted_by", "submitted_at"]
    readonly_fields = fields
    show_change_link = False


class ReviewInline(ReadOnlyInline):
    model = ReportReview
    fields = ["action", "comment", "reviewer", "version_number", "at"]
    readonly_fields = fields
    show_change_link = False


class AttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "schedule", "period_key", "status", "due_date", "submitted_at", "is_late"]
    list_filter = ["status", "is_late", "period_key"]
    search_fields = ["unit__name", "unit__code", "schedule__name"]
    list_select_related = ["unit", "schedule"]
    raw_id_fields = ["unit", "schedule"]
    inlines = [VersionInline, ReviewInline, AttachmentInline]
