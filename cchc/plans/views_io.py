"""Excel and Word import and export of a plan.

Downloads are for whoever may see the plan (`plan_get`: 404 outside the scope). The
import is for those who manage the issuer's plans (403 for the others who see it). A
file with problems is kept under MEDIA_ROOT/tmp with a random name, known only through
the session, so the user can confirm importing its valid rows without choosing it again;
it is deleted once used, and any left behind after a day goes with the next upload.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.uploads import EvidenceFileField
from cchc.documents.spreadsheets import workbook_response
from cchc.orgs.scoping import Perm

from . import services
from .docx_export import DOCX_CONTENT_TYPE, plan_docx_filename
from .docx_export import plan_docx as plan_docx_bytes
from .excel import plan_tasks_filename, plan_tasks_workbook
from .forms_io import TaskImportForm
from .models import Plan
from .selectors import plan_get
from .services_import import tasks_import

PENDING_KEY = "plans_pending_imports"
PENDING_DIR = ("tmp", "plan-imports")
PENDING_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _plan_url(plan: Plan) -> str:
    try:
        return reverse("plan_detail", args=[plan.pk])
    except NoReverseMatch:  # the plan page lives in views_plans
        return f"/plans/{plan.pk}/"


def _managed_plan(request, pk) -> Plan:
    try:
        return plan_get(user=request.user, plan_id=pk, perm=Perm.MANAGE_PLANS)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error


@login_required
def plan_tasks_xlsx(request, pk):
    plan = plan_get(user=request.user, plan_id=pk)
    return workbook_response(plan_tasks_workbook(plan), plan_tasks_filename(plan))


@login_required
def plan_docx(request, pk):
    plan = plan_get(user=request.user, plan_id=pk)
    response = HttpResponse(plan_docx_bytes(plan), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=plan_docx_filename(plan))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_tasks_import(request, pk):
    plan = _managed_plan(request, pk)
    if request.method == "POST" and "token" in request.POST:
        return _import_valid_rows(request, plan, request.POST["token"])
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = tasks_import(actor=request.user, plan=plan, file=upload)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if result.ok:
                messages.success(request, _("Đã nhập %(count)d nhiệm vụ.") % {"count": result.created})
                return redirect(_plan_url(plan))
            token = _keep(request, plan, upload) if result.valid else ""
            return render(request, "plans/io/import_result.html", {
                "plan": plan, "plan_url": _plan_url(plan), "result": result, "token": token,
                "file_name": upload.name,
            })
    return render(request, "plans/io/import.html", {"plan": plan, "plan_url": _plan_url(plan), "form": form})


def _import_valid_rows(request, plan: Plan, token: str):
    pending = request.session.get(PENDING_KEY, {})
    entry = pending.get(token) if _TOKEN.match(token or "") else None
    path = _pending_path(token) if entry else None
    if entry is None or entry.get("plan") != plan.pk or path is None or not path.exists():
        messages.error(request, _("Tệp đã tải lên không còn trên máy chủ; hãy chọn lại tệp."))
        return redirect("plan_tasks_import", pk=plan.pk)
    try:
        result = tasks_import(actor=request.user, plan=plan, file=path, only_valid=True)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("plan_tasks_import", pk=plan.pk)
    finally:
        _forget(request, token)
    messages.success(request, _("Đã nhập %(count)d nhiệm vụ.") % {"count": result.created})
    skipped = result.total - result.created
    if skipped:
        messages.warning(request, _("Đã bỏ qua %(count)d nhiệm vụ có lỗi trong tệp.") % {"count": skipped})
    return redirect(_plan_url(plan))


# --- the file kept between the problems page and the user's confirmation --------------


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT).joinpath(*PENDING_DIR)


def _pending_path(token: str) -> Path:
    return _pending_dir() / f"{token}.xlsx"


def _keep(request, plan: Plan, upload) -> str:
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    upload.seek(0)
    with open(_pending_path(token), "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    pending = request.session.get(PENDING_KEY, {})
    pending[token] = {"plan": plan.pk, "at": int(time.time())}
    request.session[PENDING_KEY] = pending
    return token


def _forget(request, token: str) -> None:
    pending = request.session.get(PENDING_KEY, {})
    pending.pop(token, None)
    request.session[PENDING_KEY] = pending
    _pending_path(token).unlink(missing_ok=True)


def _sweep(directory: Path) -> None:
    """Files of imports never confirmed (the user went away) are deleted after a day."""
    limit = time.time() - PENDING_MAX_AGE
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


class SignedDocumentForm(forms.Form):
    document = EvidenceFileField(
        label=gettext_lazy("Văn bản đã ký (PDF hoặc Word)"), allowed=("pdf", "docx", "doc")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_signed(request, pk: int):
    """GET: the signed document, as a download. POST: replace it (plan managers)."""
    if request.method == "POST":
        try:
            plan = plan_get(user=request.user, plan_id=pk, perm=Perm.MANAGE_PLANS)
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from None
        form = SignedDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                services.plan_attach_signed(
                    actor=request.user, plan=plan, file=upload, safe_name=upload.upload_info.safe_name
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu văn bản đã ký của kế hoạch."))
        else:
            messages.error(request, " ".join(form.errors["document"]))
        return redirect("plan_detail", pk=plan.pk)
    plan = plan_get(user=request.user, plan_id=pk)
    if not plan.attachment:
        raise Http404
    try:
        handle = plan.attachment.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = plan.attachment.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
