"""Creating and editing units: clear Vietnamese messages, nothing half-written."""

import pytest

from cchc.core.errors import DomainError
from cchc.orgs import services
from cchc.orgs.models import OrgUnit, UnitKind, UnitPlacement


def test_a_new_school_gets_its_path_and_first_placement(province):
    t = province
    school = services.unit_create(
        actor=t.admin, name="Trường Mầm non Hoa Sen", kind=UnitKind.SCHOOL,
        school_level="preschool", code="HY-VL-MN-HS", parent=t.office_b,
    )
    assert school.path == f"{t.office_b.path}{school.pk}/"
    assert school.depth == 2
    assert school.name_folded == "truong mam non hoa sen"
    assert UnitPlacement.objects.get(unit=school).path == school.path


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"name": ""}, "Vui lòng nhập tên đơn vị.", "name"),
        ({"school_level": ""}, "Trường học phải có cấp học.", "school_level"),
        ({"kind": "division", "school_level": "primary"}, "Chỉ trường học mới có cấp học.",
         "school_level"),
        ({"code": "HY-VG"}, "Mã đơn vị “HY-VG” đã tồn tại.", "code"),
        ({"kind": "castle"}, "Loại đơn vị không hợp lệ.", "kind"),
    ],
)
def test_bad_input_is_refused_with_a_message(province, fields, message, field):
    t = province
    count = OrgUnit.objects.count()
    values = {
        "name": "Trường Tiểu học Cửu Cao", "kind": UnitKind.SCHOOL, "school_level": "primary",
        "code": "HY-VG-TH-CC", "parent": t.office_a,
    } | fields
    with pytest.raises(DomainError) as error:
        services.unit_create(actor=t.admin, **values)
    assert error.value.message == message
    assert error.value.field == field
    assert OrgUnit.objects.count() == count


def test_only_managers_above_create_units(province):
    t = province
    with pytest.raises(DomainError):
        services.unit_create(
            actor=t.office_a_officer, name="Trường Tiểu học Mới", kind=UnitKind.SCHOOL,
            school_level="primary", code="NEW-1", parent=t.office_a,
        )
    with pytest.raises(DomainError):
        services.unit_create(
            actor=t.dept_officer, name="Sở GD&ĐT Hà Nam", kind=UnitKind.DEPARTMENT, code="HNA"
        )


def test_no_units_under_a_closed_unit(province):
    import datetime as dt

    t = province
    services.unit_move(
        actor=t.admin, unit=t.school_b1, new_parent=t.office_a, effective_on=dt.date(2025, 1, 1)
    )
    services.unit_close(actor=t.admin, unit=t.office_b, closed_on=dt.date(2025, 6, 30))
    with pytest.raises(DomainError, match="đã giải thể"):
        services.unit_create(
            actor=t.admin, name="Trường Tiểu học X", kind=UnitKind.SCHOOL,
            school_level="primary", code="X-1", parent=t.office_b,
        )


def test_a_unit_with_open_children_cannot_be_dissolved(province):
    import datetime as dt

    t = province
    with pytest.raises(DomainError, match="chuyển chúng trước"):
        services.unit_close(actor=t.admin, unit=t.office_a, closed_on=dt.date(2025, 6, 30))


def test_correcting_the_opening_date_moves_the_start_of_its_history(province):
    import datetime as dt

    from cchc.orgs import selectors

    t = province
    services.unit_update(actor=t.admin, unit=t.school_b1, opened_on=dt.date(2024, 9, 5))
    assert t.school_b1 not in selectors.subtree_on(t.office_b, dt.date(2024, 9, 4))
    assert t.school_b1 in selectors.subtree_on(t.office_b, dt.date(2024, 9, 5))


def test_a_unit_due_to_close_later_still_moves_with_its_parent(province):
    import datetime as dt

    from cchc.orgs.models import UnitPlacement

    t = province
    school = services.unit_create(
        actor=t.admin, name="Trường Tiểu học Tân Tiến", kind=UnitKind.SCHOOL,
        school_level="primary", code="HY-VG-TH-TT", parent=t.office_a,
    )
    UnitPlacement.objects.filter(unit=school).update(valid_to=dt.date(2025, 12, 31))
    services.unit_move(
        actor=t.admin, unit=t.office_a, new_parent=t.office_b, effective_on=dt.date(2025, 7, 1)
    )
    rows = list(UnitPlacement.objects.filter(unit=school).order_by("valid_from"))
    assert [(r.path.count("/"), r.valid_to) for r in rows] == [
        (4, dt.date(2025, 6, 30)),
        (5, dt.date(2025, 12, 31)),
    ]
