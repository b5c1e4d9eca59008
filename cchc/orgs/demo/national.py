"""The national tree as it stands now, with its history before 1 July 2025.

    Bộ GD&ĐT
      63 old departments (29 closed on 30/06/2025, merged into the 34 that remain)
        divisions (those of a closed department merged into the remaining one's)
        upper-secondary and THCS&THPT schools, GDNN-GDTX centres (move to the remaining
        department from 01/07/2025)
        ~700 district offices, closed on 30/06/2025, each split into communes
      34 departments
        ~3,300 commune offices from 01/07/2025: preschools, primary, lower-secondary and
        TH&THCS schools, under their district office until 30/06/2025

Everything is written in bulk (`UnitRows`), one transaction per stage, no service call
per row; the placements, successions and audit rows are those the services would have
written. Deterministic for a given seed and size.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max

from cchc.core import audit
from cchc.core.models import AuditEvent
from cchc.core.text import fold
from cchc.orgs.models import (
    Membership,
    OrgUnit,
    Role,
    SchoolLevel,
    UnitKind,
    UnitPlacement,
    UnitSuccession,
)

from . import names
from .bulk import BATCH_SIZE, UnitRows, reset_sequences
from .province import DEMO_PASSWORD, DISTRICT_DECISION, FOUNDED, LAST_DAY, PROVINCE_DECISION, REFORM_DAY

# Shares of the default 50,000 schools (about the country's figures; the rest multi-level).
LEVEL_SHARES = {
    SchoolLevel.PRESCHOOL: 0.30,
    SchoolLevel.PRIMARY: 0.26,
    SchoolLevel.LOWER_SECONDARY: 0.20,
    SchoolLevel.UPPER_SECONDARY: 0.05,
}
DEPARTMENT_MULTI_LEVEL = 0.2  # THCS&THPT schools stay under the department
CENTRES_PER_SCHOOL = 700 / 50_000
PREFIX = {
    SchoolLevel.PRESCHOOL: ("Trường Mầm non", "MN"),
    SchoolLevel.PRIMARY: ("Trường Tiểu học", "TH"),
    SchoolLevel.LOWER_SECONDARY: ("Trường THCS", "THCS"),
    SchoolLevel.MULTI_LEVEL: ("Trường TH&THCS", "THTHCS"),
}
REAL_DISTRICTS = {
    "Hưng Yên": [d[0] for d in names.HUNG_YEN_DISTRICTS],
    "Thái Bình": [d[0] for d in names.THAI_BINH_DISTRICTS]
    + ["huyện Hưng Hà", "huyện Thái Thụy", "huyện Tiền Hải", "huyện Kiến Xương"],
}


@dataclass
class OldProvince:
    number: int
    name: str
    is_city: bool
    districts: int
    new: NewProvince
    department: OrgUnit | None = None
    divisions: dict[str, OrgUnit] = field(default_factory=dict)
    offices: list[OrgUnit] = field(default_factory=list)
    # per district office: its successor communes
    successors: dict[int, list[OrgUnit]] = field(default_factory=dict)


@dataclass
class NewProvince:
    number: int
    name: str
    is_city: bool
    communes: int
    old: list[OldProvince] = field(default_factory=list)
    commune_offices: list[OrgUnit] = field(default_factory=list)

    @property
    def department(self) -> OrgUnit:
        return self.old[0].department  # the old department whose name the province kept

    @property
    def slug(self) -> str:
        return fold(self.name).replace(" ", "")


class _Names:
    """Unique place names from Sino-Vietnamese syllables, deterministic per seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def place(self, taken: set[str]) -> str:
        while True:
            first, second = self.rng.sample(names.PLACE_SYLLABLES, 2)
            name = f"{first} {second}"
            if fold(name) not in taken:  # "Hà Tân" and "Hạ Tân" would share a username
                taken.add(fold(name))
                return name


