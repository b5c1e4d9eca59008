"""Excel in and out for every import and export of the product (openpyxl).

Writing: `write_table` puts a titled, bordered table on a sheet with every text cell
neutralised against formula injection; `workbook_response` sends the workbook.

Reading: `read_table` finds the table in what people really upload — a title above the
header, header names typed without diacritics or with the synonyms each province uses,
merged cells, blank rows, the header repeated on every page of a table pasted from Word
— and returns the rows with their Excel row numbers plus the problems, each worded for
the person who has to fix the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.errors import DomainError
from cchc.core.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before openpyxl
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 30

# Excel, LibreOffice and Google Sheets evaluate text starting with these as a formula
# (OWASP "CSV injection"); "-" and "+" also start Vietnamese bullet lines, kept as text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ---- writing -------------------------------------------------------------------------


def set_text(cell, value: str) -> None:
    """Store `value` as a literal string that no spreadsheet will evaluate.

    `data_type = "s"` keeps openpyxl from writing a formula, and the cell's quotePrefix
    (what Excel sets when you type a leading apostrophe) keeps Excel showing and
    re-saving it as text; reading back gives exactly `value`, no apostrophe added.
    """
    value = xml_safe(value)
    cell.value = value
    if value.startswith(_FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def xml_safe(value: str) -> str:
    """`value` without the control characters that XML, hence a worksheet or a Word file,
    cannot hold (openpyxl and python-docx refuse them, so one pasted into a field made the
    whole export fail); Word's manual line break (vertical tab) and the form feed become
    line breaks."""
    if ILLEGAL_CHARACTERS_RE.search(value) is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)


def write_cell(cell, value: Any) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def write_table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                title: str | None = None, column_widths: Sequence[float] | None = None,
                start_row: int = 1) -> int:
    """Write a table and return the number of the next free row.

    `title` goes above, merged across the table; the header row is bold, repeats on
    every printed page and stays frozen on screen. `column_widths` in Excel characters.
    """
    row_number = start_row
    columns = len(header)
    if title:
        cell = sheet.cell(row=row_number, column=1)
        set_text(cell, title)
        cell.font = Font(bold=True, size=13)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if columns > 1:
            sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number,
                              end_column=columns)
        row_number += 2

    header_row = row_number
    for index, label in enumerate(header, start=1):
        cell = sheet.cell(row=header_row, column=index)
        set_text(cell, str(label))
        cell.font = Font(bold=True)
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_number += 1

    for values in rows:
        values = list(values)
        if len(values) > columns:
            raise ValueError(f"Row has {len(values)} values for {columns} columns")
        for index in range(columns):
            cell = sheet.cell(row=row_number, column=index + 1)
            write_cell(cell, values[index] if index < len(values) else None)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        row_number += 1

    for index in range(columns):
        width = column_widths[index] if column_widths else max(10, min(50, len(str(header[index])) + 4))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape" if columns > 5 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return row_number


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    """A download of `wb`; the Vietnamese file name survives through RFC 6266 `filename*`."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An expected column. `parse(value)` turns a non-empty cell value into the Python
    value or raises DomainError with a message such as "không hiểu ngày “31/02/2022”.".

    `fill_merged=True` copies a value merged down several rows into each of them (one
    deadline for a block of tasks); otherwise such a merge is reported as a problem.
    """

    key: str
    label: str
    aliases: Sequence[str] = ()
    required: bool = True
    parse: Callable[[Any], Any] | None = None
    fill_merged: bool = False


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None  # the Excel column letter
    message: str  # a whole sentence, row and column included

    def __str__(self) -> str:
        return self.message


class Row(dict):
    """A data row keyed by Column.key; `number` is its row number in Excel."""

    def __init__(self, number: int, values: Mapping[str, Any]):
        super().__init__(values)
        self.number = number


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str | None = None
    header_row: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _quoted(label: str) -> str:
    return f"“{label}”"


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")


def _is_column_number_row(texts: Sequence[str]) -> bool:
    """"(1) (2) (3) …" under the header of many official tables: not data."""
    numbers = []
    for text in texts:
        if not text:
            continue
        match = _COLUMN_NUMBER.match(text.strip())
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _load(file) -> Any:
    """Bytes of an upload, a file object, bytes or a path → an openpyxl workbook."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    else:
        with open(file, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_("Tệp Excel quá lớn (tối đa %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 2**20},
                          code="excel_too_large")
    if data.startswith(_OLE2):
        raise DomainError(
            _("Không đọc được tệp Excel: tệp có đặt mật khẩu hoặc là định dạng .xls cũ. "
              "Hãy mở tệp và lưu lại dạng .xlsx, không đặt mật khẩu."),
            code="excel_unreadable",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DomainError(_("Không đọc được tệp Excel: tệp không phải dạng .xlsx hoặc đã bị hỏng."),
                          code="excel_unreadable") from None
    if "xl/workbook.xml" not in names:
        raise DomainError(_("Không đọc được tệp Excel: tệp không phải dạng .xlsx hoặc đã bị hỏng."),
                          code="excel_unreadable")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DomainError(_("Không đọc được tệp Excel: nội dung giải nén quá lớn."),
                          code="excel_too_large")
    try:
        # Normal mode, not read_only: merged cell ranges are only known in normal mode.
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises anything from KeyError to lxml errors
        raise DomainError(_("Không đọc được tệp Excel: %(error)s") % {"error": _describe(error)},
                          code="excel_unreadable") from error


def _describe(error: Exception) -> str:
    text = str(error).strip()
    return text[:200] if text else error.__class__.__name__


def _matchers(columns: Sequence[Column], header_aliases: Mapping[str, Sequence[str]] | None):
    """Folded header text → column key."""
    names: dict[str, str] = {}
    for column in columns:
        extra = (header_aliases or {}).get(column.key, ()) or (header_aliases or {}).get(column.label, ())
        for name in (column.label, *column.aliases, *extra):
            names.setdefault(_fold_header(name), column.key)
    return names


def _fold_header(text: str) -> str:
    # "Thời gian\nthực hiện (*)" and "Thời gian thực hiện:" match "Thời gian thực hiện".
    folded = fold(text)
    folded = re.sub(r"\(\*\)|\*", "", folded)
    return folded.strip(" :.").strip()


def _header_positions(values: Sequence[Any], matchers: Mapping[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = matchers.get(_fold_header(_cell_text(value)))
        if key is not None and key not in found:
            found[key] = index
    return found


def read_table(file, *, columns: Sequence[Column],
               header_aliases: Mapping[str, Sequence[str]] | None = None,
               sheet: str | None = None, max_rows: int = MAX_ROWS) -> ReadResult:
    """Rows of the table whose header names `columns`, with the problems found.

    Raises DomainError only when the file cannot be read at all; everything else —
    missing columns, unreadable values, merged cells — is a Problem with its row.
    """
    workbook = _load(file)
    matchers = _matchers(columns, header_aliases)
    required = {c.key for c in columns if c.required}

    def looks_like_header(positions: Mapping[str, int]) -> bool:
        # Two names at least (a title cell may say "Nội dung"), half the required ones.
        return (len(positions) >= min(2, len(columns))
                and 2 * len(required & positions.keys()) >= len(required))

    if sheet is not None:
        if sheet not in workbook.sheetnames:
            raise DomainError(_("Tệp Excel không có trang tính %(name)s.") % {"name": _quoted(sheet)},
                              code="excel_sheet_missing")
        candidates = [workbook[sheet]]
    else:
        active = workbook.active
        candidates = [active] + [ws for ws in workbook.worksheets if ws is not active]

    for worksheet in candidates:
        filled = _filled_rows(worksheet)
        if len(filled) > max_rows + HEADER_SEARCH_ROWS:
            raise DomainError(_("Trang tính %(name)s có hơn %(max)s dòng; hãy chia nhỏ tệp.")
                              % {"name": _quoted(worksheet.title), "max": f"{max_rows:,}".replace(",", ".")},
                              code="excel_too_many_rows")
        for number, values in enumerate(
            worksheet.iter_rows(max_row=min(worksheet.max_row, HEADER_SEARCH_ROWS),
                                max_col=min(worksheet.max_column, 100), values_only=True),
            start=1,
        ):
            positions = _header_positions(values, matchers)
            if looks_like_header(positions):
                last_row = max(filled, default=number)
                return _read_rows(worksheet, number, last_row, positions, columns, matchers, max_rows)

    labels = ", ".join(_quoted(c.label) for c in columns if c.required)
    return ReadResult(problems=[Problem(None, None, _(
        "Không tìm thấy dòng tiêu đề của bảng. Bảng cần có các cột: %(labels)s.") % {"labels": labels})])


def _filled_rows(worksheet) -> set[int]:
    """Rows holding a value, from the parsed cells: `max_row` counts rows that are only
    formatted (often down to 1,048,576), and walking those would create every cell."""
    return {row for (row, _col), cell in worksheet._cells.items() if cell.value is not None}


def _read_rows(worksheet, header_row: int, last_row: int, positions: dict[str, int],
               columns: Sequence[Column], matchers: Mapping[str, str], max_rows: int) -> ReadResult:
    result = ReadResult(sheet=worksheet.title, header_row=header_row)
    missing = [c for c in columns if c.required and c.key not in positions]
    if missing:
        if len(missing) == 1:
            message = _("Thiếu cột %(label)s.") % {"label": _quoted(missing[0].label)}
        else:
            message = _("Thiếu các cột %(labels)s.") % {
                "labels": ", ".join(_quoted(c.label) for c in missing)}
        result.problems.append(Problem(header_row, None, message))
        return result

    by_key = {c.key: c for c in columns}
    index_to_key = {index: key for key, index in positions.items()}
    fill_down, merge_problems = _merged_cells(worksheet, header_row, index_to_key, by_key)
    result.problems.extend(merge_problems)

    data_rows = 0
    for number, values in enumerate(
        worksheet.iter_rows(min_row=header_row + 1, max_row=last_row,
                            max_col=max(positions.values()) + 1, values_only=True),
        start=header_row + 1,
    ):
        values = list(values)
        cells = {key: _clean(values[index]) if index < len(values) else None
                 for key, index in positions.items()}
        for key in cells:
            if cells[key] is None and (number, positions[key]) in fill_down:
                cells[key] = fill_down[(number, positions[key])]
        if all(value is None for value in cells.values()):
            continue
        texts = [_cell_text(values[i]) if i < len(values) else "" for i in sorted(positions.values())]
        if len(_header_positions(values, matchers)) >= max(1, (len(positions) + 1) // 2):
            continue  # the header again: tables pasted from Word repeat it on every page
        if _is_column_number_row(texts):
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise DomainError(_("Bảng có hơn %(max)s dòng; hãy chia nhỏ tệp.")
                              % {"max": f"{max_rows:,}".replace(",", ".")}, code="excel_too_many_rows")
        row = Row(number, {})
        for key, value in cells.items():
            column = by_key[key]
            if value is not None and column.parse is not None:
                try:
                    value = column.parse(value)
                except DomainError as error:
                    letter = get_column_letter(positions[key] + 1)
                    result.problems.append(Problem(number, letter, _("Dòng %(row)d, cột %(col)s: %(msg)s")
                                                   % {"row": number, "col": letter, "msg": error.message}))
                    value = None
            row[key] = value
        result.rows.append(row)
    return result


def _merged_cells(worksheet, header_row: int, index_to_key: Mapping[int, str],
                  by_key: Mapping[str, Column]):
    """Merged ranges below the header: what to copy down, and what to report.

    openpyxl already leaves the value in the top-left cell only. A merge across columns
    of one row (a group title "I. Cải cách thể chế") is fine. A merge down several rows
    in a data column means those rows share one value: copied when the column allows
    it, otherwise reported once, since each row needs its own value.
    """
    fill: dict[tuple[int, int], Any] = {}
    problems: list[Problem] = []
    for merged in worksheet.merged_cells.ranges:
        if merged.max_row <= header_row or merged.min_row == merged.max_row:
            continue
        top_left = _clean(worksheet.cell(merged.min_row, merged.min_col).value)
        for col in range(merged.min_col, merged.max_col + 1):
            key = index_to_key.get(col - 1)
            if key is None:
                continue
            if by_key[key].fill_merged:
                for row in range(max(merged.min_row, header_row + 1), merged.max_row + 1):
                    if col == merged.min_col:
                        fill[(row, col - 1)] = top_left
                continue
            letter = get_column_letter(col)
            problems.append(Problem(merged.min_row, letter, _(
                "Dòng %(first)d–%(last)d, cột %(col)s: ô gộp nhiều dòng; hãy bỏ gộp ô và ghi "
                "%(label)s cho từng dòng.") % {"first": merged.min_row, "last": merged.max_row,
                                              "col": letter, "label": _quoted(by_key[key].label)}))
            break
    return fill, problems
