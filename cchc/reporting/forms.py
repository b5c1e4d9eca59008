"""Forms of the reporting screens. They parse input only: what may be submitted, when a
comment is required, what a review needs — all of that is decided by `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.errors import DomainError
from cchc.metrics.periods import Period
from cchc.plans.forms_tasks import RESELECT_FILES, EvidenceFilesField

from .models import SECTIONS, ReportingSchedule

SECTION_LABELS = {
    "results": gettext_lazy("1. Kết quả đạt được theo từng lĩnh vực cải cách hành chính"),
    "limitations": gettext_lazy("2. Tồn tại, hạn chế và nguyên nhân"),
    "next_tasks": gettext_lazy("3. Nhiệm vụ trọng tâm kỳ tới"),
    "proposals": gettext_lazy("4. Đề xuất, kiến nghị"),
}
TASK_COUNTS = (
    ("total", gettext_lazy("Tổng số nhiệm vụ")),
    ("done", gettext_lazy("Hoàn thành")),
    ("in_progress", gettext_lazy("Đang thực hiện")),
    ("not_started", gettext_lazy("Chưa thực hiện")),
    ("overdue", gettext_lazy("Quá hạn")),
)


class ReportForm(forms.Form):
    """The report of one unit for one period.

    Indicators come as rows (`indicator_rows`: key, label, target, unit, source, value,
    comment); a metric-bound value is shown, not typed. Field names use the row's index,
    so any indicator key is safe in HTML.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput())
    comments = forms.CharField(
        label=gettext_lazy("Ý kiến khác"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = EvidenceFilesField(label=gettext_lazy("Tài liệu đính kèm"))

    def __init__(self, *args, indicator_rows: list[dict], required_sections=(), readonly=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_rows = indicator_rows
        for name in SECTIONS:
            self.fields[name] = forms.CharField(
                label=SECTION_LABELS[name],
                required=False,  # drafts keep anything; the service checks on submission
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            if name in required_sections:
                self.fields[name].help_text = _("Bắt buộc khi gửi báo cáo.")
        for key, label in TASK_COUNTS:
            self.fields[f"task_{key}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        for index, row in enumerate(indicator_rows):
            metric = row.get("source") == "metric"
            self.fields[f"ind{index}_value"] = forms.CharField(
                label=_("Kết quả (%(unit)s)") % {"unit": row.get("unit") or "%"},
                required=False,
                disabled=metric,
                help_text=_("Đo tự động từ dữ liệu hệ thống.") if metric else "",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        **({"placeholder": _("Chưa có số liệu")} if metric else {}),
                    }
                ),
            )
            self.fields[f"ind{index}_comment"] = forms.CharField(
                label=_("Giải trình (bắt buộc nếu chưa đạt mục tiêu)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields(["expected_version", *SECTIONS])
        if readonly:
            for field in self.fields.values():
                field.disabled = True

    def indicators(self) -> list[dict]:
        """Each indicator row with its bound fields, for the template."""
        return [
            {**row, "value_field": self[f"ind{i}_value"], "comment_field": self[f"ind{i}_comment"]}
            for i, row in enumerate(self.indicator_rows)
        ]

    def task_fields(self):
        return [self[f"task_{key}"] for key, _label in TASK_COUNTS]

    def section_fields(self):
        return [self[name] for name in SECTIONS]

    def content(self) -> dict:
        """What the service stores (`report_save_draft(**content)`)."""
        data = self.cleaned_data
        values = {}
        for index, row in enumerate(self.indicator_rows):
            entry = {k: row.get(k) for k in ("label", "target", "comparator", "unit", "source", "value")}
            entry["value"] = (data.get(f"ind{index}_value") or "").strip()
            entry["comment"] = (data.get(f"ind{index}_comment") or "").strip()
            values[row["key"]] = entry
        tasks = {key: data.get(f"task_{key}") for key, _label in TASK_COUNTS}
        return {
            "indicator_values": values,
            "task_snapshot": {k: v for k, v in tasks.items() if v is not None},
            **{name: data.get(name) or "" for name in SECTIONS},
            "comments": data.get("comments") or "",
        }

    def field_for(self, service_field: str | None) -> str | None:
        """The form field of a service's error field ("indicator_values.<key>.value")."""
        if not service_field:
            return None
        if service_field.startswith("indicator_values."):
            key, _dot, part = service_field[len("indicator_values.") :].rpartition(".")
            for index, row in enumerate(self.indicator_rows):
                if row["key"] == key:
                    return f"ind{index}_{part}"
            return None
        return service_field if service_field in self.fields else None

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for service_field, message in errors.items():
            self.add_error(self.field_for(service_field), message)
        if self.files.getlist("files") and "files" not in self.errors:
            self.add_error("files", str(RESELECT_FILES))

    def uploads(self) -> list:
        return list(self.cleaned_data.get("files") or [])


class ReviewForm(forms.Form):
    ACTIONS = [
        ("accept", gettext_lazy("Tiếp nhận báo cáo")),
        ("return", gettext_lazy("Trả lại để chỉnh sửa")),
        ("reopen", gettext_lazy("Mở lại báo cáo đã tiếp nhận")),
    ]
    action = forms.ChoiceField(label=gettext_lazy("Xử lý"), choices=ACTIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến, nội dung cần chỉnh sửa hoặc lý do mở lại"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Bắt buộc khi trả lại hoặc mở lại báo cáo."),
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [c for c in self.ACTIONS if c[0] in actions]
        if len(actions) == 1:
            self.fields["action"].initial = actions[0]


class CompletenessForm(forms.Form):
    """Which schedule, period and unit the completeness page shows (GET; bad values ignored)."""

    schedule = forms.ModelChoiceField(
        label=gettext_lazy("Chế độ báo cáo"), queryset=ReportingSchedule.objects.none()
    )
    period = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), required=False)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, schedules, periods_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedules = list(schedules)
        self.fields["schedule"].queryset = ReportingSchedule.objects.filter(
            pk__in=[s.pk for s in self.schedules]
        )
        self.fields["schedule"].empty_label = None
        self.periods_for = periods_for

    def values(self, today) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})  # unbound (the page opened bare): the defaults
        schedule = cleaned.get("schedule") or (self.schedules[0] if self.schedules else None)
        if schedule is not None:
            schedule = next((s for s in self.schedules if s.pk == schedule.pk), schedule)
        periods = self.periods_for(schedule, today) if schedule else []
        self.fields["period"].choices = [(p.key, p.label) for p in periods]
        wanted = self.data.get("period") or ""
        period = next((p for p in periods if p.key == wanted), None)
        if period is None and periods:
            # The latest period whose report is already due, else the first one.
            due = [p for p in periods if p.start <= today]
            period = due[-1] if due else periods[0]
        return {
            "schedule": schedule,
            "period": period,
            "periods": periods,
            "unit_id": cleaned.get("unit"),
        }


def period_or_none(key: str) -> Period | None:
    try:
        return Period.from_key(key)
    except (DomainError, ValueError, TypeError, KeyError):
        return None
