"""Importing a unit's dossier history from Excel, for a unit that kept it elsewhere (a
provincial one-stop system, a register typed in Excel) so its statistics start complete.

One file, one unit the user handles dossiers for. Each row is a dossier: its code in the
other system (kept as `external_id`, unique per unit, so a file imported twice is
refused rather than counted twice), the procedure's code, when it was received, how,
by whom, and how it ended — returned, resolved and waiting, refused, withdrawn, or still
in progress.

Strict, because the statistics are read from it: dates are dd/mm/yyyy with an optional
HH:MM (or real Excel dates), never guessed; a result before its receipt, a procedure
the unit does not decide, a code twice in the file or already imported for the unit are
refused with their row numbers. All rows or none, unless the user asks for the valid
rows only.

Written in bulk — tens of thousands of rows in seconds — yet each dossier ends up as the
desk's services would have left it: the appointment from `rules.due_at` under the
decree in force on the day of receipt, early / on time / late from `rules.classify`,
its code from the unit's daily counter (`DossierCounter`, locked and advanced once per
day, so desks receiving at the same time keep their own numbers), the `received`,
`resolved`, `returned`, `refused` or `withdrawn` events, and the minimal control sheet:
the first step (closed when the dossier was), and the return step once resolved.
Requests for supplements and apology letters are not part of the file: the imported
appointment is the original one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cchc.core.audit import target_type_of
from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.core.text import fold
from cchc.documents.spreadsheets import Column, Problem, read_table, write_table
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ, is_working_day

from . import rules
from .models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierStatus,
    DossierStep,
    EventKind,
    Procedure,
    ReturnMethod,
)
from .services import FUTURE_TOLERANCE, dossier_code, step_deadlines, steps_of

BATCH = 2000

# The statuses a file may state, as people write them (folded).
STATUS_WORDS = {
    "da tra": DossierStatus.RETURNED,
    "da tra ket qua": DossierStatus.RETURNED,
    "tu choi": DossierStatus.REFUSED,
    "tu choi giai quyet": DossierStatus.REFUSED,
    "rut": DossierStatus.WITHDRAWN,
    "rut ho so": DossierStatus.WITHDRAWN,
    "cong dan rut ho so": DossierStatus.WITHDRAWN,
    "dang giai quyet": DossierStatus.IN_PROGRESS,
    "dang xu ly": DossierStatus.IN_PROGRESS,
    "da co ket qua": DossierStatus.RESOLVED,
    "da co ket qua, cho tra": DossierStatus.RESOLVED,
    "cho tra ket qua": DossierStatus.RESOLVED,
}
CHANNEL_WORDS = {
    "truc tiep": Channel.DESK,
    "tai bo phan mot cua": Channel.DESK,
    "truc tuyen": Channel.ONLINE,
    "dich vu cong truc tuyen": Channel.ONLINE,
    "buu chinh": Channel.POST,
    "qua buu chinh": Channel.POST,
    "buu chinh cong ich": Channel.POST,
}
RETURN_WORDS = {
    "truc tiep": ReturnMethod.DESK,
    "tai bo phan mot cua": ReturnMethod.DESK,
    "tai mot cua": ReturnMethod.DESK,
    "buu chinh": ReturnMethod.POST,
    "qua buu chinh": ReturnMethod.POST,
    "truc tuyen": ReturnMethod.ONLINE,
}
YES_WORDS = {"co", "x", "1", "true", "da so hoa"}
NO_WORDS = {"khong", "0", "false", "chua", "chua so hoa"}
DIGITIZED_WORDS = dict.fromkeys(YES_WORDS, "yes") | dict.fromkeys(NO_WORDS, "")

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def columns() -> list[Column]:
    return [
        Column("external_id", _("Mã hồ sơ nguồn"), aliases=("Mã hồ sơ", "Số hồ sơ", "Mã hồ sơ gốc")),
        Column("procedure", _("Mã thủ tục"), aliases=("Mã TTHC", "Mã số thủ tục")),
        Column("received_at", _("Ngày tiếp nhận"), aliases=("Thời điểm tiếp nhận", "Ngày nhận hồ sơ")),
        Column("channel", _("Hình thức nộp"), required=False),
        Column("applicant", _("Người nộp"), aliases=("Người nộp hồ sơ", "Tổ chức, cá nhân", "Họ tên")),
        Column("resolved_at", _("Ngày có kết quả"), required=False),
        Column("returned_at", _("Ngày trả"), aliases=("Ngày trả kết quả",), required=False),
        Column("return_method", _("Hình thức trả"), aliases=("Hình thức trả kết quả",), required=False),
        Column("status", _("Trạng thái")),
        Column("refusal_reason", _("Lý do từ chối"), required=False),
        Column("digitized", _("Có số hóa"), aliases=("Số hóa kết quả", "Kết quả số hóa"), required=False),
    ]


def history_template() -> Workbook:
    """The empty table to fill in, with a second sheet saying what each column takes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    write_table(
        sheet,
        [str(c.label) for c in columns()],
        [],
        column_widths=(18, 14, 18, 14, 28, 18, 18, 16, 18, 30, 10),
    )
    guide = workbook.create_sheet("Hướng dẫn")
    write_table(
        guide,
        [_("Cột"), _("Cách ghi")],
        [
            (
                _("Mã hồ sơ nguồn"),
                _("Mã của hồ sơ trên hệ thống cũ; không trùng nhau, không trùng hồ sơ đã nhập."),
            ),
            (_("Mã thủ tục"), _("Mã thủ tục hành chính trong danh mục, ví dụ 1.005092.")),
            (
                _("Ngày tiếp nhận"),
                _("dd/mm/yyyy hoặc dd/mm/yyyy HH:MM, ví dụ 08/10/2025 09:30; hoặc ô kiểu ngày."),
            ),
            (_("Hình thức nộp"), _("Trực tiếp, Trực tuyến hoặc Bưu chính (để trống: Trực tiếp).")),
            (_("Người nộp"), _("Họ tên người nộp hoặc tên tổ chức.")),
            (
                _("Ngày có kết quả"),
                _("Bắt buộc khi đã có kết quả, từ chối hoặc rút hồ sơ (ngày từ chối, ngày rút)."),
            ),
            (_("Ngày trả"), _("Bắt buộc khi trạng thái là Đã trả.")),
            (_("Hình thức trả"), _("Trực tiếp, Bưu chính hoặc Trực tuyến (để trống: Trực tiếp).")),
            (_("Trạng thái"), _("Đã trả, Đã có kết quả, Từ chối, Rút hoặc Đang giải quyết.")),
            (_("Lý do từ chối"), _("Bắt buộc khi trạng thái là Từ chối.")),
            (_("Có số hóa"), _("Có hoặc Không: kết quả đã được số hóa.")),
        ],
        title=_("HƯỚNG DẪN GHI TỆP NHẬP HỒ SƠ"),
        column_widths=(20, 90),
    )
    workbook.active = 0
    return workbook


