"""Benchmark: one plan cascaded to every school of the country, and its dashboards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \
        .venv/bin/python bench/plans_dashboard.py [--rebuild] [--runs 15]

Needs the national data set (bench/generate_national.sh). The first run (or --rebuild)
creates a ministry plan of 20 tasks, issues it and cascades it to every open school
(≈50,000 derived plans, ≈1,000,000 tasks) with `plan_cascade`, then spreads realistic
progress over the tasks. Then it times `selectors.plan_dashboard` for the whole country
and for one department, and prints the median and the 95th percentile.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from cchc.orgs.models import OrgUnit, UnitKind  # noqa: E402
from cchc.plans import selectors, services, tallies  # noqa: E402
from cchc.plans.models import Plan, ReformArea, Task, TaskTally  # noqa: E402
from cchc.plans.services_cascade import plan_cascade  # noqa: E402

TITLE = "Kế hoạch CCHC năm 2026 của ngành Giáo dục (benchmark)"
AREAS = ["direction", "institutions", "procedures", "apparatus", "civil_service", "public_finance",
         "digital_government"]
TIMEFRAMES = ["Tháng 01/2026", "Quý I/2026", "Quý II/2026", "Quý II, III/2026", "Năm 2026",
              "Thường xuyên", "Tháng 6/2026", "Quý IV/2026", "Hàng quý", "Trước ngày 15/3/2026"]


def build() -> Plan:
    ministry = OrgUnit.objects.get(kind=UnitKind.MINISTRY)
    areas = {a.key: a for a in ReformArea.objects.all()}
    t0 = time.perf_counter()
    with transaction.atomic():
        plan = services.plan_create(
            actor=None, issuer=ministry, title=TITLE, kind="annual",
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), symbol="KH-BGDĐT",
        )
        services.indicator_add(actor=None, plan=plan, text="100% nhiệm vụ hoàn thành đúng hạn",
                               target=100, metric_key="plans.tasks_done_on_time")
        for n in range(20):
            services.task_add(
                actor=None, plan=plan, content=f"Nhiệm vụ CCHC số {n + 1} của các nhà trường",
                deliverable="Báo cáo", timeframe_text=TIMEFRAMES[n % len(TIMEFRAMES)],
                area=areas[AREAS[n % len(AREAS)]], group=f"Nhóm {n % 7 + 1}",
                lead_unit=ministry, coordinating_units=[],
            )
        services.plan_set_status(actor=None, plan=plan, status="issued")
    schools = list(OrgUnit.objects.filter(kind=UnitKind.SCHOOL, closed_on__isnull=True))
    # Every task concerns every school ("Các nhà trường"): the M2M rows, in bulk.
    through = Task.coordinating_units.through
    task_ids = list(plan.tasks.values_list("id", flat=True))
    for task_id in task_ids:
        through.objects.bulk_create(
            [through(task_id=task_id, orgunit_id=s.pk) for s in schools], batch_size=10000
        )
    print(f"plan and {len(task_ids)} tasks with {len(schools)} schools each: "
          f"{time.perf_counter() - t0:.1f} s")
    return cascade(plan)


def cascade(plan: Plan) -> Plan:
    plan.refresh_from_db()
    schools = list(OrgUnit.objects.filter(kind=UnitKind.SCHOOL, closed_on__isnull=True))
    # PostgreSQL checks the deferred foreign keys of the million new rows at COMMIT with
    # query plans cached per connection: plans made while plans_task held 20 rows scan it
    # whole at every check (a COMMIT of over 20 minutes). A new connection, and statistics
    # that count the new rows, give index lookups.
    connection.close()
    t0 = time.perf_counter()
    with transaction.atomic():
        derived = plan_cascade(actor=None, parent=plan, units=schools)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE plans_task; ANALYZE plans_plan; ANALYZE plans_task_coordinating_units")
    print(f"cascade to {len(derived)} schools: {time.perf_counter() - t0:.1f} s, "
          f"{Task.objects.filter(root_plan=plan).count()} tasks in the cascade")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE plans_task SET
                 status = CASE WHEN random() < 0.45 THEN 'done' WHEN random() < 0.6 THEN 'in_progress'
                               ELSE 'not_started' END
               WHERE root_plan_id = %s AND plan_id <> %s""", [plan.pk, plan.pk])
        cursor.execute(
            """UPDATE plans_task SET percent = CASE status WHEN 'done' THEN 100
                 WHEN 'in_progress' THEN (random() * 90)::int ELSE 0 END,
               completed_on = CASE WHEN status = 'done' THEN due_date END
               WHERE root_plan_id = %s""", [plan.pk])
        cursor.execute("ANALYZE plans_task; ANALYZE plans_plan; ANALYZE orgs_orgunit;")
    print(f"progress spread: {time.perf_counter() - t0:.1f} s")
    return recount(plan)


def recount(plan: Plan) -> Plan:
    """The progress was spread with raw SQL, past the services: recount the tallies."""
    t0 = time.perf_counter()
    n = tallies.rebuild(plan.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_tasktally")
    print(f"tallies recounted over {n} tasks: {time.perf_counter() - t0:.1f} s")
    return plan


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    plan = Plan.objects.filter(title=TITLE, parent__isnull=True).order_by("-pk").first()
    if plan is None or args.rebuild:
        plan = build()
    elif not plan.derived.exists():
        plan = cascade(plan)
    elif not TaskTally.objects.filter(root_plan=plan).exists():
        plan = recount(plan)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model()(
        is_superuser=True, is_active=True
    )
    department = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, closed_on__isnull=True).order_by(
        "-id").first()
    today = dt.date(2026, 10, 15)
    for label, unit in (("whole country", plan.issuer), (f"department {department.name}", department)):
        dashboard = selectors.plan_dashboard(user=admin, plan=plan, unit=unit, today=today)
        median, p95 = timed(
            lambda unit=unit: selectors.plan_dashboard(user=admin, plan=plan, unit=unit, today=today),
            args.runs,
        )
        print(f"dashboard selector, {label}: {dashboard.totals['total']} tasks, "
              f"{len(dashboard.by_unit)} lower units — median {median:.0f} ms, p95 {p95:.0f} ms")
    # The whole page, as a browser gets it (rendering, indicators, charts' data).
    from django.test import Client
    from django.urls import reverse

    client = Client(SERVER_NAME="127.0.0.1")
    if admin.pk:
        client.force_login(admin)
        url = reverse("plan_dashboard", args=[plan.pk])
        for label, unit in (("whole country", plan.issuer), ("department", department)):
            def fetch(unit=unit):
                response = client.get(url, {"unit": unit.pk}, secure=True)
                assert response.status_code == 200, response.status_code
            median, p95 = timed(fetch, args.runs)
            print(f"dashboard page, {label}: median {median:.0f} ms, p95 {p95:.0f} ms")

            def fetch_panel(unit=unit):
                response = client.get(url, {"unit": unit.pk, "panel": "indicators"}, secure=True)
                assert response.status_code == 200, response.status_code
            median, p95 = timed(fetch_panel, args.runs)
            print(f"  its indicator panel (measured live, loads after the page): "
                  f"median {median:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
