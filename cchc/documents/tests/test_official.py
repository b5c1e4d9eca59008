"""A plan printed as Decree 30/2020 lays it out, opened again the way a clerk would."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cchc.documents.official import (
    MOTTO,
    NATIONAL_TITLE,
    OfficialDocument,
    Signature,
    roman,
)
from cchc.documents.pdf import PdfConversionError, docx_to_pdf, libreoffice_available

from .samples import GROUPS, PLAN_TITLE, SIGNER, sample_plan


@pytest.fixture(scope="module")
def plan_docx() -> bytes:
    return sample_plan().to_docx()


@pytest.fixture(scope="module")
def plan(plan_docx):
    return Document(io.BytesIO(plan_docx))


def runs_of(paragraph):
    return [run for run in paragraph.runs if run.text.strip()]


def only_run(paragraph):
    (run,) = runs_of(paragraph)
    return run


def test_page_is_a4_portrait_with_the_decree_margins(plan):
    section = plan.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width.cm - 21.0) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
    assert 2.0 <= round(section.top_margin.cm, 2) <= 2.5
    assert 2.0 <= round(section.bottom_margin.cm, 2) <= 2.5
    assert 3.0 <= round(section.left_margin.cm, 2) <= 3.5
    assert 1.5 <= round(section.right_margin.cm, 2) <= 2.0
    # Page numbers in the top margin, not on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def test_national_title_and_motto_are_bold_times_in_their_sizes(plan):
    national = plan.tables[0].rows[0].cells[1]
    title, motto = national.paragraphs[:2]
    assert title.text == NATIONAL_TITLE
    run = only_run(title)
    assert run.font.name == "Times New Roman"
    assert run.bold and Pt(12) <= run.font.size <= Pt(13)
    assert motto.text == MOTTO
    run = only_run(motto)
    assert run.bold and run.underline and Pt(13) <= run.font.size <= Pt(14)
    assert title.alignment == motto.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_is_a_borderless_two_column_table_with_issuer_number_and_date(plan):
    header = plan.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(edge.get(qn("w:val")) == "nil" for edge in borders)

    issuer = header.rows[0].cells[0]
    parent, name = issuer.paragraphs[:2]
    assert parent.text == "UBND TỈNH HƯNG YÊN" and not only_run(parent).bold
    assert name.text == "SỞ GIÁO DỤC VÀ ĐÀO TẠO" and only_run(name).bold
    assert Pt(12) <= only_run(name).font.size <= Pt(13)
    # The short line under the issuer's name is a bottom border.
    assert issuer.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None

    number = header.rows[1].cells[0].paragraphs[0]
    assert number.text == "Số:       /KH-SGDĐT"
    assert only_run(number).font.size == Pt(13) and not only_run(number).italic

    place_date = header.rows[1].cells[1].paragraphs[0]
    assert place_date.text == "Hưng Yên, ngày     tháng     năm 2026"
    assert only_run(place_date).italic


def test_document_type_title_body_and_signature(plan):
    texts = [p.text for p in plan.paragraphs]
    doc_type = plan.paragraphs[texts.index("KẾ HOẠCH")]
    assert only_run(doc_type).bold and only_run(doc_type).font.size == Pt(14)
    title = plan.paragraphs[texts.index(PLAN_TITLE)]
    assert only_run(title).bold

    heading = plan.paragraphs[texts.index("I. MỤC ĐÍCH, YÊU CẦU")]
    assert only_run(heading).bold
    body = next(p for p in plan.paragraphs if p.text.startswith("Thực hiện Kế hoạch số 120"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(body.paragraph_format.first_line_indent - Cm(1.27)) < Cm(0.01)
    assert only_run(body).font.size == Pt(14) and not only_run(body).bold
    assert any(t.startswith("- Xây dựng nền hành chính") for t in texts)

    recipients, signer = plan.tables[1].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:"
    run = only_run(label)
    assert run.bold and run.italic and run.font.size == Pt(12)
    assert [p.text for p in recipients.paragraphs[1:]][-1] == "- Lưu: VT, VP."
    assert all(only_run(p).font.size == Pt(11) for p in recipients.paragraphs[1:])

    lines = [p for p in signer.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", SIGNER]
    assert all(only_run(p).bold for p in lines)


def test_appendix_is_a_landscape_section_whose_header_row_repeats(plan):
    assert len(plan.sections) == 2
    appendix = plan.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height

    table = plan.tables[2]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells][:2] == ["STT", "Nội dung"]
    assert all(only_run(c.paragraphs[0]).bold for c in header.cells)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(edge.get(qn("w:val")) == "single" for edge in borders)

    # 3 groups × (group row + 3 tasks) under the header.
    assert len(table.rows) == 1 + 3 * 4
    group = table.rows[1]
    assert group.cells[0].text == "I"
    assert group.cells[1].text == GROUPS[0][0]
    assert group._tr.tc_lst[1].grid_span == 6
    assert only_run(group.cells[1].paragraphs[0]).bold
    assert [c.text for c in table.rows[2].cells][:2] == ["1", GROUPS[0][1][0][1]]
    assert not only_run(table.rows[2].cells[1].paragraphs[0]).bold


def test_a_dated_numbered_letter_prints_zero_padded_day_and_its_summary_under_the_number():
    letter = OfficialDocument(
        issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO", issuer_parent="UBND TỈNH HƯNG YÊN", number="7",
        symbol="SGDĐT-VP", place="Hưng Yên", date=dt.date(2026, 2, 5), doc_type="",
        title="xin lỗi do giải quyết hồ sơ trễ hạn", addressees=["Ông Trần Văn An"],
        signature=Signature(position="GIÁM ĐỐC", name="Lê Thị Hoa"),
    )
    document = Document(io.BytesIO(letter.to_docx()))
    left, right = document.tables[0].rows[1].cells
    assert [p.text for p in left.paragraphs] == ["Số: 7/SGDĐT-VP", "V/v xin lỗi do giải quyết hồ sơ trễ hạn"]
    assert right.paragraphs[0].text == "Hưng Yên, ngày 05 tháng 02 năm 2026"
    assert "Kính gửi: Ông Trần Văn An" in [p.text for p in document.paragraphs]
    assert len(document.sections) == 1


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 2026)] == ["I", "IV", "IX", "XIV", "XL", "MMXXVI"]


# ---- PDF through LibreOffice ---------------------------------------------------------


def _require(tool_present: bool, reason: str):
    if tool_present:
        return
    if os.environ.get("CCHC_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason} (CCHC_REQUIRE_LIBREOFFICE=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def plan_pdf_text(plan_docx):
    _require(libreoffice_available(),
             "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    _require(shutil.which("pdftotext") is not None,
             "pdftotext is not installed: apt-get install poppler-utils")
    pdf = docx_to_pdf(plan_docx)
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60).stdout.decode("utf-8")
    return " ".join(text.split())


def test_the_pdf_reads_as_the_plan(plan_pdf_text):
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "/KH-SGDĐT",
        "KẾ HOẠCH",
        PLAN_TITLE,
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        SIGNER,
        "NHIỆM VỤ CỤ THỂ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026",
    ]:
        assert expected in plan_pdf_text, expected
    words = plan_pdf_text.split()
    for title, rows in GROUPS:
        assert title in plan_pdf_text
        for row in rows:
            for cell in row[1:6]:  # a wrapped cell interleaves with its neighbours' lines
                assert in_order(cell.split(), words), cell


def in_order(needles, haystack) -> bool:
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needles)


def test_without_libreoffice_the_error_says_what_to_do(monkeypatch):
    monkeypatch.setenv("CCHC_SOFFICE", "/nonexistent/soffice")
    assert not libreoffice_available()
    with pytest.raises(PdfConversionError) as raised:
        docx_to_pdf(b"PK")
    assert "LibreOffice" in raised.value.message and ".docx" in raised.value.message
