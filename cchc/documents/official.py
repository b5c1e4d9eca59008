"""An administrative document laid out as Decree 30/2020/NĐ-CP requires.

Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, Phụ lục I
"Thể thức, kỹ thuật trình bày văn bản hành chính và bản sao văn bản", Phần I:

- Mục I.1–4 (quy định chung): khổ A4 (210 × 297 mm), trình bày theo chiều dài; lề trên
  và dưới 20–25 mm, lề trái 30–35 mm, lề phải 15–20 mm; phông Times New Roman, Unicode
  TCVN 6909:2001, màu đen. Mục I.2: văn bản có bảng biểu có thể trình bày theo chiều
  rộng — we turn only a wide appendix's section landscape.
- Mục I.7: số trang bằng chữ số Ả Rập, cỡ 13–14, đứng, canh giữa ở lề trên, không hiển
  thị ở trang thứ nhất.
- Mục II.1: Quốc hiệu in hoa, cỡ 12–13, đứng, đậm, phía trên bên phải; Tiêu ngữ in
  thường, cỡ 13–14, đứng, đậm, canh giữa dưới Quốc hiệu, gạch nối có cách chữ, phía dưới
  có đường kẻ ngang nét liền dài bằng dòng chữ (we underline the line itself).
- Mục II.2: tên cơ quan chủ quản in hoa, cỡ 12–13, đứng; tên cơ quan ban hành in hoa,
  cỡ 12–13, đứng, đậm, phía dưới có đường kẻ ngang nét liền dài 1/3–1/2 dòng chữ.
- Mục II.3: "Số:" chữ thường, ký hiệu in hoa, cỡ 13, đứng, canh giữa dưới tên cơ quan.
- Mục II.4: địa danh, ngày tháng năm chữ thường, cỡ 13–14, nghiêng, canh giữa dưới
  Tiêu ngữ; ngày dưới 10 và tháng 1, 2 thêm số 0 phía trước.
- Mục II.5: tên loại văn bản in hoa, cỡ 13–14, đứng, đậm, canh giữa; trích yếu chữ
  thường, cỡ 13–14, đứng, đậm, phía dưới có đường kẻ 1/3–1/2 dòng chữ; công văn: "V/v"
  cỡ 12–13, đứng, dưới số ký hiệu.
- Mục II.6: nội dung chữ thường, cỡ 13–14, canh đều hai lề, lùi đầu dòng 1–1,27 cm,
  cách đoạn tối thiểu 6 pt, cách dòng từ dòng đơn đến 1,5 dòng; mục đánh số La Mã, tên
  mục in hoa đậm.
- Mục II.7: quyền hạn (TM., KT., TL., TUQ., Q.) và chức vụ in hoa, cỡ 13–14, đứng, đậm;
  họ tên chữ thường, cỡ 13–14, đứng, đậm, canh giữa với chức vụ.
- Mục II.9: "Nơi nhận" cỡ 12, nghiêng, đậm, tiếp theo là dấu hai chấm; danh sách cỡ 11,
  đứng, mỗi dòng bắt đầu bằng gạch đầu dòng; dòng cuối "Lưu: VT, …".
- Mục III.1: phụ lục: chữ "Phụ lục" (số La Mã khi có nhiều phụ lục) cỡ 14, đứng, đậm;
  tên phụ lục in hoa, cỡ 13–14, đậm; chú thích kèm theo văn bản nào, nghiêng.
- Mục IV (Mẫu 1.1): the header is two columns — issuer and number on the left, Quốc hiệu,
  Tiêu ngữ and place/date on the right — and "Nơi nhận" sits left of the signature.

Plans, reports and apology letters all build an `OfficialDocument`; nothing here knows
about any one of them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import ooxml
from .spreadsheets import xml_safe

# Millimetres picked inside the decree's ranges (Phụ lục I, Phần I, mục I.3).
MARGIN_TOP_CM = 2.0
MARGIN_BOTTOM_CM = 2.0
MARGIN_LEFT_CM = 3.0
MARGIN_RIGHT_CM = 2.0
A4_SHORT_CM, A4_LONG_CM = 21.0, 29.7
PORTRAIT_TEXT_CM = A4_SHORT_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM
LANDSCAPE_TEXT_CM = A4_LONG_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM

# Sizes in points, each inside the decree's range for its element.
SIZE_NATIONAL_TITLE = 12.5  # Quốc hiệu 12–13: 13 pt does not fit the column on one line
SIZE_MOTTO = 13
SIZE_ISSUER = 12.5
SIZE_NUMBER = 13
SIZE_PLACE_DATE = 14
SIZE_DOC_TYPE = 14
SIZE_BODY = 14
SIZE_RECIPIENTS_LABEL = 12
SIZE_RECIPIENTS = 11
SIZE_SIGNATURE = 14
SIZE_TABLE = 12
SIZE_PAGE_NUMBER = 14
FIRST_LINE_INDENT_CM = 1.27
HEADER_LEFT_CM = 6.4  # issuer column; the rest of the line holds the Quốc hiệu

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_NUMBER = "      "  # left for the clerk who registers the outgoing document
BLANK_DAY = "     "

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """1 → "I", 4 → "IV": section and group numbering in plans and appendices."""
    if number < 1:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


# ---- content -------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with its own emphasis inside a paragraph ("đạt **100%**")."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    """A numbered section: "I. MỤC ĐÍCH, YÊU CẦU" (bold; the caller writes the caps)."""

    text: str


@dataclass(frozen=True)
class SubHeading:
    """"1. Mục đích" — bold; `italic=True` for a third level such as "a) …"."""

    text: str
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str | Sequence[str | Run]
    italic: bool = False
    align: str = "justify"  # or "center", "left", "right"
    indent: bool = True


@dataclass(frozen=True)
class Bullet:
    """"- Tiếp tục triển khai …": the dash is added when the text lacks one."""

    text: str | Sequence[str | Run]


@dataclass(frozen=True)
class GroupRow:
    """A row that opens a group of a table: "I | Cải cách thể chế", bold, spanning."""

    label: str
    title: str


@dataclass(frozen=True)
class Table:
    """A bordered table; `rows` mixes plain rows (sequences of cell values) and GroupRows.

    `column_widths` in cm; scaled down to the page when they add up to more.
    `align` per column: "center", "left", "right" or "justify"; default centres the first.
    """

    header: Sequence[str]
    rows: Sequence[Sequence[object] | GroupRow]
    column_widths: Sequence[float] | None = None
    align: Sequence[str] | None = None
    font_size: float = SIZE_TABLE

    @classmethod
    def grouped(cls, header, groups: Sequence[tuple[str, Sequence[Sequence[object]]]], **kwargs):
        """Groups numbered I, II, III … each followed by its rows."""
        rows: list[Sequence[object] | GroupRow] = []
        for index, (title, group_rows) in enumerate(groups, start=1):
            rows.append(GroupRow(roman(index), title))
            rows.extend(group_rows)
        return cls(header=header, rows=rows, **kwargs)


Block = Heading | SubHeading | Paragraph | Bullet | Table


@dataclass(frozen=True)
class Appendix:
    """A "Phụ lục" on its own pages. `subtitle` defaults to "(Kèm theo <loại> số …)".

    `landscape=None` turns the section landscape when the table needs more than the
    portrait width or has more than five columns.
    """

    title: str
    table: Table | None = None
    subtitle: str | None = None
    blocks: Sequence[Block] = ()
    landscape: bool | None = None


@dataclass(frozen=True)
class Signature:
    """ "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / name. `authority` is empty when the head signs."""

    position: str
    name: str
    authority: str = ""


