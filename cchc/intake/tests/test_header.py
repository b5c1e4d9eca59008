"""The plan header of each seed equals its gold annotation; the forms of number and date."""

import datetime as dt

import pytest

from cchc.intake.draft import Draft
from cchc.intake.extract.header import extract_header
from cchc.intake.scoring import document_from_text, load_gold, seed_document, seed_files

SEEDS = {path.name[:3]: path for path in seed_files()}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_header_equals_gold(seed):
    plan = Draft(plan=extract_header(seed_document(SEEDS[seed]))).to_json()["plan"]
    assert plan == load_gold(seed)["plan"]


def header(text):
    return extract_header(document_from_text(text))


def test_number_symbol_place_date():
    h = header("Số: 251/KH-PGD&ĐT\n\nHoàng Mai, ngày 19 tháng 7 năm 2021\n\n## KẾ HOẠCH\n\nCCHC")
    assert (h.number, h.symbol, h.place, h.date) == ("251", "KH-PGD&ĐT", "Hoàng Mai", dt.date(2021, 7, 19))


def test_blank_number_and_blank_date():
    h = header("Số: /KH-SGD&ĐT\nBến Tre, ngày tháng năm 2022\nKẾ HOẠCH\nCông tác CCHC năm 2022")
    assert (h.number, h.symbol, h.place, h.date) == (None, "KH-SGD&ĐT", "Bến Tre", None)
    assert (h.kind, h.period_start, h.period_end) == ("annual", dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_ocr_number_and_date_on_one_line():
    h = header(
        "PHONG GIAO DUC VA PAO TAO Déc 1ap — Tu do\n"
        "S6:18  /KH-GD&DPT D6 Son, ngay 12 thang 01 nam 2025\nKE HOACH\nCai cach hanh chinh nam 2025"
    )
    assert (h.number, h.symbol, h.place, h.date) == ("18", "KH-GD&DPT", "D6 Son", dt.date(2025, 1, 12))
    assert h.issuer == "PHONG GIAO DUC VA PAO TAO"


def test_kinds():
    assert header("KẾ HOẠCH\nCải cách hành chính giai đoạn 2021-2025").kind == "phase"
    assert header("KẾ HOẠCH\nNâng cao chỉ số PAPI năm 2021").kind == "thematic"
    assert header("KẾ HOẠCH\nKiểm tra chuyên đề CCHC năm 2024").kind == "thematic"
    emulation = header("KẾ HOẠCH\nPhát động phong trào thi đua “CCHC” giai đoạn 2023 - 2025")
    assert (emulation.kind, emulation.period_start, emulation.period_end) == (
        "emulation", dt.date(2023, 1, 1), dt.date(2025, 12, 31))


def test_implements_one_per_reference_and_issuer_from_sentence():
    h = header(
        "KẾ HOẠCH\nCCHC năm 2022\n"
        "Thực hiện Kế hoạch số 1/KH-UBND ngày 02/01/2022 của UBND tỉnh; Quyết định số 5/QĐ-SGDĐT ngày "
        "03/01/2022 của Sở, Phòng Giáo dục và Đào tạo huyện Chợ Lách ban hành Kế hoạch như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU"
    )
    assert h.implements == [
        "Kế hoạch số 1/KH-UBND ngày 02/01/2022 của UBND tỉnh",
        "Quyết định số 5/QĐ-SGDĐT ngày 03/01/2022 của Sở",
    ]
    assert h.issuer == "Phòng Giáo dục và Đào tạo huyện Chợ Lách"


def test_purposes_and_requirements():
    h = extract_header(seed_document(SEEDS["000"]))
    assert h.purposes.startswith("Xây dựng đội ngũ cán bộ")
    assert "phương châm 5 dễ" in h.requirements
