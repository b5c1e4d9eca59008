"""The officers' feedback forms: the queue's filters and one form per action on a
feedback (each calls one service; a refusal comes back next to its field with what was
typed kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from . import selectors
from .models import FeedbackKind, FeedbackStatus


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class QueueFilterForm(forms.Form):
    """The queue's filters (GET; an invalid value counts as no filter)."""

    q = forms.CharField(
        label=gettext_lazy("Tìm mã, chủ đề"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Chỉ phản ánh giao cho tôi"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", gettext_lazy("Chưa trả lời")),
            *FeedbackStatus.choices,
            (selectors.QUEUE_STATUS_ALL, gettext_lazy("Tất cả")),
        ]
        self.fields["kind"].choices = [("", gettext_lazy("Mọi loại"))] + list(
            FeedbackKind.objects.order_by("position", "name").values_list("code", "name")
        )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "mine": bool(data.get("mine")),
        }


class ActionForm(forms.Form):
    """A form whose service may refuse with a DomainError naming one of its fields.

    `field_map` translates the service's argument names into the form's field names."""

    field_map: dict[str, str] = {}

    def __init__(self, *args, feedback, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback, self.user = feedback, user

    def add_domain_error(self, error) -> None:
        field = self.field_map.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)


class RouteForm(ActionForm):
    field_map = {"to_unit": "to_unit"}
    to_unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị xử lý"),
        queryset=None,
        empty_label=gettext_lazy("— Chọn đơn vị —"),
        error_messages={"required": gettext_lazy("Cần chọn đơn vị nhận phản ánh.")},
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = selectors.route_units_for(self.user, self.feedback)

    def call(self, services, *, actor, feedback):
        data = self.cleaned_data
        return services.feedback_route(
            actor=actor, feedback=feedback, to_unit=data["to_unit"], note=data["note"]
        )


class AssignForm(ActionForm):
    officer = UserChoiceField(
        label=gettext_lazy("Cán bộ xử lý"),
        queryset=None,
        empty_label=gettext_lazy("— Chọn cán bộ —"),
        error_messages={"required": gettext_lazy("Cần chọn cán bộ xử lý.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = selectors.officers_for(self.feedback.unit)
        if not self.is_bound and self.fields["officer"].queryset.filter(pk=self.user.pk).exists():
            self.initial.setdefault("officer", self.user.pk)

    def call(self, services, *, actor, feedback):
        return services.feedback_assign(actor=actor, feedback=feedback, officer=self.cleaned_data["officer"])


class AnswerForm(ActionForm):
    answer = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Cần nhập nội dung trả lời.")},
    )

    def call(self, services, *, actor, feedback):
        return services.feedback_answer(actor=actor, feedback=feedback, answer=self.cleaned_data["answer"])


class PublishForm(ActionForm):
    def call(self, services, *, actor, feedback):
        return services.feedback_publish(actor=actor, feedback=feedback)


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do không tiếp nhận xử lý"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần nêu rõ lý do không tiếp nhận xử lý.")},
    )

    def call(self, services, *, actor, feedback):
        return services.feedback_reject(actor=actor, feedback=feedback, reason=self.cleaned_data["reason"])


class NoteForm(ActionForm):
    text = forms.CharField(
        label=gettext_lazy("Nội dung ghi chú"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Cần nhập nội dung ghi chú.")},
    )

    def call(self, services, *, actor, feedback):
        return services.feedback_note_add(actor=actor, feedback=feedback, text=self.cleaned_data["text"])


# The feedback page's actions: url slug → form.
ACTIONS: dict[str, type[ActionForm]] = {
    "assign": AssignForm,
    "answer": AnswerForm,
    "publish": PublishForm,
    "route": RouteForm,
    "reject": RejectForm,
    "note": NoteForm,
}
