"""The one-stop desk's Excel pages: the procedure catalogue (download; upload for system
administrators) and a unit's dossier history (template, upload).

An upload is checked by its bytes (`check_upload`: an .xlsx, at most 10 MB) before it is
read. A file with problems is shown back — its name, how many rows are valid, each
problem with its row — and kept under MEDIA_ROOT/tmp with a random name known only to
the session, so the user can import its valid rows without choosing it again; it is
deleted once used, and any left behind after a day goes with the next upload.
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
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.errors import DomainError
from cchc.core.uploads import EvidenceFileField
from cchc.documents.spreadsheets import MAX_FILE_BYTES, workbook_response
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for

from .catalogue import can_edit_catalogue, catalogue_import, catalogue_workbook
from .history_import import dossier_history_import, history_template
from .models import LEVEL_UNIT_KINDS, Procedure

PENDING_KEY = "dossiers_pending_imports"
PENDING_DIR = ("tmp", "dossier-imports")
PENDING_MAX_AGE = 24 * 3600
UNIT_SUGGESTIONS = 200
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
HANDLING_KINDS = sorted({kind for kinds in LEVEL_UNIT_KINDS.values() for kind in kinds})


class ExcelFileField(EvidenceFileField):
    """An .xlsx judged by its bytes; a renamed .xls or CSV is told what to do."""

    def __init__(self, **kwargs):
        super().__init__(allowed=("xlsx",), max_bytes=MAX_FILE_BYTES, **kwargs)

    def clean(self, data, initial=None):
        try:
            return super().clean(data, initial)
        except ValidationError as error:
            if error.code != "content_mismatch":
                raise
            raise ValidationError(
                _(
                    "Tệp có đuôi .xlsx nhưng không phải tệp Excel .xlsx thật (có thể là tệp .xls cũ hoặc CSV "
                    "đổi tên). Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) dạng Excel Workbook (.xlsx) "
                    "rồi tải lên lại."
                ),
                code="not_xlsx",
            ) from error


class CatalogueUploadForm(forms.Form):
    file = ExcelFileField(
        label=gettext_lazy("Tệp Excel danh mục thủ tục (.xlsx)"),
        help_text=gettext_lazy(
            "Tệp tải về từ trang này, đã sửa; mỗi dòng một thủ tục, nhận diện theo mã thủ tục. Tối đa 10 MB."
        ),
    )


class HistoryUploadForm(forms.Form):
    unit = forms.CharField(
        label=gettext_lazy("Mã đơn vị giải quyết"),
        max_length=40,
        help_text=gettext_lazy(
            "Đơn vị đã tiếp nhận các hồ sơ trong tệp; bạn phải được giao xử lý hồ sơ ở đó."
        ),
    )
    file = ExcelFileField(
        label=gettext_lazy("Tệp Excel hồ sơ (.xlsx)"),
        help_text=gettext_lazy("Theo tệp mẫu: mỗi dòng một hồ sơ. Tối đa 10 MB, 20.000 dòng."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit(self) -> OrgUnit:
        code = self.cleaned_data["unit"].strip()
        unit = OrgUnit.objects.filter(code__iexact=code).first()
        if unit is None or not scope_for(self.user).can(Perm.HANDLE_DOSSIERS, unit):
            raise ValidationError(
                _("Không có đơn vị mã “%(code)s” trong các đơn vị bạn xử lý hồ sơ.") % {"code": code}
            )
        return unit


# --- the catalogue ---------------------------------------------------------------------


def _require_editor(user) -> None:
    if not can_edit_catalogue(user):
        raise DjangoPermissionDenied(_("Chỉ quản trị hệ thống được sửa danh mục thủ tục hành chính."))


@login_required
@require_GET
def procedure_export(request):
    """The catalogue as Excel, for anyone signed in (the catalogue is public)."""
    procedures = Procedure.objects.order_by("level", "field", "code")
    filename = f"danh-muc-thu-tuc-{timezone.localdate():%Y%m%d}.xlsx"
    return workbook_response(catalogue_workbook(procedures), filename)


@login_required
@require_http_methods(["GET", "POST"])
def procedure_io(request):
    _require_editor(request.user)
    context = {"procedure_count": Procedure.objects.count()}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, request.POST["token"], kind="catalogue", back="procedure_io")
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = catalogue_import(actor=request.user, file=upload)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if result.ok:
                messages.success(request, _catalogue_message(result))
                return redirect("procedure_io")
            token = _keep(request, upload, kind="catalogue") if result.valid else ""
            context.update(result=result, token=token, file_name=upload.name)
    context["form"] = form
    return render(request, "dossiers/io_procedures.html", context)


def _catalogue_message(result) -> str:
    return _(
        "Đã nhập danh mục: %(created)d thủ tục mới, %(updated)d thủ tục được cập nhật, %(same)d không đổi."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "same": result.unchanged,
    }


# --- dossier history -------------------------------------------------------------------


def _require_desk(user) -> None:
    if not scope_for(user).has_any(Perm.HANDLE_DOSSIERS):
        raise DjangoPermissionDenied(_("Chỉ cán bộ được giao xử lý hồ sơ mới nhập được hồ sơ."))


def _unit_suggestions(user) -> list[OrgUnit]:
    """The units the user handles dossiers for, their own first (a datalist, not a select:
    a department's administrator may handle thousands)."""
    scope = scope_for(user)
    own = [
        m.unit
        for m in scope.memberships
        if m.unit.kind in HANDLING_KINDS and scope.can(Perm.HANDLE_DOSSIERS, m.unit)
    ]
    others = (
        scope.units(Perm.HANDLE_DOSSIERS)
        .filter(kind__in=HANDLING_KINDS, closed_on__isnull=True)
        .exclude(pk__in=[u.pk for u in own])
        .order_by("path")[: UNIT_SUGGESTIONS - len(own)]
    )
    return own + list(others)


@login_required
@require_GET
def dossier_history_template(request):
    _require_desk(request.user)
    return workbook_response(history_template(), "mau-nhap-ho-so.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def dossier_history_import_view(request):
    _require_desk(request.user)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, request.POST["token"], kind="history", back="dossier_history_import")
    units = _unit_suggestions(request.user)
    form = HistoryUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"unit": units[0].code if units else ""},
    )
    context = {"units": units}
    if request.method == "POST" and form.is_valid():
        unit, upload = form.cleaned_data["unit"], form.cleaned_data["file"]
        try:
            result = dossier_history_import(actor=request.user, unit=unit, file=upload, source=upload.name)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if result.ok:
                messages.success(request, _history_message(result, unit))
                return redirect("dossier_history_import")
            token = _keep(request, upload, kind="history", unit=unit.pk) if result.valid else ""
            context.update(result=result, token=token, file_name=upload.name, unit=unit)
    context["form"] = form
    return render(request, "dossiers/io_history.html", context)