@dataclass
class HistoryImportResult:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    valid: int = 0
    total: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _When:
    at: dt.datetime
    has_time: bool


@dataclass
class _Planned:
    row: int
    procedure: Procedure
    received: _When
    values: dict[str, Any]


# --- reading one row -------------------------------------------------------------------


def parse_when(value: Any) -> _When:
    """A date and time on the Vietnamese clock from "dd/mm/yyyy [HH:MM]" or an Excel date."""
    if isinstance(value, dt.datetime):
        has_time = value.time() != dt.time(0)
        return _When(
            value.replace(tzinfo=VN_TZ) if value.tzinfo is None else value.astimezone(VN_TZ), has_time
        )
    if isinstance(value, dt.date):
        return _When(dt.datetime.combine(value, dt.time(0), tzinfo=VN_TZ), False)
    match = _DATE.match(str(value).strip())
    if match is None:
        raise DomainError(
            _("“%(value)s” không phải ngày dạng dd/mm/yyyy hoặc dd/mm/yyyy HH:MM.") % {"value": value},
            code="invalid_date",
        )
    day, month, year, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        at = dt.datetime(year, month, day, hour or 0, minute or 0, second or 0, tzinfo=VN_TZ)
    except ValueError:
        raise DomainError(
            _("ngày “%(value)s” không có thật.") % {"value": value}, code="invalid_date"
        ) from None
    return _When(at, hour is not None)