def build_national(
    *, seed: int = 2025, schools: int = 50_000, with_users: bool = True, log: Callable = print
) -> dict[str, int]:
    rng = random.Random(seed)
    gen = _Names(rng)
    provinces = _provinces()
    started = time.perf_counter()
    rows = UnitRows(next_id=(OrgUnit.objects.aggregate(m=Max("id"))["m"] or 0) + 1)

    def stage(number: int, title: str, fn: Callable[[], str]) -> None:
        t0 = time.perf_counter()
        with transaction.atomic():
            detail = fn()
        log(f"[{number}/6] {title}: {detail} — {time.perf_counter() - t0:.1f} s")

    state: dict = {}
    stage(1, "Bộ, sở, phòng thuộc sở", lambda: _departments(rows, provinces, state))
    stage(2, "Phòng GD&ĐT cấp huyện", lambda: _district_offices(rows, provinces, gen))
    stage(3, "Phòng Văn hóa – Xã hội cấp xã", lambda: _commune_offices(rows, provinces, gen, rng))
    stage(4, "Trường học, trung tâm", lambda: _schools(rows, provinces, gen, rng, schools))
    stage(5, "Sắp xếp 01/07/2025: kế thừa, nhật ký", lambda: _successions(provinces))
    if with_users:
        stage(6, "Người dùng, vai trò", lambda: _users(provinces, state, rng))
    counts = {
        "orgs_orgunit": OrgUnit.objects.count(),
        "orgs_unitplacement": UnitPlacement.objects.count(),
        "orgs_unitsuccession": UnitSuccession.objects.count(),
        "orgs_membership": Membership.objects.count(),
        "auth_user": get_user_model().objects.count(),
        "core_auditevent": AuditEvent.objects.count(),
    }
    for table, count in counts.items():
        log(f"  {table}: {count:,}")
    log(f"Tổng thời gian: {time.perf_counter() - started:.1f} s")
    return counts


def _provinces() -> list[NewProvince]:
    result, number = [], 0
    for index, (name, is_city, communes, olds) in enumerate(names.PROVINCES, start=1):
        new = NewProvince(number=index, name=name, is_city=is_city, communes=communes)
        for old_name, old_city, districts in olds:
            number += 1
            new.old.append(OldProvince(number, old_name, old_city, districts, new))
        result.append(new)
    return result


def _old(provinces: list[NewProvince]) -> list[OldProvince]:
    return [old for new in provinces for old in new.old]


def _departments(rows: UnitRows, provinces: list[NewProvince], state: dict) -> str:
    ministry = rows.add(
        name="Bộ Giáo dục và Đào tạo", short_name="Bộ GD&ĐT", kind=UnitKind.MINISTRY, code="BGDDT"
    )
    state["ministry"] = ministry
    for new in provinces:
        for position, old in enumerate(new.old):
            closed_on = LAST_DAY if position else None
            old.department = rows.add(
                name=names.department_name(old.name, old.is_city),
                short_name=f"Sở GD&ĐT {old.name}",
                kind=UnitKind.DEPARTMENT,
                code=f"SGD-{old.number:02d}",
                parent=ministry,
                opened_on=FOUNDED,
                closed_on=closed_on,
            )
            for abbr, division in names.DIVISIONS:
                old.divisions[abbr] = rows.add(
                    name=division,
                    kind=UnitKind.DIVISION,
                    code=f"SGD-{old.number:02d}-{abbr}",
                    parent=old.department,
                    opened_on=FOUNDED,
                    closed_on=closed_on,
                )
    units, placements = rows.flush()
    reset_sequences()
    return f"{units:,} đơn vị, {placements:,} vị trí"


def _district_offices(rows: UnitRows, provinces: list[NewProvince], gen: _Names) -> str:
    for old in _old(provinces):
        real = REAL_DISTRICTS.get(old.name, [])
        taken: set[str] = set()
        for index in range(old.districts):
            if index < len(real):
                district = real[index]
            elif index == 0 and not old.is_city:
                district = f"thành phố {old.name}"
            else:
                district = f"{'quận' if old.is_city and index % 3 else 'huyện'} {gen.place(taken)}"
            old.offices.append(
                rows.add(
                    name=f"Phòng Giáo dục và Đào tạo {district}",
                    short_name=f"Phòng GD&ĐT {district.split(' ', 1)[1]}",
                    kind=UnitKind.DISTRICT_OFFICE,
                    code=f"PGD-{old.number:02d}-{index + 1:02d}",
                    parent=old.department,
                    opened_on=FOUNDED,
                    closed_on=LAST_DAY,
                )
            )
    units, placements = rows.flush()
    reset_sequences()
    return f"{units:,} đơn vị, {placements:,} vị trí"


