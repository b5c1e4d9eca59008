"""The home page, the unit tree and the unit page, seen by users of different units.

Each test has a user who must not see a sibling's unit (school_a2) or another office's
(school_b1).
"""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.orgs import services
from cchc.orgs.models import SchoolLevel, UnitKind
from cchc.orgs.tests.factories import make_unit

pytestmark = pytest.mark.django_db

SCHOOLS = ("Trường Tiểu học Xuân Quan", "Trường THCS Văn Giang", "Trường Mầm non Lạc Hồng",
           "Trường THPT Văn Giang")


def units_page(client, **params):
    response = client.get(reverse("unit_list"), params)
    assert response.status_code == 200
    return response.content.decode()


# --- home -----------------------------------------------------------------------------


def test_home_greets_and_counts_the_units_below(client, province, django_assert_max_num_queries):
    client.force_login(province.dept_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Xin chào, so.cchc" in html
    assert "Sở Giáo dục và Đào tạo Hưng Yên" in html
    counts = response.context["counts"]
    assert counts == {"total": 7, "schools": 4, "offices": 3}


def test_home_of_a_school_head_shows_the_school_and_its_parent(client, province):
    client.force_login(province.school_a1_head)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Trường Tiểu học Xuân Quan" in html
    assert "Phòng Giáo dục và Đào tạo Văn Giang" in html
    assert response.context["counts"]["total"] == 0


# --- unit tree ------------------------------------------------------------------------


def test_department_officer_sees_every_school(client, province):
    client.force_login(province.dept_officer)
    html = units_page(client)
    for name in SCHOOLS:
        assert name in html


def test_school_head_sees_only_their_school(client, province):
    client.force_login(province.school_a1_head)
    html = units_page(client)
    assert "Trường Tiểu học Xuân Quan" in html
    assert "Trường THCS Văn Giang" not in html  # sibling school
    assert "Trường Mầm non Lạc Hồng" not in html  # another office's school
    assert "Phòng Giáo dục và Đào tạo Văn Lâm" not in html


def test_school_head_search_does_not_reach_other_schools(client, province):
    client.force_login(province.school_a1_head)
    assert "Trường THCS Văn Giang" not in units_page(client, q="van giang")
    assert "Trường Mầm non Lạc Hồng" not in units_page(client, q="lac hong")
    assert "Trường THCS Văn Giang" not in units_page(client, q="HY-VG-THCS-VG")


def test_search_without_diacritics(client, province):
    client.force_login(province.dept_officer)
    html = units_page(client, q="xuan quan")
    assert "Trường Tiểu học Xuân Quan" in html
    assert "Trường THCS Văn Giang" not in html
    # Search results are flat and say where each unit belongs.
    assert "thuộc Phòng Giáo dục và Đào tạo Văn Giang" in html


def test_search_with_diacritics_and_by_code(client, province):
    client.force_login(province.dept_officer)
    assert "Trường Mầm non Lạc Hồng" in units_page(client, q="Lạc Hồng")
    assert "Trường Mầm non Lạc Hồng" in units_page(client, q="hy-vl-mn-lh")


def test_filter_by_kind(client, province):
    client.force_login(province.dept_officer)
    html = units_page(client, kind=UnitKind.DISTRICT_OFFICE)
    assert "Phòng Giáo dục và Đào tạo Văn Giang" in html
    assert "Trường Tiểu học Xuân Quan" not in html


def test_htmx_request_returns_only_the_rows(client, province):
    client.force_login(province.dept_officer)
    response = client.get(reverse("unit_list"), {"q": "xuan quan"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Trường Tiểu học Xuân Quan" in html
    assert "<html" not in html and 'id="unit-results"' not in html
    assert "HX-Request" in response["Vary"]
    full = units_page(client, q="xuan quan")
    assert "<html" in full and 'id="unit-results"' in full


def test_search_box_is_wired_for_htmx(client, province):
    client.force_login(province.dept_officer)
    html = units_page(client)
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'role="search"' in html


def test_closed_units_are_hidden_unless_asked_for(client, province):
    services.unit_close(actor=None, unit=province.school_b1, closed_on=dt.date(2025, 6, 30))
    client.force_login(province.dept_officer)
    assert "Trường Mầm non Lạc Hồng" not in units_page(client)
    html = units_page(client, closed="on")
    assert "Trường Mầm non Lạc Hồng" in html
    assert "đã giải thể ngày 30/06/2025" in html


def test_tree_is_indented_relative_to_the_users_top_unit(client, province):
    client.force_login(province.office_a_officer)
    response = client.get(reverse("unit_list"))
    levels = {row["unit"].name: row["level"] for row in response.context["rows"]}
    assert levels == {
        "Phòng Giáo dục và Đào tạo Văn Giang": 0,
        "Trường Tiểu học Xuân Quan": 1,
        "Trường THCS Văn Giang": 1,
    }


def test_under_a_unit_outside_the_scope_is_404(client, province):
    client.force_login(province.school_a1_head)
    response = client.get(reverse("unit_list"), {"under": province.office_b.pk})
    assert response.status_code == 404


def test_unit_tree_pages_with_a_constant_number_of_queries(
    client, province, django_assert_max_num_queries
):
    for i in range(130):
        make_unit(
            f"Trường Tiểu học Số {i}", UnitKind.SCHOOL, province.office_b,
            level=SchoolLevel.PRIMARY,
        )
    client.force_login(province.dept_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("unit_list"))
    assert len(response.context["rows"]) == 100
    assert response.context["page"].paginator.count == 138
    with django_assert_max_num_queries(8):
        response = client.get(reverse("unit_list"), {"page": 2})
    assert len(response.context["rows"]) == 38
    assert "Trang 2/2" in response.content.decode()


# --- unit page ------------------------------------------------------------------------


def test_unit_page_shows_breadcrumb_children_and_history(client, province):
    client.force_login(province.dept_officer)
    response = client.get(reverse("unit_detail", args=[province.office_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "HY-VG" in html
    assert "Sở Giáo dục và Đào tạo Hưng Yên" in html  # breadcrumb
    assert "Trường Tiểu học Xuân Quan" in html and "Trường THCS Văn Giang" in html
    assert "Thuộc Sở Giáo dục và Đào tạo Hưng Yên." in html
    # A reform officer does not manage units: no members, no audit trail.
    assert "Nhật ký thay đổi" not in html


def test_unit_page_of_a_sibling_is_404(client, province):
    client.force_login(province.school_a1_head)
    assert client.get(reverse("unit_detail", args=[province.school_a1.pk])).status_code == 200
    for unit in (province.school_a2, province.school_b1, province.office_a):
        response = client.get(reverse("unit_detail", args=[unit.pk]))
        assert response.status_code == 404
    assert client.get(reverse("unit_detail", args=[999999])).status_code == 404


def test_school_head_sees_parent_names_without_links(client, province):
    client.force_login(province.school_a1_head)
    html = client.get(reverse("unit_detail", args=[province.school_a1.pk])).content.decode()
    assert "Phòng Giáo dục và Đào tạo Văn Giang" in html
    assert reverse("unit_detail", args=[province.office_a.pk]) not in html


def test_manager_sees_members_and_audit_trail(client, province):
    services.unit_update(actor=province.admin, unit=province.school_a1, phone="0221 3999 999")
    client.force_login(province.admin)
    html = client.get(reverse("unit_detail", args=[province.school_a1.pk])).content.decode()
    assert "Người dùng và vai trò" in html
    assert "xq.hieutruong" in html and "Thủ trưởng đơn vị" in html
    assert "Nhật ký thay đổi" in html
    assert "Cập nhật thông tin đơn vị" in html
    assert "0221 3999 999" in html


def test_unit_page_tells_the_restructuring_story(client, province):
    commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang", UnitKind.COMMUNE_OFFICE, province.department,
        code="HY-X-VG", opened_on=dt.date(2025, 7, 1),
    )
    services.units_merge(
        actor=province.admin, predecessors=[province.office_a], successor=commune,
        effective_on=dt.date(2025, 7, 1),
    )
    client.force_login(province.dept_officer)
    html = client.get(reverse("unit_detail", args=[province.office_a.pk])).content.decode()
    assert "Từ 01/07/2025 sáp nhập vào" in html
    assert "Phòng Văn hóa – Xã hội xã Văn Giang" in html
    html = client.get(reverse("unit_detail", args=[commune.pk])).content.decode()
    assert "tiếp nhận" in html and "Phòng Giáo dục và Đào tạo Văn Giang" in html
    html = client.get(reverse("unit_detail", args=[province.school_a1.pk])).content.decode()
    assert "Đến 30/06/2025 thuộc Phòng Giáo dục và Đào tạo Văn Giang." in html
    assert "Từ 01/07/2025 đến nay thuộc Phòng Văn hóa – Xã hội xã Văn Giang." in html


def test_unit_page_queries_stay_few(client, province, django_assert_max_num_queries):
    client.force_login(province.admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("unit_detail", args=[province.department.pk]))
    assert response.status_code == 200
