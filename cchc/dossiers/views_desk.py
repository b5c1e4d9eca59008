"""The one-stop desk's pages: receive a dossier, the officer's queue, a dossier with its
control sheet, history and the actions its state allows, and its documents (DOCX).

Reads go through `cchc.dossiers.selectors` (scoped: 404 outside the user's units); every
write is one service call, whose DomainError goes back next to its field with what was
typed kept. Each page works without JavaScript; with htmx only the changed part returns.
"""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.core.errors import DomainError
from cchc.core.errors import PermissionDenied as DomainForbidden
from cchc.core.htmx import is_htmx, render_page_or_partial
from cchc.core.privacy import personal_data_of, personal_data_visible
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from . import rules, selectors, services
from .forms import ACTIONS, QueueFilterForm, ReceiveForm
from .models import DossierStatus

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUEUE_PER_PAGE = 25
EXPORT_MAX_ROWS = 20_000

# Which actions each state offers (the services check again; this only hides the forms
# that would surely be refused).
STATE_ACTIONS = {
    DossierStatus.IN_PROGRESS: ("hand-over", "resolve", "supplement", "apology", "refuse", "withdraw"),
    DossierStatus.SUPPLEMENT: ("supplement-complete", "apology", "refuse", "withdraw"),
    DossierStatus.RESOLVED: ("return",),
}
SUCCESS = {
    "hand-over": gettext_lazy("Đã chuyển hồ sơ sang bước tiếp theo."),
    "supplement": gettext_lazy("Đã yêu cầu bổ sung hồ sơ: thời hạn giải quyết tạm dừng."),
    "supplement-complete": gettext_lazy("Đã ghi nhận hồ sơ bổ sung. Ngày hẹn trả mới: %(due)s."),
    "apology": gettext_lazy("Đã lập văn bản xin lỗi và hẹn lại ngày trả kết quả."),
    "resolve": gettext_lazy("Đã ghi nhận kết quả giải quyết."),
    "return": gettext_lazy("Đã trả kết quả cho người nộp."),
    "refuse": gettext_lazy("Đã từ chối giải quyết hồ sơ."),
    "withdraw": gettext_lazy("Đã ghi nhận việc rút hồ sơ."),
}


# Title and button of each action's form; "more" ones sit behind a disclosure.
ACTION_LOOKS = {
    "hand-over": (gettext_lazy("Chuyển bước tiếp theo"), gettext_lazy("Chuyển xử lý"), "primary", False),
    "resolve": (
        gettext_lazy("Ghi nhận kết quả giải quyết"),
        gettext_lazy("Ghi nhận kết quả"),
        "primary",
        False,
    ),
    "supplement-complete": (
        gettext_lazy("Nhận đủ hồ sơ bổ sung"),
        gettext_lazy("Ghi nhận đã nhận đủ"),
        "primary",
        False,
    ),
    "return": (gettext_lazy("Trả kết quả"), gettext_lazy("Trả kết quả"), "primary", False),
    "supplement": (gettext_lazy("Yêu cầu bổ sung hồ sơ"), gettext_lazy("Yêu cầu bổ sung"), "", False),
    "apology": (
        gettext_lazy("Văn bản xin lỗi, hẹn lại ngày trả"),
        gettext_lazy("Lập văn bản xin lỗi"),
        "",
        False,
    ),
    "refuse": (gettext_lazy("Từ chối giải quyết"), gettext_lazy("Từ chối hồ sơ"), "danger", True),
    "withdraw": (gettext_lazy("Công dân rút hồ sơ"), gettext_lazy("Ghi nhận rút hồ sơ"), "danger", True),
}


def _vary(response):
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- receive ----------------------------------------------------------------------------


def _units_or_403(request):
    """The desks the user sits at; a user without one may not receive."""
    units = selectors.desk_units_for(request.user)
    if not units:
        raise PermissionDenied
    return units


def _receive_form(request, data=None):
    return ReceiveForm(data, units=_units_or_403(request), user=request.user)


@login_required
def dossier_receive(request):
    """The receipt form; on success the dossier page, with the receipt to print."""
    form = _receive_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") != "refresh" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.dossier_receive(
                actor=request.user,
                unit=data["unit"],
                procedure=data["procedure"],
                applicant=form.applicant(),
                channel=data["channel"],
                subject=data["subject"],
                documents=data["documents"],
                handler=data["handler"],
            )
        except DomainForbidden:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả: %(due)s.")
                % {"code": dossier.code, "due": _when(dossier.due_at)},
            )
            return redirect("dossier_detail", pk=dossier.pk)
    return render(request, "dossiers/desk_receive.html", {"form": form})


@login_required
def dossier_receive_procedures(request):
    """htmx: the procedure list for the unit and the words typed, with the first match
    chosen and its checklist (out of band), and the unit's handlers (out of band)."""
    params = {k: request.GET.get(k, "") for k in ("unit", "procedure_q")}
    form = ReceiveForm(initial=params, units=_units_or_403(request), user=request.user)
    return _vary(render(request, "dossiers/partials/_desk_procedure.html", {"form": form, "oob": True}))


