"""Forms of the intake pages: they parse what the user typed; the services decide.

Item fields are loose here (a value is text, a comparator any string) so that the
service's own message, per item, is the one the user reads, and what was typed stays in
the box.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.plans.forms import UNITS_OF_MEASURE, UnitChoiceField, date_field
from cchc.plans.models import Comparator, PlanKind, ReformArea

ACCEPTED = ("docx", "pdf", "txt")


class UploadForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Đơn vị ban hành kế hoạch"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không quản lý kế hoạch của đơn vị này.")},
    )
    file = forms.FileField(
        label=_("Văn bản kế hoạch"),
        error_messages={
            "required": _("Vui lòng chọn tệp văn bản kế hoạch."),
            "empty": _("Tệp rỗng, không có nội dung."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        limit = settings.CCHC_MAX_UPLOAD_BYTES // 2**20
        self.fields["file"].help_text = _(
            "Word (.docx), PDF có lớp chữ (không phải bản quét) hoặc văn bản (.txt), tối đa %(mb)d MB."
        ) % {"mb": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower().lstrip(".") not in ACCEPTED:
            raise forms.ValidationError(_("Chỉ nhận tệp Word (.docx), PDF hoặc văn bản (.txt)."))
        if upload.size > settings.CCHC_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Tệp vượt quá dung lượng cho phép (%(mb)d MB).")
                % {"mb": settings.CCHC_MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


def _area_choices():
    return [("", _("— Chưa xếp lĩnh vực —"))] + [
        (a.key, a.name) for a in ReformArea.objects.filter(is_active=True).order_by("taxonomy", "order")
    ]


class HeaderForm(forms.Form):
    title = forms.CharField(label=_("Trích yếu"), required=False, max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label=_("Số"), required=False, max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), required=False, max_length=60)
    date = date_field(_("Ngày ban hành"))
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("Loại kế hoạch"), choices=PlanKind.choices, initial=PlanKind.ANNUAL)
    period_start = date_field(_("Thực hiện từ ngày"))
    period_end = date_field(_("Đến ngày"))
    implements = forms.CharField(label=_("Thực hiện (căn cứ)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Mỗi văn bản một dòng."))
    purposes = forms.CharField(label=_("Mục đích"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    requirements = forms.CharField(label=_("Yêu cầu"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_from(cls, plan: dict) -> dict:
        initial = {k: v for k, v in plan.items() if k in cls.base_fields}
        initial["implements"] = "\n".join(plan.get("implements") or [])
        initial["kind"] = plan.get("kind") or PlanKind.ANNUAL
        return initial

    def values(self) -> dict:
        return dict(self.cleaned_data)


class _ItemForm(forms.Form):
    source_line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confidence = forms.FloatField(required=False, widget=forms.HiddenInput)
    removed = forms.BooleanField(label=_("Bỏ"), required=False)

    def __init__(self, *args, area_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices if area_choices is not None else _area_choices()

    @property
    def source_line_value(self):
        value = self["source_line"].value()
        return int(value) if str(value or "").isdecimal() else None

    @property
    def confidence_value(self) -> float:
        try:
            return float(self["confidence"].value())
        except (TypeError, ValueError):
            return 1.0

    def item(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "removed"}
        data["status"] = "removed" if self.cleaned_data.get("removed") else "kept"
        return data

    def is_blank_extra(self) -> bool:
        """An extra ("+ Thêm") form left empty: not an item."""
        return not self.has_changed()


class IndicatorForm(_ItemForm):
    text = forms.CharField(label=_("Chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comparator = forms.CharField(
        label=_("So sánh"), required=False,
        widget=forms.Select(choices=[("", "—"), *Comparator.choices]),
    )
    value = forms.CharField(label=_("Giá trị"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=30,
                           widget=forms.TextInput(attrs={"list": "units-of-measure"}))
    area = forms.ChoiceField(label=_("Lĩnh vực"), required=False)

    units_of_measure = UNITS_OF_MEASURE


class TaskForm(_ItemForm):
    content = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deliverable = forms.CharField(label=_("Kết quả, sản phẩm"), required=False, max_length=500)
    timeframe = forms.CharField(label=_("Thời gian thực hiện"), required=False, max_length=200)
    lead = forms.CharField(label=_("Chủ trì"), required=False, max_length=300)
    coordinating = forms.CharField(label=_("Phối hợp"), required=False, max_length=500)
    group = forms.CharField(label=_("Nhóm"), required=False, max_length=300)
    area = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1)
TaskFormSet = forms.formset_factory(TaskForm, extra=1)


def item_initial(item: dict) -> dict:
    initial = dict(item)
    initial["removed"] = item.get("status") == "removed"
    if initial.get("value") is not None:
        initial["value"] = str(initial["value"]).replace(".", ",")
    return initial
