"""The procedure catalogue in Excel: export, and import (create or update by code).

The file is the one an office keeps next to the national database: one row per
procedure; the internal process as "Tên bước (10%); Tên bước (60%); …"; forms and
documents one a line inside their cell. What the export writes, the import reads back
unchanged, so a department can download the catalogue, correct it in Excel and upload
it again.

All or nothing: a file with any bad row changes nothing and every problem is returned
with its row number; only when the user asks for the valid rows (`valid_rows_only`) are
those written — in one transaction, each creation or change audited. Procedures absent
from the file are left as they are (the import never deletes: a dossier may refer to
them); retire one by setting “Đang áp dụng” to “Không”.

Editing the catalogue is for system administrators (`can_edit_catalogue`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cchc.core import audit
from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.text import fold
from cchc.documents.spreadsheets import Column, Problem, read_table, workbook_bytes, write_table
from cchc.orgs.scoping import scope_for

from .models import OnlineMode, Procedure, ProcedureLevel

SHEET_TITLE = "Danh mục TTHC"
TITLE = "DANH MỤC THỦ TỤC HÀNH CHÍNH"
YES, NO = "Có", "Không"
MAX_DAYS = 365
# Written into the file and compared on import: every field the file carries.
FIELDS = (
    "code",
    "name",
    "field",
    "level",
    "processing_days",
    "fee",
    "online_mode",
    "postal_return",
    "result_requires_file",
    "cutoff",
    "steps",
    "forms",
    "documents",
    "legal_basis",
    "result",
    "is_active",
)


def columns() -> list[Column]:
    """The columns of the file, in order; `label` is the exported header."""
    return [
        Column("code", _("Mã thủ tục"), aliases=("Mã TTHC", "Mã số TTHC", "Mã số thủ tục")),
        Column("name", _("Tên thủ tục"), aliases=("Tên TTHC", "Tên thủ tục hành chính")),
        Column("field", _("Lĩnh vực")),
        Column("level", _("Cấp thực hiện"), aliases=("Cấp", "Cấp giải quyết", "Thẩm quyền giải quyết")),
        Column(
            "processing_days",
            _("Thời hạn giải quyết (ngày làm việc)"),
            aliases=("Thời hạn giải quyết", "Số ngày giải quyết", "Thời hạn (ngày làm việc)"),
        ),
        Column("fee", _("Phí, lệ phí"), aliases=("Lệ phí", "Phí"), required=False),
        Column(
            "online_mode",
            _("Dịch vụ công trực tuyến"),
            aliases=("DVCTT", "Mức độ DVCTT", "Mức độ dịch vụ công"),
            required=False,
        ),
        Column("postal_return", _("Trả kết quả qua bưu chính"), required=False),
        Column("result_requires_file", _("Kết quả phải có tệp số hóa"), required=False),
        Column("cutoff", _("Giờ tiếp nhận muộn nhất trong ngày"), required=False),
        Column("steps", _("Quy trình nội bộ"), aliases=("Quy trình", "Các bước xử lý"), required=False),
        Column("forms", _("Mẫu đơn, tờ khai"), aliases=("Mẫu đơn", "Biểu mẫu"), required=False),
        Column("documents", _("Thành phần hồ sơ"), required=False),
        Column("legal_basis", _("Căn cứ pháp lý"), required=False),
        Column("result", _("Kết quả thực hiện"), required=False),
        Column("is_active", _("Đang áp dụng"), aliases=("Còn hiệu lực",), required=False),
    ]


COLUMN_WIDTHS = (14, 50, 24, 22, 14, 18, 24, 12, 12, 12, 50, 30, 50, 40, 30, 10)
REQUIRED = ("code", "name", "field", "level", "processing_days")


def can_edit_catalogue(user) -> bool:
    """System administrators of the whole tree and Django staff edit the catalogue."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or scope_for(user).is_global)


# --- the cell formats ------------------------------------------------------------------

_STEP = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<share>\d{1,3})\s*%\s*\)$")


def format_steps(steps: Iterable[dict]) -> str:
    """[{"name": "Tiếp nhận", "share": 10}, …] → "Tiếp nhận (10%); …"."""
    return "; ".join(f"{s['name']} ({_number(s.get('share', 0))}%)" for s in steps)


def parse_steps(text: str | None) -> list[dict]:
    """ "Tiếp nhận (10%); Thẩm định (60%)…" (or one step a line) → the `steps` list;
    the shares, whole percents, must add up to 100. Empty → [] (the default process)."""
    parts = [p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()]
    steps = []
    for part in parts:
        match = _STEP.match(part)
        if match is None:
            raise DomainError(
                _("không hiểu bước “%(step)s”: ghi “Tên bước (tỷ lệ %%)”, ví dụ “Thẩm định hồ sơ (60%%)”.")
                % {"step": part},
                code="invalid_step",
                field="steps",
            )
        name, share = match["name"].strip(), int(match["share"])
        if len(name) > 200:
            raise DomainError(
                _("tên bước “%(step)s…” dài quá 200 ký tự.") % {"step": name[:40]},
                code="invalid_step",
                field="steps",
            )
        steps.append({"name": name, "share": share})
    total = sum(s["share"] for s in steps)
    if steps and total != 100:
        raise DomainError(
            _("tổng tỷ lệ thời gian của các bước là %(total)d%%, phải bằng 100%%.") % {"total": total},
            code="step_shares",
            field="steps",
        )
    return steps


