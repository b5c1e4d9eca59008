"""The demo province: Sở GD&ĐT tỉnh Hưng Yên before and after the 2025 reform.

Built through the real services so that its history is real: `unit_create` gives the
shape before the reform (two departments, Hưng Yên and part of Thái Bình, with their
district offices and schools), then on 1 July 2025 each district office is split into
the commune offices that took over its schools (`unit_split`, Law 72/2025/QH15 on the
organisation of local government: two levels from 1/7/2025) and the Thái Bình
department merges into Hưng Yên (`units_merge`, Resolution 202/2025/QH15).
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from cchc.core.text import fold
from cchc.orgs import services
from cchc.orgs.models import OrgUnit, Role, SchoolLevel, UnitKind

from . import names

FOUNDED = dt.date(1997, 1, 1)  # Hưng Yên and Thái Bình as they stood until 2025
REFORM_DAY = dt.date(2025, 7, 1)
LAST_DAY = dt.date(2025, 6, 30)
DISTRICT_DECISION = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
PROVINCE_DECISION = "Nghị quyết số 202/2025/QH15"
DEMO_PASSWORD = "demo"

LEVEL_PREFIX = {
    SchoolLevel.PRESCHOOL: ("Trường Mầm non", "MN"),
    SchoolLevel.PRIMARY: ("Trường Tiểu học", "TH"),
    SchoolLevel.LOWER_SECONDARY: ("Trường THCS", "THCS"),
    SchoolLevel.MULTI_LEVEL: ("Trường TH&THCS", "THTHCS"),
    SchoolLevel.UPPER_SECONDARY: ("Trường THPT", "THPT"),
}
# Communes whose schools the demo users belong to: keep their primary and lower-secondary
# schools separate so the names in the users table always exist.
_KEEP_SEPARATE = {"Văn Giang", "Xuân Quan"}


@dataclass
class Demo:
    department: OrgUnit
    old_department: OrgUnit
    district_offices: list[OrgUnit]
    commune_offices: list[OrgUnit]
    usernames: list[str] = field(default_factory=list)


def _school(parent: OrgUnit, level: str, place: str, code: str, opened_on: dt.date) -> OrgUnit:
    prefix, _abbr = LEVEL_PREFIX[level]
    return services.unit_create(
        actor=None,
        name=f"{prefix} {place}",
        kind=UnitKind.SCHOOL,
        school_level=level,
        parent=parent,
        code=code,
        opened_on=opened_on,
    )


def _opened(rng: random.Random) -> dt.date:
    """Most schools predate the province's re-establishment; a few opened since."""
    if rng.random() < 0.85:
        return FOUNDED
    return dt.date(rng.randint(1998, 2023), rng.choice([8, 9]), 1)