@dataclass
class OfficialDocument:
    """An administrative document (Decree 30/2020, Appendix I, Part I).

    `number=""` prints "Số:      /KH-…" and `date=None` prints "ngày     tháng     năm
    <year>": the clerk fills both when registering the document. `doc_type=""` makes a
    công văn: the summary goes under the number as "V/v …".
    """

    issuer: str
    symbol: str
    place: str
    title: str
    signature: Signature
    issuer_parent: str = ""
    number: str = ""
    date: dt.date | None = None
    year: int | None = None
    doc_type: str = ""
    addressees: Sequence[str] = ()
    body: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    appendices: Sequence[Appendix] = ()
    body_size: float = SIZE_BODY
    author: str = ""

    # -- text of the fixed elements ---------------------------------------------------

    @property
    def number_line(self) -> str:
        number = str(self.number).strip() or BLANK_NUMBER
        return f"Số: {number}/{self.symbol}"

    @property
    def date_line(self) -> str:
        if self.date is not None:
            day = f"{self.date.day:02d}"
            month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
            return f"{self.place}, ngày {day} tháng {month} năm {self.date.year}"
        year = self.year or dt.date.today().year
        return f"{self.place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {year}"

    def appendix_subtitle(self) -> str:
        kind = self.doc_type.capitalize() if self.doc_type else "Công văn"
        if self.date is not None:
            when = f"ngày {self.date:%d/%m/%Y}"
        else:
            when = f"ngày{BLANK_DAY}tháng{BLANK_DAY}năm {self.year or dt.date.today().year}"
        return f"(Kèm theo {kind} số {self.number_line.removeprefix('Số: ')} {when})"

    # -- rendering -------------------------------------------------------------------

    def to_docx(self) -> bytes:
        return _Renderer(self).render()


