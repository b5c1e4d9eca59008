"""From a plan file's bytes to a `Document`: Word (.docx), PDF with a text layer, plain text.

The format is decided from the content, never from the name, and the name's extension
must agree with it. Everything that cannot be read is refused with a `DomainError`
whose Vietnamese message tells the sender what to upload instead:

    empty        no bytes, or no text at all
    too_large    over `CCHC_MAX_UPLOAD_BYTES` (checked before anything is parsed), or a
                 .docx that would unzip to more than `CCHC_INTAKE_MAX_UNZIPPED_BYTES`
    mismatch     the extension says one format, the content is another
    encrypted    a password-protected Word file (an OLE2 container) or PDF
    corrupted    a broken zip or PDF
    scanned      a PDF without a text layer (there is no OCR)
    unsupported  any other kind of file, a macro-enabled Word file, an unknown encoding
    not_a_plan   raised by `ensure_plan` when nothing looks like a plan

Nothing here runs macros or resolves external relationships: python-docx reads only
the parts inside the zip, and lxml never fetches over the network.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.core.text import fold

from .document import Document, Line

DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# A text line needs two tabs to be a table row: seed 004 indents "\tSố: …" with one.
MIN_ROW_TABS = 2
# Rows stay in one table across a page break, whose debris (page numbers, stamp text
# recovered by OCR: seed 003 has seven such lines mid-table) is short lines only.
TABLE_GAP_MAX_LINES = 12
TABLE_GAP_MAX_WORDS = 3
# Fewer letters and digits than this per page: the PDF is a scan.
SCANNED_CHARS_PER_PAGE = 20
PLAN_HEAD_LINES = 60

_OLE2 = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
_BINARY_PREFIXES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"MZ", b"\x7fELF", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b",
)
_TEXT_EXTENSIONS = ("txt", "text", "md", "")
# Which extensions each content kind may carry.
_EXTENSIONS = {
    "docx": ("docx",),
    "ole2": ("docx", "doc"),
    "pdf": ("pdf",),
    "text": _TEXT_EXTENSIONS,
    "zip": ("docx",),  # a zip without word/document.xml: refused below as not Word
    "broken_zip": ("docx",),
}
_KNOWN_EXTENSIONS = {ext for exts in _EXTENSIONS.values() for ext in exts}
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"\s+")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_PLAN_NUMBER = re.compile(r"\bs[o06]\s*:.*/\s*kh\b")


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code)


def _megabytes(size: int) -> str:
    value = size / 2**20
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}".replace(".", ",")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def max_bytes() -> int:
    return settings.CCHC_MAX_UPLOAD_BYTES


def check_size(size: int) -> None:
    """Refuse a file over the upload limit; called before a byte of it is parsed."""
    limit = max_bytes()
    if size > limit:
        raise _refuse(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(limit)},
            "too_large",
        )
    if size == 0:
        raise _refuse(_("Tệp không có nội dung."), "empty")


def read_document(data: bytes, filename: str) -> Document:
    """The numbered lines of a plan file, or a DomainError saying why it cannot be read."""
    check_size(len(data))
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if extension not in _KNOWN_EXTENSIONS:
        raise _unsupported()
    kind = _content_kind(data)
    if kind == "unsupported":
        raise _unsupported()
    if extension and extension not in _EXTENSIONS[kind]:
        raise _refuse(
            _("Nội dung tệp không khớp với phần mở rộng “.%(ext)s”.") % {"ext": extension or "?"},
            "mismatch",
        )
    name = PurePath((filename or "").replace("\\", "/")).name
    if kind == "ole2":
        raise _refuse(
            _(
                "Tệp Word được đặt mật khẩu (hoặc là định dạng .doc cũ); "
                "hãy lưu lại thành .docx không mật khẩu."
            ),
            "encrypted",
        )
    if kind == "broken_zip":
        raise _refuse(_("Tệp Word bị hỏng, không đọc được."), "corrupted")
    if kind == "zip":
        raise _refuse(_("Tệp .docx không phải là văn bản Word."), "mismatch")
    if kind == "docx":
        lines = _read_docx(data)
    elif kind == "pdf":
        lines = _read_pdf(data)
    else:
        lines = _read_text(data)
    if not lines:
        raise _refuse(_("Tệp không có nội dung."), "empty")
    return Document(lines=lines, source_name=name, kind=kind)


def looks_like_a_plan(document: Document) -> bool:
    """A "KẾ HOẠCH" heading or a "Số: …/KH-…" number near the top, or an appendix task
    table's header row anywhere. OCR text without diacritics counts ("KE HOACH", "S6:")."""
    for line in document.lines[:PLAN_HEAD_LINES]:
        folded = line.folded
        letters = [ch for ch in line.text if ch.isalpha()]
        if folded.startswith("ke hoach") and letters and all(ch.isupper() for ch in letters):
            return True
        if _PLAN_NUMBER.search(folded):
            return True
    return any(line.is_row and _is_task_table_header(line.cells) for line in document.lines)


