"""The form of the officers' survey screens: opening a campaign.

It parses input only; the rules (dates, the unit's rights, an inactive template) are in
`surveys.campaign_create`, whose DomainError comes back next to the field it names with
everything typed kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError

from .survey_models import DEFAULT_MIN_ANSWERS, SurveyTemplate


class CampaignForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Mẫu phiếu"), queryset=SurveyTemplate.objects.none(), empty_label=_("— Chọn mẫu phiếu —")
    )
    title = forms.CharField(label=_("Tên đợt khảo sát"), max_length=300)
    unit = forms.ChoiceField(
        label=_("Đơn vị tổ chức"),
        help_text=_(
            "Đơn vị và các đơn vị trực thuộc đều được khảo sát; mỗi đơn vị có đường dẫn, mã QR riêng."
        ),
    )
    starts_on = forms.DateField(label=_("Ngày bắt đầu"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ngày kết thúc"), widget=forms.DateInput(attrs={"type": "date"}))
    min_answers = forms.IntegerField(
        label=_("Số phiếu tối thiểu để xếp hạng đơn vị"),
        initial=DEFAULT_MIN_ANSWERS,
        min_value=1,
        help_text=_("Đơn vị có ít phiếu hơn vẫn được tính vào kết quả chung nhưng không được xếp hạng."),
    )
    per_dossier = forms.BooleanField(
        label=_("Gắn với hồ sơ thủ tục hành chính (mỗi hồ sơ một phiếu, mã QR in trên giấy tiếp nhận)"),
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(str(u.pk), f"{getattr(u, 'indent', '')}{u.name}") for u in units]
        self.fields["template"].queryset = SurveyTemplate.objects.filter(is_active=True).order_by("title")

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
