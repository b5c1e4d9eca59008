"""The tasks of a plan: its appendix table, or else the bullets of its key-task section.

**Appendix tables** (seeds 001, 003). The header row is found by its column names
(folded; the names and aliases of `cchc.plans.excel.task_columns`: "STT"/"TT", "Nội
dung"/"Nhiệm vụ cụ thể", "Kết quả"/"Sản phẩm", "Thời gian thực hiện", "Cơ quan/Đơn vị
chủ trì", "… phối hợp", "Ghi chú"), in any order. Below it the rows are read with the
rules the Excel import uses (`cchc.plans.appendix_rows`):

- a group row ("I | Công tác chỉ đạo…", "VI. Cải cách tài chính công" in the first cell,
  "1. | Tham gia của người dân ở cấp cơ sở" with the other cells empty) sets the `group`
  of the tasks below it, and their `area` (the reform area or PAPI dimension it names);
- a numbered row ("1", "1.1", "2.3.") starts a task, `source_line` its line;
- a row without a number continues the task above cell by cell (a page break split it:
  "| | của UBND |", "| năm 2022 | | Quyết định UBND tỉnh | | tra Sở…"), unless it
  starts a task of its own (capitalised content and its own lead unit, as seed 003's
  unnumbered task under "7. Quản trị môi trường"), or comes right after a group row;
- the header repeated on every page is skipped, and so are rows with a number but no
  content; lines that are not rows (page numbers, OCR debris of a stamp) are ignored —
  the table goes on after them.

**Key-task bullets** (seeds 000, 002, 004), only when the document has no task table —
when it has both (seed 001's "III. NHIỆM VỤ TRỌNG TÂM" and its appendix; seed 003's
"II. NỘI DUNG" and its "Biểu tổng hợp nhiệm vụ"), the bullets are summaries of the
table's rows and the table wins. Sections read: a roman-numbered heading titled "NHIỆM VỤ
TRỌNG TÂM", "NHIỆM VỤ (VÀ GIẢI PHÁP|CỤ THỂ|CHỦ YẾU)", "GIẢI PHÁP", "NỘI DUNG (THỰC
HIỆN)" (key tasks) or "LỘ TRÌNH/TIẾN ĐỘ THỰC HIỆN" (a schedule), with or without
diacritics. In them:

- a bullet ("- …", "+ …", "· …") is a task; the lines after it that are not a bullet, a
  numbered line or a heading continue it (a wrapped line, or a page break's tail);
- a numbered line ("1. Về công tác chỉ đạo…", "a) …") or a plain line ("Năm 2024") that
  bullets follow is a heading: the `group` of those bullets and, through it, their `area`;
- a numbered line that no bullet follows is a task itself (seed 000's "1. Giai đoạn
  2021-2023: Dự kiến Sơ kết vào tháng 11/2023", seed 004's "2. Sở … tổ chức tổng kết …");
  its group is None (the section is not a group);
- `lead` and `coordinating` stay None: a key task names no unit, and the issuer is not
  invented as its lead; `deliverable` is None;
- `timeframe` is None in a key-task section; in a schedule it is the deadline the item
  writes ("trước ngày 31 tháng 10 năm 2024", "vào tháng 11/2023" → "tháng 11/2023"), else
  its year heading ("Năm 2024").

Seed 004 (an emulation launch): its "Nội dung thi đua" are criteria (the indicators'
business), its rounds are the reporting rules; its tasks are the seven items of "III.
TIẾN ĐỘ THỰC HIỆN", per year. Seed 000's duties in "TỔ CHỨC THỰC HIỆN" are assignments of
responsibility, not tasks, and are not read.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from cchc.core.text import fold
from cchc.plans.appendix_rows import area_for_title, area_scores, continues, group_of

from ..document import Document, Line
from ..draft import DraftTask

FIELDS = ("content", "deliverable", "timeframe", "lead", "coordinating", "note")

# --- the reform areas ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _areas() -> tuple[SimpleNamespace, ...]:
    """The reform areas and PAPI dimensions as the migration loads them (no query)."""
    module = importlib.import_module("cchc.plans.migrations.0002_reform_areas")
    rows = []
    for taxonomy, items in (("programme", module.PROGRAMME), ("papi", module.PAPI)):
        for order, (key, name, keywords) in enumerate(items, start=1):
            rows.append(SimpleNamespace(pk=key, key=key, name=name, keywords=keywords, order=order,
                                        taxonomy=taxonomy))
    return tuple(rows)


# Titles as OCR leaves them ("Cai cach t6 chirc bd may", "Cai cach ché @9 cong vu").
_TITLE_PATTERNS = (
    ("procedures", re.compile(r"\bth\w{0,2} tuc hanh chinh\b|\btthc\b|\bmot cua\b")),
    ("institutions", re.compile(r"\bthe che\b|\bquy pham phap luat\b|\bqppl\b")),
    ("apparatus", re.compile(r"\bb[od]\w? may\b|\bbien che\b")),
    ("civil_service", re.compile(r"\bcong vu\b|\bcan b\w{0,2},? cong ch|\bcong chuc, vien chuc\b")),
    ("public_finance", re.compile(r"\btai chinh\b")),
    ("digital_government", re.compile(r"\bdien tu\b|\bchinh (?:quyen|phu) so\b|\bhien dai hoa\b|\bcntt\b"
                                      r"|\bcong nghe thong tin\b|\bchuyen doi so\b")),
    ("direction", re.compile(r"\bchi dao\b|\bdieu hanh\b|\bthi dua\b|\bso ket\b|\btong ket\b")),
)
_LEADING_NUMBER = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.):\-–]?\s+", re.I)


def _area_of_title(title: str | None, path: Sequence[str]) -> str | None:
    if not title:
        return None
    try:
        from .areas import area_for  # lands separately
    except ImportError:
        area_for = None
    if area_for is not None:
        found = area_for(title, list(path))
        if found:
            return found
    bare = _LEADING_NUMBER.sub("", title, count=1)
    areas = _areas()
    words = " ".join(re.findall(r"[a-z0-9]+", fold(bare)))
    for area in areas:  # a PAPI dimension or an area named exactly
        if " ".join(re.findall(r"[a-z0-9]+", fold(area.name))) == words:
            return area.key
    folded = fold(bare)
    for key, pattern in _TITLE_PATTERNS:
        if pattern.search(folded):
            return key
    area = area_for_title(bare, [a for a in areas if a.taxonomy == "programme"])
    return area.key if area is not None else None


def _area_of_contents(contents: Sequence[str]) -> str | None:
    """The area most of the contents speak of (a group title naming none: "Cải cách
    TTTC", "Năm 2024")."""
    programme = [a for a in _areas() if a.taxonomy == "programme"]
    totals: dict[str, int] = {}
    for content in contents:
        folded = fold(content)
        for key, pattern in _TITLE_PATTERNS:
            if pattern.search(folded):
                totals[key] = totals.get(key, 0) + 1
        for key, score in area_scores(content, programme).items():
            totals[key] = totals.get(key, 0) + score
    return max(totals, key=totals.get) if totals else None


def _fill_areas(tasks: list[DraftTask], taxonomy_of_groups: dict[str | None, str | None]) -> None:
    by_group: dict[str | None, list[DraftTask]] = {}
    for task in tasks:
        by_group.setdefault(task.group, []).append(task)
    for group, members in by_group.items():
        area = taxonomy_of_groups.get(group)
        if area is None:
            area = _area_of_contents([t.content for t in members]) if group else None
        for task in members:
            task.area = area if group else _area_of_contents([task.content])


# --- text helpers -----------------------------------------------------------------------


def _clean(text: str | None) -> str:
    text = re.sub(r"\*\*|__|^#+\s*", "", text or "")
    return " ".join(text.split())


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a else b


def _or_none(text: str) -> str | None:
    return " ".join(text.split()) or None


# --- appendix tables --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _header_names() -> dict[str, str]:
    from cchc.plans.excel import task_columns

    names: dict[str, str] = {}
    for column in task_columns():
        for name in (column.label, *column.aliases):
            names.setdefault(_header_key(name), column.key)
    for name, key in (("nhiem vu", "content"), ("noi dung cong viec", "content"),
                      ("co quan thuc hien", "lead"), ("don vi thuc hien", "lead"),
                      ("thoi gian hoan thanh", "timeframe")):
        names.setdefault(name, key)
    return names


def _header_key(text: str) -> str:
    return re.sub(r"\(\*\)|\*", "", fold(text)).strip(" :.").strip()


def _header(cells: Sequence[str]) -> dict[int, str] | None:
    """Column index → field, when the row is a task table's header."""
    names = _header_names()
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        key = names.get(_header_key(cell))
        if key and key not in found.values():
            found[index] = key
    keys = set(found.values())
    if "content" in keys and len(keys & {"number", "deliverable", "timeframe", "lead", "coordinating"}) >= 2:
        return found
    return None


def _row_values(cells: Sequence[str], columns: dict[int, str]) -> tuple[str, dict[str, str]]:
    values = {key: "" for key in FIELDS}
    number = ""
    texts = [_clean(cell) for cell in cells]
    for index, key in columns.items():
        if index < len(texts):
            if key == "number":
                number = texts[index]
            else:
                values[key] = texts[index]
    # A title merged across the row and repeated in each cell by the reader: a group row.
    others = [values[key] for key in FIELDS if key != "content" and values[key]]
    if values["content"] and others and all(v == values["content"] for v in others):
        for key in FIELDS:
            if key != "content":
                values[key] = ""
    if number and number == values["content"]:  # merged over STT too
        values["content"] = ""
    return number, values


@dataclass
class _Building:
    line: int
    group: str | None
    values: dict[str, str] = field(default_factory=dict)

    def add(self, values: dict[str, str]) -> None:
        for key in FIELDS:
            if values.get(key):
                self.values[key] = _join(self.values.get(key, ""), values[key])

    def task(self) -> DraftTask:
        return DraftTask(
            content=_or_none(self.values.get("content", "")) or "",
            deliverable=_or_none(self.values.get("deliverable", "")),
            timeframe=_or_none(self.values.get("timeframe", "")),
            lead=_or_none(self.values.get("lead", "")),
            coordinating=_or_none(self.values.get("coordinating", "")),
            note=_or_none(self.values.get("note", "")),
            group=self.group,
            source_line=self.line,
        )


def _table_tasks(document: Document) -> list[DraftTask]:
    columns: dict[int, str] | None = None
    group: str | None = None
    building: list[_Building] = []
    current: _Building | None = None
    for line in document.lines:
        if not line.is_row:
            continue  # page numbers, stamp debris, body text between tables
        header = _header(line.cells)
        if header is not None:
            if columns is not None and set(header.values()) != set(columns.values()):
                group, current = None, None  # another table
            columns = header
            continue
        if columns is None:
            continue
        number, values = _row_values(line.cells, columns)
        if not number and not any(values.values()):
            continue
        opened = group_of(number, values)
        if opened is not None:
            label, title = opened
            group, current = f"{label}. {_clean(title)}", None
            continue
        if not number:
            if current is not None and continues(values):
                current.add(values)
                continue
            if not values["content"]:
                continue
        elif not values["content"]:
            continue  # a number and nothing else
        current = _Building(line=line.number, group=group)
        current.add(values)
        building.append(current)
    tasks = [b.task() for b in building if b.values.get("content")]
    groups = {task.group: _area_of_title(_title_of(task.group), [task.group]) for task in tasks if task.group}
    _fill_areas(tasks, groups)
    return tasks


def _title_of(group: str | None) -> str | None:
    return _LEADING_NUMBER.sub("", group, count=1) if group else None


# --- key-task bullets -------------------------------------------------------------------

_ROMAN_HEADING = re.compile(r"^([IVXLC]{1,5})\s*[.)/:\-–]\s*(\S.*)$")
_TASK_SECTION = re.compile(
    r"^(?:nhiem vu trong tam|nhiem vu (?:va giai phap|cu the|chu yeu)|cac nhiem vu|giai phap"
    r"|noi dung(?: thu\W?c hien)?$|noi dung (?:nhiem vu|va giai phap|cong viec))"
)
_SCHEDULE_SECTION = re.compile(r"^(?:lo trinh|tien do)(?: thu\W?c hien)?\b")
_BULLET = re.compile(r"^[-–+•·*]\s*(?=\S)")
_NUMBERED = re.compile(r"^(?:\d{1,2}|[a-zđ])\s*[.)]\s*(?=\S)")
_END_PUNCTUATION = re.compile(r"[.:;!?]\s*$")
_DEADLINE = re.compile(
    r"\b(?:(?P<keep>truoc|den|cham nhat)|vao)\s+"
    r"(?P<when>(?:ngay\s+)?\d{1,2}\s*(?:/\s*\d{1,2}(?:\s*/\s*\d{4})?|\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?)"
    r"|thang\s+\d{1,2}(?:\s*/\s*\d{4}|\s+nam\s+\d{4})?|quy\s+[ivx]{1,3}(?:\s*/\s*\d{4})?)"
)
_YEAR_HEADING = re.compile(r"^(?:nam|giai doan)\s+\d{4}(?:\s*-\s*\d{4})?$")


def _fold_same_length(text: str) -> str:
    """`fold` char by char, so that positions in the result are positions in `text`."""
    out = []
    for ch in text:
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else ch.lower())
    return "".join(out)


