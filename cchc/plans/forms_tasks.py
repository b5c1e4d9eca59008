"""Forms of the task screens: the "my tasks" filters, the progress form, the dashboard's
unit and period choices. They parse input only; the rules live in services/selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.uploads import EvidenceFileField
from cchc.metrics.periods import Period, PeriodKind, periods_in_year

from .models import ReformArea, TaskStatus

MAX_FILES = 10
RESELECT_FILES = gettext_lazy("Trình duyệt không giữ lại tệp đã chọn khi có lỗi: vui lòng chọn lại tệp.")


class TaskFilterForm(forms.Form):
    """The filters above "my tasks" (GET; an invalid value counts as no filter)."""

    DUE_CHOICES = [
        ("", gettext_lazy("Mọi thời hạn")),
        ("this_month", gettext_lazy("Đến hạn trong tháng này")),
        ("overdue", gettext_lazy("Quá hạn")),
    ]

    area = forms.ModelChoiceField(
        label=gettext_lazy("Lĩnh vực"),
        required=False,
        queryset=ReformArea.objects.filter(is_active=True, taxonomy=ReformArea.Taxonomy.PROGRAMME),
        empty_label=gettext_lazy("Tất cả lĩnh vực"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái"))] + list(TaskStatus.choices),
    )
    due = forms.ChoiceField(label=gettext_lazy("Thời hạn"), required=False, choices=DUE_CHOICES)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        area = data.get("area")
        return {
            "area_id": area.pk if area else None,
            "status": data.get("status") or "",
            "due": data.get("due") or "",
        }


# --- progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceUpload:
    """An accepted upload in the shape `services.progress_record` saves as Evidence."""

    file: File
    original_name: str
    content_type: str
    size: int
    sha256: str

    @classmethod
    def from_uploaded(cls, uploaded) -> EvidenceUpload:
        info = uploaded.upload_info  # set by EvidenceFileField (check_upload)
        return cls(
            # Stored under the safe ASCII name; the original name is kept for downloads.
            file=File(uploaded, name=info.safe_name),
            original_name=uploaded.name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(EvidenceFileField):
    """Several evidence files at once, each checked by `check_upload`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Mỗi lần chỉ gửi tối đa %(n)d tệp.") % {"n": MAX_FILES}, code="too_many")
        accepted, errors = [], []
        for uploaded in files:
            try:
                accepted.append(super().clean(uploaded, initial))
            except ValidationError as error:
                # Name the file: among several, the user must know which one was refused.
                errors += [f"{uploaded.name}: {message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)
        return accepted


class ProgressForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Báo cáo với tư cách"), coerce=int)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=TaskStatus.choices)
    percent = forms.IntegerField(
        label=gettext_lazy("Tiến độ (%)"),
        help_text=gettext_lazy("Từ 0 đến 100; chọn “Hoàn thành” là 100%."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5, "inputmode": "numeric"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Nội dung cập nhật"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = EvidenceFilesField(
        label=gettext_lazy("Tài liệu kiểm chứng"),
        help_text=gettext_lazy("PDF, Word, Excel, OpenDocument hoặc ảnh PNG/JPG; có thể chọn nhiều tệp."),
    )

    def __init__(self, *args, units, task, **kwargs):
        self.units = {u.pk: u for u in units}
        initial = kwargs.setdefault("initial", {})
        # Whoever reports on a task not started yet has usually begun it.
        initial.setdefault(
            "status", TaskStatus.IN_PROGRESS if task.status == TaskStatus.NOT_STARTED else task.status
        )
        initial.setdefault("percent", task.percent)
        if units:
            initial.setdefault("unit", units[0].pk)
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (
                u.pk,
                _("%(unit)s (chủ trì)") % {"unit": u.name}
                if u.pk == task.lead_unit_id
                else _("%(unit)s (phối hợp)") % {"unit": u.name},
            )
            for u in units
        ]
        if len(units) <= 1:  # nothing to choose: the one unit the user reports for
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].required = False
        max_bytes = self.fields["files"].max_bytes
        megabytes = (max_bytes or settings.CCHC_MAX_UPLOAD_BYTES) / 2**20
        self.fields["files"].help_text = _(
            "PDF, Word, Excel, OpenDocument hoặc ảnh PNG/JPG, mỗi tệp tối đa %(mb)s MB; "
            "có thể chọn nhiều tệp."
        ) % {"mb": f"{megabytes:g}".replace(".", ",")}

    def clean(self):
        cleaned = super().clean()
        if self.errors and self.files.getlist("files"):
            self.add_error("files", str(RESELECT_FILES))
        return cleaned

    @property
    def chosen_unit(self):
        chosen = self.cleaned_data.get("unit")
        return self.units.get(chosen) if chosen else next(iter(self.units.values()), None)

    def uploads(self) -> list[EvidenceUpload]:
        return [EvidenceUpload.from_uploaded(f) for f in self.cleaned_data.get("files") or []]

    def add_domain_error(self, error) -> None:
        """A service's DomainError next to its field (or above the form), with the reminder
        that chosen files must be chosen again."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
        if self.files.getlist("files") and "files" not in self.errors:
            self.add_error("files", str(RESELECT_FILES))


# --- dashboard -----------------------------------------------------------------------


def plan_periods(plan) -> list[Period]:
    """The periods a plan's dashboard offers: each year of the plan and, for plans of up
    to two years, its quarters."""
    years = range(plan.period_start.year, plan.period_end.year + 1)
    periods: list[Period] = []
    for year in years:
        if len(years) <= 2:
            periods += periods_in_year(PeriodKind.QUARTER, year)
        periods.append(Period(PeriodKind.YEAR, year))
    return periods


def default_period(plan, today) -> Period:
    year = min(max(today.year, plan.period_start.year), plan.period_end.year)
    return Period(PeriodKind.YEAR, year)


class DashboardForm(forms.Form):
    """Which unit's subtree and which period the dashboard shows (GET)."""

    SORTS = ("name", "total", "done", "rate", "overdue")

    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    period = forms.ChoiceField(label=gettext_lazy("Kỳ"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS] + [(f"-{s}", s) for s in SORTS])

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = plan_periods(plan)
        self.default_period = default_period(plan, today)
        self.fields["period"].choices = [(p.key, p.label) for p in self.periods]

    def values(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        period = next((p for p in self.periods if p.key == data.get("period")), self.default_period)
        return {"unit_id": data.get("unit"), "period": period, "sort": data.get("sort") or "-rate"}