# ---- rendering -----------------------------------------------------------------------


_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _spacing(paragraph, *, before: float = 0, after: float = 0, line: float | None = 1.0):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    return paragraph


def _write(paragraph, text: str | Sequence[str | Run], *, size: float, bold=False, italic=False,
           underline=False):
    parts = [text] if isinstance(text, str) else list(text)
    for part in parts:
        piece = part if isinstance(part, Run) else Run(str(part))
        run = paragraph.add_run(xml_safe(piece.text))
        ooxml.set_run_font(run, size=size, bold=bold or piece.bold, italic=italic or piece.italic,
                           underline=underline)
    return paragraph


def _cell_paragraph(cell, *, first: list):
    """The cell's own empty paragraph first, new ones after: no stray blank line on top."""
    if first:
        return cell.add_paragraph()
    first.append(True)
    return cell.paragraphs[0]


class _Renderer:
    def __init__(self, doc: OfficialDocument):
        self.d = doc
        self.docx = Document()

    def render(self) -> bytes:
        self._setup()
        self._header()
        self._title()
        for block in self.d.body:
            self._block(self.docx, block, width=PORTRAIT_TEXT_CM)
        self._signature()
        for index, appendix in enumerate(self.d.appendices, start=1):
            label = "Phụ lục" if len(self.d.appendices) == 1 else f"Phụ lục {roman(index)}"
            self._appendix(appendix, label)
        out = io.BytesIO()
        self.docx.save(out)
        return out.getvalue()

    # -- page, styles, page numbers ----------------------------------------------------

    def _setup(self):
        d = self.docx
        props = d.core_properties
        props.title = xml_safe(" ".join(filter(None, [self.d.doc_type.capitalize(), self.d.title])))
        props.author = xml_safe(self.d.author or self.d.issuer)
        props.language = "vi-VN"

        normal = d.styles["Normal"]
        normal.font.name = ooxml.FONT
        normal.font.size = Pt(self.d.body_size)
        rpr = normal.element.get_or_add_rPr()
        ooxml.set_rfonts(rpr)
        ooxml.set_language(rpr)
        _spacing(normal, line=1.0)

        section = d.sections[0]
        self._page(section, landscape=False)
        section.different_first_page_header_footer = True
        header_paragraph = section.header.paragraphs[0]
        header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ooxml.add_page_number_field(header_paragraph, size=SIZE_PAGE_NUMBER)

    @staticmethod
    def _page(section, *, landscape: bool):
        short, long = Cm(A4_SHORT_CM), Cm(A4_LONG_CM)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.top_margin = Cm(MARGIN_TOP_CM)
        section.bottom_margin = Cm(MARGIN_BOTTOM_CM)
        section.left_margin = Cm(MARGIN_LEFT_CM)
        section.right_margin = Cm(MARGIN_RIGHT_CM)
        section.header_distance = Cm(1.0)
        section.footer_distance = Cm(1.0)

    # -- header: issuer | Quốc hiệu, Tiêu ngữ ; number | place, date -------------------

    def _layout_table(self, rows: int, widths: list[float]):
        table = self.docx.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        ooxml.set_table_borders(table, visible=False)
        ooxml.set_cell_margins(table, left_cm=0.05, right_cm=0.05)
        ooxml.set_column_widths(table, widths)
        return table

    def _header(self):
        left_w = HEADER_LEFT_CM
        right_w = PORTRAIT_TEXT_CM - left_w
        table = self._layout_table(2, [left_w, right_w])
        issuer, national = table.rows[0].cells
        number, place_date = table.rows[1].cells

        used: list = []
        if self.d.issuer_parent:
            p = _cell_paragraph(issuer, first=used)
            _write(p, self.d.issuer_parent.upper(), size=SIZE_ISSUER)
        p = _cell_paragraph(issuer, first=used)
        _write(p, self.d.issuer.upper(), size=SIZE_ISSUER, bold=True)
        rule = issuer.add_paragraph()
        ooxml.add_rule(rule, width_cm=min(2.6, left_w / 2), container_cm=left_w)

        used = []
        p = _cell_paragraph(national, first=used)
        _write(p, NATIONAL_TITLE, size=SIZE_NATIONAL_TITLE, bold=True)
        p = _cell_paragraph(national, first=used)
        _write(p, MOTTO, size=SIZE_MOTTO, bold=True, underline=True)

        used = []
        p = _cell_paragraph(number, first=used)
        _write(p, self.d.number_line, size=SIZE_NUMBER)
        if not self.d.doc_type:
            p = _spacing(_cell_paragraph(number, first=used), before=6)
            _write(p, f"V/v {self.d.title}", size=SIZE_ISSUER)

        p = _cell_paragraph(place_date, first=[])
        _write(p, self.d.date_line, size=SIZE_PLACE_DATE, italic=True)

        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for cell in table.rows[1].cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    def _title(self):
        if self.d.doc_type:
            p = _spacing(self.docx.add_paragraph(), before=18)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _write(p, self.d.doc_type.upper(), size=SIZE_DOC_TYPE, bold=True)
            p = _spacing(self.docx.add_paragraph())
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _write(p, self.d.title, size=SIZE_DOC_TYPE, bold=True)
            ooxml.add_rule(self.docx.add_paragraph(), width_cm=3.5, container_cm=PORTRAIT_TEXT_CM)
        if self.d.addressees:
            self._addressees()
        spacer = _spacing(self.docx.add_paragraph(), line=1.0)
        spacer.paragraph_format.space_after = Pt(6)

    def _addressees(self):
        first, *rest = list(self.d.addressees)
        p = _spacing(self.docx.add_paragraph(), before=12)
        if not rest:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _write(p, f"Kính gửi: {first}", size=self.d.body_size)
            return
        p.paragraph_format.left_indent = Cm(4.0)
        _write(p, f"Kính gửi: - {first}", size=self.d.body_size)
        for name in rest:
            p = _spacing(self.docx.add_paragraph())
            p.paragraph_format.left_indent = Cm(6.3)
            _write(p, f"- {name}", size=self.d.body_size)

    # -- body ----------------------------------------------------------------------------

    def _text_paragraph(self, container, text, *, bold=False, italic=False, align="justify",
                        indent=True):
        p = _spacing(container.add_paragraph(), before=6, line=1.15)
        p.alignment = _ALIGN[align]
        if indent:
            p.paragraph_format.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
        return _write(p, text, size=self.d.body_size, bold=bold, italic=italic)

    def _block(self, container, block: Block, *, width: float):
        if isinstance(block, Heading):
            p = self._text_paragraph(container, block.text, bold=True)
            p.paragraph_format.keep_with_next = True
        elif isinstance(block, SubHeading):
            p = self._text_paragraph(container, block.text, bold=True, italic=block.italic)
            p.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            self._text_paragraph(container, block.text, italic=block.italic, align=block.align,
                                 indent=block.indent)
        elif isinstance(block, Bullet):
            text = block.text
            if isinstance(text, str) and not text.lstrip().startswith(("-", "–", "+", "•")):
                text = f"- {text}"
            elif not isinstance(text, str):
                text = ["- ", *text]
            self._text_paragraph(container, text)
        elif isinstance(block, Table):
            self._table(block, width=width)
        else:
            raise TypeError(f"Unknown block {block!r}")

    def _table(self, spec: Table, *, width: float):
        columns = len(spec.header)
        widths = list(spec.column_widths or [width / columns] * columns)
        if len(widths) != columns:
            raise ValueError("column_widths must have one width per header cell")
        if sum(widths) > width:
            widths = [w * width / sum(widths) for w in widths]
        align = list(spec.align or ["center"] + ["left"] * (columns - 1))

        table = self.docx.add_table(rows=1, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        ooxml.set_table_borders(table, visible=True)
        ooxml.set_cell_margins(table, left_cm=0.1, right_cm=0.1, top_cm=0.03, bottom_cm=0.03)

        header = table.rows[0]
        ooxml.mark_header_row(header)
        ooxml.keep_row_on_one_page(header)
        for cell, text in zip(header.cells, spec.header, strict=True):
            self._cell_text(cell, str(text), size=spec.font_size, bold=True, align="center")

        for row_spec in spec.rows:
            row = table.add_row()
            ooxml.keep_row_on_one_page(row)
            cells = row.cells
            if isinstance(row_spec, GroupRow):
                self._cell_text(cells[0], row_spec.label, size=spec.font_size, bold=True,
                                align="center")
                if columns > 1:
                    merged = cells[1].merge(cells[-1])
                    self._cell_text(merged, row_spec.title, size=spec.font_size, bold=True,
                                    align="left")
                continue
            values = list(row_spec) + [""] * (columns - len(row_spec))
            if len(values) > columns:
                raise ValueError(f"Row has {len(values)} cells for {columns} columns: {row_spec!r}")
            for cell, value, how in zip(cells, values, align, strict=True):
                self._cell_text(cell, "" if value is None else str(value), size=spec.font_size,
                                align=how)

        ooxml.set_column_widths(table, widths)
        for row in table.rows:
            for cell in row.cells:
                ooxml.set_cell_vertical_center(cell)
        # Word needs a paragraph after a table; a 1 pt one cannot spill onto a new page.
        gap = _spacing(self.docx.add_paragraph(), line=Pt(1))
        ooxml.shrink_paragraph_mark(gap)
        return table

    @staticmethod
    def _cell_text(cell, text: str, *, size: float, bold=False, align="left"):
        lines = text.split("\n") if text else [""]
        for index, line in enumerate(lines):
            p = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            _spacing(p, before=2 if index == 0 else 0, after=2 if index == len(lines) - 1 else 0)
            p.alignment = _ALIGN[align]
            if line:
                _write(p, line, size=size, bold=bold)

    # -- "Nơi nhận" | signature -----------------------------------------------------------

    def _signature(self):
        left_w = 7.0
        right_w = PORTRAIT_TEXT_CM - left_w
        spacer = _spacing(self.docx.add_paragraph())
        spacer.paragraph_format.keep_with_next = True
        table = self._layout_table(1, [left_w, right_w])
        ooxml.keep_row_on_one_page(table.rows[0])
        recipients, signer = table.rows[0].cells

        if self.d.recipients:
            p = _spacing(recipients.paragraphs[0])
            _write(p, "Nơi nhận:", size=SIZE_RECIPIENTS_LABEL, bold=True, italic=True)
            for name in self.d.recipients:
                name = name.strip()
                if not name.startswith("-"):
                    name = f"- {name}"
                p = _spacing(recipients.add_paragraph())
                _write(p, name, size=SIZE_RECIPIENTS)

        sig = self.d.signature
        lines = [line for line in (sig.authority, sig.position) if line]
        used: list = []
        for line in lines:
            p = _spacing(_cell_paragraph(signer, first=used))
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _write(p, line.upper(), size=SIZE_SIGNATURE, bold=True)
        for _ in range(4):  # room for the signature and the seal
            _spacing(signer.add_paragraph())
        p = _spacing(signer.add_paragraph())
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(p, sig.name, size=SIZE_SIGNATURE, bold=True)

    # -- appendices ---------------------------------------------------------------------

    def _appendix(self, appendix: Appendix, label: str):
        landscape = appendix.landscape
        if landscape is None and appendix.table is not None:
            columns = len(appendix.table.header)
            needed = sum(appendix.table.column_widths or []) or 0
            landscape = columns > 5 or needed > PORTRAIT_TEXT_CM
        section = self.docx.add_section()
        self._page(section, landscape=bool(landscape))
        ooxml.restart_page_numbers(section)
        width = LANDSCAPE_TEXT_CM if landscape else PORTRAIT_TEXT_CM

        p = _spacing(self.docx.add_paragraph())
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(p, label, size=14, bold=True)
        p = _spacing(self.docx.add_paragraph(), before=3)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(p, appendix.title.upper(), size=SIZE_DOC_TYPE, bold=True)
        p = _spacing(self.docx.add_paragraph())
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(p, appendix.subtitle or self.d.appendix_subtitle(), size=SIZE_DOC_TYPE, italic=True)
        ooxml.add_rule(self.docx.add_paragraph(), width_cm=3.5, container_cm=width)
        _spacing(self.docx.add_paragraph()).paragraph_format.space_after = Pt(6)

        for block in appendix.blocks:
            self._block(self.docx, block, width=width)
        if appendix.table is not None:
            self._table(appendix.table, width=width)

