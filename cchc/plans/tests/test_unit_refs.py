"""Resolving "Cơ quan chủ trì" / "Cơ quan phối hợp" as the seed plans write them."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db.models import QuerySet

from cchc.orgs import services
from cchc.orgs.models import SchoolLevel, UnitKind
from cchc.orgs.tests.factories import REFORM_DAY, bulk_units, make_province, make_unit
from cchc.plans.unit_refs import UnitReferenceResolver, resolve_unit_reference, unit_key


@pytest.fixture
def t(db):
    """The test province with the divisions of a real department (seed 001)."""
    p = make_province()
    dept = p.department
    p.vp = p.division
    p.tccb = make_unit("Phòng Tổ chức cán bộ", UnitKind.DIVISION, dept)
    p.khtc = make_unit("Phòng Kế hoạch – Tài chính", UnitKind.DIVISION, dept)
    p.ttr = make_unit("Thanh tra Sở", UnitKind.DIVISION, dept)
    p.kt = make_unit(
        "Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin", UnitKind.DIVISION, dept
    )
    p.divisions = {p.vp, p.tccb, p.khtc, p.ttr, p.kt}
    p.children = p.divisions | {p.high_school, p.office_a, p.office_b}
    return p


def names(units):
    return sorted(u.name for u in units)


def resolve(text, context):
    return resolve_unit_reference(text, context=context)


def test_unit_key_expands_abbreviations():
    assert unit_key("Phòng TCCB") == unit_key("Phòng Tổ chức cán bộ") == "phong to chuc can bo"
    assert unit_key("Phòng KHTC") == unit_key("Phòng Kế hoạch – Tài chính")
    assert unit_key("Phòng GD&ĐT") == unit_key("Phòng GDĐT") == unit_key("phong gd-dt")
    assert unit_key("Phòng GD&ĐT") == "phong giao duc va dao tao"
    assert unit_key("Phòng Khảo thí, QLCLGD&CNTT") == unit_key(
        "Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin"
    )
    assert unit_key("Trường THCS Văn Giang") == "truong trung hoc co so van giang"


# --- seed 001, every lead and coordinating cell of the appendix --------------------------

# (cell as extracted, expected units by attribute, needs review, unmatched parts)
LEADS = [
    ("Văn phòng Sở", {"vp"}),
    ("Phòng TCCB", {"tccb"}),
    ("Phòng Kế hoạch tài chính", {"khtc"}),
    ("Phòng Khảo thí, QLCLGD&CNTT", {"kt"}),
]
COORDINATING = [
    ("Các phòng, Thanh tra Sở", "divisions", False, []),
    ("Các phòng có liên quan", "divisions", True, []),
    ("Trung tâm phục vụ hành chính công", set(), False, ["Trung tâm phục vụ hành chính công"]),
    ("Các phòng, Thanh tra Sở, các đơn vị được kiểm tra", "children", True, []),
    ("Các đơn vị trực thuộc", {"high_school"}, False, []),
    ("Các Phòng, Thanh\ntra Sở, các đơn vị trực thuộc", "divisions+high_school", False, []),
    ("Các Phòng, Thanh tra Sở, các đơn vị trực thuộc", "divisions+high_school", False, []),
    ("Các cơ quan, đơn vị có liên quan", "children", True, []),
    ("Các cơ quan, đơn vị", "children", False, []),
    ("", set(), False, []),
]


def expected_units(t, spec):
    if spec == "divisions":
        return t.divisions
    if spec == "children":
        return t.children
    if spec == "divisions+high_school":
        return t.divisions | {t.high_school}
    return {getattr(t, name) for name in spec}


@pytest.mark.parametrize(("cell", "expected"), LEADS)
def test_seed_001_lead_units(t, cell, expected):
    result = resolve(cell, t.department)
    assert set(result.units) == expected_units(t, expected)
    assert result.unmatched == [] and not result.needs_review


@pytest.mark.parametrize(("cell", "expected", "review", "unmatched"), COORDINATING)
def test_seed_001_coordinating_units(t, cell, expected, review, unmatched):
    result = resolve(cell, t.department)
    assert set(result.units) == expected_units(t, expected)
    assert result.needs_review is review
    assert result.unmatched == unmatched


def test_seed_001_parts_are_kept_as_written(t):
    result = resolve("Các Phòng, Thanh\ntra Sở, các đơn vị trực thuộc", t.department)
    assert [part for part, _units in result.matched] == ["Các Phòng", "Thanh tra Sở", "các đơn vị trực thuộc"]
    assert result.text == "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc"
    result = resolve("Các phòng có liên quan", t.department)
    assert result.review_parts == ["Các phòng có liên quan"]


def test_seed_001_prose_names(t):
    """The "Tổ chức thực hiện" section and the distribution list name units in full."""
    assert resolve("Phòng Tổ chức cán bộ Sở", t.department).units == [t.tccb]
    assert resolve("Phòng Kế hoạch tài chính Sở", t.department).units == [t.khtc]
    full = "phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin"
    assert resolve(full, t.department).units == [t.kt]
    result = resolve("Các phòng, Thanh tra Sở(để thực hiện)", t.department)
    assert set(result.units) == t.divisions and result.unmatched == []
    assert resolve("Phòng KHTC", t.department).units == [t.khtc]


# --- other forms ------------------------------------------------------------------------


def test_schools_by_group_and_level(t):
    all_schools = {t.high_school, t.school_a1, t.school_a2, t.school_b1}
    for text in ("Các nhà trường", "Các trường học", "Hiệu trưởng các trường", "Các cơ sở giáo dục"):
        assert set(resolve(text, t.department).units) == all_schools, text
    assert resolve("Các trường THCS", t.department).units == [t.school_a2]
    assert set(resolve("Các trường mầm non, tiểu học", t.department).units) == {t.school_a1, t.school_b1}
    assert set(resolve("Các trường MN, TH, THCS", t.department).units) == {
        t.school_a1,
        t.school_a2,
        t.school_b1,
    }
    assert resolve("Các trường THPT trực thuộc", t.department).units == [t.high_school]
    # Seed 003: the district office's own plan.
    assert set(resolve("Các nhà trường", t.office_a).units) == {t.school_a1, t.school_a2}


def test_groups_of_schools_are_lazy(t, django_assert_num_queries):
    resolver = UnitReferenceResolver(t.department)
    with django_assert_num_queries(0):
        result = resolver.resolve("Các nhà trường")
    _part, members = result.matched[0]
    assert isinstance(members, QuerySet)


def test_the_context_itself(t):
    assert resolve("Phòng Giáo dục và Đào tạo", t.office_a).units == [t.office_a]
    assert resolve("Phòng GD&ĐT", t.office_a).units == [t.office_a]
    assert resolve("Sở GD&ĐT", t.department).units == [t.department]
    assert resolve("Lãnh đạo Sở", t.department).units == [t.department]
    assert resolve("Sở Giáo dục và Đào tạo Hưng Yên", t.department).units == [t.department]


def test_district_offices_and_since_july_2025_commune_offices(t):
    for text in ("Các Phòng GD&ĐT huyện, thành phố", "Phòng GD&ĐT", "Các Phòng GDĐT"):
        result = resolve(text, t.department)
        assert set(result.units) == {t.office_a, t.office_b}, text
        assert result.unmatched == []
    commune = make_unit(
        "Phòng Văn hóa – Xã hội xã Lạc Hồng", UnitKind.COMMUNE_OFFICE, t.department, opened_on=REFORM_DAY
    )
    services.unit_split(
        actor=None,
        predecessor=t.office_b,
        successors=[commune],
        children_to={t.school_b1.pk: commune},
        effective_on=REFORM_DAY,
        decision="Nghị quyết sắp xếp đơn vị hành chính cấp xã",
    )
    result = resolve("Các Phòng GD&ĐT huyện, thành phố", t.department)
    assert set(result.units) == {t.office_a, commune}
    # The school moved with its commune and is still one of the department's schools.
    assert t.school_b1 in resolve("Các trường mầm non", t.department).units


def test_specific_units_by_name(t):
    assert resolve("Phòng GD&ĐT Văn Lâm", t.department).units == [t.office_b]
    assert resolve("Phòng GD&ĐT huyện Văn Giang", t.department).units == [t.office_a]
    assert resolve("Trường THPT Văn Giang", t.department).units == [t.high_school]
    # Schools two levels down are found in one batched query.
    result = resolve("Trường THCS Văn Giang; Trường Tiểu học Xuân Quan", t.department)
    assert result.units == [t.school_a2, t.school_a1]
    assert resolve("Trường Trung học cơ sở Văn Giang", t.department).units == [t.school_a2]
    assert resolve("Văn phòng Sở và Phòng TCCB", t.department).units == [t.vp, t.tccb]
    assert resolve("Thanh tra", t.department).units == [t.ttr]
    assert resolve("Phòng Khảo thí", t.department).units == [t.kt]
    # A misspelling (two words run together by OCR) is matched, for review.
    result = resolve("Phòng Tổ chứccán bộ", t.department)
    assert result.units == [t.tccb] and result.needs_review


def test_what_is_not_in_the_tree_is_left_to_map(t):
    result = resolve(
        "Văn phòng Sở, Trung tâm phục vụ hành chính công, Sở Nội vụ, Bộ phận một cửa, Tổ CCHC", t.department
    )
    assert result.units == [t.vp]
    assert result.unmatched == [
        "Trung tâm phục vụ hành chính công",
        "Sở Nội vụ",
        "Bộ phận một cửa",
        "Tổ CCHC",
    ]
    # A group with no member is left to map too: a district office has no divisions.
    assert resolve("Các phòng", t.office_a).unmatched == ["Các phòng"]


def test_a_unit_named_after_a_function_is_matched(t):
    desk = make_unit("Bộ phận một cửa", UnitKind.DIVISION, t.department)
    assert resolve("Bộ phận một cửa", t.department).units == [desk]
    assert resolve("Bộ phận Thường trực CCHC (Văn phòng Sở)", t.department).units == [t.vp]


def test_closed_units_are_not_candidates(t):
    old = make_unit(
        "Phòng Giáo dục Trung học", UnitKind.DIVISION, t.department, opened_on=dt.date(2010, 1, 1)
    )
    services.unit_close(actor=None, unit=old, closed_on=dt.date(2024, 12, 31))
    assert resolve("Phòng Giáo dục Trung học", t.department).unmatched == ["Phòng Giáo dục Trung học"]
    assert old not in resolve("Các phòng", t.department).units


def test_a_bounded_number_of_queries(t, django_assert_max_num_queries):
    bulk_units(t.office_a, UnitKind.SCHOOL, 200, level=SchoolLevel.PRIMARY)
    bulk_units(t.department, UnitKind.DIVISION, 30)
    cells = [cell for cell, *_ in LEADS + COORDINATING] * 10
    text = "; ".join(cells + ["Các trường THCS", "Trường THCS Văn Giang", "Phòng GD&ĐT Văn Lâm", "Sở Nội vụ"])
    with django_assert_max_num_queries(3):
        result = resolve(text, t.department)
        units = result.units
    assert t.school_a2 in units and t.office_b in units and t.tccb in units
    assert len(units) == len({u.pk for u in units})
    # One resolver for a whole appendix: the candidates are loaded once.
    resolver = UnitReferenceResolver(t.department)
    with django_assert_max_num_queries(2):
        results = [resolver.resolve(cell) for cell, *_ in LEADS + COORDINATING]
    assert results[0].units == [t.vp]


def test_a_national_context_matches_names_among_its_children(db):
    ministry = make_unit("Bộ Giáo dục và Đào tạo", UnitKind.MINISTRY)
    province = SimpleNamespace(
        dept=make_unit("Sở Giáo dục và Đào tạo Hưng Yên", UnitKind.DEPARTMENT, ministry)
    )
    make_unit("Văn phòng Bộ", UnitKind.DIVISION, ministry)
    vp_so = make_unit("Văn phòng Sở", UnitKind.DIVISION, province.dept)
    result = resolve("Sở GD&ĐT Hưng Yên, Văn phòng Bộ, các Sở GD&ĐT", ministry)
    assert [u.name for u in result.units][:2] == ["Sở Giáo dục và Đào tạo Hưng Yên", "Văn phòng Bộ"]
    assert vp_so not in result.units
    assert result.unmatched == []