def _chunks(items: list, parts: int) -> list[list]:
    n = len(items)
    return [items[i * n // parts : (i + 1) * n // parts] for i in range(parts)]


@transaction.atomic
def build_demo(*, seed: int = 2025) -> Demo:
    rng = random.Random(seed)
    create = services.unit_create

    hy = create(
        actor=None,
        name=names.department_name("Hưng Yên", False),
        short_name="Sở GD&ĐT Hưng Yên",
        kind=UnitKind.DEPARTMENT,
        code="SGD-HY",
        opened_on=FOUNDED,
        address="Đường Chùa Chuông, phường Hiến Nam, thành phố Hưng Yên",
        email="sogddt@hungyen.gov.vn",
    )
    tb = create(
        actor=None,
        name=names.department_name("Thái Bình", False),
        short_name="Sở GD&ĐT Thái Bình",
        kind=UnitKind.DEPARTMENT,
        code="SGD-TB",
        opened_on=FOUNDED,
        address="Số 5 Lý Thường Kiệt, thành phố Thái Bình",
        email="sogddt@thaibinh.gov.vn",
    )
    divisions = {
        (dept_code, abbr): create(
            actor=None,
            name=name,
            kind=UnitKind.DIVISION,
            parent=dept,
            code=f"SGD-{dept_code}-{abbr}",
            opened_on=FOUNDED,
        )
        for dept, dept_code, keep in (
            (hy, "HY", None),
            (tb, "TB", {"VP", "TCCB", "KHTC", "GDTrH", "TTr"}),
        )
        for abbr, name in names.DIVISIONS
        if keep is None or abbr in keep
    }
    centres = {}
    for n, (dept_code, name) in enumerate(names.DEMO_CENTRES, start=1):
        centres[name] = create(
            actor=None,
            name=name,
            kind=UnitKind.CENTRE,
            parent=hy if dept_code == "HY" else tb,
            code=f"TTGDNN-{dept_code}-{n:02d}",
            opened_on=dt.date(2018, 1, 1),
        )

    offices: list[OrgUnit] = []
    communes: list[OrgUnit] = []
    schools: dict[str, OrgUnit] = {}
    # district office -> (its successor communes, school id -> commune)
    splits: list[tuple[OrgUnit, list[OrgUnit], dict[int, OrgUnit]]] = []
    for dept, code, districts in (
        (hy, "HY", names.HUNG_YEN_DISTRICTS),
        (tb, "TB", names.THAI_BINH_DISTRICTS),
    ):
        for district, slug, old_communes, new_communes, high_schools in districts:
            office = create(
                actor=None,
                name=f"Phòng Giáo dục và Đào tạo {district}",
                short_name=f"Phòng GD&ĐT {district.split(' ', 1)[1]}",
                kind=UnitKind.DISTRICT_OFFICE,
                parent=dept,
                code=f"PGD-{code}-{slug.upper()}",
                opened_on=FOUNDED,
            )
            offices.append(office)
            for n, place in enumerate(high_schools, start=1):
                unit = _school(
                    dept,
                    SchoolLevel.UPPER_SECONDARY,
                    place,
                    f"THPT-{slug.upper()}-{n}",
                    _opened(rng),
                )
                schools[unit.name] = unit
            successors = [
                create(
                    actor=None,
                    name=f"Phòng Văn hóa – Xã hội {commune}",
                    short_name=f"UBND {commune}",
                    kind=UnitKind.COMMUNE_OFFICE,
                    parent=hy,
                    code=f"XA-HY-{fold(commune).split(' ', 1)[1].replace(' ', '').upper()}",
                    opened_on=REFORM_DAY,
                )
                for commune in new_communes
            ]
            communes.extend(successors)
            children_to: dict[int, OrgUnit] = {}
            number = 0
            groups = _chunks(old_communes, len(successors))
            figures = rng.sample(names.FIGURES, 2 if slug.startswith("tp") else 1)
            for successor, group in zip(successors, groups, strict=True):
                places: list[tuple[str, str]] = []
                for place in group:
                    places.append((SchoolLevel.PRESCHOOL, place))
                    if place not in _KEEP_SEPARATE and rng.random() < 0.15:
                        places.append((SchoolLevel.MULTI_LEVEL, place))
                    else:
                        places += [(SchoolLevel.PRIMARY, place), (SchoolLevel.LOWER_SECONDARY, place)]
                if successor is successors[0]:
                    places += [
                        (rng.choice([SchoolLevel.PRIMARY, SchoolLevel.LOWER_SECONDARY]), figure)
                        for figure in figures
                    ]
                for level, place in places:
                    number += 1
                    abbr = LEVEL_PREFIX[level][1]
                    unit = _school(office, level, place, f"{abbr}-{slug.upper()}-{number:03d}", _opened(rng))
                    schools.setdefault(unit.name, unit)
                    children_to[unit.pk] = successor
            splits.append((office, successors, children_to))

    users = _make_users(hy, tb, divisions, centres, offices, communes, schools, rng, before=True)

    # 1 July 2025: district offices split into communes, Thái Bình merges into Hưng Yên.
    for office, successors, children_to in splits:
        office.refresh_from_db()
        services.unit_split(
            actor=None,
            predecessor=office,
            successors=successors,
            children_to=children_to,
            effective_on=REFORM_DAY,
            decision=DISTRICT_DECISION,
        )
    for abbr, _name in names.DIVISIONS:
        if ("TB", abbr) in divisions:
            services.units_merge(
                actor=None,
                predecessors=[divisions[("TB", abbr)]],
                successor=divisions[("HY", abbr)],
                effective_on=REFORM_DAY,
                decision=PROVINCE_DECISION,
            )
    tb.refresh_from_db()
    hy.refresh_from_db()
    services.units_merge(
        actor=None,
        predecessors=[tb],
        successor=hy,
        effective_on=REFORM_DAY,
        decision=PROVINCE_DECISION,
    )
    users = _make_users(hy, tb, divisions, centres, offices, communes, schools, rng, before=False) + users
    tb.refresh_from_db()
    hy.refresh_from_db()
    return Demo(
        department=hy,
        old_department=tb,
        district_offices=offices,
        commune_offices=communes,
        usernames=users,
    )


def _make_users(hy, tb, divisions, centres, offices, communes, schools, rng, *, before: bool):
    """The demo users: one per role and level. Roles in the district offices are given
    before the reform; the administrator then gives their holders roles in the communes
    (a split leaves roles with the closed office), and the Thái Bình department's roles
    move to Hưng Yên with the merger."""
    by_code = {unit.code: unit for unit in [*offices, *communes]}
    office_vg = by_code["PGD-HY-VANGIANG"]
    commune_vg, commune_pc = by_code["XA-HY-VANGIANG"], by_code["XA-HY-PHUNGCONG"]
    commune_nq = by_code["XA-HY-NHUQUYNH"]
    if before:
        rows = [
            ("pgdvangiang.truongphong", Role.UNIT_HEAD, office_vg, "Trưởng phòng GD&ĐT"),
            ("pgdvangiang.cchc", Role.REFORM_OFFICER, office_vg, "Chuyên viên, thường trực CCHC"),
            ("tb.cchc", Role.REFORM_OFFICER, tb, "Chuyên viên Văn phòng Sở Thái Bình"),
        ]
    else:
        rows = [
            ("admin", Role.SYSTEM_ADMIN, hy, "Quản trị hệ thống"),
            ("so.giamdoc", Role.UNIT_HEAD, hy, "Giám đốc Sở"),
            ("so.cchc", Role.REFORM_OFFICER, hy, "Chuyên viên Văn phòng Sở, thường trực CCHC"),
            ("so.motcua", Role.ONE_STOP_DESK, hy, "Cán bộ Bộ phận một cửa"),
            ("so.xem", Role.VIEWER, hy, "Chuyên viên"),
            ("vp.chanhvanphong", Role.UNIT_HEAD, divisions[("HY", "VP")], "Chánh Văn phòng"),
            ("vp.canbo", Role.STAFF, divisions[("HY", "VP")], "Chuyên viên"),
            ("gdtrh.canbo", Role.STAFF, divisions[("HY", "GDTrH")], "Chuyên viên"),
            ("vangiang.cchc", Role.REFORM_OFFICER, commune_vg, "Công chức Văn hóa – Xã hội"),
            ("vangiang.motcua", Role.ONE_STOP_DESK, commune_vg, "Công chức một cửa"),
            ("nhuquynh.cchc", Role.REFORM_OFFICER, commune_nq, "Công chức Văn hóa – Xã hội"),
            ("thptvangiang.hieutruong", Role.UNIT_HEAD, schools["Trường THPT Văn Giang"], "Hiệu trưởng"),
            ("thptvangiang.canbo", Role.STAFF, schools["Trường THPT Văn Giang"], "Giáo viên"),
            ("thxuanquan.hieutruong", Role.UNIT_HEAD, schools["Trường Tiểu học Xuân Quan"], "Hiệu trưởng"),
            ("thxuanquan.canbo", Role.STAFF, schools["Trường Tiểu học Xuân Quan"], "Văn thư"),
            ("thcsvangiang.hieutruong", Role.UNIT_HEAD, schools["Trường THCS Văn Giang"], "Hiệu trưởng"),
            ("mnlachong.hieutruong", Role.UNIT_HEAD, schools["Trường Mầm non Lạc Hồng"], "Hiệu trưởng"),
            ("mnlachong.canbo", Role.STAFF, schools["Trường Mầm non Lạc Hồng"], "Kế toán"),
            (
                "gdnnvangiang.giamdoc",
                Role.UNIT_HEAD,
                centres["Trung tâm GDNN-GDTX huyện Văn Giang"],
                "Giám đốc Trung tâm",
            ),
        ]
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once, shared: hashing is slow on purpose
    new_users = []
    for username, _role, _unit, _title in rows:
        last_name, first_name = names.person_name(rng)
        new_users.append(
            User(
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@demo.cchc.local",
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
        )
    User.objects.bulk_create(new_users)
    created = {u.username: u for u in User.objects.filter(username__in=[r[0] for r in rows])}
    for username, role, unit, title in rows:
        services.membership_grant(actor=None, user=created[username], unit=unit, role=role, title=title)
    if not before:
        # The administrator places the old district office's staff in the communes.
        moved = [
            ("pgdvangiang.truongphong", Role.UNIT_HEAD, commune_vg, "Trưởng phòng Văn hóa – Xã hội"),
            ("pgdvangiang.cchc", Role.REFORM_OFFICER, commune_pc, "Công chức Văn hóa – Xã hội"),
        ]
        for username, role, unit, title in moved:
            user = User.objects.get(username=username)
            services.membership_grant(actor=None, user=user, unit=unit, role=role, title=title)
    return [row[0] for row in rows]


def users_table(usernames: list[str]) -> list[tuple[str, str, str, str]]:
    """(username, full name, role, unit) for every role of the given users, in order."""
    from cchc.orgs.models import Membership

    order = {name: i for i, name in enumerate(usernames)}
    memberships = (
        Membership.objects.filter(user__username__in=usernames).select_related("user", "unit").order_by("id")
    )
    rows = []
    for m in sorted(memberships, key=lambda m: order[m.user.username]):
        unit = m.unit.name
        if m.unit.closed_on:
            unit += f" (đến {m.unit.closed_on:%d/%m/%Y})"
        full_name = f"{m.user.last_name} {m.user.first_name}".strip()
        rows.append((m.user.username, full_name, m.get_role_display(), unit))
    return rows
