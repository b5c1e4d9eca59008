"""Exports: the consolidated report as Word (and PDF through LibreOffice) and Excel."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.documents.pdf import docx_to_pdf, libreoffice_available
from cchc.documents.spreadsheets import workbook_bytes
from cchc.reporting.consolidation import consolidate
from cchc.reporting.exports import consolidated_docx, consolidated_xlsx, schedule_calendar_xlsx
from cchc.reporting.tests.factories import Q2_2025, at, make_schedule, submitted_report
from cchc.reporting.tests.test_consolidation import _rate, _schedules


@pytest.fixture
def consolidated(province, monkeypatch):
    t = province
    collecting, upward = _schedules(t)
    at(monkeypatch, "2025-06-20 09:00")
    submitted_report(collecting, t.high_school, Q2_2025, actor=t.dept_officer,
                     indicator_values=_rate(9, 10, 90))
    submitted_report(collecting, t.office_a, Q2_2025, actor=t.office_a_officer,
                     indicator_values=_rate(100, 100, 100))
    return consolidate(actor=t.dept_officer, schedule=upward, unit=t.department, period=Q2_2025).report


def _text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_is_a_report_with_sections_in_order_and_the_children_appendix(consolidated):
    text = _text(consolidated_docx(consolidated))
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện công tác cải cách hành chính Quý II/2025" in text
    headings = ["I. KẾT QUẢ", "II. TỒN TẠI", "III. NHIỆM VỤ", "IV. ĐỀ XUẤT"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "99,09 %" in text  # the department's rate, summed
    assert "Trường THPT Văn Giang" in text and "90 %" in text
    assert "Đơn vị chưa gửi báo cáo: Phòng Giáo dục và Đào tạo Văn Lâm." in text


def test_the_pdf_reads_as_the_report(consolidated):
    if not (libreoffice_available() and shutil.which("pdftotext")):
        if os.environ.get("CCHC_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice or pdftotext missing (CCHC_REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    pdf = docx_to_pdf(consolidated_docx(consolidated))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "Kết quả thực hiện công tác cải cách hành chính Quý II/2025" in flat
    assert "Trường THPT Văn Giang" in flat


def test_the_excel_has_a_row_per_child(consolidated):
    sheet = load_workbook(io.BytesIO(workbook_bytes(consolidated_xlsx(consolidated)))).active
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True) if row[0] is not None]
    by_unit = {row[1]: row for row in rows[2:]}
    assert by_unit["Trường THPT Văn Giang"][2:] == ("90 %", "Đã gửi")
    assert by_unit["Phòng Giáo dục và Đào tạo Văn Giang"][2:] == ("100 %", "Đã gửi")
    assert by_unit["Phòng Giáo dục và Đào tạo Văn Lâm"][-1] == "Chưa gửi báo cáo"


def test_the_schedule_calendar_lists_each_quarter_with_its_due_date(province):
    schedule = make_schedule(province)
    sheet = load_workbook(io.BytesIO(workbook_bytes(schedule_calendar_xlsx(schedule, 2025)))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] and row[0].startswith("Quý")]
    assert [(r[0], r[3]) for r in rows] == [
        ("Quý I/2025", "25/03/2025"),
        ("Quý II/2025", "25/06/2025"),
        ("Quý III/2025", "25/09/2025"),
        ("Quý IV/2025", "25/12/2025"),
    ]
