"""The printed forms of the one-stop desk: receipt (Mẫu 01), apology letter (Mẫu 04),
control sheet (Mẫu 06), read back as Word text and, through LibreOffice, as PDF text."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
import segno
from docx import Document

from cchc.documents.pdf import docx_to_pdf, libreoffice_available
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user

from .. import services
from ..letters import _qr_png, apology_letter_docx, control_sheet_docx, receipt_docx
from ..models import Channel
from .factories import make_procedure, vn

STATUS_URL = "https://motcua.example.vn/public/status/?code="


def text_of(docx_bytes: bytes) -> str:
    document = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def images_of(docx_bytes: bytes) -> list[bytes]:
    document = Document(io.BytesIO(docx_bytes))
    return [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]


def pdf_text(docx_bytes: bytes) -> str:
    for present, reason in [
        (
            libreoffice_available(),
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
        ),
        (shutil.which("pdftotext") is not None, "pdftotext is not installed: apt-get install poppler-utils"),
    ]:
        if not present:
            if os.environ.get("CCHC_REQUIRE_LIBREOFFICE") == "1":
                pytest.fail(f"{reason} (CCHC_REQUIRE_LIBREOFFICE=1)")
            pytest.skip(reason)
    pdf = docx_to_pdf(docx_bytes)
    assert pdf.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    return " ".join(out.split())


@pytest.fixture
def desk(province):
    """Phòng GD&ĐT Văn Giang's desk officer receives a copy-of-diploma request on
    Friday 24/01/2025 (before Tết) — under Decree 61/2018 and Circular 01/2018."""
    t = province
    t.desk_officer.last_name, t.desk_officer.first_name = "Lê Thị", "Bình"
    t.desk_officer.save()
    t.examiner = make_user("vg.chuyenvien", t.office_a, Role.STAFF, last_name="Phạm Văn", first_name="Cường")
    t.procedure = make_procedure(name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", code="1.005092")
    return t


def receive(t, *, at, name="Nguyễn Thị Hằng", channel=Channel.DESK):
    return services.dossier_receive(
        actor=t.desk_officer,
        unit=t.office_a,
        procedure=t.procedure,
        applicant=services.Applicant(name=name, phone="0912345678", address="Xuân Quan, Văn Giang"),
        channel=channel,
        subject="Cấp bản sao bằng tốt nghiệp THCS năm 2010",
        documents=["Đơn đề nghị cấp bản sao", "Bản chụp căn cước"],
        received_at=at,
    )


# ---- receipt ---------------------------------------------------------------------------


def test_the_receipt_names_the_dossier_the_applicant_and_the_appointment(desk):
    dossier = receive(desk, at=vn(2025, 1, 24, 10, 0))
    url = STATUS_URL + dossier.code
    text = text_of(receipt_docx(dossier, status_url=url))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO VĂN GIANG",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",  # Circular 01/2018's desk, received before 01/07/2025
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Thị Hằng",
        "Cấp bản sao bằng tốt nghiệp THCS năm 2010",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "1. Đơn đề nghị cấp bản sao",
        "2. Bản chụp căn cước",
        "05 ngày làm việc",
        "10 giờ 00 phút, ngày 24/01/2025",
        "10 giờ 00 phút, ngày 07/02/2025",  # 5 working days across Tết
        "Văn Giang, ngày 24 tháng 01 năm 2025",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Bình",
        url,
    ]:
        assert expected in text, expected


def test_the_receipt_carries_the_qr_code_of_the_status_page(desk):
    dossier = receive(desk, at=vn(2025, 1, 24, 10, 0))
    url = STATUS_URL + dossier.code
    images = images_of(receipt_docx(dossier, status_url=url))
    assert len(images) == 1
    assert images[0].startswith(b"\x89PNG")
    # The picture is segno's code of exactly this URL, not of another dossier's.
    assert images[0] == _qr_png(url)
    assert images[0] != _qr_png(STATUS_URL + "HY-VG-250124-0002-AAAAA")
    assert segno.make(url, error="m").designator  # a standard (not micro) QR code


def test_the_qr_code_decodes_to_the_status_url_when_a_decoder_is_installed(desk, tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) is not installed: the embedded PNG is compared instead")
    dossier = receive(desk, at=vn(2025, 1, 24, 10, 0))
    url = STATUS_URL + dossier.code
    png = tmp_path / "qr.png"
    png.write_bytes(images_of(receipt_docx(dossier, status_url=url))[0])
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, check=True)
    assert decoded.stdout.decode().strip() == url


def test_from_july_2025_the_receipt_is_circular_03_2025s_form(desk):
    dossier = receive(desk, at=vn(2025, 7, 2, 9, 0), channel=Channel.POST)
    text = text_of(receipt_docx(dossier, status_url=STATUS_URL + dossier.code))
    assert "BỘ PHẬN MỘT CỬA" in text
    assert "bưu chính" in text
    assert "09 giờ 00 phút, ngày 02/07/2025" in text


def test_the_receipt_reads_the_same_in_the_pdf(desk):
    dossier = receive(desk, at=vn(2025, 1, 24, 10, 0))
    text = pdf_text(receipt_docx(dossier, status_url=STATUS_URL + dossier.code))
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        dossier.code,
        "Nguyễn Thị Hằng",
        "24/01/2025",
        "07/02/2025",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    ]:
        assert expected in text, expected


# ---- apology letter ----------------------------------------------------------------------


def late_dossier(t):
    dossier = receive(t, at=vn(2025, 8, 4, 9, 0))  # due Monday 11/08/2025 09:00
    services.dossier_hand_over(
        actor=t.desk_officer, dossier=dossier, to_handler=t.examiner, at=vn(2025, 8, 4, 14, 0)
    )
    letter = services.apology_letter_record(
        actor=t.desk_officer,
        dossier=dossier,
        reason="Sổ gốc năm 2010 đang được chuyển từ kho lưu trữ của trường",
        extra_working_days=3,
        number="15/PGDĐT",
        signer_name="Đỗ Minh Quân",
        signer_title="Trưởng phòng",
        at=vn(2025, 8, 8, 10, 0),
    )
    return dossier, letter


def test_the_apology_letter_gives_the_reason_and_the_new_appointment(desk):
    dossier, letter = late_dossier(desk)
    text = text_of(apology_letter_docx(letter))
    for expected in [
        "UBND HUYỆN VĂN GIANG",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 15/PGDĐT",
        "Văn Giang, ngày 08 tháng 8 năm 2025",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        f"Hồ sơ mã số {dossier.code}",
        "Kính gửi: Ông/Bà Nguyễn Thị Hằng",
        "Sổ gốc năm 2010 đang được chuyển từ kho lưu trữ của trường",
        "ngày 11/08/2025",  # the appointment it replaces
        "09 giờ 00 phút, ngày 14/08/2025",  # three working days later
        "xin lỗi",
        "TRƯỞNG PHÒNG",
        "Đỗ Minh Quân",
        "Nơi nhận:",
    ]:
        assert expected in text, expected


def test_before_july_2025_it_is_the_2018_apology_form(desk):
    dossier = receive(desk, at=vn(2025, 6, 2, 9, 0))
    services.dossier_hand_over(actor=desk.desk_officer, dossier=dossier, at=vn(2025, 6, 3, 9, 0))
    letter = services.apology_letter_record(
        actor=desk.desk_officer,
        dossier=dossier,
        reason="Cần xác minh",
        extra_working_days=2,
        at=vn(2025, 6, 4, 9, 0),
    )
    text = text_of(apology_letter_docx(letter))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Số: /XL-HY-VG" in text  # the number is left for the clerk who registers it


def test_the_apology_letter_reads_the_same_in_the_pdf(desk):
    dossier, letter = late_dossier(desk)
    text = pdf_text(apology_letter_docx(letter))
    for expected in [dossier.code, "Nguyễn Thị Hằng", "14/08/2025", "Đỗ Minh Quân", "xin lỗi"]:
        assert expected in text, expected


# ---- control sheet -----------------------------------------------------------------------


def test_the_control_sheet_lists_each_hand_over_early_on_time_or_late(desk):
    t = desk
    dossier = receive(t, at=vn(2025, 8, 4, 9, 0))  # 5 days: due 11/08
    services.dossier_hand_over(
        actor=t.desk_officer, dossier=dossier, to_handler=t.examiner, at=vn(2025, 8, 4, 15, 0)
    )
    services.dossier_request_supplement(
        actor=t.desk_officer,
        dossier=dossier,
        reason="Bổ sung bản sao giấy khai sinh",
        at=vn(2025, 8, 5, 9, 0),
    )
    services.dossier_complete_supplement(actor=t.desk_officer, dossier=dossier, at=vn(2025, 8, 6, 9, 0))
    services.dossier_hand_over(actor=t.desk_officer, dossier=dossier, at=vn(2025, 8, 18, 9, 0))
    text = text_of(control_sheet_docx(dossier))
    for expected in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {dossier.code}",
        "Kèm theo hồ sơ của: Nguyễn Thị Hằng",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Giáo dục và Đào tạo Văn Giang",
        "1. Tiếp nhận hồ sơ",
        "2. Thẩm định hồ sơ",
        "3. Lãnh đạo phê duyệt",
        "Người xử lý: Phạm Văn Cường",
        "09:00 04/08/2025",
        "15:00 04/08/2025",
        "15:00 04/08/2025 Trước hạn",  # reception handed over the same day, due the next
        "09:00 18/08/2025 Quá hạn",  # examination handed over on 18/08, after its deadline
        "Đang xử lý, đã quá hạn",  # approval, still open, its deadline passed
        "Yêu cầu bổ sung, hoàn thiện hồ sơ ngày 05/08/2025: Bổ sung bản sao giấy khai sinh",
        "Nhận đủ hồ sơ ngày 06/08/2025",
    ]:
        assert expected in text, expected


def test_the_control_sheet_reads_the_same_in_the_pdf(desk):
    t = desk
    dossier = receive(t, at=vn(2025, 8, 4, 9, 0))
    services.dossier_hand_over(
        actor=t.desk_officer, dossier=dossier, to_handler=t.examiner, at=vn(2025, 8, 4, 15, 0)
    )
    text = pdf_text(control_sheet_docx(dossier))
    for expected in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Nguyễn Thị Hằng",
        "04/08/2025",
        "Trước hạn",
    ]:
        assert expected in text, expected
    words = text.split()
    # A wrapped cell interleaves with its neighbours' lines: its words stay in order.
    for cell in ["Tiếp nhận hồ sơ", "Người xử lý: Phạm Văn Cường", "Thẩm định hồ sơ"]:
        assert in_order(cell.split(), words), cell


def in_order(needles, haystack) -> bool:
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needles)


def test_dates_are_printed_on_the_vietnamese_clock(desk):
    # 23:30 UTC on 23/01 is 06:30 on 24/01 in Hà Nội.
    dossier = receive(desk, at=dt.datetime(2025, 1, 23, 23, 30, tzinfo=dt.UTC))
    text = text_of(receipt_docx(dossier, status_url=STATUS_URL + dossier.code))
    assert "06 giờ 30 phút, ngày 24/01/2025" in text


def test_a_schools_receipt_is_dated_at_its_districts_place(desk):
    t = desk
    procedure = make_procedure(name="Xác nhận học bạ", level="school", code="1.009999")
    dossier = services.dossier_receive(
        actor=None,
        unit=t.school_a1,
        procedure=procedure,
        applicant=services.Applicant(name="Trần Văn Nam"),
        received_at=vn(2025, 9, 8, 8, 0),
    )
    text = text_of(receipt_docx(dossier, status_url=STATUS_URL + dossier.code))
    assert "Văn Giang, ngày 08 tháng 9 năm 2025" in text
    assert "TRƯỜNG TIỂU HỌC XUÂN QUAN" in text
