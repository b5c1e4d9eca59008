"""The dashboard tallies always equal a recount of the tasks, whatever the services did."""

import datetime as dt

from cchc.orgs import services as org_services
from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import make_unit
from cchc.plans import selectors, services, tallies
from cchc.plans.models import TaskTally
from cchc.plans.services_cascade import plan_cascade, plan_derive
from cchc.plans.tests.factories import make_annual_plan


def snapshot(root_id):
    return sorted(
        TaskTally.objects.filter(root_plan_id=root_id)
        .exclude(tasks=0, percent_sum=0)
        .values_list("depth", "branch", "area_key", "status", "due_date", "tasks", "percent_sum")
    )


def test_tallies_follow_every_task_write_and_match_a_recount(province):
    t = province
    plan = make_annual_plan(t)
    plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_a, t.office_b, t.high_school])
    plan_derive(actor=t.school_a1_head, parent=plan, unit=t.school_a1)
    task = t.tasks[0]
    services.progress_record(actor=t.dept_officer, task=task, status="in_progress", percent=30)
    services.progress_record(actor=t.dept_officer, task=task, status="done", percent=100)
    task.refresh_from_db()
    services.task_update(actor=t.dept_officer, task=task, expected_version=task.version,
                         timeframe_text="Quý III/2026")
    services.task_record_event(actor=t.dept_officer, task=t.tasks[4],
                               happened_on=dt.date(2026, 3, 1), due_date=dt.date(2026, 4, 30))
    services.task_remove(actor=t.dept_officer, task=t.tasks[3])
    live = snapshot(plan.pk)
    assert tallies.rebuild(plan.pk) > 0
    assert live == snapshot(plan.pk)

    # A restructuring moves branches: the tallies are recounted under the new paths.
    commune = make_unit("Phòng VH-XH xã Văn Giang", UnitKind.COMMUNE_OFFICE, t.department,
                        code="HY-XA-VG", opened_on=dt.date(2026, 7, 1))
    before_merge = snapshot(plan.pk)
    org_services.units_merge(actor=t.admin, predecessors=[t.office_a], successor=commune,
                             effective_on=dt.date(2026, 7, 1))
    assert snapshot(plan.pk) != before_merge  # school A1's branch is now under the commune
    live = snapshot(plan.pk)
    tallies.rebuild(plan.pk)
    assert live == snapshot(plan.pk)


def test_dashboard_counts_equal_the_tasks(province):
    t = province
    plan = make_annual_plan(t)
    plan_cascade(actor=t.dept_officer, parent=plan, units=[t.high_school, t.school_a1, t.school_b1])
    services.progress_record(actor=t.dept_officer, task=t.tasks[0], status="done", percent=100)
    board = selectors.plan_dashboard(user=t.dept_officer, plan=plan, today=dt.date(2026, 10, 15))
    tasks = selectors.cascade_tasks(plan)
    assert board.totals["total"] == tasks.count()
    assert board.totals["done"] == tasks.filter(status="done").count()
    assert board.totals["overdue"] == tasks.filter(selectors.overdue_q(dt.date(2026, 10, 15))).count()
    by_unit = {row["unit"]: row["total"] for row in board.by_unit}
    assert by_unit[t.office_a] == tasks.filter(issuer_path__startswith=t.office_a.path).count() > 0
    assert by_unit[t.high_school] == tasks.filter(issuer_path=t.high_school.path).count() > 0
    assert sum(row["total"] for row in board.by_area) == board.totals["total"]


def test_the_rebuild_command_recounts_after_raw_changes(province):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    from cchc.plans.models import Task

    t = province
    plan = make_annual_plan(t)
    live = snapshot(plan.pk)
    Task.objects.filter(plan=plan).update(status="done", percent=100)  # behind the services' back
    assert snapshot(plan.pk) == live
    out = StringIO()
    call_command("plan_tallies", "--rebuild", str(plan.pk), stdout=out)
    assert f"{plan.pk}\t5 nhiệm vụ" in out.getvalue()
    assert {row[3] for row in snapshot(plan.pk)} == {"done"}
    with pytest.raises(CommandError, match="Không có kế hoạch gốc"):
        call_command("plan_tallies", "--rebuild", "99999")