def _history_message(result, unit) -> str:
    return _("Đã nhập %(count)d hồ sơ của %(unit)s.") % {"count": result.created, "unit": unit.name}


# --- importing the valid rows of a file kept from the problems page ---------------------


def _confirm(request, token: str, *, kind: str, back: str):
    pending = request.session.get(PENDING_KEY, {})
    entry = pending.get(token) if _TOKEN.match(token or "") else None
    path = _pending_path(token) if entry else None
    if entry is None or entry.get("kind") != kind or path is None or not path.exists():
        messages.error(request, _("Tệp đã tải lên không còn trên máy chủ; hãy chọn lại tệp."))
        return redirect(back)
    name = entry.get("name", "")
    try:
        if kind == "catalogue":
            result = catalogue_import(actor=request.user, file=path, valid_rows_only=True)
            messages.success(request, _catalogue_message(result))
        else:
            unit = OrgUnit.objects.filter(pk=entry.get("unit")).first()
            if unit is None:
                raise DomainError(_("Đơn vị không còn tồn tại."))
            result = dossier_history_import(
                actor=request.user, unit=unit, file=path, valid_rows_only=True, source=name
            )
            messages.success(request, _history_message(result, unit))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    finally:
        _forget(request, token)
    skipped = result.total - result.valid
    if skipped:
        messages.warning(
            request,
            _("Đã bỏ qua %(count)d dòng có lỗi của tệp “%(name)s”.") % {"count": skipped, "name": name},
        )
    return redirect(back)


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT).joinpath(*PENDING_DIR)


def _pending_path(token: str) -> Path:
    return _pending_dir() / f"{token}.xlsx"


def _keep(request, upload, *, kind: str, **extra) -> str:
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    upload.seek(0)
    with open(_pending_path(token), "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    pending = request.session.get(PENDING_KEY, {})
    pending[token] = {"kind": kind, "name": upload.name[:200], "at": int(time.time()), **extra}
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
