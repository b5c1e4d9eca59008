"""A citizen looks for a procedure without signing in: by words typed with or without
diacritics, by level and field, page by page, and reads one procedure's page."""

import pytest

from cchc.dossiers.models import OnlineMode, ProcedureLevel
from cchc.dossiers.tests.factories import make_procedure

pytestmark = pytest.mark.django_db

LIST = "/public/procedures/"


@pytest.fixture
def catalogue():
    return {
        "copy": make_procedure(
            code="1.005092",
            name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
            field="Văn bằng, chứng chỉ",
            level=ProcedureLevel.COMMUNE,
        ),
        "transfer": make_procedure(
            code="1.004831",
            name="Chuyển trường đối với học sinh trung học phổ thông",
            field="Giáo dục trung học",
            level=ProcedureLevel.PROVINCE,
            online_mode=OnlineMode.PARTIAL,
        ),
        "school": make_procedure(
            code="1.004555",
            name="Cho phép trường trung học cơ sở hoạt động giáo dục",
            field="Giáo dục trung học",
            level=ProcedureLevel.COMMUNE,
        ),
        "old": make_procedure(code="1.000001", name="Cấp bản sao giấy chứng nhận cũ", is_active=False),
    }


def test_search_ignores_diacritics_and_case(client, catalogue):
    response = client.get(LIST, {"q": "cap ban sao"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc" in body
    assert "Chuyển trường" not in body
    assert "giấy chứng nhận cũ" not in body  # no longer in force

    body = client.get(LIST, {"q": "  CẤP   Bản sao "}).content.decode()
    assert "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc" in body


def test_every_word_must_match_in_any_order_and_the_code_matches_too(client, catalogue):
    body = client.get(LIST, {"q": "truong hoc sinh chuyen"}).content.decode()
    assert "Chuyển trường đối với học sinh trung học phổ thông" in body
    assert "Cho phép trường trung học cơ sở" not in body
    assert "Chuyển trường" in client.get(LIST, {"q": "1.004831"}).content.decode()


def test_filter_by_level_and_field(client, catalogue):
    body = client.get(LIST, {"level": ProcedureLevel.COMMUNE, "field": "Giáo dục trung học"}).content.decode()
    assert "Cho phép trường trung học cơ sở hoạt động giáo dục" in body
    assert "Chuyển trường" not in body  # provincial
    assert "Cấp bản sao văn bằng" not in body  # another field
    # A field that is not offered (a tampered link) is dropped, not an error.
    response = client.get(LIST, {"field": "<script>", "level": "nowhere"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_nothing_found_says_so(client, catalogue):
    body = client.get(LIST, {"q": "khong co thu tuc nay"}).content.decode()
    assert "Không có thủ tục phù hợp" in body


def test_the_list_is_paginated(client, catalogue):
    for n in range(25):
        make_procedure(code=f"2.{n:06d}", name=f"Thủ tục thử {n:02d}", field="Khác")
    first = client.get(LIST, {"field": "Khác"}).content.decode()
    assert "Trang 1/2" in first and "Thủ tục thử 00" in first and "Thủ tục thử 24" not in first
    second = client.get(LIST, {"field": "Khác", "page": 2}).content.decode()
    assert "Trang 2/2" in second and "Thủ tục thử 24" in second
    assert client.get(LIST, {"page": "x"}).status_code == 200


def test_the_procedure_page_says_everything_a_citizen_needs(client, catalogue):
    procedure = catalogue["transfer"]
    procedure.fee = "Không thu phí"
    procedure.forms = ["Đơn xin chuyển trường (Mẫu 01)"]
    procedure.documents = ["Đơn xin chuyển trường", "Học bạ", "Giấy giới thiệu chuyển trường"]
    procedure.legal_basis = "Thông tư 50/2021/TT-BGDĐT"
    procedure.result = "Giấy giới thiệu chuyển trường"
    procedure.processing_days = 3
    procedure.postal_return = False
    procedure.save()
    response = client.get(f"/public/procedures/{procedure.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    for expected in [
        "Chuyển trường đối với học sinh trung học phổ thông",
        "1.004831",
        "Cấp tỉnh (Sở GD&amp;ĐT)",
        "Giáo dục trung học",
        "3 ngày làm việc",
        "Không thu phí",
        "Một phần",
        "Đơn xin chuyển trường (Mẫu 01)",
        "Học bạ",
        "Thẩm định hồ sơ",  # the published steps
        "Thông tư 50/2021/TT-BGDĐT",
        "Giấy giới thiệu chuyển trường",
    ]:
        assert expected in body, expected
    assert "Nhận kết quả qua bưu chính</dt><dd>Không" in body.replace("\n", "")


def test_a_procedure_no_longer_in_force_is_not_found(client, catalogue):
    assert client.get("/public/procedures/1.000001/").status_code == 404
    assert client.get("/public/procedures/9.999999/").status_code == 404


def test_the_public_pages_need_no_sign_in_and_set_no_cookie(client, province, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert not response.cookies
    assert "Sở Giáo dục và Đào tạo Hưng Yên" in response.content.decode()  # the unit's name
    assert client.get("/public/").status_code == 302
