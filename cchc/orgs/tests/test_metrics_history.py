"""History survives restructuring: the 1 July 2025 merge of two district offices.

Before 1 July 2025 Văn Giang (office_a: A1, A2) and Văn Lâm (office_b: B1) are district
offices under the department; from that day both close and their schools move under a
new commune office. Past periods must roll up as the tree stood then.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.metrics.registry import value_for, values_for_children
from cchc.orgs import selectors, services
from cchc.orgs.models import Membership, Role, SchoolLevel, UnitKind
from cchc.orgs.tests.factories import REFORM_DAY, make_unit, make_user


@pytest.fixture
def merged(province):
    t = province
    t.commune_office = make_unit(
        "Phòng Văn hóa – Xã hội xã Văn Giang",
        UnitKind.COMMUNE_OFFICE,
        t.department,
        code="HY-X-VG",
        opened_on=REFORM_DAY,
    )
    services.units_merge(
        actor=t.admin,
        predecessors=[t.office_a, t.office_b],
        successor=t.commune_office,
        effective_on=REFORM_DAY,
    )
    for unit in (t.office_a, t.office_b, t.commune_office, t.department):
        unit.refresh_from_db()
    return t


def schools(unit, period):
    return value_for("orgs.schools_open", unit, period)


def test_schools_open_follows_the_tree_as_it_stood(merged):
    t = merged
    assert schools(t.office_a, "Quý I/2025").value == 2
    assert schools(t.office_b, "Quý I/2025").value == 1

    before = schools(t.commune_office, "Quý I/2025")
    assert not before.available
    assert before.value is None
    assert before.reason == "đơn vị chưa thành lập / đã giải thể trong kỳ"

    assert schools(t.commune_office, "Quý III/2025").value == 3
    after = schools(t.office_a, "Quý III/2025")
    assert not after.available and after.value is None

    assert schools(t.department, "Quý I/2025").value == 4  # 3 + THPT Văn Giang
    assert schools(t.department, "Quý III/2025").value == 4

    # A closed unit's year is read on its last day: 30/06/2025.
    year = schools(t.office_a, "Năm 2025")
    assert (year.available, year.value, year.numerator, year.denominator) == (True, 2, 2, None)
    assert schools(t.office_a, "6 tháng đầu năm 2025").value == 2
    assert schools(t.commune_office, "Năm 2025").value == 3


def test_units_open_counts_every_unit_below(merged):
    t = merged
    # Division, THPT, office_a (A1, A2), office_b (B1).
    assert value_for("orgs.units_open", t.department, "Quý I/2025").value == 7
    # office_a and office_b closed, the commune office opened: 7 - 2 + 1.
    assert value_for("orgs.units_open", t.department, "Quý III/2025").value == 6
    assert value_for("orgs.units_open", t.school_a1, "Quý I/2025").value == 0


def test_one_query_per_value(merged):
    with CaptureQueriesContext(connection) as queries:
        schools(merged.department, "Quý I/2025")
    assert len(queries) == 1


def test_roll_up_table_lists_the_children_of_the_period(merged):
    t = merged

    def table(period):
        with CaptureQueriesContext(connection) as queries:
            rows = values_for_children("orgs.schools_open", t.department, period)
        assert len(queries) == 2  # the children, then all their values at once
        return {unit.code: value.value for unit, value in rows}

    assert table("Quý I/2025") == {"HY-VP": 0, "HY-THPT-VG": 1, "HY-VG": 2, "HY-VL": 1}
    assert table("Quý III/2025") == {"HY-VP": 0, "HY-THPT-VG": 1, "HY-X-VG": 3}
    # Over the year the department had all five as children at some time.
    assert table("Năm 2025") == {
        "HY-VP": 0,
        "HY-THPT-VG": 1,
        "HY-VG": 2,
        "HY-VL": 1,
        "HY-X-VG": 3,
    }
    commune_rows = values_for_children("orgs.schools_open", t.commune_office, "Quý III/2025")
    assert {u.code: v.value for u, v in commune_rows} == {
        "HY-VG-TH-XQ": 1,
        "HY-VG-THCS-VG": 1,
        "HY-VL-MN-LH": 1,
    }
    assert values_for_children("orgs.schools_open", t.commune_office, "Quý I/2025") == []


# --- records_in_subtree: flows attributed to the unit a record's maker stood under ----


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def dated_memberships(merged):
    """Memberships on the schools (schools keep their identity through the merge)."""
    t = merged
    made = {}

    def make(name, unit, when):
        user = make_user(name)
        membership = Membership.objects.create(user=user, unit=unit, role=Role.STAFF)
        Membership.objects.filter(pk=membership.pk).update(created_at=when)
        made[name] = membership

    make("a1.feb", t.school_a1, _at(dt.date(2025, 2, 10)))
    make("a2.mar", t.school_a2, _at(dt.date(2025, 3, 31), 23, 30))  # late evening, local time
    make("b1.mar", t.school_b1, _at(dt.date(2025, 3, 15)))
    make("a1.jun30", t.school_a1, _at(dt.date(2025, 6, 30), 23, 59))
    make("a1.jul1", t.school_a1, _at(REFORM_DAY, 0, 30))  # 30/06 17:30 UTC
    make("b1.aug", t.school_b1, _at(dt.date(2025, 8, 20)))
    make("hs.aug", t.high_school, _at(dt.date(2025, 8, 20)))
    t.memberships = made
    return t


def _counted(t, unit, period):
    from cchc.metrics.periods import parse_period

    p = parse_period(period)
    queryset = Membership.objects.filter(pk__in=[m.pk for m in t.memberships.values()])
    rows = selectors.records_in_subtree(
        queryset, unit=unit, start=p.start, end=p.end, date_field="created_at"
    )
    return {m.user.username for m in rows.select_related("user")}


def test_records_roll_up_to_the_unit_of_their_date(dated_memberships):
    t = dated_memberships
    assert _counted(t, t.office_a, "Quý I/2025") == {"a1.feb", "a2.mar"}
    assert _counted(t, t.office_b, "Quý I/2025") == {"b1.mar"}
    assert _counted(t, t.office_a, "6 tháng đầu năm 2025") == {"a1.feb", "a2.mar", "a1.jun30"}
    # After its last day office_a gets nothing, even for the whole year.
    assert _counted(t, t.office_a, "Năm 2025") == {"a1.feb", "a2.mar", "a1.jun30"}
    assert _counted(t, t.office_a, "Quý III/2025") == set()

    assert _counted(t, t.commune_office, "Quý I/2025") == set()
    assert _counted(t, t.commune_office, "Quý III/2025") == {"a1.jul1", "b1.aug"}
    assert _counted(t, t.commune_office, "Năm 2025") == {"a1.jul1", "b1.aug"}

    assert _counted(t, t.department, "Năm 2025") == set(t.memberships)
    assert _counted(t, t.department, "Quý III/2025") == {"a1.jul1", "b1.aug", "hs.aug"}
    # The school itself sees its own records on both sides of the move.
    assert _counted(t, t.school_a1, "Năm 2025") == {"a1.feb", "a1.jun30", "a1.jul1"}


def test_records_in_subtree_takes_a_fixed_number_of_queries(dated_memberships):
    t = dated_memberships
    queryset = Membership.objects.all()
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.records_in_subtree(
            queryset,
            unit=t.office_a,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 3, 31),
            date_field="created_at",
        )
        rows.count()
    # One to read the unit's placements (unit_paths_during), one per window to see whether
    # any unit came or went during it, one for the records — never one per record.
    assert len(queries) == 3


def test_new_school_under_a_moved_unit_does_not_rewrite_history(merged):
    """A school founded after the merge is not counted in the old tree."""
    t = merged
    make_unit(
        "Trường Mầm non Xuân Quan",
        UnitKind.SCHOOL,
        t.commune_office,
        level=SchoolLevel.PRESCHOOL,
        code="HY-X-MN-XQ",
        opened_on=dt.date(2025, 9, 5),
    )
    assert schools(t.commune_office, "Quý III/2025").value == 4
    assert schools(t.department, "Quý I/2025").value == 4
    assert schools(t.department, "Quý III/2025").value == 5


def test_unit_created_late_under_a_moved_unit_keeps_the_old_tree(province):
    t = province
    other = make_unit("Sở GD&ĐT Bắc Ninh", UnitKind.DEPARTMENT, code="BN")
    services.unit_move(actor=None, unit=t.office_b, new_parent=other, effective_on=REFORM_DAY)
    t.office_b.refresh_from_db()
    # A school that existed since 2020 is entered in the system only now.
    make_unit(
        "Trường Tiểu học Lạc Đạo",
        UnitKind.SCHOOL,
        t.office_b,
        level=SchoolLevel.PRIMARY,
        code="HY-VL-TH-LD",
        opened_on=dt.date(2020, 9, 1),
    )
    assert schools(t.office_b, "Quý I/2025").value == 2
    assert schools(t.department, "Quý I/2025").value == 5
    assert schools(other, "Quý I/2025").value == 0
