"""The citizen's feedback form (public, no sign-in).

The form only shapes what was typed: `feedback_submit` is the one place that decides
(kind in force, sender fields the kind requires, attachments by their bytes). The
form repeats the cheap checks so the errors land next to their fields, and names the
attachment a refusal is about.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError
from cchc.core.uploads import check_upload
from cchc.dossiers.models import Procedure
from cchc.feedback.models import FeedbackKind
from cchc.feedback.services import ATTACHMENT_KINDS, MAX_ATTACHMENTS
from cchc.orgs.models import OrgUnit, SchoolLevel, UnitKind

UNKNOWN_UNIT = "unknown"

# The unit select's groups, in this order: (label, unit kinds, school level or None = any).
_UNIT_GROUPS = (
    (_("Sở Giáo dục và Đào tạo"), (UnitKind.DEPARTMENT, UnitKind.DIVISION), None),
    (_("Phòng Giáo dục và Đào tạo"), (UnitKind.DISTRICT_OFFICE,), None),
    (_("UBND xã, phường"), (UnitKind.COMMUNE, UnitKind.COMMUNE_OFFICE), None),
    (_("Trường mầm non"), (UnitKind.SCHOOL,), SchoolLevel.PRESCHOOL),
    (_("Trường tiểu học"), (UnitKind.SCHOOL,), SchoolLevel.PRIMARY),
    (_("Trường trung học cơ sở"), (UnitKind.SCHOOL,), SchoolLevel.LOWER_SECONDARY),
    (_("Trường trung học phổ thông"), (UnitKind.SCHOOL,), SchoolLevel.UPPER_SECONDARY),
    (_("Trường liên cấp"), (UnitKind.SCHOOL,), SchoolLevel.MULTI_LEVEL),
    (_("Trung tâm GDNN-GDTX"), (UnitKind.CENTRE,), None),
    (_("Cơ quan, đơn vị khác"), None, None),  # whatever is left
)


def _today() -> dt.date:
    return timezone.localdate()


def open_units():
    """Units that exist today (opened, not closed)."""
    today = _today()
    return OrgUnit.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today)).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=today)
    )


def receiving_unit() -> OrgUnit | None:
    """Where a feedback whose sender does not know the unit goes: the department
    (its reform office routes it on), else the top unit of the tree."""
    units = open_units().order_by("depth", "path")
    return units.filter(kind=UnitKind.DEPARTMENT).first() or units.first()


def unit_choices() -> list:
    """The unknown-unit default, then the open units grouped by kind and school level,
    by name within a group — one query."""
    rows = list(open_units().values_list("pk", "name", "kind", "school_level"))
    choices: list = [(UNKNOWN_UNIT, _("Không rõ đơn vị — Sở GD&ĐT tiếp nhận và chuyển"))]
    taken: set[int] = set()
    for label, kinds, level in _UNIT_GROUPS:
        members = [
            row
            for row in rows
            if row[0] not in taken
            and (kinds is None or row[2] in kinds)
            and (level is None or row[3] == level)
        ]
        if members:
            members.sort(key=lambda row: row[1])
            taken.update(row[0] for row in members)
            choices.append((label, [(str(pk), name) for pk, name, _kind, _level in members]))
    return choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại phản ánh, kiến nghị"), widget=forms.RadioSelect)
    unit = forms.ChoiceField(
        label=_("Đơn vị bị phản ánh hoặc nhận kiến nghị"),
        help_text=_(
            "Nếu không rõ đơn vị nào, hãy để mặc định: Sở GD&ĐT tiếp nhận và chuyển đến nơi giải quyết."
        ),
    )
    topic = forms.CharField(
        label=_("Chủ đề"),
        max_length=300,
        help_text=_("Một câu ngắn nêu vấn đề, ví dụ: Thời gian tiếp nhận hồ sơ tuyển sinh lớp 1."),
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Nêu rõ sự việc, thời gian, địa điểm và đề nghị của Ông/Bà."),
    )
    procedure = forms.ChoiceField(label=_("Thủ tục hành chính liên quan (nếu có)"), required=False)
    sender_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    sender_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    sender_address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    wants_publication = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan công khai nội dung trả lời (không công khai họ tên, liên hệ của tôi)."
        ),
        required=False,
    )
    # A plain Field: the files come from `files_list` and are checked in clean_attachments.
    attachments = forms.Field(
        label=_("Tệp đính kèm (nếu có)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join([f".{k}" for k in ATTACHMENT_KINDS] + [".jpeg"])}),
        help_text=_("Tối đa %(n)s tệp PDF, Word, ảnh PNG/JPG.") % {"n": MAX_ATTACHMENTS},
    )

    def __init__(self, *args, files_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(FeedbackKind.objects.filter(is_active=True).order_by("position", "name"))
        self.fields["kind"].choices = [(k.code, k.name) for k in self.kinds]
        if len(self.kinds) == 1:
            self.fields["kind"].initial = self.kinds[0].code
        self.fields["unit"].choices = unit_choices()
        self.fields["unit"].initial = UNKNOWN_UNIT
        procedures = (
            Procedure.objects.filter(is_active=True).order_by("name").values_list("pk", "code", "name")
        )
        self.fields["procedure"].choices = [
            ("", _("Không liên quan đến thủ tục cụ thể")),
            *((str(pk), f"{name} ({code})") for pk, code, name in procedures),
        ]
        self.files_list = list(files_list or [])
        self.fields["topic"].widget.attrs.update({"autocomplete": "off"})
        self.fields["sender_name"].widget.attrs.update({"autocomplete": "name"})

    # --- cleaning ------------------------------------------------------------------

    def clean_kind(self) -> FeedbackKind:
        code = self.cleaned_data["kind"]
        for kind in self.kinds:
            if kind.code == code:
                return kind
        raise forms.ValidationError(_("Vui lòng chọn loại phản ánh, kiến nghị."))

    def clean_unit(self) -> OrgUnit:
        value = self.cleaned_data["unit"]
        unit = receiving_unit() if value == UNKNOWN_UNIT else open_units().filter(pk=value).first()
        if unit is None:
            raise forms.ValidationError(_("Đơn vị đã chọn không còn hoạt động, vui lòng chọn lại."))
        return unit

    def clean_procedure(self):
        value = self.cleaned_data.get("procedure")
        if not value:
            return None
        return Procedure.objects.filter(pk=value, is_active=True).first()

    def clean_attachments(self):
        files = self.files_list
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Chỉ được gửi tối đa %(n)s tệp đính kèm.") % {"n": MAX_ATTACHMENTS})
        errors = []
        for uploaded in files:
            try:
                check_upload(uploaded, allowed=ATTACHMENT_KINDS)
            except DomainError as error:
                errors.append(
                    _("Tệp “%(name)s”: %(reason)s") % {"name": uploaded.name, "reason": error.message}
                )
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if isinstance(kind, FeedbackKind):
            if kind.sender_name_required and not (data.get("sender_name") or "").strip():
                self.add_error(
                    "sender_name",
                    _("Loại “%(kind)s” cần ghi rõ họ tên người gửi.") % {"kind": kind.name},
                )
            if (
                kind.sender_contact_required
                and not ((data.get("sender_phone") or "").strip() or data.get("sender_email"))
                and "sender_email" not in self.errors
            ):
                self.add_error(
                    "sender_phone",
                    _("Loại “%(kind)s” cần số điện thoại hoặc thư điện tử để cơ quan trả lời.")
                    % {"kind": kind.name},
                )
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Put a service refusal next to its field (or above the form)."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)

    def link_errors(self) -> None:
        """Tie each field's help and error texts to its input (aria-describedby), as the
        shared field include renders them (`<id>_helptext`, `<id>_error`)."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)
