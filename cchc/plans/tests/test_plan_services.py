"""Plans, indicators and tasks through their services: the seed 001 plan, end to end."""

import datetime as dt

import pytest

from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.plans import selectors, services
from cchc.plans.models import Plan, PlanStatus, Task, TaskStatus, TimeframeKind
from cchc.plans.tests.factories import make_annual_plan


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


def test_tasks_read_their_timeframes_and_units(province, plan):
    t = province
    first, survey, review, staffing, conditional = t.tasks
    assert (first.timeframe_kind, first.due_date) == (TimeframeKind.ONCE, dt.date(2026, 1, 31))
    assert first.lead_unit == t.division
    assert set(first.coordinating_units.all()) >= {t.tccb}
    assert survey.timeframe_kind == TimeframeKind.ONGOING and survey.due_date is None
    assert set(survey.coordinating_units.filter(kind="school")) == {
        t.high_school,
        t.school_a1,
        t.school_a2,
        t.school_b1,
    }
    assert review.timeframe_kind == TimeframeKind.RECURRING
    assert review.due_dates == ["2026-06-30", "2026-09-30"]
    assert staffing.lead_unit == t.tccb and staffing.due_date == dt.date(2026, 12, 31)
    assert conditional.timeframe_kind == TimeframeKind.CONDITIONAL and conditional.due_date is None


def test_issuing_requires_content_and_follows_the_lifecycle(province):
    t = province
    empty = services.plan_create(
        actor=t.dept_officer,
        issuer=t.department,
        kind="annual",
        title="Kế hoạch trống",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    with pytest.raises(DomainError, match="chưa có chỉ tiêu hay nhiệm vụ"):
        services.plan_set_status(actor=t.dept_officer, plan=empty, status="issued")
    with pytest.raises(DomainError, match="Không thể chuyển"):
        services.plan_set_status(actor=t.dept_officer, plan=empty, status="closed")


def test_only_the_issuers_officers_write_its_plan(province, plan):
    t = province
    for user in (t.school_a1_head, t.office_a_officer, t.viewer):
        with pytest.raises(DomainError):
            services.task_add(actor=user, plan=plan, content="Nhiệm vụ lạ")
    assert plan.tasks.count() == 5


def test_bad_plan_input_is_refused_with_a_message(province):
    t = province
    with pytest.raises(DomainError) as error:
        services.plan_create(
            actor=t.dept_officer,
            issuer=t.department,
            kind="annual",
            title="KH",
            period_start=dt.date(2026, 12, 31),
            period_end=dt.date(2026, 1, 1),
        )
    assert error.value.field == "period_end"
    with pytest.raises(DomainError, match="từ 0 đến 100"):
        services.indicator_add(
            actor=t.dept_officer,
            plan=Plan.objects.create(
                issuer=t.department,
                kind="annual",
                title="x",
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 12, 31),
            ),
            text="Tỷ lệ",
            target="120",
        )


def test_progress_by_the_lead_unit_moves_the_task(province, plan):
    t = province
    task = t.tasks[0]
    user = t.dept_officer
    services.progress_record(
        actor=user,
        task=task,
        status="in_progress",
        percent=40,
        comment="Đã có dự thảo",
        reported_on=dt.date(2026, 1, 20),
    )
    task.refresh_from_db()
    assert (task.status, task.percent, task.version) == (TaskStatus.IN_PROGRESS, 40, 2)
    services.progress_record(
        actor=user, task=task, status="done", percent=80, reported_on=dt.date(2026, 1, 28)
    )
    task.refresh_from_db()
    assert (task.status, task.percent, task.completed_on) == ("done", 100, dt.date(2026, 1, 28))
    events = AuditEvent.objects.filter(event="task.progress", target_id=str(task.pk))
    assert events.count() == 2


def test_a_coordinating_unit_contributes_without_changing_the_task(province, plan):
    t = province
    survey = t.tasks[1]
    update = services.progress_record(
        actor=t.school_a1_head,
        task=survey,
        unit=t.school_a1,
        status="in_progress",
        percent=50,
        comment="Đã khảo sát 120 phụ huynh",
    )
    assert update.is_contribution
    survey.refresh_from_db()
    assert survey.percent == 0
    with pytest.raises(DomainError):  # not their unit
        services.progress_record(
            actor=t.school_a1_head, task=survey, unit=t.school_b1, status="in_progress", percent=50
        )
    with pytest.raises(DomainError, match="từ 0 đến 100"):
        services.progress_record(
            actor=t.school_a1_head, task=survey, unit=t.school_a1, status="in_progress", percent=140
        )


def test_the_second_of_two_simultaneous_edits_is_told_what_changed(province, plan):
    t = province
    task = t.tasks[2]
    opened_by_a = Task.objects.get(pk=task.pk)
    opened_by_b = Task.objects.get(pk=task.pk)
    services.task_update(
        actor=t.dept_officer,
        task=opened_by_a,
        expected_version=opened_by_a.version,
        deliverable="Báo cáo rà soát TTHC",
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.task_update(
            actor=t.admin, task=opened_by_b, expected_version=opened_by_b.version, deliverable="Danh mục TTHC"
        )
    assert conflict.value.changes == {"deliverable": ("Danh mục TTHC", "Báo cáo rà soát TTHC")}
    assert Task.objects.get(pk=task.pk).deliverable == "Báo cáo rà soát TTHC"


def test_a_conditional_task_gets_its_date_when_the_event_happens(province, plan):
    t = province
    conditional = t.tasks[4]
    services.task_record_event(
        actor=t.dept_officer, task=conditional, happened_on=dt.date(2026, 3, 2), due_date=dt.date(2026, 3, 31)
    )
    conditional.refresh_from_db()
    assert conditional.due_date == dt.date(2026, 3, 31)


def test_overdue_counts_the_working_day_calendar(province, plan):
    t = province
    first = t.tasks[0]  # due 31/01/2026, a Saturday: the deadline runs to Monday 02/02/2026
    assert (
        not selectors.tasks_for_unit(
            user=t.dept_officer, unit=t.division, due="overdue", today=dt.date(2026, 2, 2)
        )
        .filter(pk=first.pk)
        .exists()
    )
    assert (
        selectors.tasks_for_unit(
            user=t.dept_officer, unit=t.division, due="overdue", today=dt.date(2026, 2, 3)
        )
        .filter(pk=first.pk)
        .exists()
    )


def test_plans_are_visible_down_the_tree_once_issued(province, plan):
    t = province
    assert selectors.plan_list_for(user=t.school_a1_head).filter(pk=plan.pk).exists()
    draft = services.plan_create(
        actor=t.office_a_officer,
        issuer=t.office_a,
        kind="annual",
        title="KH CCHC Văn Giang",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    assert selectors.plan_list_for(user=t.office_a_officer).filter(pk=draft.pk).exists()
    assert not selectors.plan_list_for(user=t.school_a1_head).filter(pk=draft.pk).exists()
    assert not selectors.plan_list_for(user=t.office_b_officer).filter(pk=draft.pk).exists()
    assert plan.status == PlanStatus.ISSUED