def _section_kind(line: Line) -> str | None | bool:
    """"tasks" / "schedule" for a task section's heading, None for another section's
    heading, False when the line is not a roman-numbered heading."""
    text = _clean(line.text)
    match = _ROMAN_HEADING.match(text)
    if not match:
        return False
    title = match.group(2)
    head = title.split("(")[0]
    letters = [ch for ch in head if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) < 0.7 * len(letters):
        return False
    folded = fold(head).strip(" .:")
    if _TASK_SECTION.search(folded):
        return "tasks"
    if _SCHEDULE_SECTION.search(folded):
        return "schedule"
    return None


@dataclass
class _Block:
    kind: str  # "bullet" | "numbered" | "plain"
    line: int
    text: str
    last_line: int


def _blocks(lines: list[Line]) -> list[_Block]:
    """The section's lines as blocks: a bullet, numbered or plain line with the lines
    that continue it (a wrapped line; a page break's tail starting in lower case)."""
    blocks: list[_Block] = []
    for line in lines:
        if line.is_row:
            continue
        text = _clean(line.text)
        if not text:
            continue
        if _BULLET.match(text):
            blocks.append(_Block("bullet", line.number, _BULLET.sub("", text, count=1), line.number))
            continue
        if _NUMBERED.match(text) and not re.match(r"^\d{1,2}\s*[.)]\s*\d", text):
            blocks.append(_Block("numbered", line.number, text, line.number))
            continue
        previous = blocks[-1] if blocks else None
        if previous is not None and (
            _starts_lower(text)
            or (line.number == previous.last_line + 1 and not _END_PUNCTUATION.search(previous.text))
        ):
            previous.text = _join(previous.text, text)
            previous.last_line = line.number
            continue
        blocks.append(_Block("plain", line.number, text, line.number))
    return blocks


