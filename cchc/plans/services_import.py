"""Importing a plan's task appendix from Excel.

Provinces keep their appendices in Word and paste them into Excel, so the sheet has what
the printed table had (seeds 001 and 003): a title above the header, the header repeated
on every page, group rows ("I | Công tác chỉ đạo…", "VI. Cải cách tài chính công" in the
first cell, "1." with the title beside it), a task's cells broken over two rows by a page
break, and units written as people write them ("Phòng TCCB", "Các phòng, Thanh tra Sở").

All or nothing: a file with any problem creates nothing and every problem is returned,
each with its row and column, for the user to fix the file; only when the user confirms
(`only_valid=True`) are the valid tasks created — all of them in one transaction, each
through `services.task_add`, so each is validated and audited like a task typed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cchc.core.errors import DomainError
from cchc.core.text import fold
from cchc.documents.spreadsheets import MAX_FILE_BYTES, Problem, read_table
from cchc.orgs.scoping import Perm, scope_for

from . import services
from .appendix_rows import area_for_title
from .appendix_rows import area_scores as _area_scores
from .appendix_rows import continues as _continues_row
from .appendix_rows import group_of as _group_of
from .excel import task_columns
from .models import Plan, PlanStatus, ReformArea, TimeframeKind
from .timeframes import interpret_timeframe
from .unit_refs import UnitReferenceResolver

IMPORTABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.ISSUED)
FIELDS = ("content", "deliverable", "timeframe", "lead", "coordinating", "note")

# What a person means as a date: "31/02/2022", "Tháng 13/2022", "ngày 5", "Quý V/2022".
_LOOKS_LIKE_DATE = re.compile(
    r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\b|\b(?:thang|quy|ngay)\s*(?:\d{1,2}|[ivx]{1,4})\b|\b(?:19|20)\d{2}\b"
)


@dataclass
class ImportResult:
    """`created` tasks (0 unless the file had no problem or `only_valid`), the
    `problems` found, and how many tasks of the file were `valid`."""

    created: int
    problems: list[Problem] = field(default_factory=list)
    valid: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Cell:
    text: str = ""
    row: int | None = None  # the first row the text came from

    def add(self, text: str, row: int) -> None:
        if not text:
            return
        self.text = f"{self.text} {text}".strip() if self.text else text
        if self.row is None:
            self.row = row


@dataclass
class _Draft:
    """A task read from one row and the rows continuing it after a page break."""

    row: int
    number: str
    group: str
    group_key: int
    cells: dict[str, _Cell]
    problems: list[Problem] = field(default_factory=list)

    def text(self, key: str) -> str:
        return " ".join(self.cells[key].text.split())


def tasks_import(*, actor, plan: Plan, file, only_valid: bool = False) -> ImportResult:
    """Add the tasks of an Excel appendix to `plan` (managers of its issuer, draft or
    issued plans): all of them when the file has no problem; with `only_valid=True`,
    the valid ones; never a part of them. `file` is an upload, a file object, bytes or a
    path. Raises DomainError only when the file cannot be read at all."""
    plan = Plan.objects.select_related("issuer").get(pk=plan.pk)  # its status now
    if actor is not None:  # None: the system (demo data, management commands)
        scope_for(actor).require(Perm.MANAGE_PLANS, plan.issuer)
    if plan.status not in IMPORTABLE_STATUSES:
        raise DomainError(
            _("Kế hoạch đang ở trạng thái “%(status)s”, không nhập thêm nhiệm vụ được.")
            % {"status": plan.get_status_display()},
            code="invalid_status",
        )
    data = _bytes_of(file)
    read = read_table(data, columns=task_columns())
    problems = list(read.problems)
    if read.header_row is None or any(p.column is None and p.row == read.header_row for p in problems):
        return ImportResult(created=0, problems=problems)  # no table, or a column missing
    letters = _column_letters(data, read.sheet, read.header_row)

    drafts = _drafts(read.rows, letters, problems)
    areas = _areas_of_groups(drafts)
    resolver = UnitReferenceResolver(plan.issuer)
    prepared = []
    for draft in drafts:
        prepared.append((draft, _prepare(draft, plan, resolver, letters)))
    problems.extend(p for draft in drafts for p in draft.problems)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    # A problem outside any task (a merged block) spoils the rows it spans.
    spoiled = {p.row for p in read.problems if p.row is not None}
    valid = [(d, kwargs) for d, kwargs in prepared
             if not d.problems and not (spoiled & set(_rows_of(d)))]
    result = ImportResult(created=0, problems=problems, valid=len(valid), total=len(drafts))
    if problems and not only_valid:
        return result
    with transaction.atomic():
        # Locked: two imports into one plan would interleave their tasks' order.
        issuer = plan.issuer
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.issuer = issuer
        if plan.status not in IMPORTABLE_STATUSES:
            raise DomainError(_("Kế hoạch vừa được chuyển trạng thái, không nhập thêm nhiệm vụ được."),
                              code="invalid_status")
        for draft, kwargs in valid:
            services.task_add(actor=actor, plan=plan, area=areas.get(draft.group_key), **kwargs)
    result.created = len(valid)
    return result


# --- reading the rows --------------------------------------------------------------------


def _bytes_of(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        return file.read(MAX_FILE_BYTES + 1)
    with open(file, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def _column_letters(data: bytes, sheet: str | None, header_row: int) -> dict[str, str]:
    """The Excel letter of each column `read_table` found, for "Dòng 7, cột D: …"."""
    import io

    names = {}
    for column in task_columns():
        for name in (column.label, *column.aliases):
            names.setdefault(_header_key(name), column.key)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.active
        values = next(worksheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ())
    finally:
        workbook.close()
    letters: dict[str, str] = {}
    for index, value in enumerate(values, start=1):
        key = names.get(_header_key(str(value or "")))
        if key and key not in letters:
            letters[key] = get_column_letter(index)
    return letters


def _header_key(text: str) -> str:
    return re.sub(r"\(\*\)|\*", "", fold(text)).strip(" :.").strip()


def _text(value) -> str:
    """A cell as text: numbers as written, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _drafts(rows, letters: dict[str, str], problems: list[Problem]) -> list[_Draft]:
    drafts: list[_Draft] = []
    group, group_key = "", 0
    current: _Draft | None = None  # the last task of the current group
    for row in rows:
        number = _text(row.get("number"))
        cells = {key: _text(row.get(key)) for key in FIELDS}
        opened = _group_of(number, cells)
        if opened is not None:
            label, title = opened
            group, group_key, current = f"{label}. {title}", group_key + 1, None
            continue
        if not number and current is not None and _continues_row(cells):
            for key in FIELDS:
                current.cells[key].add(cells[key], row.number)
            continue
        current = _Draft(row=row.number, number=number, group=group, group_key=group_key,
                         cells={key: _Cell() for key in FIELDS})
        for key in FIELDS:
            current.cells[key].add(cells[key], row.number)
        drafts.append(current)
    return drafts


