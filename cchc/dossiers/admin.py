"""Admin: the procedure catalogue is edited here by system administrators (each change
audited); dossiers are only inspected — they change through the desk's services, which
check the state, the deadlines and access (a write here would bypass all three).

Units and users are raw-id fields everywhere: a province has tens of thousands of
units, and a select of them would load every one on each page. `DossierCounter` (the
daily sequence behind dossier codes) is not registered: editing it breaks the codes.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.core import audit
from cchc.core.errors import DomainError
from cchc.core.privacy_admin import SystemAdminOnly, erase_action
from cchc.plans.admin import ReadOnlyAdmin, ReadOnlyInline

from .catalogue import format_lines, format_steps, parse_lines, parse_steps
from .models import ApologyLetter, Dossier, DossierEvent, DossierPause, DossierStep, Procedure
from .services_privacy import dossier_personal_data_erase


class ProcedureForm(forms.ModelForm):
    """The JSON lists as text, written the way the catalogue's Excel file writes them:
    steps as "Tên bước (10%)" one a line, forms and documents one a line."""

    steps_text = forms.CharField(
        label=_("Quy trình nội bộ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_(
            "Mỗi dòng một bước: “Tên bước (tỷ lệ %)”, ví dụ “Thẩm định hồ sơ (60%)”; tổng các tỷ lệ "
            "là 100%. Để trống: dùng quy trình mặc định 4 bước."
        ),
    )
    forms_text = forms.CharField(
        label=_("Mẫu đơn, tờ khai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Mỗi dòng một mẫu."),
    )
    documents_text = forms.CharField(
        label=_("Thành phần hồ sơ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Mỗi dòng một giấy tờ."),
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "level",
            "is_active",
            "processing_days",
            "cutoff",
            "fee",
            "online_mode",
            "postal_return",
            "result_requires_file",
            "legal_basis",
            "result",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["steps_text"].initial = "\n".join(format_steps(self.instance.steps).split("; "))
            self.fields["forms_text"].initial = format_lines(self.instance.forms)
            self.fields["documents_text"].initial = format_lines(self.instance.documents)

    def clean_steps_text(self):
        try:
            return parse_steps(self.cleaned_data["steps_text"])
        except DomainError as error:
            raise ValidationError(error.message) from error

    def clean(self):
        cleaned = super().clean()
        self.instance.steps = cleaned.get("steps_text") or []
        self.instance.forms = parse_lines(cleaned.get("forms_text"))
        self.instance.documents = parse_lines(cleaned.get("documents_text"))
        return cleaned


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ["code", "name", "field", "level", "processing_days", "online_mode", "is_active"]
    list_filter = ["level", "field", "online_mode", "is_active"]
    search_fields = ["code", "name", "name_folded", "field"]
    ordering = ["level", "field", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "level", "is_active"]}),
        (
            _("Thời hạn và cách thực hiện"),
            {
                "fields": [
                    "processing_days",
                    "cutoff",
                    "fee",
                    "online_mode",
                    "postal_return",
                    "result_requires_file",
                ]
            },
        ),
        (_("Quy trình và hồ sơ"), {"fields": ["steps_text", "documents_text", "forms_text"]}),
        (_("Căn cứ và kết quả"), {"fields": ["legal_basis", "result"]}),
    ]

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(Procedure.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            obj=obj,
            event="procedure.changed" if change else "procedure.created",
            before=before,
        )

    def delete_model(self, request, obj):
        before = audit.snapshot(obj)
        audit.record(actor=request.user, obj=obj, event="procedure.deleted", action="delete", before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ["position", "name", "unit", "handler", "started_at", "due_at", "completed_at", "note"]
    readonly_fields = fields
    show_change_link = False


class PauseInline(ReadOnlyInline):
    model = DossierPause
    fields = ["requested_at", "reason", "due_at_before", "completed_at", "due_at_after", "requested_by"]
    readonly_fields = fields
    show_change_link = False


class ApologyInline(ReadOnlyInline):
    model = ApologyLetter
    fields = ["number", "reason", "new_due_at", "signer_name", "created_at", "sent_at"]
    readonly_fields = fields
    show_change_link = False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "kind", "unit", "actor", "note", "data"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Dossier)
class DossierAdmin(SystemAdminOnly, ReadOnlyAdmin):
    list_display = [
        "code",
        "procedure",
        "unit",
        "applicant_name",
        "received_at",
        "due_at",
        "status",
        "outcome",
    ]
    list_filter = ["status", "outcome", "channel", "ruleset", "procedure__level"]
    # Exact code or external id first: a desk looking for one dossier types its code.
    search_fields = ["=code", "=external_id", "applicant_name"]
    list_select_related = ["procedure", "unit"]
    raw_id_fields = ["procedure", "unit", "received_by", "handler"]
    readonly_fields = ["unit_path"]
    # Counting millions of rows for "x of y selected" on every page is not worth it.
    show_full_result_count = False
    inlines = [StepInline, PauseInline, ApologyInline, EventInline]
    # The one write offered here: erasing a closed dossier's applicant data on request
    # (system administrator only, with a confirmation page; cchc.core.privacy).
    actions = [
        erase_action(
            erase=lambda *, actor, obj, reason: dossier_personal_data_erase(
                actor=actor, dossier=obj, reason=reason
            ),
            is_open=lambda obj: obj.is_open,
            label=_("hồ sơ"),
        )
    ]