def _commune_offices(rows, provinces: list[NewProvince], gen: _Names, rng: random.Random) -> str:
    for new in provinces:
        offices = [office for old in new.old for office in old.offices]
        by_office = {office.pk: old for old in new.old for office in old.offices}
        if new.communes < len(offices):
            raise ValueError(f"{new.name}: fewer communes than district offices")
        taken: set[str] = set()
        ward_share = 0.4 if new.is_city else 0.15
        for index in range(new.communes):
            commune = f"{'phường' if rng.random() < ward_share else 'xã'} {gen.place(taken)}"
            unit = rows.add(
                name=f"Phòng Văn hóa – Xã hội {commune}",
                short_name=f"UBND {commune}",
                kind=UnitKind.COMMUNE_OFFICE,
                code=f"XA-{new.number:02d}-{index + 1:03d}",
                parent=new.department,
                opened_on=REFORM_DAY,
            )
            new.commune_offices.append(unit)
            # Each commune took over (part of) one old district: spread them evenly.
            office = offices[index % len(offices)]
            by_office[office.pk].successors.setdefault(office.pk, []).append(unit)
    units, placements = rows.flush()
    reset_sequences()
    return f"{units:,} đơn vị, {placements:,} vị trí"


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    """`total` split over `buckets` as evenly as possible, the remainder at random."""
    counts = [total // buckets] * buckets
    for index in rng.sample(range(buckets), total % buckets):
        counts[index] += 1
    return counts


def _opened(rng: random.Random) -> dt.date:
    if rng.random() < 0.85:
        return FOUNDED
    return dt.date(rng.randint(1998, 2023), rng.choice([8, 9]), 1)


def _schools(rows, provinces: list[NewProvince], gen: _Names, rng, total: int) -> str:
    counts = {level: round(total * share) for level, share in LEVEL_SHARES.items()}
    multi = total - sum(counts.values())
    department_multi = round(multi * DEPARTMENT_MULTI_LEVEL)
    counts[SchoolLevel.MULTI_LEVEL] = multi - department_multi
    centres = max(1, round(total * CENTRES_PER_SCHOOL))
    olds = _old(provinces)
    offices = [(old, office) for old in olds for office in old.offices]
    per_office = {level: _spread(counts[level], len(offices), rng) for level in PREFIX}
    weights = [old.districts for old in olds]
    department_level = {
        "upper": _tally(rng.choices(range(len(olds)), weights, k=counts[SchoolLevel.UPPER_SECONDARY])),
        "multi": _tally(rng.choices(range(len(olds)), weights, k=department_multi)),
        "centre": _tally(rng.choices(range(len(olds)), weights, k=centres)),
    }
    units = placements = 0
    office_index = 0
    for old_index, old in enumerate(olds):
        new_department = old.new.department
        for office in old.offices:
            successors = old.successors[office.pk]
            wanted = {level: per_office[level][office_index] for level in PREFIX}
            office_index += 1
            size = max(wanted.values(), default=0)
            taken: set[str] = set()
            pool = [gen.place(taken) for _ in range(size)]
            number = 0
            for level, count in wanted.items():
                places = pool[:count]
                if level == SchoolLevel.MULTI_LEVEL:
                    rng.shuffle(places)
                for origin in places:
                    place = origin
                    if rng.random() < 0.04:  # now and then a school named after a person
                        figure = rng.choice(names.FIGURES)
                        if fold(figure) not in taken:
                            place = figure
                            taken.add(fold(figure))
                    number += 1
                    prefix, abbr = PREFIX[level]
                    school = rows.add(
                        name=f"{prefix} {place}",
                        kind=UnitKind.SCHOOL,
                        school_level=level,
                        code=f"{abbr}-{old.number:02d}-{office.code[-2:]}-{number:03d}",
                        parent=office,
                        opened_on=_opened(rng),
                    )
                    # an old commune's schools all went to the same new commune
                    successor = successors[pool.index(origin) * len(successors) // len(pool)]
                    rows.move(school, successor, REFORM_DAY)
        district_places = [o.short_name.removeprefix("Phòng GD&ĐT ") for o in old.offices]
        taken = set()

        def unique(name: str, taken: set[str] = taken) -> str:
            candidate, n = name, 1
            while candidate in taken:
                n += 1
                candidate = f"{name} số {n}"
            taken.add(candidate)
            return candidate

        number = 0
        items = (
            [("upper", i) for i in range(department_level["upper"].get(old_index, 0))]
            + [("multi", i) for i in range(department_level["multi"].get(old_index, 0))]
            + [("centre", i) for i in range(department_level["centre"].get(old_index, 0))]
        )
        for what, i in items:
            number += 1
            if what == "centre":
                place = district_places[i % len(district_places)]
                unit = rows.add(
                    name=unique(f"Trung tâm GDNN-GDTX {place}"),
                    kind=UnitKind.CENTRE,
                    code=f"TTGDNN-{old.number:02d}-{number:03d}",
                    parent=old.department,
                    opened_on=dt.date(2018, 1, 1),
                )
            else:
                if i == 0 and what == "upper":
                    place = f"Chuyên {old.name}"
                elif rng.random() < 0.5:
                    place = rng.choice(names.FIGURES)
                else:
                    place = district_places[i % len(district_places)]
                prefix = "Trường THPT" if what == "upper" else "Trường THCS&THPT"
                level = SchoolLevel.UPPER_SECONDARY if what == "upper" else SchoolLevel.MULTI_LEVEL
                unit = rows.add(
                    name=unique(f"{prefix} {place}"),
                    kind=UnitKind.SCHOOL,
                    school_level=level,
                    code=f"{'THPT' if what == 'upper' else 'THCSTHPT'}-{old.number:02d}-{number:04d}",
                    parent=old.department,
                    opened_on=_opened(rng),
                )
            if old.department.closed_on is not None:
                rows.move(unit, new_department, REFORM_DAY)
        # one province at a time keeps memory flat
        u, p = rows.flush()
        units, placements = units + u, placements + p
    reset_sequences()
    return f"{units:,} đơn vị, {placements:,} vị trí"


def _tally(indexes: list[int]) -> dict[int, int]:
    result: dict[int, int] = {}
    for index in indexes:
        result[index] = result.get(index, 0) + 1
    return result


def _successions(provinces: list[NewProvince]) -> str:
    """The links and audit rows `units_merge` and `unit_split` would have written."""
    links: list[UnitSuccession] = []
    closed: list[OrgUnit] = []
    for new in provinces:
        survivor = new.old[0]
        for old in new.old[1:]:
            links.append(_link(old.department, survivor.department, "merged_into", PROVINCE_DECISION))
            closed.append(_closure(old.department, [survivor.department], "merged_into", PROVINCE_DECISION))
            for abbr, division in old.divisions.items():
                target = survivor.divisions[abbr]
                links.append(_link(division, target, "merged_into", PROVINCE_DECISION))
                closed.append(_closure(division, [target], "merged_into", PROVINCE_DECISION))
        for old in new.old:
            for office in old.offices:
                successors = old.successors[office.pk]
                links += [_link(office, s, "split_into", DISTRICT_DECISION) for s in successors]
                closed.append(_closure(office, successors, "split_into", DISTRICT_DECISION))
    UnitSuccession.objects.bulk_create(links, batch_size=BATCH_SIZE)
    events = 0
    for kind in ("merged_into", "split_into"):
        events += audit.record_bulk(
            actor=None,
            objs=[u for u in closed if u._audit_kind == kind],
            event=f"unit.{kind}",
            action=AuditEvent.Action.UPDATE,
        )
    return f"{len(links):,} liên kết kế thừa, {events:,} dòng nhật ký"


def _link(predecessor: OrgUnit, successor: OrgUnit, kind: str, decision: str) -> UnitSuccession:
    return UnitSuccession(
        predecessor_id=predecessor.pk,
        successor_id=successor.pk,
        kind=kind,
        effective_on=REFORM_DAY,
        decision=decision,
    )


def _closure(unit: OrgUnit, successors: list[OrgUnit], kind: str, decision: str) -> OrgUnit:
    unit._audit_kind = kind
    unit._audit_changes = {
        "closed_on": [None, LAST_DAY.isoformat()],
        "successors": [None, [s.pk for s in successors]],
        "decision": [None, decision],
    }
    return unit


def _users(provinces: list[NewProvince], state: dict, rng: random.Random) -> str:
    """An administrator for the ministry; per department a head, a reform officer, a desk
    officer and a viewer; per commune office a reform officer. Password: "demo"."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    wanted: list[tuple[str, OrgUnit, str, str]] = [
        ("admin", state["ministry"], Role.SYSTEM_ADMIN, "Quản trị hệ thống"),
    ]
    for new in provinces:
        department = new.department
        wanted += [
            (f"{new.slug}.giamdoc", department, Role.UNIT_HEAD, "Giám đốc Sở"),
            (f"{new.slug}.cchc", department, Role.REFORM_OFFICER, "Thường trực CCHC"),
            (f"{new.slug}.motcua", department, Role.ONE_STOP_DESK, "Cán bộ một cửa"),
            (f"{new.slug}.xem", department, Role.VIEWER, "Chuyên viên"),
        ]
        for office in new.commune_offices:
            commune = fold(office.short_name.removeprefix("UBND ")).split(" ", 1)[1]
            username = f"{new.slug}.{commune.replace(' ', '')}.cchc"
            wanted.append((username, office, Role.REFORM_OFFICER, "Công chức Văn hóa – Xã hội"))
    users = []
    for username, _unit, _role, _title in wanted:
        last_name, first_name = names.person_name(rng)
        users.append(
            User(
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    memberships = [
        Membership(user_id=user.pk, unit_id=unit.pk, role=role, title=title)
        for user, (_username, unit, role, title) in zip(users, wanted, strict=True)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    return f"{len(users):,} người dùng, {len(memberships):,} vai trò"
