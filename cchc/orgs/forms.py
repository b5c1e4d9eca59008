from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import UnitKind


class LoginForm(AuthenticationForm):
    """Django's login form with our wording (one message, never which field was wrong)."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )


class UnitFilterForm(forms.Form):
    """The search box and filters of the unit tree (GET; every field optional)."""

    q = forms.CharField(
        label=_("Tìm đơn vị"),
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: xuan quan."),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên hoặc mã đơn vị")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả các loại"))] + list(UnitKind.choices),
    )
    closed = forms.BooleanField(label=_("Hiện cả đơn vị đã giải thể"), required=False)
    under = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The cleaned values; an invalid field counts as empty (a filter never errors)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "kind": data.get("kind") or "",
            "include_closed": bool(data.get("closed")),
            "under": data.get("under"),
        }
