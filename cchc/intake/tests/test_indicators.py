"""Indicator phrase forms, negatives, and reform areas."""

import importlib
from decimal import Decimal

import pytest

from cchc.intake.extract import areas
from cchc.intake.extract.areas import area_for, builtin_areas
from cchc.intake.extract.indicators import extract_indicators, targets
from cchc.intake.scoring import document_from_text

D = Decimal


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Mức độ hài lòng đối với Dịch vụ công đạt trên 95%.", [(">", D(95), "%")]),
        ("TTHC được giải quyết đúng hạn đạt từ 98% trở lên.", [(">=", D(98), "%")]),
        ("100% văn bản quy phạm pháp luật được tham mưu ban hành đúng quy định.", [(">=", D(100), "%")]),
        ("Tỷ lệ máy tính trên CBCC của Sở đạt 100%.", [(">=", D(100), "%")]),
        ("trong đó có ít nhất 70% đạt mức độ 4", [(">=", D(70), "%")]),
        ("Giảm tối thiểu 10% biên chế sự nghiệp so với năm 2021.", [(">=", D(10), "%")]),
        ("Tỷ lệ hồ sơ trễ hạn không quá 5%.", [("<=", D(5), "%")]),
        ("Tỷ lệ hồ sơ trễ hạn không vượt quá 5%.", [("<=", D(5), "%")]),
        ("Tỷ lệ hồ sơ phải bổ sung dưới 2%.", [("<", D(2), "%")]),
        ("Phân đấu có thêm 20% số lượng TTHC được tinh gọn.", [(">=", D(20), "%")]),
        ("Mỗi đơn vị có ít nhất 01 sáng kiến về CCHC.", [(">=", D(1), "sáng kiến")]),
        ("Mỗi trường có ít nhất 1 mô hình mới.", [(">=", D(1), "mô hình")]),
        ("gửi tài liệu trước khi họp ít nhất 3 ngày.", [(">=", D(3), "ngày")]),
        ("tích hợp **70%** dịch vụ công; phấn đấu **20%** dịch vụ dùng chữ ký số",
         [(">=", D(70), "%"), (">=", D(20), "%")]),
        ("Hoan thanh 100% nhiém vu UBND quéan giao", [(">=", D(100), "%")]),
        ("ty le dat tu 98% tro len", [(">=", D(98), "%")]),
        ("dat l00% ho so dung han", [(">=", D(100), "%")]),
        ("Tỷ lệ đạt 97,5% trở lên", [(">=", D("97.5"), "%")]),
    ],
)
def test_target_forms(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Phân đầu tăng số lượng đơn vị sự nghiệp công lập tự chủ chi thường xuyên.",
        "Duy trì hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015; ISO 18091:2020.",
        "Thực hiện theo Nghị định 59/2019/NĐ-CP ngày 01/9/2019 của Chính phủ.",
        "Tích cực tuyên truyền dịch vụ công trực tuyến mức độ 3,4.",
        "Mỗi cấp học, xây dựng thí điểm 01 trường.",
        "Quán triệt phương châm 5 dễ trong quá trình triển khai.",
    ],
)
def test_not_targets(sentence):
    assert targets(sentence) == []


def doc(text):
    return document_from_text(text)


def test_two_targets_one_sentence_and_sections():
    found = extract_indicators(doc(
        "I. MỤC ĐÍCH, YÊU CẦU\n2. Yêu cầu\n- Bảo đảm hoàn thành 100% nhiệm vụ.\n"
        "3. Các chỉ tiêu cụ thể\n3.1. Cải cách thể chế\n- 100% văn bản được rà soát.\n"
        "3.7. Chính quyền điện tử, chính quyền số\n"
        "- 100% cuộc họp của Phòng; 80% cuộc họp của Quận được thực hiện trực tuyến.\n"
        "Nơi nhận:\n- 100% các trường."
    ))
    assert [(i.value, i.area, i.source_line) for i in found] == [
        (D(100), "institutions", 6), (D(100), "digital_government", 8), (D(80), "digital_government", 8)]
    assert found[1].text == found[2].text


def test_table_rows_are_not_indicators():
    assert extract_indicators(doc("STT\tNội dung\n1\t100% CBCC dùng thư điện tử\tNăm 2022")) == []


def test_ocr_bullet_over_lines():
    found = extract_indicators(doc(
        "2. Mot so chi tiéu thuc hién\n- Hoan thanh 100% nhiém vu UBND quéan giao, dam bao chat luong, tién\n"
        "d6 theo yéu cau.\n- Tang cuong tap huén"
    ))
    assert [(i.text, i.source_line) for i in found] == [
        ("Hoan thanh 100% nhiém vu UBND quéan giao, dam bao chat luong, tién d6 theo yéu cau.", 2)]


@pytest.mark.parametrize(
    "text, path, key",
    [
        ("x", ["II. NHIỆM VỤ", "3. Cải cách TTHC"], "procedures"),
        ("x", ["3. Về cải cách thủ tục hành chính"], "procedures"),
        ("x", ["7. Về hiện đại hoá nền hành chính"], "digital_government"),
        ("x", ["#### **3.2. Cải cách thể chế**"], "institutions"),
        ("x", ["Quản trị điện tử"], "papi_e_governance"),
        ("Công khai quy trình tuyển dụng", ["Công khai, minh bạch"], "papi_transparency"),
        ("100% công chức, viên chức thực hiện chữ ký số", [], "digital_government"),
        ("100% đơn vị thực hiện đúng quy định về sử dụng kinh phí", [], "public_finance"),
        ("Nâng cao chất lượng công tác", [], None),
    ],
)
def test_area_for(text, path, key):
    assert area_for(text, path, areas=builtin_areas()) == key


def test_builtin_areas_mirror_the_migration():
    migration = importlib.import_module("cchc.plans.migrations.0002_reform_areas")
    expected = [(k, n, "programme", kw) for k, n, kw in migration.PROGRAMME] + [
        (k, n, "papi", kw) for k, n, kw in migration.PAPI]
    assert areas.BUILTIN_AREAS == expected


@pytest.mark.django_db
def test_areas_come_from_the_table():
    from cchc.plans.models import ReformArea

    ReformArea.objects.filter(key="public_finance").update(keywords="học phí")
    assert area_for("Công khai học phí", []) == "public_finance"
