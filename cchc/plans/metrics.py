"""Metrics published by plans, registered at start-up (PlansConfig.ready).

`plans.tasks_done_on_time` — of the tasks led by units of the subtree and due in the
period, the share completed by their due date: a plan's own indicator such as "100%
nhiệm vụ hoàn thành đúng hạn" measures itself.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period
from cchc.metrics.registry import Metric, MetricKind, active_window, register
from cchc.orgs.models import OrgUnit
from cchc.orgs.selectors import records_in_subtree

from .models import Task, TaskStatus


def _tasks_done_on_time(unit: OrgUnit, period: Period):
    window = active_window(unit, period)
    if window is None:
        return None, None
    start, end = window
    due = records_in_subtree(
        Task.objects.exclude(status=TaskStatus.CANCELLED).filter(due_date__isnull=False),
        unit=unit,
        start=start,
        end=end,
        date_field="due_date",
        unit_field="lead_unit",
    )
    counts = due.aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("due_date"))),
    )
    return counts["on_time"], counts["due"]


register(
    Metric(
        key="plans.tasks_done_on_time",
        label=_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"),
        unit="%",
        kind=MetricKind.RATIO,
        compute=_tasks_done_on_time,
        description=_("Số nhiệm vụ hoàn thành đúng hạn / số nhiệm vụ đến hạn trong kỳ."),
    )
)
