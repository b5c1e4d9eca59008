"""Admin: feedback kinds (deadline, sender requirements) are configured here by system
administrators, each change audited; feedback is only inspected — it changes through the
services, which check the state, the deadline and access."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.core.privacy_admin import SystemAdminOnly, erase_action
from cchc.plans.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Feedback, FeedbackAttachment, FeedbackEvent, FeedbackKind, FeedbackNote
from .services_privacy import feedback_personal_data_erase


@admin.register(FeedbackKind)
class FeedbackKindAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "deadline_days",
        "sender_name_required",
        "sender_contact_required",
        "is_active",
    ]
    list_editable = ["deadline_days"]
    ordering = ["position", "name"]

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(FeedbackKind.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            obj=obj,
            event="feedback_kind.changed" if change else "feedback_kind.created",
            before=before,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # kinds in use are protected; retire one with "đang áp dụng"


class EventInline(ReadOnlyInline):
    model = FeedbackEvent
    fields = ["at", "kind", "unit", "actor", "note"]
    readonly_fields = fields
    show_change_link = False


class NoteInline(ReadOnlyInline):
    model = FeedbackNote
    fields = ["at", "author", "text"]
    readonly_fields = fields
    show_change_link = False


class AttachmentInline(ReadOnlyInline):
    model = FeedbackAttachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Feedback)
class FeedbackAdmin(SystemAdminOnly, ReadOnlyAdmin):
    list_display = ["code", "kind", "topic", "unit", "status", "received_at", "due_at", "escalated"]
    list_filter = ["status", "kind", "escalated"]
    search_fields = ["code"]
    raw_id_fields = ["unit", "officer", "procedure", "escalated_to", "answered_by"]
    inlines = [AttachmentInline, NoteInline, EventInline]
    # The one write offered here: erasing a closed feedback's sender data on request
    # (system administrator only, with a confirmation page; cchc.core.privacy).
    actions = [
        erase_action(
            erase=lambda *, actor, obj, reason: feedback_personal_data_erase(
                actor=actor, feedback=obj, reason=reason
            ),
            is_open=lambda obj: obj.is_open,
            label=_("phản ánh"),
        )
    ]
