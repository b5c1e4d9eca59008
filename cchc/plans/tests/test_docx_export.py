"""The department prints its plan as the official Kế hoạch (Decree 30/2020) with the task
appendix, opens it in Word and as a PDF."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from cchc.documents.official import NATIONAL_TITLE
from cchc.documents.pdf import docx_to_pdf, libreoffice_available
from cchc.orgs import services as org_services
from cchc.orgs.models import Role, UnitKind
from cchc.orgs.tests.factories import make_unit, make_user
from cchc.plans import services
from cchc.plans.docx_export import issuer_lines, plan_document, plan_docx, plan_signature
from cchc.plans.services_import import tasks_import
from cchc.plans.tests.factories import make_annual_plan

from .test_excel import seed_001_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    t = province
    plan = make_annual_plan(t, issue=False)
    services.plan_update(
        actor=t.dept_officer, plan=plan,
        purposes="- Xây dựng nền hành chính dân chủ, minh bạch, hiện đại.\n"
                 "- Nâng cao mức độ hài lòng của người dân, tổ chức.",
        requirements="Nâng cao vai trò, trách nhiệm của người đứng đầu.",
    )
    plan.refresh_from_db()
    return plan


def texts(document):
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def test_the_plan_has_the_decree_30_header_title_and_sections(province, plan):
    document = Document(io.BytesIO(plan_docx(plan)))
    header = document.tables[0]
    issuer = [p.text for p in header.rows[0].cells[0].paragraphs if p.text]
    assert issuer == ["UBND TỈNH HƯNG YÊN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    assert header.rows[0].cells[1].paragraphs[0].text == NATIONAL_TITLE
    assert header.rows[1].cells[0].paragraphs[0].text == "Số:       /KH-SGDĐT"  # blank number
    assert header.rows[1].cells[1].paragraphs[0].text == "Hưng Yên, ngày     tháng     năm 2026"

    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == "KẾ HOẠCH"
    assert paragraphs[1] == plan.title
    assert paragraphs[2].startswith("Thực hiện Kế hoạch số 8618/KH-UBND ngày 28/12/2025 của UBND tỉnh, "
                                    "Sở Giáo dục và Đào tạo Hưng Yên ban hành Kế hoạch công tác cải cách")
    headings = [text for text in paragraphs if text[:3] in ("I. ", "II.", "III", "IV.")]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. CÁC CHỈ TIÊU CHỦ YẾU", "III. NHIỆM VỤ CỤ THỂ",
                        "IV. TỔ CHỨC THỰC HIỆN"]
    assert "- Nâng cao mức độ hài lòng của người dân, tổ chức." in paragraphs
    assert "(Phụ lục chi tiết đính kèm)" in paragraphs
    # Indicators under their reform areas.
    at = paragraphs.index("II. CÁC CHỈ TIÊU CHỦ YẾU")
    assert paragraphs[at + 1:at + 3] == [
        "1. Công tác chỉ đạo, điều hành CCHC", "- 100% nhiệm vụ CCHC hoàn thành đúng hạn."]

    everything = texts(document)
    assert "Nơi nhận:" in everything
    assert ["- Như trên;", "- UBND tỉnh Hưng Yên (để b/c);", "- Lưu: VT."] == [
        text for text in everything if text.startswith("- ") and ("Lưu" in text or "Như" in text
                                                                  or "(để b/c)" in text)]
    assert "GIÁM ĐỐC" in everything


def test_the_appendix_is_a_landscape_table_grouped_by_task_group(province, plan):
    document = Document(io.BytesIO(plan_docx(plan)))
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[-1]
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện",
                                                    "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[0][:2] == ["I", "Công tác chỉ đạo, điều hành về CCHC"]
    assert rows[1][:5] == ["1", "Xây dựng và triển khai Kế hoạch CCHC năm 2026", "Kế hoạch", "Tháng 01/2026",
                           "Văn phòng Sở"]
    assert [row[0] for row in rows if row[2] == row[1]] == ["I", "II", "III"]  # merged group rows
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert "PHỤ LỤC" in [text.upper() for text in paragraphs]
    assert ("(Kèm theo Kế hoạch số       /KH-SGDĐT ngày     tháng     năm 2026 của Sở Giáo dục và Đào "
            "tạo Hưng Yên)") in paragraphs


def test_issued_plan_prints_its_number_and_date(province, plan):
    t = province
    plan = services.plan_update(actor=t.dept_officer, plan=plan, number="251",
                                issued_on=dt.date(2026, 2, 5))
    document = plan_document(plan)
    assert document.number_line == "Số: 251/KH-SGDĐT"
    assert document.date_line == "Hưng Yên, ngày 05 tháng 02 năm 2026"


def test_the_head_signs_or_a_deputy_signs_for_the_head(province):
    t = province
    assert plan_signature(t.department) == plan_signature(t.department).__class__(
        authority="", position="GIÁM ĐỐC", name="")
    head = make_user("so.giamdoc", first_name="Văn Luyện", last_name="Võ")
    membership = org_services.membership_grant(actor=None, user=head, unit=t.department, role=Role.UNIT_HEAD)
    membership.title = "Phó Giám đốc"
    membership.save()
    signature = plan_signature(t.department)
    assert (signature.authority, signature.position) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert signature.name in ("Võ Văn Luyện", "Văn Luyện Võ")
    assert plan_signature(t.office_a).position == "TRƯỞNG PHÒNG"
    assert plan_signature(t.school_a1).position == "HIỆU TRƯỞNG"
    assert plan_signature(t.school_a1).name == ""  # the head has no full name in the tests


def test_the_governing_body_comes_from_the_tree_or_the_issuers_place(province):
    t = province
    assert issuer_lines(t.department) == ("UBND tỉnh Hưng Yên", "Sở Giáo dục và Đào tạo")
    assert issuer_lines(t.office_a) == ("UBND huyện Văn Giang", "Phòng Giáo dục và Đào tạo")
    assert issuer_lines(t.school_a1) == ("Phòng Giáo dục và Đào tạo Văn Giang", "Trường Tiểu học Xuân Quan")
    committee = make_unit("Ủy ban nhân dân tỉnh Bến Tre", UnitKind.PEOPLE_COMMITTEE)
    department = make_unit("Sở Giáo dục và Đào tạo", UnitKind.DEPARTMENT, committee)
    assert issuer_lines(department) == ("UBND tỉnh Bến Tre", "Sở Giáo dục và Đào tạo")


# --- PDF -------------------------------------------------------------------------------


def _require(condition: bool, reason: str):
    if condition:
        return
    if os.environ.get("CCHC_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason} (CCHC_REQUIRE_LIBREOFFICE=1)")
    pytest.skip(reason)


def test_the_pdf_reads_as_the_plan(province):
    _require(libreoffice_available(),
             "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    _require(shutil.which("pdftotext") is not None,
             "pdftotext is not installed: apt-get install poppler-utils")
    t = province
    for name in ("Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính",
                 "Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin", "Thanh tra Sở"):
        make_unit(name, UnitKind.DIVISION, t.department)
    plan = services.plan_create(
        actor=t.dept_officer, issuer=t.department, kind="annual", symbol="KH-SGDĐT", place="Hưng Yên",
        title="Công tác cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo",
        period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31),
        implements_text="Kế hoạch số 8618/KH-UBND ngày 28 tháng 12 năm 2021 của Ủy ban nhân dân tỉnh",
        purposes="Xây dựng nền hành chính dân chủ, minh bạch, hiện đại.",
    )
    tasks_import(actor=t.dept_officer, plan=plan, file=seed_001_file())
    docx = plan_docx(plan)
    pdf = docx_to_pdf(docx)
    if os.environ.get("CCHC_KEEP_PDF"):  # to look at the pages: pdftoppm -png -r 60
        with open(os.environ["CCHC_KEEP_PDF"], "wb") as handle:
            handle.write(pdf)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "KẾ HOẠCH" in flat
    assert "Công tác cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo" in flat
    assert "Nơi nhận:" in flat
    assert "Duy trì tỷ lệ 100% CBCC" in flat  # a task, on one line of its cell
    assert "Xây dựng chính quyền điện tử, chính quyền số" in flat
