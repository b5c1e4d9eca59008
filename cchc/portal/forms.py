"""The public pages' two forms: search the catalogue, look a dossier up by its code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import ProcedureLevel


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả các cấp")), *ProcedureLevel.choices]
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực")), *((f, f) for f in fields)]

    def criteria(self) -> dict[str, str]:
        """What to search for; a value that is not offered (a tampered link) is dropped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"query": data.get("q", ""), "level": data.get("level", ""), "field": data.get("field", "")}


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=80,
        help_text=_("Mã in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ HY-VG-250124-0007-K3M9P."),
    )
