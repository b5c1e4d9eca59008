"""Completeness and timeliness as the department reads them: who was expected, who
sent, who sent on time, by district office — equal to a hand count, also across the
2025 restructuring, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.core.errors import DomainError, PermissionDenied
from cchc.metrics.periods import Period
from cchc.orgs import services as org_services
from cchc.orgs.models import UnitKind
from cchc.orgs.scoping import scope_for
from cchc.orgs.tests.factories import bulk_units, make_unit
from cchc.reporting import selectors, services
from cchc.reporting.models import ReporterDepth
from cchc.workdays import calendar

from .factories import Q2_2025, Q3_2025, at, make_schedule, open_report, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def row_of(table, unit):
    return dict((u.pk, c) for u, c in table.rows)[unit.pk]


@pytest.fixture
def q2_reports(province, monkeypatch):
    """Quý II/2025, due 25/06: A1 on time and accepted, A2 late, B1 typing a draft, THPT nothing."""
    t = province
    schedule = make_schedule(t)
    at(monkeypatch, "2025-06-24 10:00")
    a1 = submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    services.report_accept(actor=t.dept_officer, report=a1)
    at(monkeypatch, "2025-06-27 10:00")
    submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    b1 = open_report(schedule, t.school_b1, Q2_2025, actor=t.school_b1_head)
    services.report_save_draft(actor=t.school_b1_head, report=b1, expected_version=1, results="Đang soạn")
    return schedule


def test_the_department_sees_the_hand_count(province, q2_reports):
    t = province
    table = selectors.completeness_for(user=t.dept_officer, schedule=q2_reports, period=Q2_2025)
    total = table.total
    assert (total.expected, total.submitted, total.on_time, total.late, total.accepted, total.drafts) == (
        4, 2, 1, 1, 1, 1,
    )
    assert total.completeness_rate == 50 and total.timeliness_rate == 25 and total.missing == 2
    assert [u.pk for u, _ in table.rows] == [
        t.division.pk, t.high_school.pk, t.office_a.pk, t.office_b.pk
    ]  # the department's children then, by path
    office_a, office_b = row_of(table, t.office_a), row_of(table, t.office_b)
    assert (office_a.expected, office_a.submitted, office_a.on_time, office_a.accepted) == (2, 2, 1, 1)
    assert (office_b.expected, office_b.submitted, office_b.drafts) == (1, 0, 1)
    high_school = row_of(table, t.high_school)  # a school directly under the department
    assert (high_school.expected, high_school.submitted) == (1, 0)
    assert row_of(table, t.division).expected == 0
    assert list(selectors.missing_units(user=t.dept_officer, schedule=q2_reports, period=Q2_2025)) == [
        t.high_school, t.school_b1
    ]


def test_a_district_office_reads_its_own_schools_only(province, q2_reports):
    t = province
    table = selectors.completeness_for(
        user=t.office_a_officer, schedule=q2_reports, period=Q2_2025, unit=t.office_a
    )
    assert (table.total.expected, table.total.submitted, table.total.on_time) == (2, 2, 1)
    assert [u for u, _ in table.rows] == [t.school_a1, t.school_a2]
    assert row_of(table, t.school_a2).late == 1
    with pytest.raises(PermissionDenied):
        selectors.completeness_for(user=t.office_a_officer, schedule=q2_reports, period=Q2_2025)
    with pytest.raises(PermissionDenied):
        selectors.completeness_for(
            user=t.office_a_officer, schedule=q2_reports, period=Q2_2025, unit=t.office_b
        )


def test_direct_children_only_and_named_units(province):
    t = province
    offices = make_schedule(
        t, reporter_kinds=["district_office", "school"], depth=ReporterDepth.CHILDREN,
        units=[t.school_a1],
    )
    expected = set(selectors.expected_units(offices, Q2_2025))
    # Direct children of the kinds (two offices, the THPT), plus the named school.
    assert expected == {t.office_a, t.office_b, t.high_school, t.school_a1}


def test_units_closed_by_the_2025_merger_count_where_they_stood(province, monkeypatch):
    """Office B merges into office A on 01/07/2025: B1 moves under A. A school of B that
    closes on 15/08/2025 still reports for Quý III, where it stood on its last day."""
    t = province
    closing = make_unit("Trường Mầm non Tân Quang", UnitKind.SCHOOL, t.office_b, level="preschool")
    schedule = make_schedule(t, reporter_kinds=["school", "district_office"])
    org_services.units_merge(
        actor=t.admin, predecessors=[t.office_b], successor=t.office_a, effective_on=dt.date(2025, 7, 1)
    )
    org_services.unit_close(actor=t.admin, unit=closing, closed_on=dt.date(2025, 8, 15))
    for unit in (t.office_b, closing, t.school_b1):
        unit.refresh_from_db()

    q2 = selectors.completeness_for(user=t.dept_officer, schedule=schedule, period=Q2_2025)
    # THPT, A1, A2, B1, Tân Quang, and both offices.
    assert q2.total.expected == 7
    assert [u for u, c in q2.rows if c.expected] == [t.high_school, t.office_a, t.office_b]
    assert row_of(q2, t.office_b).expected == 3  # itself, B1, Tân Quang
    assert row_of(q2, t.office_a).expected == 3

    q3 = selectors.completeness_for(user=t.dept_officer, schedule=schedule, period=Q3_2025)
    assert q3.total.expected == 6  # office B is gone; its schools stand under office A
    assert t.office_b not in [u for u, _ in q3.rows]
    assert row_of(q3, t.office_a).expected == 5
    assert set(selectors.expected_units(schedule, Q3_2025, under=t.office_a)) == {
        t.office_a, t.school_a1, t.school_a2, t.school_b1, closing
    }

    # Office B reported Quý II before it closed; it cannot open Quý III.
    at(monkeypatch, "2025-06-20 10:00")
    submitted_report(schedule, t.office_b, Q2_2025, actor=t.admin)
    q2 = selectors.completeness_for(user=t.dept_officer, schedule=schedule, period=Q2_2025)
    assert row_of(q2, t.office_b).submitted == 1
    with pytest.raises(DomainError) as error:
        open_report(schedule, t.office_b, Q3_2025, actor=t.admin)
    assert error.value.code == "not_expected"


def test_history_of_a_school_across_the_year(province, q2_reports):
    t = province
    rows = selectors.history(
        user=t.school_a2_head, schedule=q2_reports, unit=t.school_a2, year=2025
    )
    assert [r.period.key for r in rows] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [r.report is not None for r in rows] == [False, True, False, False]
    assert all(r.expected for r in rows)
    assert rows[1].report.is_late and rows[1].due_date == dt.date(2025, 6, 25)
    with pytest.raises(PermissionDenied):
        selectors.history(user=t.school_a1_head, schedule=q2_reports, unit=t.school_a2, year=2025)


def test_the_breakdown_takes_a_fixed_number_of_queries(province, monkeypatch):
    t = province
    schedule = make_schedule(t)
    at(monkeypatch, "2025-06-20 10:00")
    submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            table = selectors.completeness_for(user=t.admin, schedule=schedule, period=Q2_2025)
        return table, len(captured)

    scope_for(t.admin)  # the user's scope is built once per request, not per table
    small_table, small = count_queries()
    bulk_units(t.office_a, UnitKind.SCHOOL, 40, level="primary")
    bulk_units(t.office_b, UnitKind.SCHOOL, 25, level="primary")
    more_offices = bulk_units(t.department, UnitKind.DISTRICT_OFFICE, 5)
    bulk_units(more_offices[0], UnitKind.SCHOOL, 30, level="primary")
    big_table, big = count_queries()
    assert big == small == 4
    assert big_table.total.expected == small_table.total.expected + 95
    assert big_table.total.submitted == 1
    assert row_of(big_table, more_offices[0]).expected == 30
    assert sum(c.expected for _, c in big_table.rows) + big_table.own.expected == big_table.total.expected


def test_a_period_before_anyone_reported(province):
    t = province
    schedule = make_schedule(t)
    q1 = Period("quarter", 2025, 1)
    table = selectors.completeness_for(user=t.dept_officer, schedule=schedule, period=q1)
    assert table.total.expected == 4 and table.total.completeness_rate == 0
