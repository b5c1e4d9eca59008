"""Consolidation: the department's report pre-filled from its offices' and schools' reports."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.metrics.registry import Metric, MetricKind, registered
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import bulk_units
from cchc.plans import services as plan_services
from cchc.plans.models import PlanKind
from cchc.reporting.consolidation import consolidate
from cchc.reporting.models import Report, ReportStatus, ReportVersion
from cchc.reporting.tests.factories import Q2_2025, at, make_schedule, submitted_report

# Đồ Sơn's rule; the department itself reports to the province under `upward`.
RATE_KEY = "on_time"


def _rate(numerator, denominator, value, **extra):
    return {
        RATE_KEY: {
            "label": "TTHC giải quyết đúng hạn",
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "target": "98",
            "comparator": ">=",
            "unit": "%",
            "comment": "Chưa đạt do hồ sơ tồn." if Decimal(str(value)) < 98 else "",
            **extra,
        }
    }


def _schedules(t):
    collecting = make_schedule(t, reporter_kinds=("district_office", "school"))
    upward = make_schedule(
        t, reporter_kinds=(), units=[t.department], name="Báo cáo CCHC gửi UBND tỉnh"
    )
    return collecting, upward


@pytest.fixture
def reported(province, monkeypatch):
    """High school 9/10 (90 %), office A 100/100 (100 %), office B silent."""
    t = province
    t.collecting, t.upward = _schedules(t)
    at(monkeypatch, "2025-06-20 09:00")
    submitted_report(
        t.collecting, t.high_school, Q2_2025, actor=t.dept_officer,
        indicator_values=_rate(9, 10, 90), limitations="Thiếu máy quét.",
    )
    submitted_report(
        t.collecting, t.office_a, Q2_2025, actor=t.office_a_officer,
        indicator_values=_rate(100, 100, 100), proposals="Cấp thêm chữ ký số.",
    )
    return t


def test_the_department_rate_is_summed_numerators_over_denominators_not_an_average(reported):
    t = reported
    result = consolidate(actor=t.dept_officer, schedule=t.upward, unit=t.department, period=Q2_2025)

    row = next(r for r in result.indicators if r.key == RATE_KEY)
    # (9 + 100) / (10 + 100) = 99.09 %; the average of 90 % and 100 % would be 95 %.
    assert (row.numerator, row.denominator) == (Decimal(109), Decimal(110))
    assert row.value == Decimal("99.09")
    assert row.source == "sum"

    report = Report.objects.get(schedule=t.upward, unit=t.department, period_key=Q2_2025.key)
    assert report.status == ReportStatus.DRAFT
    assert report.indicator_values[RATE_KEY]["value"] == "99.09"


def test_missing_children_are_listed_and_narratives_collected_by_section(reported):
    t = reported
    result = consolidate(actor=t.dept_officer, schedule=t.upward, unit=t.department, period=Q2_2025)

    assert [u.name for u in result.missing] == ["Phòng Giáo dục và Đào tạo Văn Lâm"]
    assert t.division not in [c.unit for c in result.children]  # not a reporter
    report = result.report
    assert report.limitations.startswith("Trường THPT Văn Giang: ")
    assert "Thiếu máy quét." in report.limitations
    assert report.proposals == "Phòng Giáo dục và Đào tạo Văn Giang: Cấp thêm chữ ký số."
    assert report.results.count("Cải cách thể chế") == 2  # both children's results, each named


def test_a_rate_without_numerators_is_listed_never_averaged(province, monkeypatch):
    t = province
    collecting, upward = _schedules(t)
    at(monkeypatch, "2025-06-20 09:00")
    submitted_report(collecting, t.high_school, Q2_2025, actor=t.dept_officer,
                     indicator_values=_rate(None, None, 90))
    submitted_report(collecting, t.office_a, Q2_2025, actor=t.office_a_officer,
                     indicator_values=_rate(None, None, 100))

    row = next(r for r in consolidate(actor=t.dept_officer, schedule=upward, unit=t.department,
                                      period=Q2_2025).indicators if r.key == RATE_KEY)

    assert row.value is None
    assert "Trường THPT Văn Giang: 90" in row.comment and "Văn Giang: 100" in row.comment


def test_a_metric_bound_indicator_is_measured_on_the_parent_subtree(reported):
    t = reported
    # Resolved on time per unit; the department's subtree adds up the rows under it.
    counts = {t.high_school.pk: (9, 10), t.school_a1.pk: (60, 60), t.school_a2.pk: (40, 40)}

    def compute(unit, period):
        rows = [v for pk, v in counts.items() if f"/{unit.pk}/" in f"/{_path(pk)}"]
        return sum(n for n, _d in rows), sum(d for _n, d in rows)

    paths = {u.pk: u.path for u in (t.high_school, t.school_a1, t.school_a2)}

    def _path(pk):
        return paths[pk]

    metric = Metric(key="reporting.test_on_time", label="Đúng hạn", unit="%", kind=MetricKind.RATIO,
                    compute=compute)
    with registered(metric):
        plan = plan_services.plan_create(
            actor=t.dept_officer, issuer=t.department, kind=PlanKind.ANNUAL, number="",
            symbol="KH-SGDĐT", place="Hưng Yên", title="Công tác cải cách hành chính năm 2025",
            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        )
        indicator = plan_services.indicator_add(
            actor=t.dept_officer, plan=plan, target=98, text="TTHC đúng hạn đạt từ 98% trở lên.",
            metric_key=metric.key,
        )
        t.upward.plan = plan
        t.upward.save(update_fields=["plan"])
        result = consolidate(actor=t.dept_officer, schedule=t.upward, unit=t.department, period=Q2_2025)

    row = next(r for r in result.indicators if r.key == str(indicator.pk))
    assert (row.numerator, row.denominator, row.source) == (109, 110, "metric")
    assert row.value == Decimal("99.09")


def _bulk_reports(t, schedule, count):
    schools = bulk_units(t.office_b, UnitKind.SCHOOL, count, level="primary")
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(
            schedule=schedule, unit=school, period_key=Q2_2025.key,
            cut_off_start=Q2_2025.start, cut_off_end=Q2_2025.end, due_date=dt.date(2025, 6, 25),
            status=ReportStatus.SUBMITTED, first_submitted_at=now, submitted_at=now,
            indicator_values=_rate(i % 7 + 1, 8, 0), results=f"Kết quả {i}",
        )
        for i, school in enumerate(schools)
    )
    ReportVersion.objects.bulk_create(
        ReportVersion(report=r, number=1, content=r.content(), submitted_at=now) for r in reports
    )
    return schools, reports


def test_fifty_children_take_a_bounded_number_of_queries(province, django_assert_max_num_queries):
    t = province
    schedule = make_schedule(t, reporter_kinds=("district_office", "school"))
    _bulk_reports(t, schedule, 50)
    with django_assert_max_num_queries(25):
        result = consolidate(actor=t.office_b_officer, schedule=schedule, unit=t.office_b, period=Q2_2025)
    assert len(result.children) == 51 and [u.name for u in result.missing] == ["Trường Mầm non Lạc Hồng"]


def test_a_thousand_children_consolidate_in_under_five_seconds(province):
    t = province
    schedule = make_schedule(t, reporter_kinds=("district_office", "school"))
    _, reports = _bulk_reports(t, schedule, 1000)
    start = time.perf_counter()
    result = consolidate(actor=t.office_b_officer, schedule=schedule, unit=t.office_b, period=Q2_2025)
    elapsed = time.perf_counter() - start
    row = result.indicators[0]
    assert row.denominator == 8000
    assert row.numerator == sum(i % 7 + 1 for i in range(1000))
    assert elapsed < 5, elapsed