def ensure_plan(document: Document) -> None:
    """Refuse a readable file that holds nothing like a plan, so nothing is created."""
    if not looks_like_a_plan(document):
        raise _refuse(_("Không nhận ra cấu trúc kế hoạch trong tệp."), "not_a_plan")


def _is_task_table_header(cells) -> bool:
    folded = [fold(cell) for cell in cells]
    numbered = any(cell in ("stt", "tt") for cell in folded)
    content = any(word in cell for cell in folded for word in ("noi dung", "nhiem vu"))
    responsible = any(
        word in cell for cell in folded for word in ("chu tri", "thoi gian", "thoi han", "phoi hop")
    )
    return numbered and content and responsible


def _unsupported() -> DomainError:
    return _refuse(
        _("Định dạng tệp không được hỗ trợ. Hãy tải tệp Word (.docx), PDF có lớp chữ hoặc văn bản (.txt)."),
        "unsupported",
    )


def _content_kind(data: bytes) -> str:
    head = bytes(data[:1024])
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            return "broken_zip"
        return "docx" if "word/document.xml" in names else "zip"
    if head.lstrip(b" \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_BINARY_PREFIXES):
        return "unsupported"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with its byte-order mark (Notepad's "Unicode")
    if b"\x00" in head:
        return "unsupported"
    return "text"


# --- plain text ---------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            # Vietnamese Windows' ANSI code page: what an old Notepad saves.
            return data.decode("cp1258")
        except UnicodeDecodeError:
            pass
    raise _refuse(
        _("Không đọc được bảng mã của tệp văn bản; hãy lưu lại với bảng mã UTF-8."), "unsupported"
    )


def _strip_markdown(text: str) -> str:
    return _MARKDOWN_HEADING.sub("", text).replace("**", "")


def _read_text(data: bytes) -> list[Line]:
    """Line numbers are the file's own, so `source_line` points where the user looks.

    A line with two or more tabs is a table row (a table copied out of Word). Rows stay in
    one table while what separates them is blank lines or a few short lines (a repeated
    page header, a page number, OCR debris); a sentence or a change in the number of
    columns starts the next table.
    """
    lines: list[Line] = []
    table = -1
    columns = None
    gap_lines = 0
    gap_has_text = False
    for number, raw in enumerate(_LINE_BREAKS.split(_decode(data)), start=1):
        if raw.count("\t") >= MIN_ROW_TABS:
            cells = tuple(_clean(_strip_markdown(cell)) for cell in raw.split("\t"))
            if not any(cells):
                continue
            if table < 0 or columns != len(cells) or gap_has_text or gap_lines > TABLE_GAP_MAX_LINES:
                table += 1
            columns, gap_lines, gap_has_text = len(cells), 0, False
            text = " | ".join(cell for cell in cells if cell)
            lines.append(Line(number=number, text=text, cells=cells, table=table))
            continue
        text = _clean(_strip_markdown(raw))
        if not text:
            continue
        gap_lines += 1
        gap_has_text = gap_has_text or len(text.split()) > TABLE_GAP_MAX_WORDS
        lines.append(Line(number=number, text=text))
    return lines


# --- Word ---------------------------------------------------------------------------------


def _read_docx(data: bytes) -> list[Line]:
    """Paragraphs and table rows in document order, numbered 1..n.

    A paragraph's manual line breaks (Shift+Enter, common in the header block) split it
    into lines. A table row is one line; a cell merged across columns is one cell.
    """
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
    limit = getattr(settings, "CCHC_INTAKE_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES)
    unzipped = sum(info.file_size for info in infos)
    if unzipped > limit:
        # A zip bomb, or a document made mostly of images: either way not a plan to read.
        raise _refuse(
            _("Tệp Word khi giải nén quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": _megabytes(unzipped), "max": _megabytes(limit)},
            "too_large",
        )
    if any(name.endswith("vbaproject.bin") for name in names):
        raise _refuse(
            _("Tệp Word có chứa macro không được nhận; hãy lưu lại thành .docx thông thường."),
            "unsupported",
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors…
        raise _refuse(_("Tệp Word bị hỏng, không đọc được."), "corrupted") from error

    texts: list[tuple[str, tuple[str, ...] | None, int | None]] = []
    tables = 0

    def walk(parent) -> None:
        nonlocal tables
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                for part in Paragraph(child, document).text.split("\n"):
                    texts.append((part, None, None))
            elif child.tag == qn("w:tbl"):
                for row in Table(child, document).rows:
                    texts.append(("", _row_cells(row), tables))
                tables += 1
            elif child.tag == qn("w:sdt"):  # a content control wrapping paragraphs or tables
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    try:
        walk(document.element.body)
    except Exception as error:  # malformed XML inside a well-formed zip
        raise _refuse(_("Tệp Word bị hỏng, không đọc được."), "corrupted") from error

    lines: list[Line] = []
    for text, cells, table in texts:
        if cells is not None:
            if not any(cells):
                continue
            text = " | ".join(cell for cell in cells if cell)
        else:
            text = _clean(text)
            if not text:
                continue
        lines.append(Line(number=len(lines) + 1, text=text, cells=cells, table=table))
    return lines


def _row_cells(row) -> tuple[str, ...]:
    """python-docx repeats a cell merged across columns once per column; keep it once.
    A cell merged down from the row above repeats that cell's text, as Word shows it."""
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        if previous is not None and cell._tc is previous:
            continue
        previous = cell._tc
        cells.append(_clean(cell.text))
    return tuple(cells)


# --- PDF ----------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> list[Line]:
    """Each page's text layer, split into lines and numbered 1..n; tables are plain lines."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    corrupted = _refuse(_("Tệp PDF bị hỏng, không đọc được."), "corrupted")
    encrypted = _refuse(
        _("Tệp PDF được đặt mật khẩu; hãy tải bản không đặt mật khẩu."), "encrypted"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many official PDFs carry only an owner password (no printing or copying
            # restrictions for the reader); those open with the empty user password.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as error:
                raise encrypted from error
            if opened == PasswordType.NOT_DECRYPTED:
                raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
    except DomainError:
        raise
    except Exception as error:  # pypdf raises many kinds on malformed input
        raise corrupted from error
    if not pages:
        raise _refuse(_("Tệp không có nội dung."), "empty")
    characters = sum(1 for text in pages for ch in text if ch.isalnum())
    if characters < SCANNED_CHARS_PER_PAGE * len(pages):
        raise _refuse(
            _(
                "Tệp PDF là bản chụp (không có lớp chữ); hệ thống chưa nhận dạng chữ (OCR). "
                "Hãy tải tệp Word hoặc PDF có lớp chữ."
            ),
            "scanned",
        )
    lines: list[Line] = []
    for text in pages:
        for raw in _LINE_BREAKS.split(text):
            cleaned = _clean(raw)
            if cleaned:
                lines.append(Line(number=len(lines) + 1, text=cleaned))
    return lines
