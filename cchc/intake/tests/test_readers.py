"""Reading plan files: the seeds as written, Word and PDF files, and every refusal."""

import io
import os
import socket
import zipfile
from pathlib import Path

import docx
import pytest
from django.test import override_settings
from pypdf import PdfWriter

from cchc.core.errors import DomainError
from cchc.documents.pdf import docx_to_pdf, libreoffice_available
from cchc.intake.document import Document, Line
from cchc.intake.readers import ensure_plan, looks_like_a_plan, read_document

SEEDS = Path("/work/shared/seeds")
SEED_FILES = sorted(SEEDS.glob("*.txt"))
needs_seeds = pytest.mark.skipif(not SEED_FILES, reason="the seed documents are not on this machine")
needs_libreoffice = pytest.mark.skipif(
    not libreoffice_available() and os.environ.get("CCHC_REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice is not installed",
)


def seed(prefix: str) -> Path:
    return next(path for path in SEED_FILES if path.name.startswith(prefix))


def read_seed(prefix: str) -> tuple[Document, list[str]]:
    path = seed(prefix)
    return read_document(path.read_bytes(), path.name), path.read_text(encoding="utf-8").split("\n")


def refusal(data, filename: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_document(data, filename)
    return caught.value


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_docx(document) -> None:
    document.add_paragraph("Số: 12/KH-PGDĐT")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("STT", "Nội dung", "Cơ quan chủ trì"), strict=True):
        cell.text = text
    group = table.cell(1, 0).merge(table.cell(1, 2))
    group.text = "I. Công tác chỉ đạo, điều hành"
    for row, values in ((2, ("1", "Xây dựng kế hoạch", "Văn phòng")), (3, ("2", "Tuyên truyền", ""))):
        for cell, text in zip(table.rows[row].cells, values, strict=True):
            cell.text = text
    document.add_paragraph("Nơi nhận:")


# --- the seeds ----------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name[:3])
def test_every_seed_reads_with_the_files_own_line_numbers(path):
    document = read_document(path.read_bytes(), path.name)
    source = path.read_text(encoding="utf-8").split("\n")

    assert document.kind == "text"
    assert document.source_name == path.name
    assert document.lines
    assert looks_like_a_plan(document)
    for line in document.lines:
        original = source[line.number - 1]
        assert original.strip(), "blank lines are dropped"
        first_word = (line.cells and next(c for c in line.cells if c) or line.text).split()[0]
        assert first_word in original.replace("**", "")


@needs_seeds
def test_seed_001_appendix_is_one_table_of_seven_columns_across_page_breaks():
    document, source = read_seed("001")
    header_number = next(i for i, text in enumerate(source, 1) if text.startswith("STT\tNội dung"))

    header = next(line for line in document.lines if line.number == header_number)
    assert header.cells == (
        "STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú",
    )
    assert header.table == 0
    assert header.text.startswith("STT | Nội dung | Kết quả")

    rows = [line for line in document.lines if line.is_row]
    assert {row.table for row in rows} == {0}
    assert all(len(row.cells) == 7 for row in rows)
    group = next(row for row in rows if row.cells[0] == "II")
    assert group.cells[1] == "Cải cách thể chế" and group.cells[2:] == ("", "", "", "", "")
    assert group.text == "II | Cải cách thể chế"
    # A row broken by a page break continues after the repeated header, its first cell empty.
    continued = next(row for row in rows if row.cells[2] == "của UBND")
    assert continued.cells[0] == "" and continued.text == "của UBND"
    assert source[continued.number - 1].startswith("\t\tcủa UBND")
    repeated_headers = [row for row in rows if row.cells[0] == "STT"]
    assert len(repeated_headers) > 1


@needs_seeds
def test_seed_003_table_survives_the_ocr_debris_in_its_middle():
    document, _ = read_seed("003")

    rows = [line for line in document.lines if line.is_row]
    assert {row.table for row in rows} == {0}
    assert rows[-1].cells[0] == "8.8"
    debris = next(line for line in document.lines if line.text == "H.C.A")
    assert not debris.is_row


@needs_seeds
def test_markdown_marks_are_stripped_and_a_single_tab_is_indentation():
    document, source = read_seed("000")
    heading = next(line for line in document.lines if line.text == "KẾ HOẠCH")
    assert source[heading.number - 1] == "## KẾ HOẠCH"
    assert not any("**" in line.text or line.text.startswith("#") for line in document.lines)

    document, source = read_seed("004")
    number = next(line for line in document.lines if line.text.startswith("Số:"))
    assert source[number.number - 1].startswith("\tSố:")
    assert not number.is_row and number.text == "Số: /KH-SGDĐT"


def test_plain_text_encodings_and_separate_tables():
    text = "KẾ HOẠCH\r\n\r\nA\tB\tC\r\n1\tx\ty\r\nPHỤ LỤC II: các nhiệm vụ khác\r\nA\tB\tC\r\n"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        document = read_document(data, "ke-hoach.txt")
        assert [line.number for line in document.lines] == [1, 3, 4, 5, 6]
        assert [line.table for line in document.lines if line.is_row] == [0, 0, 1]
    # An old Notepad's Vietnamese code page writes tone marks as combining characters.
    legacy = read_document("Đơn vi\u0323 Gia\u0301o du\u0323c".encode("cp1258"), "cu.txt")
    assert legacy.lines[0].text == "Đơn vị Giáo dục"


# --- Word ---------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_table_rows_in_order_with_merged_group_row():
    document = read_document(docx_bytes(plan_docx), "ke-hoach.docx")

    assert document.kind == "docx"
    assert [(line.number, line.text, line.cells, line.table) for line in document.lines] == [
        (1, "Số: 12/KH-PGDĐT", None, None),
        (2, "KẾ HOẠCH", None, None),
        (3, "Cải cách hành chính năm 2026", None, None),
        (4, "STT | Nội dung | Cơ quan chủ trì", ("STT", "Nội dung", "Cơ quan chủ trì"), 0),
        (5, "I. Công tác chỉ đạo, điều hành", ("I. Công tác chỉ đạo, điều hành",), 0),
        (6, "1 | Xây dựng kế hoạch | Văn phòng", ("1", "Xây dựng kế hoạch", "Văn phòng"), 0),
        (7, "2 | Tuyên truyền", ("2", "Tuyên truyền", ""), 0),
        (8, "Nơi nhận:", None, None),
    ]
    assert looks_like_a_plan(document)


def test_docx_with_an_external_link_is_read_without_touching_the_network(monkeypatch):
    def build(document):
        plan_docx(document)
        part = document.part
        part.relate_to("http://attacker.invalid/track.png", docx.opc.constants.RELATIONSHIP_TYPE.IMAGE,
                       is_external=True)
        part.relate_to("http://attacker.invalid/x", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                       is_external=True)

    data = docx_bytes(build)
    assert b'TargetMode="External"' in zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels")

    def no_network(*args, **kwargs):
        raise AssertionError("the reader must not open a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    document = read_document(data, "ke-hoach.docx")
    assert document.lines[1].text == "KẾ HOẠCH"


# --- PDF ----------------------------------------------------------------------------------


@needs_libreoffice
def test_pdf_with_a_text_layer_reads_its_text():
    pdf = docx_to_pdf(docx_bytes(plan_docx))

    document = read_document(pdf, "ke-hoach.pdf")

    assert document.kind == "pdf"
    texts = [line.text for line in document.lines]
    assert "KẾ HOẠCH" in texts
    assert any("Xây dựng kế hoạch" in text for text in texts)
    assert [line.number for line in document.lines] == list(range(1, len(texts) + 1))
    assert looks_like_a_plan(document)


def blank_pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_without_a_text_layer_is_refused_as_a_scan():
    error = refusal(blank_pdf(), "ban-chup.pdf")
    assert error.code == "scanned"
    assert error.message == (
        "Tệp PDF là bản chụp (không có lớp chữ); hệ thống chưa nhận dạng chữ (OCR). "
        "Hãy tải tệp Word hoặc PDF có lớp chữ."
    )


def test_an_encrypted_pdf_is_refused():
    error = refusal(blank_pdf(password="bi-mat"), "mat-khau.pdf")
    assert error.code == "encrypted"
    assert error.message.startswith("Tệp PDF được đặt mật khẩu")


def test_a_broken_pdf_is_refused():
    error = refusal(b"%PDF-1.7\n" + b"garbage " * 100, "hong.pdf")
    assert error.code == "corrupted"
    assert error.message == "Tệp PDF bị hỏng, không đọc được."


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n\n   \r\n\t\n"], ids=["no bytes", "only blanks"])
def test_an_empty_file_is_refused(data):
    error = refusal(data, "ke-hoach.txt")
    assert (error.code, error.message) == ("empty", "Tệp không có nội dung.")


def test_an_extension_that_disagrees_with_the_content_is_refused():
    text_as_docx = refusal("KẾ HOẠCH".encode(), "ke-hoach.docx")
    zip_as_pdf = refusal(docx_bytes(plan_docx), "ke-hoach.pdf")
    pdf_as_txt = refusal(blank_pdf(), "ke-hoach.txt")

    assert text_as_docx.code == zip_as_pdf.code == pdf_as_txt.code == "mismatch"
    assert text_as_docx.message == "Nội dung tệp không khớp với phần mở rộng “.docx”."
    assert zip_as_pdf.message == "Nội dung tệp không khớp với phần mở rộng “.pdf”."


def test_a_password_protected_word_file_is_refused():
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for name in ("ke-hoach.docx", "ke-hoach.doc"):
        error = refusal(cfb, name)
        assert error.code == "encrypted"
        assert error.message == (
            "Tệp Word được đặt mật khẩu (hoặc là định dạng .doc cũ); hãy lưu lại thành .docx không mật khẩu."
        )


def test_a_corrupted_word_file_is_refused():
    truncated = docx_bytes(plan_docx)[:300]
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("word/document.xml", b"<not xml")
        archive.writestr("[Content_Types].xml", b"<broken")

    for data in (truncated, not_word.getvalue()):
        error = refusal(data, "ke-hoach.docx")
        assert (error.code, error.message) == ("corrupted", "Tệp Word bị hỏng, không đọc được.")


@override_settings(CCHC_INTAKE_MAX_UNZIPPED_BYTES=1024 * 1024)
def test_a_word_file_that_unzips_too_large_is_refused():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/big.bin", b"\x00" * (2 * 1024 * 1024))
    assert len(bomb.getvalue()) < 20_000

    error = refusal(bomb.getvalue(), "ke-hoach.docx")
    assert error.code == "too_large"


class Huge:
    """50 MB as far as `len` is concerned; any attempt to read it fails the test."""

    def __len__(self):
        return 50 * 1024 * 1024

    def __getitem__(self, item):
        raise AssertionError("the size must be checked before the content is read")


def test_a_50_mb_file_is_refused_before_parsing():
    error = refusal(Huge(), "ke-hoach.docx")
    assert (error.code, error.message) == ("too_large", "Tệp quá lớn (50 MB); tối đa 20 MB.")


@override_settings(CCHC_MAX_UPLOAD_BYTES=1024)
def test_the_size_limit_comes_from_settings():
    assert refusal(b"KE HOACH " * 200, "ke-hoach.txt").code == "too_large"


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "anh.txt"), (b"KE HOACH", "bang.xlsx"), (b"MZ\x90\x00", "x.txt")],
)
def test_other_kinds_of_file_are_unsupported(data, name):
    assert refusal(data, name).code == "unsupported"


def test_text_without_a_plan_structure_is_told_apart():
    letter = read_document("Kính gửi: các trường\nV/v nộp báo cáo\nĐề nghị các đơn vị gửi báo cáo.".encode(),
                           "cong-van.txt")

    assert not looks_like_a_plan(letter)
    with pytest.raises(DomainError) as caught:
        ensure_plan(letter)
    assert caught.value.code == "not_a_plan"
    assert caught.value.message == "Không nhận ra cấu trúc kế hoạch trong tệp."


def test_an_appendix_table_alone_looks_like_a_plan():
    header = Line(number=1, text="", cells=("TT", "Nhiệm vụ cụ thể", "Cơ quan chủ trì"), table=0)
    assert looks_like_a_plan(Document(lines=[header]))
