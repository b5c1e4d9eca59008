"""The officers' feedback screens: the queue (with a summary of the year and its Excel
export), one feedback with its history, internal notes, attachments and the actions its
state allows.

Reads go through `cchc.feedback.selectors` (scoped: 404 outside the user's units);
every write is one service call, whose DomainError comes back next to its field with
what was typed kept. Plain POST and redirect: every page works without JavaScript.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from cchc.core.errors import DomainError
from cchc.core.errors import PermissionDenied as DomainForbidden
from cchc.core.htmx import render_page_or_partial
from cchc.core.privacy import personal_data_of, personal_data_visible
from cchc.documents.spreadsheets import workbook_response, write_table
from cchc.metrics.periods import Period
from cchc.metrics.registry import value_for
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from . import selectors, services
from .forms import ACTIONS, QueueFilterForm
from .models import FeedbackStatus

QUEUE_PER_PAGE = 25
EXPORT_MAX_ROWS = 20_000
SUMMARY_METRICS = (
    "feedback.received",
    "feedback.answered_rate",
    "feedback.answered_on_time_rate",
    "feedback.average_answer_days",
)

# Which actions each state offers (the services check again; this only hides the forms
# that would surely be refused). The note form is always there for those who handle.
STATE_ACTIONS = {
    FeedbackStatus.RECEIVED: ("assign", "route", "reject"),
    FeedbackStatus.ASSIGNED: ("answer", "assign", "route", "reject"),
    FeedbackStatus.ANSWERED: ("publish",),
}
# Title, button, tone; "more" ones sit behind a disclosure.
ACTION_LOOKS = {
    "assign": (gettext_lazy("Phân công xử lý"), gettext_lazy("Phân công"), "primary", False),
    "answer": (gettext_lazy("Trả lời phản ánh"), gettext_lazy("Ghi nhận trả lời"), "primary", False),
    "publish": (
        gettext_lazy("Công khai nội dung trả lời"),
        gettext_lazy("Công khai trên cổng thông tin"),
        "primary",
        False,
    ),
    "route": (gettext_lazy("Chuyển đơn vị xử lý"), gettext_lazy("Chuyển đơn vị"), "", True),
    "reject": (gettext_lazy("Không tiếp nhận xử lý"), gettext_lazy("Từ chối phản ánh"), "danger", True),
}
SUCCESS = {
    "assign": gettext_lazy("Đã phân công %(officer)s xử lý phản ánh."),
    "answer": gettext_lazy("Đã ghi nhận nội dung trả lời phản ánh."),
    "publish": gettext_lazy("Đã công khai nội dung trả lời trên cổng thông tin."),
    "route": gettext_lazy("Đã chuyển phản ánh cho %(unit)s xử lý."),
    "reject": gettext_lazy("Đã ghi nhận không tiếp nhận xử lý phản ánh."),
    "note": gettext_lazy("Đã thêm ghi chú nội bộ."),
}


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- the queue ------------------------------------------------------------------------


def _summary(user) -> dict | None:
    """The year's figures of the user's unit, from the metrics registry."""
    unit = selectors.home_unit_for(user)
    if unit is None:
        return None
    year = timezone.now().astimezone(VN_TZ).year
    period = Period(kind="year", year=year)
    values = [value_for(key, unit, period) for key in SUMMARY_METRICS]
    return {
        "unit": unit,
        "year": year,
        "items": [{"label": v.metric.label, "value": v.display()} for v in values],
    }


def _filtered(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    return form, filters, selectors.feedback_list_for(user=request.user, **filters)


@login_required
def feedback_queue(request):
    form, filters, feedback = _filtered(request)
    page = Paginator(feedback, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"feedback": f, "deadline": selectors.deadline_of(f, now=now)} for f in page]
    context = {
        "form": form,
        "filters": filters,
        "filtered": bool(filters["q"] or filters["status"] or filters["kind"] or filters["mine"]),
        "page": page,
        "rows": rows,
        "summary": _summary(request.user),
        "can_handle": scope_for(request.user).has_any(Perm.HANDLE_FEEDBACK),
        "export_query": request.GET.urlencode(),
    }
    return render_page_or_partial(
        request, "feedback/queue.html", "feedback/partials/_queue_rows.html", context
    )


@login_required
def feedback_export(request):
    """The filtered queue as an Excel workbook (same scope, same filters)."""
    _form, _filters, feedback = _filtered(request)
    now = timezone.now()
    header = [
        _("STT"),
        _("Mã phản ánh"),
        _("Loại"),
        _("Chủ đề"),
        _("Người gửi"),
        _("Liên hệ"),
        _("Đơn vị xử lý"),
        _("Tiếp nhận"),
        _("Hạn trả lời"),
        _("Trạng thái"),
        _("Cán bộ xử lý"),
        _("Ngày làm việc còn lại"),
        _("Chuyển từ đơn vị"),
    ]

    def rows():
        for number, f in enumerate(feedback[:EXPORT_MAX_ROWS], start=1):
            deadline = selectors.deadline_of(f, now=now)
            person = personal_data_of(f, user=request.user)
            yield [
                number,
                f.code,
                f.kind.name,
                person.hide(f.topic),
                person.name,
                person.contact,
                f.unit.name,
                f.received_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"),
                f.due_at.astimezone(VN_TZ).strftime("%d/%m/%Y"),
                f.get_status_display(),
                _name(f.officer),
                deadline.days_left if deadline.days_left is not None else "",
                f.escalated_from.name if f.escalated and f.escalated_from else "",
            ]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Phản ánh, kiến nghị")[:31]
    write_table(
        sheet,
        header,
        rows(),
        title=_("Danh sách phản ánh, kiến nghị (xuất ngày %(day)s)")
        % {"day": now.astimezone(VN_TZ).strftime("%d/%m/%Y")},
        column_widths=[6, 24, 22, 40, 22, 26, 30, 17, 12, 18, 22, 12, 30],
    )
    return workbook_response(workbook, f"phan-anh-kien-nghi-{now.astimezone(VN_TZ):%Y%m%d}.xlsx")


# --- a feedback -----------------------------------------------------------------------


def _forms_for(request, feedback, *, bound: dict | None = None) -> dict:
    forms = {}
    for action in STATE_ACTIONS.get(feedback.status, ()):
        if action == "publish" and not feedback.wants_publication:
            continue
        forms[action] = ACTIONS[action](feedback=feedback, user=request.user, prefix=action)
    if "route" in forms and not forms["route"].fields["to_unit"].queryset.exists():
        forms.pop("route")
    forms["note"] = ACTIONS["note"](feedback=feedback, user=request.user, prefix="note")
    if bound:
        forms.update(bound)
    return forms


def _feedback_context(request, feedback, *, bound: dict | None = None) -> dict:
    can_act = scope_for(request.user).can(Perm.HANDLE_FEEDBACK, feedback.unit)
    forms = _forms_for(request, feedback, bound=bound) if can_act else {}
    note_form = forms.pop("note", None)
    actions = []
    for slug, form in forms.items():
        title, button, tone, more = ACTION_LOOKS[slug]
        actions.append(
            {
                "slug": slug,
                "form": form,
                "title": title,
                "button": button,
                "tone": tone,
                "more": more and slug not in (bound or {}),
            }
        )
    person = personal_data_of(feedback, user=request.user)
    events = selectors.events_for(feedback)
    notes = selectors.notes_for(feedback) if can_act else []
    if person.masked:
        # The free texts may repeat the sender's data: a copy for display, never saved.
        feedback = copy.copy(feedback)
        for name in ("topic", "content", "answer", "rejection_reason"):
            setattr(feedback, name, person.hide(getattr(feedback, name)))
        for event in events:
            event.note = person.hide(event.note)
        for note in notes:
            note.text = person.hide(note.text)
    return {
        "feedback": feedback,
        "person": person,
        "deadline": selectors.deadline_of(feedback),
        "attachments": list(feedback.attachments.all()),
        "events": events,
        "notes": notes,
        "note_form": note_form,
        "can_act": can_act,
        "actions": [a for a in actions if not a["more"]],
        "more_actions": [a for a in actions if a["more"]],
    }


@login_required
def feedback_detail(request, pk: int):
    feedback = selectors.feedback_get_for(user=request.user, pk=pk)
    return render(request, "feedback/detail.html", _feedback_context(request, feedback))


@login_required
@require_POST
def feedback_act(request, pk: int, action: str):
    """One action on the feedback (one service call): a redirect on success, else the
    page with the refusal next to the field and what was typed kept."""
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    feedback = selectors.feedback_get_for(user=request.user, pk=pk)
    if not scope_for(request.user).can(Perm.HANDLE_FEEDBACK, feedback.unit):
        raise PermissionDenied
    form = form_class(request.POST, feedback=feedback, user=request.user, prefix=action)
    if form.is_valid():
        try:
            form.call(services, actor=request.user, feedback=feedback)
        except DomainForbidden:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_domain_error(error)
        else:
            data = form.cleaned_data
            messages.success(
                request,
                str(SUCCESS[action])
                % {"officer": _name(data.get("officer")), "unit": getattr(data.get("to_unit"), "name", "")},
            )
            if action == "route" and not scope_for(request.user).can(Perm.VIEW, data["to_unit"]):
                return redirect("feedback_queue")
            return redirect("feedback_detail", pk=feedback.pk)
    feedback = selectors.feedback_get_for(user=request.user, pk=pk)
    context = _feedback_context(request, feedback, bound={action: form})
    return render(request, "feedback/detail.html", context, status=200)


@login_required
def feedback_attachment(request, pk: int, attachment_pk: int):
    """An attachment, always as a download with the type it was checked as (never
    rendered by the browser from our site), for whoever sees the sender's data in full."""
    attachment = selectors.attachment_get_for(user=request.user, pk=pk, attachment_pk=attachment_pk)
    if not personal_data_visible(request.user, attachment.feedback):
        raise PermissionDenied  # the sender's own files: for those who handle it (cchc.core.privacy)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