def _starts_lower(text: str) -> bool:
    first = text.lstrip(" \"“(")[:1]
    return bool(first) and not (first.isalpha() and first.isupper())


def _heading_text(text: str) -> str:
    return _clean(text).rstrip(" :")


def _bullet_tasks(document: Document) -> list[DraftTask]:
    sections: list[tuple[str, list[Line]]] = []
    current: list[Line] | None = None
    for line in document.lines:
        kind = _section_kind(line)
        if kind is not False:
            current = [] if kind else None
            if kind:
                sections.append((kind, current))
            continue
        if current is not None:
            current.append(line)
    tasks: list[DraftTask] = []
    for kind, lines in sections:
        found = _section_tasks(kind, _blocks(lines))
        groups = {task.group: _area_of_title(task.group, [task.group]) for task in found if task.group}
        _fill_areas(found, groups)
        if kind == "schedule":
            # A schedule is of one campaign: an item whose words name no area ("Tổ chức
            # triển khai đăng ký và báo cáo theo mục II.3") takes the area of the others.
            known = [task.area for task in found if task.area]
            if known:
                common = max(set(known), key=known.count)
                for task in found:
                    task.area = task.area or common
        tasks.extend(found)
    return tasks


def _section_tasks(kind: str, blocks: list[_Block]) -> list[DraftTask]:
    tasks: list[DraftTask] = []
    group: str | None = None
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "numbered":
            if following is not None and following.kind in ("bullet", "plain"):
                group = _heading_text(block.text)
                continue
            group = None
            content = _NUMBERED.sub("", block.text, count=1)
            tasks.append(_bullet_task(kind, content, None, block.line))
            continue
        if block.kind == "plain":
            if following is not None and following.kind == "bullet":
                group = _heading_text(block.text)
            continue
        tasks.append(_bullet_task(kind, block.text, group, block.line))
    return tasks


def _bullet_task(kind: str, content: str, group: str | None, line: int) -> DraftTask:
    timeframe = None
    if kind == "schedule":
        folded = _fold_same_length(content)
        match = _DEADLINE.search(folded)
        if match:
            start = match.start() if match.group("keep") else match.start("when")
            timeframe = content[start:match.end()]
        elif group and _YEAR_HEADING.match(fold(group)):
            timeframe = group
    return DraftTask(content=" ".join(content.split()), group=group, timeframe=timeframe, source_line=line)


# --- entry point ------------------------------------------------------------------------


def extract_tasks(document: Document) -> list[DraftTask]:
    """The plan's tasks: its appendix table's rows when it has one (the detailed list),
    else the bullets of its key-task and schedule sections (see the module docstring)."""
    tasks = _table_tasks(document)
    if tasks:
        return tasks
    return _bullet_tasks(document)