def _rows_of(draft: _Draft) -> list[int]:
    rows = {draft.row} | {cell.row for cell in draft.cells.values() if cell.row is not None}
    return sorted(rows)


# --- checking one task ------------------------------------------------------------------


def _problem(draft: _Draft, key: str, letters: dict[str, str], message: str) -> None:
    row = draft.cells[key].row or draft.row
    letter = letters.get(key, "")
    draft.problems.append(Problem(row, letter, _("Dòng %(row)d, cột %(col)s: %(msg)s")
                                  % {"row": row, "col": letter, "msg": message}))


def _prepare(draft: _Draft, plan: Plan, resolver: UnitReferenceResolver, letters) -> dict:
    """The arguments of `task_add` for `draft`, its problems noted on it."""
    content = draft.text("content")
    if not content:
        _problem(draft, "content", letters, _("thiếu nội dung nhiệm vụ."))

    timeframe_text = draft.text("timeframe")
    if timeframe_text:
        timeframe = interpret_timeframe(timeframe_text, plan_year=plan.period_start.year,
                                        plan_start=plan.period_start, plan_end=plan.period_end)
        if timeframe.kind == TimeframeKind.UNKNOWN and _LOOKS_LIKE_DATE.search(fold(timeframe_text)):
            _problem(draft, "timeframe", letters,
                     _("không hiểu thời gian “%(text)s”.") % {"text": timeframe_text})

    lead_text = draft.text("lead")
    lead_unit = None
    if lead_text:
        reference = resolver.resolve(lead_text)
        for part in reference.unmatched:
            _problem(draft, "lead", letters, _("không tìm thấy đơn vị “%(name)s”.") % {"name": part})
        units = reference.units if not reference.unmatched else []
        lead_unit = units[0] if len(units) == 1 else None

    coordinating_text = draft.text("coordinating")
    # Outside bodies ("Sở Nội vụ") stay as written: the units found are linked, no error.
    coordinating_units = resolver.resolve(coordinating_text).units if coordinating_text else []
    return {
        "content": content,
        "deliverable": draft.text("deliverable"),
        "timeframe_text": timeframe_text,
        "lead_unit": lead_unit,
        "lead_text": lead_text,
        "coordinating_units": coordinating_units,
        "coordinating_text": coordinating_text,
        "note": draft.text("note"),
        "group": draft.group,
        "number": draft.number,
    }


# --- the reform area of a group -----------------------------------------------------------


def _areas_of_groups(drafts: list[_Draft]) -> dict[int, ReformArea | None]:
    """Each group's area from its title; when the title names none ("Cải cách TTTC", a
    typo), from the words of its tasks, the area most of them speak of."""
    areas = list(ReformArea.objects.filter(is_active=True).order_by("taxonomy", "order"))
    if not areas:
        return {}
    by_pk = {area.pk: area for area in areas}
    titles: dict[int, str] = {}
    contents: dict[int, list[str]] = {}
    for draft in drafts:
        if draft.group:
            titles.setdefault(draft.group_key, draft.group.split(". ", 1)[-1])
            contents.setdefault(draft.group_key, []).append(draft.text("content"))
    found: dict[int, ReformArea | None] = {}
    for key, title in titles.items():
        area = area_for_title(title, areas)
        if area is None:
            totals: dict[int, int] = {}
            for content in contents[key]:
                for pk, score in _area_scores(content, areas).items():
                    totals[pk] = totals.get(pk, 0) + score
            if totals:
                area = by_pk[max(totals, key=totals.get)]
        found[key] = area
    return found
