"""Error views that belong to no module."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

# Fields that are machinery, not what the person typed.
_HIDDEN = {"csrfmiddlewaretoken", "website", "form_ts", "next"}
_MAX_FIELDS = 40
# The names of the public forms' fields as their labels say them; others show their key.
_LABELS = {
    "topic": "Chủ đề",
    "content": "Nội dung",
    "sender_name": "Họ và tên",
    "sender_phone": "Số điện thoại",
    "sender_email": "Thư điện tử",
    "sender_address": "Địa chỉ",
    "answer": "Nội dung trả lời",
    "text": "Ghi chú",
    "reason": "Lý do",
}
_MAX_CHARS = 5000


def csrf_failure(request, reason: str = "", template_name: str = "core/csrf_failure.html"):
    """The form could not be accepted (its security token was missing or stale: a page
    left open overnight, cookies blocked). Nothing is saved, but what the person typed is
    shown back, as text, so that it can be copied into the form again: nothing is lost.
    """
    typed = []
    if request.method == "POST":
        for key in list(request.POST.keys())[:_MAX_FIELDS]:
            if key in _HIDDEN:
                continue
            values = [v for v in request.POST.getlist(key) if v.strip()]
            # What was typed, not what was chosen: a choice (a unit's id, an option's
            # code) means nothing out of its form and is quickly chosen again.
            if key not in _LABELS:
                values = [v for v in values if len(v) > 30 or " " in v.strip()]
            if values:
                typed.append((_LABELS.get(key, key), "\n".join(values)[:_MAX_CHARS]))
    context = {
        "typed": typed,
        "back": request.path,
        "public": request.path.startswith("/public/"),
        "title": _("Chưa gửi được: trang đã mở quá lâu"),
    }
    return render(request, template_name, context, status=403)
