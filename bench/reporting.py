"""Benchmark: a national quarterly reporting duty of every school, its completeness and a
department's consolidated report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \
        .venv/bin/python bench/reporting.py [--rebuild] [--runs 15]

Needs the national data set (bench/generate_national.sh) and `cchc migrate`. The first
run (or --rebuild) creates:

- "M": a schedule owned by the ministry, reporters = every school of its subtree, due on
  the 25th of each quarter's last month (seed 002's rule), and eight quarters of reports
  (Q4/2024 … Q3/2026, ≈50,000 schools each → ≈400,000 rows): ≈90% submitted, ≈15% of
  those late, most submitted ones accepted, a few drafts;
- "P": the ministry's schedule for the departments' own reports (reporters: departments),
  and "D": the largest department's schedule for its direct lower units (commune offices,
  schools, centres), with one quarter of submitted reports and their versions — what
  `consolidation.consolidate` reads when that department sums up its quarter under P.

The rows are written with `bulk_create`, one transaction per chunk, not through the
services: `report_submit` writes one row, one version and one audit event per report
and would take hours for 400,000 reports. The schedules themselves are created by
`services.schedule_create` (its rule checks), and each report's cut-off and due date
come from the same rule functions the services use. Completeness reads only `Report`
rows, so M's reports carry no versions; D's carry one each (consolidation reads them).

Then it times `selectors.completeness_for` for one quarter at the ministry (a row per
department) — median and p95 of `--runs` runs, target < 300 ms — and one
`consolidation.consolidate` of the department's quarter, target < 5 s.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from cchc.metrics.periods import Period  # noqa: E402
from cchc.orgs.models import OrgUnit, UnitKind  # noqa: E402
from cchc.reporting import consolidation, schedules, selectors, services  # noqa: E402
from cchc.reporting.models import Report, ReportingSchedule, ReportStatus, ReportVersion  # noqa: E402

NAME = "Báo cáo CCHC hằng quý của các nhà trường (benchmark)"
UPWARD = "Báo cáo CCHC hằng quý của các Sở GD&ĐT (benchmark)"
LOCAL = "Báo cáo CCHC hằng quý của các đơn vị trực thuộc Sở (benchmark)"
RULE = {"due": "day_of_last_month", "day": 25, "periods": ["quarter"], "cut_off": "decree_09_2019"}
# Two years of quarters, Q4/2024 … Q3/2026.
QUARTERS = [Period("quarter", 2024, 4)] + [
    Period("quarter", year, q) for year in (2025, 2026) for q in (1, 2, 3, 4) if (year, q) <= (2026, 3)
]
MEASURED = Period("quarter", 2026, 2)
CHUNK = 20_000
TZ = timezone.get_fixed_timezone(7 * 60)

CONTENT = {
    "results": "Đã rà soát, công khai thủ tục hành chính; 100% hồ sơ tiếp nhận trực tuyến.",
    "limitations": "Một số cán bộ chưa thành thạo phần mềm quản lý văn bản.",
    "next_tasks": "Tiếp tục số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
    "proposals": "",
    "comments": "",
    "task_snapshot": {"done": 3, "in_progress": 1, "overdue": 0},
}


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=TZ)


def _report(schedule, unit_id: int, period: Period, rng: random.Random, due: dt.date, window) -> Report:
    """One report row as the services would leave it: ≈90% submitted, ≈15% of those late."""
    report = Report(
        schedule=schedule,
        unit_id=unit_id,
        period_key=period.key,
        cut_off_start=window[0],
        cut_off_end=window[1],
        due_date=due,
    )
    draw = rng.random()
    if draw < 0.9:
        late = rng.random() < 0.15
        day = (
            due + dt.timedelta(days=rng.randint(1, 20))
            if late
            else due - dt.timedelta(days=rng.randint(0, 10))
        )
        report.first_submitted_at = report.submitted_at = _moment(day, rng)
        report.is_late = late
        report.is_filled = True
        report.version = 3
        if rng.random() < 0.7:
            report.status = ReportStatus.ACCEPTED
            report.accepted_at = report.submitted_at + dt.timedelta(days=rng.randint(1, 6))
            report.version = 4
        else:
            report.status = ReportStatus.SUBMITTED
    elif draw < 0.93:
        report.status = ReportStatus.DRAFT
        report.is_filled = True
        report.version = 2
    else:
        return None  # never opened: no row (the expected set comes from the unit tree)
    return report


def _insert(rows: list[Report], versions: bool = False) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with transaction.atomic():
            created = Report.objects.bulk_create(chunk, batch_size=5000)
            if versions:
                ReportVersion.objects.bulk_create(
                    [
                        ReportVersion(
                            report=r, number=1, content=r.content(), submitted_at=r.first_submitted_at
                        )
                        for r in created
                        if r.first_submitted_at
                    ],
                    batch_size=5000,
                )


def build() -> tuple[ReportingSchedule, ReportingSchedule, OrgUnit]:
    rng = random.Random(2026)
    ministry = OrgUnit.objects.get(kind=UnitKind.MINISTRY)
    ReportingSchedule.objects.filter(name__in=[NAME, UPWARD, LOCAL]).update(
        is_active=False, name="(old) bench"
    )
    t0 = time.perf_counter()
    national = services.schedule_create(
        actor=None, owner=ministry, name=NAME, rule=RULE, reporter_kinds=[UnitKind.SCHOOL]
    )
    total = 0
    for period in QUARTERS:
        window, due = schedules.cut_off(RULE, period), schedules.due_date(RULE, period)
        expected = selectors.expected_placements(national, period).values_list("unit_id", flat=True)
        rows = [
            r
            for unit_id in expected.iterator()
            if (r := _report(national, unit_id, period, rng, due, window))
        ]
        _insert(rows)
        total += len(rows)
        print(f"  {period.label}: {len(rows)} reports")
    print(f"national schedule and {total} school reports: {time.perf_counter() - t0:.1f} s")

    # The largest department's direct lower units report to it; it reports up to the ministry.
    department = (
        OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, closed_on__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    upward = services.schedule_create(
        actor=None,
        owner=ministry,
        name=UPWARD,
        rule=RULE,
        reporter_kinds=[UnitKind.DEPARTMENT],
        depth="children",
    )
    local = services.schedule_create(
        actor=None,
        owner=department,
        name=LOCAL,
        rule=RULE,
        depth="children",
        reporter_kinds=[UnitKind.COMMUNE_OFFICE, UnitKind.SCHOOL, UnitKind.CENTRE],
    )
    window, due = schedules.cut_off(RULE, MEASURED), schedules.due_date(RULE, MEASURED)
    rows = []
    for unit_id in selectors.expected_placements(local, MEASURED).values_list("unit_id", flat=True):
        report = _report(local, unit_id, MEASURED, rng, due, window)
        if report is None:
            continue
        served = rng.randint(40, 400)
        report.indicator_values = {
            "on_time": {
                "label": "Hồ sơ TTHC giải quyết đúng hạn",
                "unit": "%",
                "target": "98",
                "value": f"{100 * (served - rng.randint(0, 3)) / served:.1f}",
                "numerator": str(served - rng.randint(0, 3)),
                "denominator": str(served),
            },
            "online": {"label": "Hồ sơ tiếp nhận trực tuyến", "unit": "hồ sơ", "value": str(served)},
        }
        for name, value in CONTENT.items():
            setattr(report, name, value)
        rows.append(report)
    _insert(rows, versions=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_report; ANALYZE reporting_reportversion;")
    print(f"{department.name}: {len(rows)} reports of its lower units for {MEASURED.label}")
    return national, upward, department


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    national = ReportingSchedule.objects.filter(name=NAME, is_active=True).first()
    upward = ReportingSchedule.objects.filter(name=UPWARD, is_active=True).first()
    local = ReportingSchedule.objects.filter(name=LOCAL, is_active=True).select_related("owner").first()
    if national is None or upward is None or local is None or args.rebuild:
        national, upward, department = build()
    else:
        department = local.owner
    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model()(
        is_superuser=True, is_active=True
    )
    ministry = national.owner
    table = selectors.completeness_for(user=admin, schedule=national, period=MEASURED, unit=ministry)
    median, p95 = timed(
        lambda: selectors.completeness_for(user=admin, schedule=national, period=MEASURED, unit=ministry),
        args.runs,
    )
    t = table.total
    print(
        f"completeness_for, {MEASURED.label}, whole country: {t.expected} schools expected, "
        f"{t.submitted} submitted, {t.late} late, {len(table.rows)} rows — "
        f"median {median:.0f} ms, p95 {p95:.0f} ms ({args.runs} runs; target < 300 ms)"
    )

    # The department's own report for the quarter: opened, consolidated, then rolled back
    # so that the next run measures the same work.
    with transaction.atomic():
        t0 = time.perf_counter()
        result = consolidation.consolidate(
            actor=admin if admin.pk else None, schedule=upward, unit=department, period=MEASURED
        )
        elapsed = time.perf_counter() - t0
        transaction.set_rollback(True)
    reported = sum(1 for c in result.children if c.reported)
    print(
        f"consolidate, {department.name}, {MEASURED.label}: {len(result.children)} lower units expected, "
        f"{reported} reported, {len(result.indicators)} indicators — {elapsed:.2f} s (target < 5 s)"
    )


if __name__ == "__main__":
    main()
