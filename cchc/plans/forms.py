"""Forms of the plans screens: they parse what the user typed; the services decide.

Fields a service checks (a title, a target, a task's content) are optional here so that
the service's own message is the one the user reads, next to the field it names.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period, PeriodKind, periods_in_year
from cchc.orgs.models import UnitKind

from .models import Comparator, PlanKind, PlanStatus, ReformArea

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
UNITS_OF_MEASURE = ["%", "số lượng", "đơn vị", "ngày", "hồ sơ", "văn bản", "cuộc", "lượt", "điểm"]


class DateInput(forms.DateInput):
    """dd/mm/yyyy, typed (a date picker would show the browser's own format)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


def date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages={
            "invalid": _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 10/01/2026."),
            "required": _("Vui lòng nhập ngày (dd/mm/yyyy)."),
        },
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


# --- list ------------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    """The search box and filters of the plans list (GET; every field optional)."""

    q = forms.CharField(
        label=_("Tìm kế hoạch"),
        help_text=_("Số, ký hiệu, trích yếu hoặc đơn vị ban hành; gõ có dấu hoặc không dấu."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: 251/KH-PGD&ĐT, cai cach")}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + list(PlanStatus.choices)
    )
    kind = forms.ChoiceField(
        label=_("Loại kế hoạch"), required=False, choices=[("", _("Tất cả"))] + list(PlanKind.choices)
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1990, max_value=2100)

    def filters(self) -> dict:
        """The cleaned values; an invalid field counts as empty (a filter never errors)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "year": data.get("year"),
        }


# --- plan ------------------------------------------------------------------------------


class PlanForm(forms.Form):
    issuer = UnitChoiceField(
        label=_("Đơn vị ban hành"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không quản lý kế hoạch của đơn vị này.")},
    )
    number = forms.CharField(
        label=_("Số"), required=False, max_length=20, help_text=_("Để trống khi chưa có số.")
    )
    symbol = forms.CharField(
        label=_("Ký hiệu"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "KH-SGDĐT"}),
    )
    issued_on = date_field(_("Ngày ban hành"))
    place = forms.CharField(
        label=_("Địa danh"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "Hưng Yên"}),
    )
    title = forms.CharField(
        label=_("Trích yếu"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: Công tác cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo"),
    )
    kind = forms.ChoiceField(label=_("Loại kế hoạch"), choices=PlanKind.choices, initial=PlanKind.ANNUAL)
    period_start = date_field(_("Thực hiện từ ngày"), required=True)
    period_end = date_field(_("Đến ngày"), required=True)
    implements_text = forms.CharField(
        label=_("Thực hiện (căn cứ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: Kế hoạch số 8618/KH-UBND ngày 28/12/2025 của UBND tỉnh"),
    )
    purposes = forms.CharField(label=_("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(
        label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issuers is None:
            del self.fields["issuer"]
        else:
            self.fields["issuer"].queryset = issuers

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("issuer", None)
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices)
    issued_on = date_field(_("Ngày ban hành"))


# --- indicators ------------------------------------------------------------------------


def metric_choices():
    from cchc.metrics.registry import all_metrics

    return [("", _("Nhập tay theo kỳ"))] + [(m.key, str(m.label)) for m in all_metrics()]


class IndicatorForm(forms.Form):
    text = forms.CharField(
        label=_("Chỉ tiêu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Như văn bản viết, ví dụ: TTHC được giải quyết đúng hạn đạt từ 98% trở lên."),
    )
    comparator = forms.ChoiceField(label=_("So sánh"), choices=Comparator.choices, initial=Comparator.GTE)
    # Text, not a number field: officers type "98,5"; the service reads it.
    target = forms.CharField(
        label=_("Mục tiêu"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_of_measure = forms.CharField(
        label=_("Đơn vị tính"),
        max_length=30,
        initial="%",
        widget=forms.TextInput(attrs={"list": "units-of-measure"}),
    )
    baseline = forms.CharField(
        label=_("Giá trị nền"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ReformArea.objects.none(),
        required=False,
        empty_label=_("— Chưa phân loại —"),
    )
    applies_to_kinds = forms.MultipleChoiceField(
        label=_("Áp dụng cho loại đơn vị"),
        required=False,
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn: áp dụng cho mọi đơn vị triển khai kế hoạch."),
    )
    metric_key = forms.ChoiceField(label=_("Cách đo"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ReformArea.objects.filter(is_active=True)
        self.fields["metric_key"].choices = metric_choices()
        self.units_of_measure = UNITS_OF_MEASURE


class IndicatorEntryForm(forms.Form):
    """The value of a manual indicator for the issuer and one period of the plan."""

    period = forms.ChoiceField(label=_("Kỳ"))
    value = forms.CharField(
        label=_("Giá trị"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    comment = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.label) for p in plan_periods(plan)]


def plan_periods(plan) -> list[Period]:
    """The quarters and years a plan runs over, for entering values."""
    periods = []
    for year in range(plan.period_start.year, plan.period_end.year + 1):
        periods += [
            p
            for p in periods_in_year(PeriodKind.QUARTER, year)
            if p.end >= plan.period_start and p.start <= plan.period_end
        ]
        periods.append(Period(PeriodKind.YEAR, year))
    return periods


# --- tasks -----------------------------------------------------------------------------


class TaskForm(forms.Form):
    group = forms.CharField(
        label=_("Nhóm nhiệm vụ"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "task-groups"}),
        help_text=_("Ví dụ: I. Công tác chỉ đạo, điều hành về CCHC"),
    )
    number = forms.CharField(label=_("STT"), required=False, max_length=10)
    content = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deliverable = forms.CharField(label=_("Kết quả, sản phẩm"), required=False, max_length=500)
    timeframe_text = forms.CharField(
        label=_("Thời gian thực hiện"),
        required=False,
        max_length=200,
        help_text=_("Như văn bản viết: Tháng 01/2026, Quý IV/2026, Thường xuyên, Sau khi có Quyết định…"),
    )
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ReformArea.objects.none(),
        required=False,
        empty_label=_("— Chưa phân loại —"),
    )
    lead_unit = UnitChoiceField(
        label=_("Cơ quan chủ trì"),
        queryset=None,
        required=False,
        empty_label=_("— Theo tên ghi trong văn bản —"),
    )
    lead_text = forms.CharField(
        label=_("Cơ quan chủ trì (như văn bản)"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: Văn phòng Sở. Để trống cơ quan chủ trì ở trên thì hệ thống tìm theo tên này."),
    )
    coordinating_text = forms.CharField(
        label=_("Cơ quan phối hợp (như văn bản)"),
        required=False,
        max_length=500,
        help_text=_("Ví dụ: Các phòng, Thanh tra Sở; Các nhà trường"),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ReformArea.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


# --- cascading -------------------------------------------------------------------------


class CascadeForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị trực thuộc"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    all_offices = forms.BooleanField(
        label=_("Tất cả phòng GD&ĐT, phòng Văn hóa – Xã hội cấp dưới"), required=False
    )
    all_schools = forms.BooleanField(label=_("Tất cả trường học, trung tâm cấp dưới"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda unit: unit.name


class DeriveForm(forms.Form):
    """The parent's items to take over, and a tightened target for each indicator."""

    indicators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    tasks = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, parent_indicators, parent_tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(str(i.pk), i.text) for i in parent_indicators]
        self.fields["tasks"].choices = [(str(t.pk), t.content) for t in parent_tasks]
        for indicator in parent_indicators:
            self.fields[f"target_{indicator.pk}"] = forms.CharField(
                label=_("Mục tiêu của đơn vị"),
                required=False,
                max_length=20,
                initial=f"{indicator.target.normalize():f}".replace(".", ","),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input input--narrow"}),
            )
        self.parent_indicators = parent_indicators

    def targets(self) -> dict[int, str]:
        chosen = {int(pk) for pk in self.cleaned_data["indicators"]}
        return {
            i.pk: self.cleaned_data.get(f"target_{i.pk}") or None
            for i in self.parent_indicators
            if i.pk in chosen and self.cleaned_data.get(f"target_{i.pk}")
        }