def _word(value: Any, words: dict[str, str], what: str) -> str:
    text = fold(str(value)).strip(" .")
    if text in words:
        return words[text]
    raise DomainError(
        _("không hiểu %(what)s “%(value)s”.") % {"what": what, "value": value}, code="invalid_choice"
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _not_before(later: _When, earlier: _When) -> bool:
    """Whether `later` is not before `earlier`; by date when either has no hour."""
    if later.has_time and earlier.has_time:
        return later.at >= earlier.at
    return later.at.date() >= earlier.at.date()


def _moment(value: _When, after: dt.datetime) -> dt.datetime:
    """A date without an hour on the day of the event it follows is put at that event's
    hour, so the history keeps its order."""
    if not value.has_time and value.at.date() == after.date():
        return max(value.at, after)
    return value.at


class _RowProblems:
    def __init__(self, problems: list[Problem], number: int, labels: dict[str, str]):
        self.problems, self.number, self.labels, self.bad = problems, number, labels, False

    def add(self, message: str, key: str | None = None) -> None:
        self.bad = True
        if key is not None:
            message = _("cột “%(label)s”: %(msg)s") % {"label": self.labels[key], "msg": message}
        self.problems.append(
            Problem(self.number, None, _("Dòng %(row)d: %(msg)s") % {"row": self.number, "msg": message})
        )


def _plan_row(
    row, *, unit: OrgUnit, procedures: dict[str, Procedure], now, labels, problems
) -> _Planned | None:
    out = _RowProblems(problems, row.number, labels)

    def parsed(key, parse, default=None):
        raw = row.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return default
        try:
            return parse(raw)
        except DomainError as error:
            out.add(error.message, key)
            return default

    def required(key, value):
        if value in (None, ""):
            if row.get(key) in (None, ""):
                out.add(_("thiếu %(label)s.") % {"label": labels[key].lower()})
            return False
        return True

    external_id = _text(row.get("external_id"))
    if len(external_id) > 80:
        out.add(_("mã hồ sơ nguồn dài quá 80 ký tự."), "external_id")
    code = _text(row.get("procedure"))
    applicant = _text(row.get("applicant"))
    if len(applicant) > 200:
        out.add(_("tên người nộp dài quá 200 ký tự."), "applicant")
    received = parsed("received_at", parse_when)
    resolved = parsed("resolved_at", parse_when)
    returned = parsed("returned_at", parse_when)
    status = parsed("status", lambda v: _word(v, STATUS_WORDS, _("trạng thái")))
    channel = parsed("channel", lambda v: _word(v, CHANNEL_WORDS, _("hình thức nộp")), Channel.DESK)
    method = parsed("return_method", lambda v: _word(v, RETURN_WORDS, _("hình thức trả")), ReturnMethod.DESK)
    digitized = parsed("digitized", lambda v: _word(v, DIGITIZED_WORDS, _("giá trị số hóa")), "")
    reason = _text(row.get("refusal_reason"))
    for key, value in (
        ("external_id", external_id),
        ("procedure", code),
        ("received_at", received),
        ("applicant", applicant),
        ("status", status),
    ):
        required(key, value)

    procedure = procedures.get(code) if code else None
    if code and procedure is None:
        out.add(_("không có thủ tục mã “%(code)s” trong danh mục.") % {"code": code})
    elif procedure is not None and not procedure.handled_by(unit):
        out.add(
            _("%(unit)s không giải quyết thủ tục “%(code)s” (thủ tục %(level)s).")
            % {"unit": unit.name, "code": code, "level": procedure.get_level_display().lower()}
        )
    if received is not None:
        if received.at > now + FUTURE_TOLERANCE:
            out.add(_("ngày tiếp nhận ở tương lai."), "received_at")
        elif unit.closed_on is not None and unit.closed_on < received.at.date():
            out.add(
                _("ngày tiếp nhận sau ngày đơn vị giải thể (%(day)s).")
                % {"day": f"{unit.closed_on:%d/%m/%Y}"}
            )
    for key, value in (("resolved_at", resolved), ("returned_at", returned)):
        if value is not None and value.at > now + FUTURE_TOLERANCE:
            out.add(_("ngày ở tương lai."), key)
    if received is not None and resolved is not None and not _not_before(resolved, received):
        out.add(_("ngày có kết quả trước ngày tiếp nhận."))
    if received is not None and returned is not None and not _not_before(returned, received):
        out.add(_("ngày trả trước ngày tiếp nhận."))
    elif resolved is not None and returned is not None and not _not_before(returned, resolved):
        out.add(_("ngày trả trước ngày có kết quả."))

    if status == DossierStatus.RETURNED:
        if resolved is None and row.get("resolved_at") is None:
            out.add(_("hồ sơ đã trả cần ngày có kết quả."))
        if returned is None and row.get("returned_at") is None:
            out.add(_("hồ sơ đã trả cần ngày trả."))
        if procedure is not None and method == ReturnMethod.POST and not procedure.postal_return:
            out.add(_("thủ tục này không trả kết quả qua bưu chính."), "return_method")
    elif status == DossierStatus.RESOLVED:
        if resolved is None and row.get("resolved_at") is None:
            out.add(_("hồ sơ đã có kết quả cần ngày có kết quả."))
        if returned is not None:
            out.add(_("đã có ngày trả thì trạng thái là “Đã trả”."))
    elif status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
        if resolved is None and row.get("resolved_at") is None:
            out.add(_("cần ghi ngày từ chối hoặc ngày rút hồ sơ ở cột “Ngày có kết quả”."))
        if status == DossierStatus.REFUSED and not reason:
            out.add(_("hồ sơ từ chối cần lý do từ chối."))
    elif status == DossierStatus.IN_PROGRESS and (resolved is not None or returned is not None):
        out.add(_("hồ sơ đang giải quyết không có ngày có kết quả hay ngày trả."))
    if out.bad:
        return None

    received_at = received.at
    ruleset = rules.ruleset_for(received_at)
    due = rules.due_at(
        received_at=received_at,
        working_days=procedure.processing_days,
        ruleset=ruleset,
        cutoff=procedure.cutoff,
    )
    values: dict[str, Any] = {
        "procedure": procedure,
        "unit": unit,
        "unit_path": unit.path,
        "channel": channel,
        "applicant_name": applicant,
        "received_at": received_at,
        "ruleset": ruleset.code,
        "processing_days": procedure.processing_days,
        "original_due_at": due,
        "due_at": due,
        "status": status,
        "external_id": external_id,
        "result_digitized": bool(digitized) and status in (DossierStatus.RESOLVED, DossierStatus.RETURNED),
    }
    if status in (DossierStatus.RESOLVED, DossierStatus.RETURNED):
        resolved_at = _moment(resolved, received_at)
        values.update(
            resolved_at=resolved_at,
            closed_at=resolved_at,
            outcome=rules.classify(resolved_at=resolved_at, due_at=due),
            current_step=len(steps_of(procedure)) - 1,
        )
        if status == DossierStatus.RETURNED:
            values.update(returned_at=_moment(returned, resolved_at), return_method=method)
    elif status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
        values["closed_at"] = _moment(resolved, received_at)
        if status == DossierStatus.REFUSED:
            values["refusal_reason"] = reason
    return _Planned(row=row.number, procedure=procedure, received=received, values=values)


# --- the import ------------------------------------------------------------------------


def dossier_history_import(
    *, actor, unit: OrgUnit, file, valid_rows_only: bool = False, source: str = ""
) -> HistoryImportResult:
    """Import the dossier history of `unit` from an Excel file (see the module docstring).

    The actor must handle dossiers at `unit`. Every bad row is reported with its number;
    nothing is written unless the file is clean or `valid_rows_only`. One transaction;
    one audit row per dossier. `source` (the file's name) is kept on the events.
    Raises DomainError when the file cannot be read at all.
    """
    if actor is not None:
        scope_for(actor).require(Perm.HANDLE_DOSSIERS, unit)
    cols = columns()
    labels = {c.key: str(c.label) for c in cols}
    read = read_table(file, columns=cols)
    result = HistoryImportResult(problems=list(read.problems))
    if read.header_row is None or any(p.row == read.header_row for p in read.problems):
        return result

    codes = {_text(r.get("procedure")) for r in read.rows} - {""}
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=codes)}
    now = timezone.now().astimezone(VN_TZ)
    problems: list[Problem] = []
    planned: list[_Planned] = []
    for row in read.rows:
        item = _plan_row(row, unit=unit, procedures=procedures, now=now, labels=labels, problems=problems)
        if item is not None:
            planned.append(item)

    # The same source code twice in the file, or already imported for the unit.
    rows_of: dict[str, list[int]] = {}
    for row in read.rows:
        external_id = _text(row.get("external_id"))
        if external_id:
            rows_of.setdefault(external_id, []).append(row.number)
    ids = list(rows_of)
    existing: set[str] = set()
    for start in range(0, len(ids), BATCH):
        existing.update(
            Dossier.objects.filter(unit=unit, external_id__in=ids[start : start + BATCH]).values_list(
                "external_id", flat=True
            )
        )
    duplicated: set[int] = set()
    for external_id, numbers in rows_of.items():
        for number in numbers:
            others = [n for n in numbers if n != number]
            if others:
                problems.append(
                    Problem(
                        number,
                        None,
                        _("Dòng %(row)d: mã hồ sơ nguồn “%(id)s” trùng với dòng %(rows)s.")
                        % {"row": number, "id": external_id, "rows": ", ".join(map(str, others))},
                    )
                )
                duplicated.add(number)
            elif external_id in existing:
                problems.append(
                    Problem(
                        number,
                        None,
                        _("Dòng %(row)d: hồ sơ “%(id)s” đã được nhập cho đơn vị.")
                        % {"row": number, "id": external_id},
                    )
                )
                duplicated.add(number)
    # A problem read_table found on a row (a cell merged over several rows) spoils it too.
    spoiled = duplicated | {p.row for p in read.problems if p.row is not None}
    planned = [p for p in planned if p.row not in spoiled]
    result.problems.extend(sorted(problems, key=lambda p: p.row or 0))
    result.total, result.valid = len(read.rows), len(planned)
    if (result.problems and not valid_rows_only) or not planned:
        return result
    result.created = _write(actor=actor, unit=unit, planned=planned, source=source)
    result.written = True
    return result


