"""Reporting rules of each seed equal the gold; the rule forms."""

import pytest

from cchc.intake.draft import Draft
from cchc.intake.extract.reporting import extract_reporting, rules
from cchc.intake.scoring import load_gold, seed_document, seed_files

SEEDS = {path.name[:3]: path for path in seed_files()}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_reporting_equals_gold(seed):
    got = Draft(reporting=extract_reporting(seed_document(SEEDS[seed]))).to_json()["reporting"]
    assert got == load_gold(seed)["reporting"]


def test_deadline_per_period():
    assert rules("Các đơn vị báo cáo: quý I trước ngày 05/3; quý II trước ngày 05/6; "
                 "quý III trước ngày 05/9; cả năm trước ngày 05/12.") == [
        ("quarter", "05/03"), ("quarter", "05/06"), ("quarter", "05/09"), ("year", "05/12")]


def test_day_of_last_month_ocr():
    assert rules("dinh ky bao céo két qua hoan thanh trudc ngay 25 thang cudi cia mdi quy, 6 thang, nim") == [
        ("quarter", "25 of last month"), ("half_year", "25 of last month"), ("year", "25 of last month")]


def test_list_of_periods():
    assert rules("ndp bao cao thang, quy, 6 thang, nim theo ding yéu cau") == [
        ("month", None), ("quarter", None), ("half_year", None), ("year", None)]
    assert rules("định kỳ (quý I, 6 tháng, quý III, năm) hoặc báo cáo đột xuất") == [
        ("quarter", None), ("half_year", None), ("quarter", None), ("year", None)]


def test_dated_report_and_no_report():
    assert rules("Thực hiện báo cáo kết quả trước ngày 31 tháng 10 năm 2024.") == [("year", "31/10/2024")]
    assert rules("Gửi kế hoạch về Phòng để tổng hợp trước ngày 25/7/2021.") == []
    assert rules("Tổng hợp kết quả, thực hiện báo cáo theo quy định.") == []