def format_lines(values: Iterable[str]) -> str:
    return "\n".join(str(v) for v in values)


def parse_lines(text: str | None) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _choice(value: Any, choices, synonyms: dict[str, str], what: str, code: str) -> str:
    """A choice from its code, its Vietnamese label or a usual shorthand, folded."""
    text = fold(str(value)).strip()
    for key, label in choices:
        if text in (fold(key), fold(str(label))):
            return key
    for word, key in synonyms.items():  # most specific first
        if text == word or text.startswith(f"{word} "):
            return key
    raise DomainError(_("không hiểu %(what)s “%(value)s”.") % {"what": what, "value": value}, code=code)


_LEVEL_WORDS = {
    "co so giao duc": ProcedureLevel.SCHOOL,
    "cap tinh": ProcedureLevel.PROVINCE,
    "tinh": ProcedureLevel.PROVINCE,
    "so": ProcedureLevel.PROVINCE,
    "cap huyen": ProcedureLevel.DISTRICT,
    "huyen": ProcedureLevel.DISTRICT,
    "phong": ProcedureLevel.DISTRICT,
    "cap xa": ProcedureLevel.COMMUNE,
    "xa": ProcedureLevel.COMMUNE,
    "truong": ProcedureLevel.SCHOOL,
}
_ONLINE_WORDS = {
    "truc tuyen toan trinh": OnlineMode.FULL,
    "truc tuyen mot phan": OnlineMode.PARTIAL,
    "khong truc tuyen": OnlineMode.NONE,
    "toan trinh": OnlineMode.FULL,
    "muc do 4": OnlineMode.FULL,
    "mot phan": OnlineMode.PARTIAL,
    "muc do 3": OnlineMode.PARTIAL,
    "khong": OnlineMode.NONE,
}
_TRUE = {"co", "x", "1", "true", "yes", "dung"}
_FALSE = {"khong", "0", "false", "no", "sai"}


def parse_level(value: Any) -> str:
    return _choice(value, ProcedureLevel.choices, _LEVEL_WORDS, _("cấp thực hiện"), "unknown_level")


def parse_online_mode(value: Any) -> str:
    return _choice(value, OnlineMode.choices, _ONLINE_WORDS, _("mức dịch vụ công trực tuyến"), "unknown_mode")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(str(value)).strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DomainError(_("ghi “Có” hoặc “Không”, không phải “%(value)s”.") % {"value": value}, code="not_bool")


def parse_days(value: Any) -> int:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdecimal():  # isdigit() lets "²" through to int()
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        raise DomainError(
            _("thời hạn giải quyết “%(value)s” không phải số ngày làm việc (0–%(max)d).")
            % {"value": value, "max": MAX_DAYS},
            code="invalid_days",
        )
    return value