@login_required
def dossier_receive_documents(request):
    """htmx: the checklist of the chosen procedure's documents."""
    params = {k: request.GET.get(k, "") for k in ("unit", "procedure")}
    form = ReceiveForm(initial=params, units=_units_or_403(request), user=request.user)
    return _vary(render(request, "dossiers/partials/_desk_documents.html", {"form": form}))


def _when(value) -> str:
    return f"{value.astimezone(VN_TZ):%d/%m/%Y %H:%M}"


# --- the queue --------------------------------------------------------------------------


def _queue_filtered(request):
    desk_units = selectors.desk_units_for(request.user)
    data = request.GET.copy()
    if "who" not in data and not desk_units:
        data["who"] = selectors.WHO_UNIT  # a reader has no desk: show what they may read
    form = QueueFilterForm(data)
    filters = form.filters()
    return desk_units, form, filters, selectors.dossier_queue_for(user=request.user, **filters)


@login_required
def dossier_queue(request):
    desk_units, form, filters, dossiers = _queue_filtered(request)
    page = Paginator(dossiers, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "dossier": dossier,
            "step": selectors.current_step_name(dossier),
            "deadline": selectors.deadline_for(dossier, now=now),
            "person": personal_data_of(dossier, user=request.user),
        }
        for dossier in page
    ]
    context = {
        "form": form,
        "filters": filters,
        "filtered": bool(filters["q"] or filters["status"] or filters["who"]),
        "page": page,
        "rows": rows,
        "can_receive": bool(desk_units),
        "export_query": request.GET.urlencode(),
    }
    return render_page_or_partial(
        request, "dossiers/desk_queue.html", "dossiers/partials/_desk_rows.html", context
    )


@login_required
def dossier_queue_export(request):
    """The filtered queue as an Excel workbook (same scope, same filters); the applicant's
    data masked for whoever does not handle the dossier (cchc.core.privacy)."""
    from openpyxl import Workbook

    from cchc.documents.spreadsheets import workbook_response, write_table

    _desk_units, _form, _filters, dossiers = _queue_filtered(request)
    now = timezone.now()
    header = [
        _("STT"),
        _("Mã hồ sơ"),
        _("Người nộp"),
        _("Số định danh"),
        _("Số điện thoại"),
        _("Thư điện tử"),
        _("Địa chỉ"),
        _("Thủ tục"),
        _("Đơn vị giải quyết"),
        _("Tiếp nhận"),
        _("Hẹn trả"),
        _("Trạng thái"),
        _("Người đang xử lý"),
    ]

    def rows():
        for number, dossier in enumerate(dossiers[:EXPORT_MAX_ROWS], start=1):
            person = personal_data_of(dossier, user=request.user)
            handler = dossier.handler
            yield [
                number,
                dossier.code,
                person.name,
                person.id_number,
                person.phone,
                person.email,
                person.address,
                dossier.procedure.name,
                dossier.unit.name,
                dossier.received_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"),
                dossier.due_at.astimezone(VN_TZ).strftime("%d/%m/%Y"),
                dossier.get_status_display(),
                (handler.get_full_name() or handler.get_username()) if handler else "",
            ]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Hồ sơ")[:31]
    write_table(
        sheet,
        header,
        rows(),
        title=_("Danh sách hồ sơ (xuất ngày %(day)s)") % {"day": now.astimezone(VN_TZ).strftime("%d/%m/%Y")},
        column_widths=[6, 24, 24, 16, 14, 24, 36, 40, 30, 17, 12, 18, 22],
    )
    return workbook_response(workbook, f"ho-so-{now.astimezone(VN_TZ):%Y%m%d}.xlsx")


# --- a dossier --------------------------------------------------------------------------


def _forms_for(dossier, *, bound: dict | None = None) -> dict:
    forms = {}
    steps = services.steps_of(dossier.procedure)
    for action in STATE_ACTIONS.get(dossier.status, ()):
        if action == "hand-over" and dossier.current_step + 1 >= len(steps) - 1:
            continue  # at the last processing step: the next is the result
        if action == "resolve" and dossier.current_step < max(0, len(steps) - 2):
            continue  # not yet at the last processing step
        forms[action] = ACTIONS[action](dossier=dossier, prefix=action)
    if bound:
        forms.update(bound)
    return forms


