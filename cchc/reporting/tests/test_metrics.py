"""The reporting metrics: "100% trường báo cáo đúng hạn" measures itself from the reports."""

from __future__ import annotations

import pytest

from cchc.metrics import registry
from cchc.metrics.periods import Period
from cchc.reporting import services
from cchc.workdays import calendar

from .factories import Q2_2025, at, make_schedule, open_report, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def q2(province, monkeypatch):
    """Quý II/2025, due 25/06: A1 on time, A2 late, B1 only a draft, THPT nothing; read on 01/10."""
    t = province
    schedule = make_schedule(t)
    at(monkeypatch, "2025-06-24 10:00")
    submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    at(monkeypatch, "2025-06-27 10:00")
    submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    b1 = open_report(schedule, t.school_b1, Q2_2025, actor=t.school_b1_head)
    services.report_save_draft(actor=t.school_b1_head, report=b1, expected_version=1, results="…")
    at(monkeypatch, "2025-10-01 08:00")
    return schedule


def value(key, unit, period):
    result = registry.value_for(key, unit, period)
    return result.numerator, result.denominator, result.value


def test_both_metrics_are_registered_as_ratios():
    for key in ("reporting.completeness", "reporting.timeliness"):
        assert registry.get(key).kind == registry.MetricKind.RATIO


def test_the_department_s_quarter(province, q2):
    t = province
    assert value("reporting.completeness", t.department, Q2_2025) == (2, 4, 50)
    assert value("reporting.timeliness", t.department, Q2_2025) == (1, 4, 25)


def test_a_district_office_and_a_school_measure_their_own_subtree(province, q2):
    t = province
    assert value("reporting.completeness", t.office_a, Q2_2025) == (2, 2, 100)
    assert value("reporting.timeliness", t.office_a, Q2_2025) == (1, 2, 50)
    assert value("reporting.timeliness", t.school_a1, Q2_2025) == (1, 1, 100)
    assert value("reporting.timeliness", t.school_a2, Q2_2025) == (0, 1, 0)
    assert value("reporting.completeness", t.office_b, Q2_2025) == (0, 1, 0)


def test_the_children_of_the_department_in_a_roll_up_table(province, q2):
    t = province
    rows = dict(
        (unit.pk, (v.numerator, v.denominator))
        for unit, v in registry.values_for_children("reporting.timeliness", t.department, Q2_2025)
    )
    assert rows[t.office_a.pk] == (1, 2) and rows[t.office_b.pk] == (0, 1)
    assert rows[t.high_school.pk] == (0, 1)


def test_the_year_counts_each_quarter_already_due(province, q2, monkeypatch):
    t = province
    # On 01/10/2025 Quý I, II and III are due (Quý III on 25/09), Quý IV is not.
    assert value("reporting.completeness", t.department, Period("year", 2025))[:2] == (2, 12)
    assert value("reporting.completeness", t.department, Period("half_year", 2025, 1))[:2] == (2, 8)


def test_a_quarter_not_yet_due_counts_nobody_missing(province, q2, monkeypatch):
    at(monkeypatch, "2025-06-25 16:00")  # the due day itself: reports may still come
    assert value("reporting.completeness", province.department, Q2_2025) == (0, 0, None)