def parse_cutoff(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    match = re.fullmatch(r"(\d{1,2})\s*[:hH]\s*(\d{2})?", str(value).strip())
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return dt.time(int(match[1]), int(match[2] or 0))
    raise DomainError(
        _("không hiểu giờ “%(value)s” (ghi dạng 15:00).") % {"value": value}, code="invalid_time"
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- export ----------------------------------------------------------------------------


def procedure_row(procedure: Procedure) -> list[Any]:
    return [
        procedure.code,
        procedure.name,
        procedure.field,
        procedure.get_level_display(),
        procedure.processing_days,
        procedure.fee,
        procedure.get_online_mode_display(),
        YES if procedure.postal_return else NO,
        YES if procedure.result_requires_file else NO,
        procedure.cutoff.strftime("%H:%M") if procedure.cutoff else "",
        format_steps(procedure.steps),
        format_lines(procedure.forms),
        format_lines(procedure.documents),
        procedure.legal_basis,
        procedure.result,
        YES if procedure.is_active else NO,
    ]


def catalogue_workbook(procedures: Iterable[Procedure]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    write_table(
        sheet,
        [c.label for c in columns()],
        (procedure_row(p) for p in procedures),
        title=TITLE,
        column_widths=COLUMN_WIDTHS,
    )
    return workbook


def catalogue_export(procedures: Iterable[Procedure]) -> bytes:
    """The catalogue as an .xlsx file, one row per procedure (readable by `catalogue_import`)."""
    return workbook_bytes(catalogue_workbook(procedures))


# --- import ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (`created`, `updated`, `unchanged` procedures — all 0 when the
    file had problems and the valid rows were not asked for) and what it found."""

    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    valid: int = 0
    total: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


_PARSERS = {
    "level": parse_level,
    "processing_days": parse_days,
    "online_mode": parse_online_mode,
    "postal_return": parse_bool,
    "result_requires_file": parse_bool,
    "cutoff": parse_cutoff,
    "steps": parse_steps,
    "forms": parse_lines,
    "documents": parse_lines,
    "is_active": parse_bool,
}
_DEFAULTS = {
    "online_mode": OnlineMode.NONE,
    "postal_return": True,
    "result_requires_file": False,
    "cutoff": None,
    "steps": [],
    "forms": [],
    "documents": [],
    "is_active": True,
}


def _row_problem(problems: list[Problem], row: int, message: str, column: str | None = None) -> None:
    problems.append(Problem(row, column, _("Dòng %(row)d: %(msg)s") % {"row": row, "msg": message}))


def _values_of(row, labels: dict[str, str], problems: list[Problem]) -> dict[str, Any] | None:
    """The model values of one row, or None with its problems noted."""
    values: dict[str, Any] = {}
    bad = False
    for key in FIELDS:
        raw = row.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if key in REQUIRED:
                _row_problem(problems, row.number, _("thiếu %(label)s.") % {"label": labels[key].lower()})
                bad = True
            else:
                values[key] = _DEFAULTS.get(key, "")
            continue
        parse = _PARSERS.get(key)
        try:
            values[key] = (
                parse(raw if key in {"processing_days", "cutoff"} else _text(raw)) if parse else _text(raw)
            )
        except DomainError as error:
            _row_problem(
                problems,
                row.number,
                _("cột “%(label)s”: %(msg)s") % {"label": labels[key], "msg": error.message},
            )
            bad = True
    if bad:
        return None
    # Lengths and the like, as the model states them (uniqueness is the upsert's business).
    try:
        Procedure(**values).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = labels.get(name, name)
            for message in messages:
                _row_problem(
                    problems, row.number, _("cột “%(label)s”: %(msg)s") % {"label": label, "msg": message}
                )
        return None
    return values


def catalogue_import(*, actor, file, valid_rows_only: bool = False) -> ImportResult:
    """Create or update the procedures of an Excel catalogue, matched by code.

    All rows or none: any bad row (missing code, name, field, level or time; an unknown
    level; a time that is not a number of working days; step shares not adding up to
    100; a code twice in the file) is reported with its row number and nothing is
    written — unless `valid_rows_only`, then the valid rows are. One transaction; each
    created or changed procedure gets an audit row. Raises DomainError when the file
    cannot be read at all, PermissionDenied for a user who may not edit the catalogue.
    """
    if actor is not None and not can_edit_catalogue(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa danh mục thủ tục hành chính."))
    cols = columns()
    labels = {c.key: str(c.label) for c in cols}
    read = read_table(file, columns=cols)
    result = ImportResult(problems=list(read.problems))
    if read.header_row is None or any(p.row == read.header_row for p in read.problems):
        return result  # no table, or a required column missing

    seen: dict[str, list[int]] = {}
    for row in read.rows:
        code = _text(row.get("code"))
        if code:
            seen.setdefault(code, []).append(row.number)
    prepared: list[tuple[int, dict[str, Any]]] = []
    spoiled = {p.row for p in read.problems if p.row is not None}  # cells merged over rows
    for row in read.rows:
        values = _values_of(row, labels, result.problems)
        code = _text(row.get("code"))
        others = [n for n in seen.get(code, []) if n != row.number]
        if others:
            _row_problem(
                result.problems,
                row.number,
                _("mã thủ tục “%(code)s” trùng với dòng %(rows)s.")
                % {"code": code, "rows": ", ".join(str(n) for n in others)},
            )
            continue
        if values is not None and row.number not in spoiled:
            prepared.append((row.number, values))
    result.problems.sort(key=lambda p: p.row or 0)
    result.total, result.valid = len(read.rows), len(prepared)
    if (result.problems and not valid_rows_only) or not prepared:
        return result

    with transaction.atomic():
        codes = [values["code"] for _, values in prepared]
        existing = {p.code: p for p in Procedure.objects.select_for_update().filter(code__in=codes)}
        for _row, values in prepared:
            procedure = existing.get(values["code"])
            if procedure is None:
                procedure = Procedure(**values)
                procedure.save()
                audit.record(actor=actor, obj=procedure, event="procedure.imported")
                result.created += 1
                continue
            changed = [key for key in FIELDS if getattr(procedure, key) != values[key]]
            if not changed:
                result.unchanged += 1
                continue
            before = audit.snapshot(procedure)
            for key in changed:
                setattr(procedure, key, values[key])
            # name_folded folds code, name and field: refreshed whichever changed.
            procedure.save(update_fields=[*changed, "name_folded", "updated_at"])
            audit.record(actor=actor, obj=procedure, event="procedure.imported", before=before)
            result.updated += 1
    result.written = True
    return result