def _allocate(unit: OrgUnit, planned: list[_Planned]) -> list[str]:
    """Codes for `planned` (in receipt order within each day), advancing the unit's
    counter once per day under its row lock — the bulk form of `dossier_code_allocate`."""
    per_day = Counter(p.values["received_at"].date() for p in planned)
    DossierCounter.objects.bulk_create(
        [DossierCounter(unit=unit, day=day, last=0) for day in per_day],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    counters = []
    days = list(per_day)
    for start in range(0, len(days), BATCH):
        counters += DossierCounter.objects.select_for_update().filter(
            unit=unit, day__in=days[start : start + BATCH]
        )
    next_number = {}
    for counter in counters:
        next_number[counter.day] = counter.last
        counter.last += per_day[counter.day]
    DossierCounter.objects.bulk_update(counters, ["last"], batch_size=BATCH)
    codes = []
    for item in planned:
        day = item.values["received_at"].date()
        next_number[day] += 1
        codes.append(dossier_code(unit_code=unit.code, day=day, number=next_number[day]))
    return codes


class _Rows:
    """Rows of one model inserted by `executemany`, the database choosing the ids.

    Django's `bulk_create` prepares every value through the ORM's compiler, which is
    most of the time of a 10,000-dossier import (some 800,000 values); here only dates
    and JSON are adapted, by the backend's own functions. Columns not given take the
    field's default.
    """

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        ops = connection.ops
        adapters = []
        for f in self.fields:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                adapters.append(_utc_text if connection.vendor == "sqlite" else ops.adapt_datetimefield_value)
            elif kind == "DateField":
                adapters.append(ops.adapt_datefield_value)
            elif kind == "JSONField":
                adapters.append(lambda value, encoder=f.encoder: ops.adapt_json_value(value, encoder))
            elif kind == "FileField":
                adapters.append(str)
            else:
                adapters.append(None)
        self.adapters = list(enumerate(adapters))
        self.rows: list[list] = []

    def add(self, **values) -> None:
        row = [values.get(f.attname, self.defaults[f.attname]) for f in self.fields]
        for index, adapt in self.adapters:
            if adapt is not None and row[index] is not None:
                row[index] = adapt(row[index])
        self.rows.append(row)

    def write(self) -> None:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", self.rows[start : start + BATCH]
                )
        self.rows = []