def _dossier_context(request, dossier, *, bound: dict | None = None, success: str = "") -> dict:
    scope = scope_for(request.user)
    can_act = scope.can(Perm.HANDLE_DOSSIERS, dossier.unit)
    letters = selectors.apology_letters_for(dossier)
    deadline = selectors.deadline_for(dossier, has_apology=bool(letters))
    ruleset = selectors.ruleset_of(dossier)
    steps = services.steps_of(dossier.procedure)
    forms = _forms_for(dossier, bound=bound) if can_act else {}
    if "apology" in forms and "apology" not in (bound or {}):
        if not rules.can_extend(extensions_so_far=len(letters), ruleset=ruleset):
            forms.pop("apology")
    next_step = steps[dossier.current_step + 1]["name"] if dossier.current_step + 1 < len(steps) else ""
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
    person = personal_data_of(dossier, user=request.user)
    sheet = selectors.control_sheet_for(dossier)
    events = selectors.events_for(dossier)
    if person.masked:
        # The free texts may repeat the applicant's data: a copy for display, never saved.
        dossier = copy.copy(dossier)
        for name in ("subject", "result_summary", "refusal_reason"):
            setattr(dossier, name, person.hide(getattr(dossier, name)))
        for row in (*sheet, *events):
            row.note = person.hide(row.note)
    return {
        "dossier": dossier,
        "person": person,
        "steps": sheet,
        "events": events,
        "letters": letters,
        "deadline": deadline,
        "ruleset": ruleset,
        "step_name": selectors.current_step_name(dossier),
        "next_step": next_step,
        "can_act": can_act,
        "actions": [a for a in actions if not a["more"]],
        "more_actions": [a for a in actions if a["more"]],
        "extension_used": bool(letters)
        and not rules.can_extend(extensions_so_far=len(letters), ruleset=ruleset),
        "success": success,
        "open_action": next(iter(bound)) if bound else "",
    }


@login_required
def dossier_detail(request, pk: int):
    dossier = selectors.dossier_get_for(user=request.user, pk=pk)
    return render(request, "dossiers/dossier_detail.html", _dossier_context(request, dossier))


@login_required
@require_POST
def dossier_act(request, pk: int, action: str):
    """One action on the dossier (one service call). htmx gets the dossier's body back
    in place; without JavaScript, a redirect on success or the page with the errors."""
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    dossier = selectors.dossier_get_for(user=request.user, pk=pk)
    if not scope_for(request.user).can(Perm.HANDLE_DOSSIERS, dossier.unit):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, dossier=dossier, prefix=action)
    success = ""
    if form.is_valid():
        try:
            form.call(services, actor=request.user, dossier=dossier)
        except DomainForbidden:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_domain_error(error)
        else:
            dossier = selectors.dossier_get_for(user=request.user, pk=pk)
            success = str(SUCCESS[action]) % {"due": _when(dossier.due_at)}
            if not is_htmx(request):
                messages.success(request, success)
                return redirect("dossier_detail", pk=dossier.pk)
    bound = {} if success else {action: form}
    context = _dossier_context(request, dossier, bound=bound, success=success)
    template = "dossiers/partials/_desk_dossier.html" if is_htmx(request) else "dossiers/dossier_detail.html"
    return _vary(render(request, template, context))


# --- documents --------------------------------------------------------------------------


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


def status_url_for(request, code: str) -> str:
    """The public status page of the dossier, printed as a link and QR on the receipt."""
    path = "/public/status/"
    for name in ("portal:status", "portal_status"):
        try:
            path = reverse(name)
            break
        except NoReverseMatch:
            continue
    return request.build_absolute_uri(f"{path}?{urlencode({'code': code})}")


def _dossier_with_personal_data(request, pk: int):
    """The dossier, for the documents that carry the applicant's data in full (receipt,
    control sheet, result): 404 outside the scope, 403 to a reader who sees them masked
    (cchc.core.privacy)."""
    dossier = selectors.dossier_get_for(user=request.user, pk=pk)
    if not personal_data_visible(request.user, dossier):
        raise PermissionDenied
    return dossier


@login_required
def dossier_receipt_docx(request, pk: int):
    from cchc.feedback.survey_qr import receipt_survey_url

    from . import letters

    dossier = _dossier_with_personal_data(request, pk)
    survey_url = receipt_survey_url(request, dossier)  # a per-dossier survey open today
    extra = {"survey_url": survey_url} if survey_url else {}
    content = letters.receipt_docx(dossier, status_url=status_url_for(request, dossier.code), **extra)
    return _docx(content, f"giay-tiep-nhan-{dossier.code}.docx")


@login_required
def dossier_control_sheet_docx(request, pk: int):
    from . import letters

    dossier = _dossier_with_personal_data(request, pk)
    return _docx(letters.control_sheet_docx(dossier), f"phieu-kiem-soat-{dossier.code}.docx")


@login_required
def dossier_apology_docx(request, pk: int):
    from . import letters

    letter = selectors.apology_letter_get_for(user=request.user, pk=pk)
    if not personal_data_visible(request.user, letter.dossier):
        raise PermissionDenied
    return _docx(letters.apology_letter_docx(letter), f"van-ban-xin-loi-{letter.dossier.code}.docx")


@login_required
def dossier_result_file(request, pk: int):
    """The digitized result, always as a download (never rendered by the browser from
    our site), for whoever sees the applicant's data in full (the result names them)."""
    dossier = _dossier_with_personal_data(request, pk)
    if not dossier.result_file:
        raise Http404
    try:
        handle = dossier.result_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = dossier.result_file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
