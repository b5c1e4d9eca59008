"""Forms of the desk screens: receive, the queue's filters and the dossier's actions.

They parse input only; the rules (which procedures a unit handles, which step may follow,
which file a result needs) live in the services, whose DomainError comes back next to
the field it names (`DeskForm.add_domain_error`), with everything typed kept.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.uploads import EvidenceFileField
from cchc.workdays.calendar import VN_TZ

from . import selectors
from .models import Channel, DossierStatus, Procedure, ReturnMethod

RESELECT_FILE = gettext_lazy("Trình duyệt không giữ lại tệp đã chọn khi có lỗi: vui lòng chọn lại tệp.")
RESULT_KINDS = ("pdf", "docx", "doc", "odt", "png", "jpg")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class ChecklistField(forms.MultipleChoiceField):
    """The documents ticked: those not on the chosen procedure's list (left from another
    procedure chosen before) are dropped, not refused."""

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        value = super().clean(value)
        valid = {str(k) for k, _label in self.choices}
        return [v for v in value if v in valid]


class DeskForm(forms.Form):
    """A form whose service may refuse with a DomainError naming one of its fields.

    `field_map` translates the service's argument names into the form's field names."""

    field_map: dict[str, str] = {}
    # Fields shown side by side (names per row); the others each take a row.
    pairs: tuple[tuple[str, ...], ...] = ()

    def rows(self) -> list[list]:
        paired = {name: pair for pair in self.pairs for name in pair}
        rows, done = [], set()
        for field in self.visible_fields():
            if field.name in done:
                continue
            names = paired.get(field.name, (field.name,))
            rows.append([self[name] for name in names])
            done.update(names)
        return rows

    def add_domain_error(self, error) -> None:
        field = self.field_map.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)
        if self.files and "result_file" in self.fields and "result_file" not in self.errors:
            self.add_error("result_file", str(RESELECT_FILE))


# --- receive ----------------------------------------------------------------------------


class ReceiveForm(DeskForm):
    field_map = {"received_at": None}

    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị tiếp nhận"), queryset=None, empty_label=None)
    procedure_q = forms.CharField(
        label=gettext_lazy("Tìm thủ tục"),
        required=False,
        help_text=gettext_lazy("Gõ vài chữ trong tên hoặc mã thủ tục, có dấu hay không dấu đều được."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    procedure = forms.ModelChoiceField(
        label=gettext_lazy("Thủ tục hành chính"),
        queryset=Procedure.objects.all(),
        empty_label=gettext_lazy("— Chọn thủ tục —"),
        error_messages={"required": gettext_lazy("Cần chọn thủ tục hành chính.")},
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=Channel.choices,
        initial=Channel.DESK,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=gettext_lazy("Họ tên người nộp"),
        max_length=200,
        error_messages={"required": gettext_lazy("Cần nhập họ tên người nộp hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Địa chỉ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subject = forms.CharField(
        label=gettext_lazy("Nội dung yêu cầu"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    documents = ChecklistField(
        label=gettext_lazy("Giấy tờ đã nhận"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handler = UserChoiceField(
        label=gettext_lazy("Chuyển cho người xử lý"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— Tôi tiếp tục xử lý —"),
    )

    def __init__(self, *args, units, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.fields["unit"].queryset = selectors.OrgUnit.objects.filter(pk__in=[u.pk for u in self.units])
        if len(self.units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = self.units[0].pk
            self.fields["unit"].required = False
        self.chosen_unit = self._chosen_unit()
        search = self._value("procedure_q")
        procedures = list(selectors.procedures_for_unit(unit=self.chosen_unit, q=search))
        choices = [("", self.fields["procedure"].empty_label)] if not search or not procedures else []
        # Only the procedures the unit handles are offered; any other id that arrives is
        # left to the service, which says why it is refused.
        self.fields["procedure"].widget.choices = choices + [
            (p.pk, f"{p.name} ({p.code})") for p in procedures
        ]
        if search and procedures and not self._value("procedure"):
            self.initial["procedure"] = procedures[0].pk
        self.chosen_procedure = self._chosen_procedure()
        if self.chosen_procedure is not None and self.chosen_procedure not in procedures:
            # Kept as chosen (the unit changed, or the list was filtered): the service
            # then says whether this unit handles it.
            self.fields["procedure"].widget.choices.append(
                (self.chosen_procedure.pk, f"{self.chosen_procedure.name} ({self.chosen_procedure.code})")
            )
        self.procedure_value = str(self.chosen_procedure.pk) if self.chosen_procedure else ""
        documents = list(self.chosen_procedure.documents) if self.chosen_procedure else []
        self.fields["documents"].choices = [(d, d) for d in documents]
        self.fields["handler"].queryset = selectors.handlers_for(self.chosen_unit).exclude(pk=user.pk)

    def clean_unit(self):
        return self.cleaned_data.get("unit") or (self.units[0] if len(self.units) == 1 else None)

    def _value(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or ""
        return self.initial.get(name) or ""

    def _chosen_unit(self):
        wanted = str(self._value("unit") or "")
        for unit in self.units:
            if str(unit.pk) == wanted:
                return unit
        return self.units[0] if self.units else None

    def _chosen_procedure(self):
        wanted = self._value("procedure")
        if not wanted:
            return None
        try:
            return Procedure.objects.filter(pk=int(wanted)).first()
        except (TypeError, ValueError):
            return None

    def applicant(self):
        from .services import Applicant

        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )


# --- the queue ----------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters (GET; an invalid value counts as no filter)."""

    WHO_CHOICES = [
        (selectors.WHO_DEFAULT, gettext_lazy("Của tôi và chưa giao")),
        (selectors.WHO_MINE, gettext_lazy("Giao cho tôi")),
        (selectors.WHO_UNIT, gettext_lazy("Toàn đơn vị")),
    ]

    q = forms.CharField(
        label=gettext_lazy("Tìm mã hồ sơ, người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    who = forms.ChoiceField(label=gettext_lazy("Hồ sơ"), required=False, choices=WHO_CHOICES)
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[(selectors.STATUS_OPEN, gettext_lazy("Đang mở"))] + list(DossierStatus.choices),
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "who": data.get("who") or "",
            "status": data.get("status") or "",
        }


# --- the dossier's actions ------------------------------------------------------------------


class HandOverForm(DeskForm):
    pairs = (("handler", "note"),)
    handler = UserChoiceField(
        label=gettext_lazy("Người xử lý bước tiếp theo"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— Chưa giao người cụ thể —"),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = selectors.handlers_for(dossier.unit)

    def call(self, services, *, actor, dossier):
        data = self.cleaned_data
        return services.dossier_hand_over(
            actor=actor, dossier=dossier, to_handler=data["handler"], note=data["note"]
        )


class SupplementRequestForm(DeskForm):
    reason = forms.CharField(
        label=gettext_lazy("Giấy tờ cần bổ sung, hoàn thiện"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần nêu rõ giấy tờ cần bổ sung, hoàn thiện.")},
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, services, *, actor, dossier):
        return services.dossier_request_supplement(
            actor=actor, dossier=dossier, reason=self.cleaned_data["reason"]
        )


class SupplementCompleteForm(DeskForm):
    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, services, *, actor, dossier):
        return services.dossier_complete_supplement(actor=actor, dossier=dossier)


class ApologyForm(DeskForm):
    field_map = {"new_due_at": "new_due_date"}
    pairs = (("new_due_date", "extra_working_days"), ("signer_name", "signer_title"))

    reason = forms.CharField(
        label=gettext_lazy("Lý do chậm giải quyết"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần nêu lý do chậm giải quyết.")},
    )
    new_due_date = forms.DateField(
        label=gettext_lazy("Ngày hẹn trả mới"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    extra_working_days = forms.IntegerField(
        label=gettext_lazy("Hoặc gia hạn thêm"),
        help_text=gettext_lazy("Số ngày làm việc sau ngày hẹn hiện tại."),
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 60}),
    )
    number = forms.CharField(label=gettext_lazy("Số văn bản"), max_length=40, required=False)
    signer_name = forms.CharField(label=gettext_lazy("Người ký"), max_length=200, required=False)
    signer_title = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=200, required=False)

    def __init__(self, *args, dossier, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("new_due_date") and not cleaned.get("extra_working_days"):
            self.add_error("new_due_date", _("Cần nhập ngày hẹn trả mới hoặc số ngày làm việc gia hạn."))
        return cleaned

    def call(self, services, *, actor, dossier):
        data = self.cleaned_data
        new_due_at = None
        if data["new_due_date"]:
            # The new appointment keeps the hour of the current one.
            hour = dossier.due_at.astimezone(VN_TZ).time()
            new_due_at = dt.datetime.combine(data["new_due_date"], hour, tzinfo=VN_TZ)
        return services.apology_letter_record(
            actor=actor,
            dossier=dossier,
            reason=data["reason"],
            new_due_at=new_due_at,
            extra_working_days=None if new_due_at else data["extra_working_days"],
            number=data["number"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
        )


class ResolveForm(DeskForm):
    summary = forms.CharField(
        label=gettext_lazy("Kết quả giải quyết"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    result_file = EvidenceFileField(
        label=gettext_lazy("Tệp kết quả đã số hóa"),
        allowed=RESULT_KINDS,
        required=False,
    )
    signed = forms.BooleanField(label=gettext_lazy("Kết quả đã ký số"), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        required = dossier.procedure.result_requires_file
        self.fields["result_file"].help_text = (
            _("Bắt buộc với thủ tục này. PDF, Word, OpenDocument hoặc ảnh PNG/JPG.")
            if required
            else _("PDF, Word, OpenDocument hoặc ảnh PNG/JPG.")
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors and self.files.get("result_file") and "result_file" not in self.errors:
            self.add_error("result_file", str(RESELECT_FILE))
        return cleaned

    def call(self, services, *, actor, dossier):
        data = self.cleaned_data
        uploaded = data.get("result_file")
        result_file = File(uploaded, name=uploaded.upload_info.safe_name) if uploaded else None
        return services.dossier_resolve(
            actor=actor,
            dossier=dossier,
            summary=data["summary"],
            result_file=result_file,
            signed=data["signed"],
        )


class ReturnForm(DeskForm):
    field_map = {"method": "method"}

    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức trả kết quả"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.DESK,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, services, *, actor, dossier):
        data = self.cleaned_data
        return services.dossier_return_result(
            actor=actor, dossier=dossier, method=data["method"], note=data["note"]
        )


class RefuseForm(DeskForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do từ chối"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần nêu rõ lý do từ chối.")},
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, services, *, actor, dossier):
        return services.dossier_refuse(actor=actor, dossier=dossier, reason=self.cleaned_data["reason"])


class WithdrawForm(DeskForm):
    note = forms.CharField(label=gettext_lazy("Ghi chú (đơn rút hồ sơ)"), max_length=500, required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, services, *, actor, dossier):
        return services.dossier_withdraw(actor=actor, dossier=dossier, note=self.cleaned_data["note"])


# The dossier page's actions: url slug → form.
ACTIONS: dict[str, type[DeskForm]] = {
    "hand-over": HandOverForm,
    "supplement": SupplementRequestForm,
    "supplement-complete": SupplementCompleteForm,
    "apology": ApologyForm,
    "resolve": ResolveForm,
    "return": ReturnForm,
    "refuse": RefuseForm,
    "withdraw": WithdrawForm,
}
