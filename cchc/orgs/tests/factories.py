"""A small province for tests: the shape of the demo, a dozen units, one user per role.

    department (Sở GD&ĐT Hưng Yên)
      division (Văn phòng Sở)
      school "THPT Văn Giang" (upper secondary, directly under the department)
      district office A "Phòng GD&ĐT Văn Giang"
        school A1 "Trường Tiểu học Xuân Quan", school A2 "Trường THCS Văn Giang"
      district office B "Phòng GD&ĐT Văn Lâm"
        school B1 "Trường Mầm non Lạc Hồng"
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from cchc.orgs import services
from cchc.orgs.models import Role, SchoolLevel, UnitKind

_counter = itertools.count(1)


def make_unit(name, kind, parent=None, *, level="", code=None, opened_on=None):
    return services.unit_create(
        actor=None,
        name=name,
        kind=kind,
        parent=parent,
        school_level=level,
        code=code or f"T{next(_counter):05d}",
        opened_on=opened_on,
    )


def make_user(username, unit=None, role=None, *, password="demo", **extra):
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    if unit is not None and role is not None:
        services.membership_grant(actor=None, user=user, unit=unit, role=role)
    return user


def make_province() -> SimpleNamespace:
    t = SimpleNamespace()
    t.department = make_unit("Sở Giáo dục và Đào tạo Hưng Yên", UnitKind.DEPARTMENT, code="HY")
    t.division = make_unit("Văn phòng Sở", UnitKind.DIVISION, t.department, code="HY-VP")
    t.high_school = make_unit(
        "Trường THPT Văn Giang", UnitKind.SCHOOL, t.department,
        level=SchoolLevel.UPPER_SECONDARY, code="HY-THPT-VG",
    )
    t.office_a = make_unit(
        "Phòng Giáo dục và Đào tạo Văn Giang", UnitKind.DISTRICT_OFFICE, t.department, code="HY-VG"
    )
    t.office_b = make_unit(
        "Phòng Giáo dục và Đào tạo Văn Lâm", UnitKind.DISTRICT_OFFICE, t.department, code="HY-VL"
    )
    t.school_a1 = make_unit(
        "Trường Tiểu học Xuân Quan", UnitKind.SCHOOL, t.office_a,
        level=SchoolLevel.PRIMARY, code="HY-VG-TH-XQ",
    )
    t.school_a2 = make_unit(
        "Trường THCS Văn Giang", UnitKind.SCHOOL, t.office_a,
        level=SchoolLevel.LOWER_SECONDARY, code="HY-VG-THCS-VG",
    )
    t.school_b1 = make_unit(
        "Trường Mầm non Lạc Hồng", UnitKind.SCHOOL, t.office_b,
        level=SchoolLevel.PRESCHOOL, code="HY-VL-MN-LH",
    )
    t.admin = make_user("admin", t.department, Role.SYSTEM_ADMIN)
    t.dept_officer = make_user("so.cchc", t.department, Role.REFORM_OFFICER)
    t.office_a_officer = make_user("vg.cchc", t.office_a, Role.REFORM_OFFICER)
    t.office_b_officer = make_user("vl.cchc", t.office_b, Role.REFORM_OFFICER)
    t.school_a1_head = make_user("xq.hieutruong", t.school_a1, Role.UNIT_HEAD)
    t.school_a1_staff = make_user("xq.canbo", t.school_a1, Role.STAFF)
    t.school_a2_head = make_user("thcsvg.hieutruong", t.school_a2, Role.UNIT_HEAD)
    t.school_b1_head = make_user("lh.hieutruong", t.school_b1, Role.UNIT_HEAD)
    t.desk_officer = make_user("vg.motcua", t.office_a, Role.ONE_STOP_DESK)
    t.viewer = make_user("so.xem", t.department, Role.VIEWER)
    return t


REFORM_DAY = dt.date(2025, 7, 1)


def bulk_units(parent, kind, count, *, level=""):
    """`count` units under `parent`, inserted in bulk with their paths and placements."""
    from cchc.core.text import fold
    from cchc.orgs.models import OrgUnit, UnitPlacement

    start = next(_counter)
    for _ in range(count):
        next(_counter)
    units = OrgUnit.objects.bulk_create(
        OrgUnit(
            name=f"Đơn vị {start + i}",
            name_folded=fold(f"Đơn vị {start + i}"),
            kind=kind,
            school_level=level,
            code=f"B{start + i:06d}",
            parent=parent,
            path="",
            depth=parent.depth + 1,
        )
        for i in range(count)
    )
    for unit in units:
        unit.path = f"{parent.path}{unit.pk}/"
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=500)
    UnitPlacement.objects.bulk_create(
        UnitPlacement(unit=u, parent=parent, path=u.path) for u in units
    )
    return units