def _utc_text(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime, without its checks."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _first_and_last_deadlines(received_at: dt.datetime, working_days: int, sheet: list[dict], memo: dict):
    """`step_deadlines(...)[0]` and `[-1]` — what the control sheet of an imported dossier
    needs — from two steps with the same total share, worked out once per day of receipt:
    `add_working_days` keeps the time of day of a start on a working day and counts a
    start on a day off from 00:00 of the next working day, so only the day matters."""
    total = sum(int(s.get("share", 0)) for s in sheet)
    first = int(sheet[0].get("share", 0))
    key = (received_at.date(), working_days, first, total, len(sheet) > 1)
    found = memo.get(key)
    if found is None:
        noon = dt.datetime.combine(received_at.date(), dt.time(12), tzinfo=VN_TZ)
        pair = [{"share": first}, {"share": total - first}] if len(sheet) > 1 else sheet
        deadlines = step_deadlines(start=noon, working_days=working_days, steps=pair)
        found = memo[key] = (deadlines[0], deadlines[-1], is_working_day(received_at.date()))
    head, tail, same_clock = found
    if not same_clock:
        return head, tail
    clock = {
        "hour": received_at.hour,
        "minute": received_at.minute,
        "second": received_at.second,
        "microsecond": received_at.microsecond,
    }
    return head.replace(**clock), tail.replace(**clock)


def _write(*, actor, unit: OrgUnit, planned: list[_Planned], source: str) -> int:
    planned.sort(key=lambda p: (p.values["received_at"], p.row))
    by = actor.pk if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    imported = {"imported": True, "source": source[:200]}
    memo: dict = {}
    with transaction.atomic():
        codes = _allocate(unit, planned)
        dossiers = _Rows(Dossier)
        for code, item in zip(codes, planned, strict=True):
            values = {f"{k}_id" if k in ("procedure", "unit") else k: v for k, v in item.values.items()}
            values["procedure_id"], values["unit_id"] = item.procedure.pk, unit.pk
            dossiers.add(code=code, created_at=now, updated_at=now, **values)
        dossiers.write()
        ids: dict[str, int] = {}
        for start in range(0, len(codes), BATCH):
            ids.update(
                Dossier.objects.filter(code__in=codes[start : start + BATCH]).values_list("code", "id")
            )

        steps, events, trail = _Rows(DossierStep), _Rows(DossierEvent), _Rows(AuditEvent)
        for code, item in zip(codes, planned, strict=True):
            pk, v = ids[code], item.values
            sheet = steps_of(item.procedure)
            received_at, due = v["received_at"], v["due_at"]
            resolved_at, returned_at, closed_at = (
                v.get("resolved_at"),
                v.get("returned_at"),
                v.get("closed_at"),
            )
            # The control sheet as dossier_receive, dossier_resolve and the return leave it.
            first_due, last_due = _first_and_last_deadlines(received_at, v["processing_days"], sheet, memo)
            steps.add(
                dossier_id=pk,
                position=0,
                name=sheet[0]["name"],
                unit_id=unit.pk,
                started_at=received_at,
                due_at=min(first_due, due),
                completed_at=closed_at,
            )
            common = {"dossier_id": pk, "actor_id": by, "unit_id": unit.pk}
            events.add(
                kind=EventKind.RECEIVED,
                at=received_at,
                data={
                    "due_at": due.isoformat(),
                    "channel": v["channel"],
                    "ruleset": v["ruleset"],
                    **imported,
                },
                **common,
            )
            if resolved_at is not None:
                if len(sheet) > 1:
                    steps.add(
                        dossier_id=pk,
                        position=len(sheet) - 1,
                        name=sheet[-1]["name"],
                        unit_id=unit.pk,
                        started_at=resolved_at,
                        due_at=max(min(last_due, due), resolved_at),
                        completed_at=returned_at,
                    )
                events.add(
                    kind=EventKind.RESOLVED,
                    at=resolved_at,
                    data={"outcome": v["outcome"], **imported},
                    **common,
                )
            if returned_at is not None:
                events.add(
                    kind=EventKind.RETURNED,
                    at=returned_at,
                    data={"method": v["return_method"], **imported},
                    **common,
                )
            if v["status"] == DossierStatus.REFUSED:
                events.add(
                    kind=EventKind.REFUSED,
                    at=closed_at,
                    note=v["refusal_reason"][:500],
                    data=imported,
                    **common,
                )
            elif v["status"] == DossierStatus.WITHDRAWN:
                events.add(kind=EventKind.WITHDRAWN, at=closed_at, data=imported, **common)
            trail.add(
                at=now,
                actor_id=by,
                action=AuditEvent.Action.CREATE,
                event="dossier.imported",
                target_type=target_type_of(Dossier),
                target_id=str(pk),
                target_repr=code,
                changes={"external_id": [None, v["external_id"]], "source": [None, source]},
            )
        steps.write()
        events.write()
        trail.write()
    return len(codes)
