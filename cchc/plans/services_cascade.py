"""Cascading: a unit derives its own plan from a parent plan.

The derived plan copies the parent items that concern the unit (tasks that name it or
its kind as lead or coordinating unit; indicators that apply to its kind), each linked
to its parent item; the unit may then tighten targets, remove items and add its own.
`plan_cascade` derives drafts for many units at once in bulk (a department cascading its
annual plan to every school), so 50,000 schools cost a few bulk inserts, not 50,000
round trips.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm

from . import tallies
from .models import Indicator, Plan, PlanStatus, Task
from .services import _require

CHUNK = 2000


def items_concerning(plan: Plan, unit: OrgUnit) -> tuple[list[Indicator], list[Task]]:
    """The parent items preselected for `unit`: those that name it or its kind."""
    indicators = [
        i for i in plan.indicators.all() if not i.applies_to_kinds or unit.kind in i.applies_to_kinds
    ]
    tasks = list(
        plan.tasks.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct().order_by("order", "pk")
    )
    return indicators, tasks


def _check_parent(parent: Plan) -> None:
    if parent.status not in (PlanStatus.ISSUED, PlanStatus.MID_TERM_REVIEW):
        raise DomainError(_("Chỉ triển khai được kế hoạch đã ban hành."), code="not_issued")


def _derived_plan(parent: Plan, unit: OrgUnit) -> Plan:
    return Plan(
        issuer=unit,
        parent=parent,
        root_id=parent.root_id or parent.pk,
        title=parent.title,
        kind=parent.kind,
        period_start=parent.period_start,
        period_end=parent.period_end,
        implements_text=_("Thực hiện Kế hoạch số %(ref)s của %(issuer)s")
        % {"ref": parent.reference or "…", "issuer": parent.issuer.name},
        status=PlanStatus.DRAFT,
    )


def _copy_indicator(indicator: Indicator, plan: Plan, order: int, target=None) -> Indicator:
    return Indicator(
        plan=plan,
        parent=indicator,
        area_id=indicator.area_id,
        text=indicator.text,
        comparator=indicator.comparator,
        target=indicator.target if target is None else target,
        unit_of_measure=indicator.unit_of_measure,
        baseline=indicator.baseline,
        metric_key=indicator.metric_key,
        applies_to_kinds=indicator.applies_to_kinds,
        order=order,
    )


def _copy_task(task: Task, plan: Plan, order: int) -> Task:
    return Task(
        plan=plan,
        root_plan_id=plan.root_id,
        issuer_path=plan.issuer.path,
        parent=task,
        area_id=task.area_id,
        group=task.group,
        number=task.number,
        content=task.content,
        deliverable=task.deliverable,
        timeframe_text=task.timeframe_text,
        timeframe_kind=task.timeframe_kind,
        due_date=task.due_date,
        due_dates=task.due_dates,
        condition=task.condition,
        lead_unit_id=plan.issuer_id,
        lead_text=plan.issuer.name,
        order=order,
    )


@transaction.atomic
def plan_derive(
    *,
    actor,
    parent: Plan,
    unit: OrgUnit,
    indicator_ids: Iterable[int] | None = None,
    task_ids: Iterable[int] | None = None,
    targets: dict[int, object] | None = None,
) -> Plan:
    """`unit` derives its draft plan from `parent`, with the chosen items (default: the
    preselected ones). `targets` maps parent indicator ids to tightened targets."""
    from .services import _check_not_looser, _decimal

    _require(actor, Perm.MANAGE_PLANS, unit)
    _check_parent(parent)
    if not unit.path.startswith(parent.issuer.path) or unit.pk == parent.issuer_id:
        raise DomainError(_("Chỉ đơn vị cấp dưới mới triển khai kế hoạch này."))
    if Plan.objects.filter(parent=parent, issuer=unit).exists():
        raise DomainError(_("Đơn vị đã có kế hoạch triển khai kế hoạch này."), code="exists")
    preselected_indicators, preselected_tasks = items_concerning(parent, unit)
    indicators = (
        preselected_indicators
        if indicator_ids is None
        else list(parent.indicators.filter(pk__in=list(indicator_ids)))
    )
    tasks = (
        preselected_tasks
        if task_ids is None
        else list(parent.tasks.filter(pk__in=list(task_ids)).order_by("order", "pk"))
    )
    plan = _derived_plan(parent, unit)
    plan.save()
    targets = targets or {}
    copies = []
    for order, indicator in enumerate(indicators, start=1):
        copy = _copy_indicator(indicator, plan, order, _decimal(targets.get(indicator.pk), "target"))
        _check_not_looser(copy)
        copies.append(copy)
    Indicator.objects.bulk_create(copies)
    copied = Task.objects.bulk_create(
        [_copy_task(t, plan, order) for order, t in enumerate(tasks, start=1)]
    )
    tallies.record_created(copied)
    audit.record(
        actor=actor,
        obj=plan,
        event="plan.derived",
        after={**audit.snapshot(plan), "indicators": len(copies), "tasks": len(tasks)},
    )
    return plan


@transaction.atomic
def plan_cascade(*, actor, parent: Plan, units: Iterable[OrgUnit]) -> list[Plan]:
    """Derive draft plans for many units at once, each with its preselected items.

    Units that already have a derived plan are skipped. Bulk: one insert for the plans,
    one for the indicators, one for the tasks.
    """
    _check_parent(parent)
    units = [u for u in units if u.pk != parent.issuer_id]
    for unit in units:
        if not unit.path.startswith(parent.issuer.path):
            raise DomainError(_("“%(name)s” không thuộc đơn vị ban hành kế hoạch.") % {"name": unit.name})
        if unit.closed_on is not None:
            raise DomainError(_("“%(name)s” đã giải thể.") % {"name": unit.name})
    if actor is not None:
        _require(actor, Perm.MANAGE_PLANS, parent.issuer)
    done = set(Plan.objects.filter(parent=parent).values_list("issuer_id", flat=True))
    units = [u for u in units if u.pk not in done]
    if not units:
        return []
    indicators = list(parent.indicators.all())
    tasks = list(parent.tasks.all().order_by("order", "pk"))
    # Who each task concerns, read once: lead units and coordinating units.
    concerns: dict[int, set[int]] = {t.pk: {t.lead_unit_id} for t in tasks}
    through = Task.coordinating_units.through
    for task_id, unit_id in through.objects.filter(task__plan=parent).values_list("task_id", "orgunit_id"):
        concerns[task_id].add(unit_id)
    created: list[Plan] = []
    # In chunks, so that cascading to 50,000 schools keeps memory flat.
    for start in range(0, len(units), CHUNK):
        chunk = units[start : start + CHUNK]
        plans = Plan.objects.bulk_create([_derived_plan(parent, u) for u in chunk])
        new_indicators, new_tasks = [], []
        for plan, unit in zip(plans, chunk, strict=True):
            plan.issuer = unit
            chosen = [i for i in indicators if not i.applies_to_kinds or unit.kind in i.applies_to_kinds]
            new_indicators += [_copy_indicator(i, plan, n) for n, i in enumerate(chosen, start=1)]
            mine = [t for t in tasks if unit.pk in concerns[t.pk]]
            new_tasks += [_copy_task(t, plan, n) for n, t in enumerate(mine, start=1)]
            plan._audit_changes = {"parent": [None, parent.pk], "issuer": [None, unit.pk]}
        Indicator.objects.bulk_create(new_indicators, batch_size=5000)
        Task.objects.bulk_create(new_tasks, batch_size=5000)
        tallies.record_created(new_tasks)
        audit.record_bulk(actor=actor, objs=plans, event="plan.derived", action="create")
        created += plans
    return created
