"""Reads of plans, always scoped through `cchc.orgs.scoping.scope_for`.

Who sees a plan: users whose scope covers its issuer (their own and lower units'
plans), and users of lower units for the issued plans of the units above them (a school
must read the department's plan it implements).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc.core.text import fold
from cchc.metrics.periods import Period
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for

from .models import (
    Evidence,
    Indicator,
    IndicatorEntry,
    Plan,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Task,
    TaskStatus,
    TaskTally,
)

VISIBLE_ISSUED = (PlanStatus.ISSUED, PlanStatus.MID_TERM_REVIEW, PlanStatus.CLOSED)


def _ancestor_ids(user) -> set[int]:
    scope = scope_for(user)
    ids: set[int] = set()
    for membership in scope.memberships:
        ids.update(membership.unit.ancestor_ids[:-1])
    return ids


def plan_visibility_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_global:
        return Q()
    # The issuers as a subquery on the units' path index, not a LIKE per row of a join:
    # a department's plan list read all 50,000 cascaded plans to keep 2,800 (bench/load).
    return Q(issuer__in=scope.units(Perm.VIEW).values("pk")) | Q(
        issuer_id__in=_ancestor_ids(user), status__in=VISIBLE_ISSUED
    )


def plan_list_for(
    *,
    user,
    query: str = "",
    status: str = "",
    kind: str = "",
    year: int | None = None,
    issuer: OrgUnit | None = None,
) -> QuerySet[Plan]:
    plans = Plan.objects.filter(plan_visibility_q(user)).select_related("issuer", "parent")
    if issuer is not None:
        plans = plans.filter(issuer=issuer)
    if status:
        plans = plans.filter(status=status)
    if kind:
        plans = plans.filter(kind=kind)
    if year:
        plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
    if query.strip():
        plans = plans.filter(_search_q(plans, query.strip()))
    # A correlated count, not a join with GROUP BY: the database then counts the tasks of
    # the page's rows only, instead of grouping every visible plan's tasks before sorting
    # (the ministry's list of 50,000 cascaded plans: 2.5 s → 0.09 s; bench/load).
    tasks = Task.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk"))
    return plans.annotate(task_count=Coalesce(Subquery(tasks.values("n"), output_field=IntegerField()), 0))


def _folded_values(plans: QuerySet[Plan], field: str, folded: str) -> list[str]:
    """The distinct values of `field` that contain `folded` once diacritics are folded.

    Derived plans copy their parent's title, so a department's 50,000 plans hold a
    handful of distinct titles: folding those in Python is cheap, and the match works
    typed with or without diacritics ("cai cach" finds "cải cách").
    """
    values = plans.order_by().values_list(field, flat=True).distinct()
    return [value for value in values if value and folded in fold(value)]


def _search_q(plans: QuerySet[Plan], query: str) -> Q:
    """Number, "number/symbol" as written, symbol, title or issuer, diacritics-insensitive."""
    folded = fold(query)
    condition = Q(number=query) | Q(issuer__name_folded__contains=folded)
    condition |= Q(title__in=_folded_values(plans, "title", folded))
    condition |= Q(symbol__in=_folded_values(plans, "symbol", folded))
    number, slash, symbol = query.partition("/")
    if slash and number.strip():
        condition |= Q(number=number.strip(), symbol__iexact=symbol.strip())
    return condition


def plan_get(*, user, plan_id, perm: Perm = Perm.VIEW) -> Plan:
    """One plan the user may see (404 otherwise); `perm` other than VIEW is checked on the issuer."""
    from django.http import Http404

    plan = (
        Plan.objects.filter(plan_visibility_q(user))
        .select_related("issuer", "parent")
        .filter(pk=plan_id)
        .first()
        if str(plan_id).isdecimal()
        else None
    )
    if plan is None:
        raise Http404
    if perm != Perm.VIEW:
        scope_for(user).require(perm, plan.issuer)
    return plan


def task_get(*, user, task_id) -> Task:
    from django.http import Http404

    if not str(task_id).isdecimal():
        raise Http404
    task = Task.objects.filter(pk=task_id, plan__in=Plan.objects.filter(plan_visibility_q(user)))
    task = task.select_related("plan__issuer", "lead_unit", "area", "parent").first()
    if task is None:
        raise Http404
    return task


# --- overdue -------------------------------------------------------------------------


def overdue_cutoff(today: dt.date) -> dt.date:
    """The latest due date already overdue on `today`.

    A due date that falls on a day off extends to the next working day (Civil Code
    2015, art. 148(5)); `effective_deadline` is monotonic, so step back from yesterday.
    """
    from .timeframes import effective_deadline  # noqa: PLC0415

    cutoff = today - dt.timedelta(days=1)
    while effective_deadline(cutoff) >= today:
        cutoff -= dt.timedelta(days=1)
    return cutoff


def overdue_q(today: dt.date) -> Q:
    """Open tasks whose deadline has passed: a single indexed comparison on the due date."""
    return Q(due_date__lte=overdue_cutoff(today)) & ~Q(status__in=(TaskStatus.DONE, TaskStatus.CANCELLED))


def tasks_for_unit(
    *,
    user,
    unit: OrgUnit,
    area_id=None,
    status: str = "",
    due: str = "",
    today: dt.date | None = None,
    include_coordinating: bool = True,
) -> QuerySet[Task]:
    """'My tasks': tasks a unit leads (or coordinates) in plans the user may see."""
    scope_for(user).require(Perm.VIEW, unit)
    today = today or timezone.localdate()
    condition = Q(lead_unit=unit)
    if include_coordinating:
        condition |= Q(coordinating_units=unit)
    tasks = Task.objects.filter(condition).filter(plan__status__in=VISIBLE_ISSUED + (PlanStatus.DRAFT,))
    tasks = tasks.filter(plan__in=Plan.objects.filter(plan_visibility_q(user))).distinct()
    if area_id:
        tasks = tasks.filter(area_id=area_id)
    if status:
        tasks = tasks.filter(status=status)
    if due == "overdue":
        tasks = tasks.filter(overdue_q(today))
    elif due == "this_month":
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        tasks = tasks.filter(due_date__range=(start, end))
    return tasks.select_related("plan__issuer", "lead_unit", "area").order_by("due_date", "plan_id", "order")


# --- indicator status ----------------------------------------------------------------


@dataclass
class IndicatorStatus:
    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str  # achieved / on_track / at_risk / missed / no_data
    source: str  # "metric" / "manual"

    LABELS = {
        "achieved": "Đạt",
        "on_track": "Đúng tiến độ",
        "at_risk": "Có nguy cơ không đạt",
        "missed": "Không đạt",
        "no_data": "Chưa có số liệu",
    }

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.LABELS[self.status])


def indicator_status(indicator: Indicator, value, period: Period, today: dt.date) -> str:
    """Computed, never typed: the period's end decides achieved/missed; before it, a value
    meeting the target is on track, one missing it is at risk."""
    if value is None:
        return "no_data"
    meets = indicator.meets(value)
    if today > period.end:
        return "achieved" if meets else "missed"
    return "on_track" if meets else "at_risk"


def indicator_values(
    *, plan: Plan, unit: OrgUnit, period: Period, today: dt.date | None = None, measure=None
) -> list[IndicatorStatus]:
    """Each indicator of the plan with its value for `unit` (its subtree) in `period`.

    `measure(metric key, unit, period) -> MetricValue` reads a bound metric (default: the
    registry's `value_for`, live; the dashboard passes its short-lived cache)."""
    from cchc.metrics.registry import value_for

    measure = measure or value_for
    today = today or timezone.localdate()
    indicators = list(plan.indicators.select_related("area").order_by("order", "pk"))
    manual_ids = [i.pk for i in indicators if i.is_manual]
    entries = {
        e.indicator_id: e
        for e in IndicatorEntry.objects.filter(indicator_id__in=manual_ids, unit=unit, period_key=period.key)
    }
    result = []
    for indicator in indicators:
        if indicator.is_manual:
            entry = entries.get(indicator.pk)
            value = entry.value if entry else None
            num, den, source = (
                (entry.numerator, entry.denominator, "manual") if entry else (None, None, "manual")
            )
        else:
            measured = measure(indicator.metric_key, unit, period)
            value = Decimal(str(round(measured.value, 2))) if measured.value is not None else None
            num, den, source = measured.numerator, measured.denominator, "metric"
        result.append(
            IndicatorStatus(
                indicator, value, num, den, indicator_status(indicator, value, period, today), source
            )
        )
    return result


# --- dashboards ----------------------------------------------------------------------


def cascade_tasks(plan: Plan, unit: OrgUnit | None = None) -> QuerySet[Task]:
    """The tasks of the plan's whole cascade below it (its own and all derived plans'),
    optionally only those of plans issued inside `unit`'s subtree — one covering index
    (root plan, copied issuer path), no join."""
    tasks = Task.objects.filter(root_plan_id=plan.root_id or plan.pk)
    prefix = plan.issuer.path
    if unit is not None and unit.path.startswith(prefix):
        prefix = unit.path
    if plan.root_id is not None or prefix != plan.issuer.path:
        tasks = tasks.filter(issuer_path__startswith=prefix)
    return tasks


@dataclass
class Dashboard:
    totals: dict
    by_area: list[dict]
    by_unit: list[dict]
    overdue: list[Task]
    today: dt.date
    unit: OrgUnit | None = None  # the unit whose subtree was aggregated


COUNTED = ("total", "done", "in_progress", "not_started", "cancelled", "overdue",
           "overdue_in_progress", "percent_sum")


def overdue_list(plan: Plan, unit: OrgUnit, today: dt.date, *, limit: int = 20) -> list[Task]:
    """The earliest-due open tasks past their deadline in the cascade below `unit`.

    For the whole cascade the (root plan, due date, id) index gives them in order; for a
    subtree the filter on the copied issuer path comes first and the few matching rows
    are sorted (ordering on an expression keeps the planner off the due-date index).
    """
    tasks = cascade_tasks(plan, unit).filter(overdue_q(today))
    tasks = tasks.select_related("plan__issuer", "lead_unit", "area")
    whole = unit.path == (plan.issuer.path) and plan.root_id is None
    if whole:
        return list(tasks.order_by("due_date", "id")[:limit])
    unindexed_due = Coalesce("due_date", Value(dt.date(9999, 12, 31), output_field=DateField()))
    return list(tasks.order_by(unindexed_due, "id")[:limit])


def _blank() -> dict:
    return dict.fromkeys(COUNTED, 0)


def _finish(row: dict) -> dict:
    row["percent"] = row["percent_sum"] / row["total"] if row["total"] else None
    return row


def plan_dashboard_unit(*, user, plan: Plan, unit: OrgUnit | None = None) -> OrgUnit:
    """The unit a dashboard shows: the one asked for, else the plan's issuer, else the
    user's own unit below the issuer when the issuer is outside the user's scope."""
    scope = scope_for(user)
    unit = unit or plan.issuer
    if not scope.can(Perm.VIEW, unit):
        unit = next((m.unit for m in scope.memberships if m.unit.path.startswith(plan.issuer.path)), unit)
    return unit


def plan_dashboard(
    *, user, plan: Plan, unit: OrgUnit | None = None, today: dt.date | None = None, overdue_limit: int = 20
) -> Dashboard:
    """Completion by area and by lower unit, and the overdue tasks, over the cascade.

    One grouped query (by area and by the lower unit each task's plan belongs to, read
    from the copied issuer path) gives the totals, the areas and the units, summed here
    from a few hundred rows; a second query lists the overdue tasks. A million tasks
    are read once, from the covering index.
    """
    unit = plan_dashboard_unit(user=user, plan=plan, unit=unit)
    today = today or timezone.localdate()
    prefix = unit.path if unit.path.startswith(plan.issuer.path) else plan.issuer.path
    depth = prefix.count("/") - 2  # "/1/" is depth 0, as in tallies.branches
    cutoff = overdue_cutoff(today)
    rows = TaskTally.objects.filter(
        root_plan_id=plan.root_id or plan.pk, depth__in=(depth, depth + 1), branch__startswith=prefix
    ).values_list("depth", "branch", "area_key", "status", "due_date", "tasks", "percent_sum")
    totals, areas, units = _blank(), {}, {}
    for row_depth, branch, area_key, status, due, count, percent_sum in rows:
        if not count:
            continue
        late = due <= cutoff and status not in (TaskStatus.DONE, TaskStatus.CANCELLED)
        if row_depth == depth:
            targets = (totals, areas.setdefault(area_key, _blank()))
        else:
            targets = (units.setdefault(branch, _blank()),)
        for target in targets:
            target["total"] += count
            target["percent_sum"] += percent_sum
            if status in target:
                target[status] += count
            if late:
                target["overdue"] += count
                if status == TaskStatus.IN_PROGRESS:
                    target["overdue_in_progress"] += count
    names = {a.pk: a for a in ReformArea.objects.filter(pk__in=[k for k in areas if k])}
    by_area = sorted(
        (
            _finish({
                **counts,
                "area_id": key or None,
                "area__name": names[key].name if key in names else None,
                "area__order": names[key].order if key in names else 999,
            })
            for key, counts in areas.items()
        ),
        key=lambda r: r["area__order"],
    )
    child_ids = {int(branch.rstrip("/").rsplit("/", 1)[1]): branch for branch in units}
    children = {
        c.pk: c
        for c in OrgUnit.objects.filter(pk__in=list(child_ids)).only("id", "name", "path", "depth", "kind")
    }
    by_unit = [
        _finish({**units[branch], "child_id": pk, "unit": children[pk]})
        for pk, branch in child_ids.items()
        if pk in children
    ]
    by_unit.sort(key=lambda r: (-(r["done"] / r["total"] if r["total"] else 0), r["unit"].name))
    overdue_tasks = overdue_list(plan, unit, today, limit=overdue_limit)
    return Dashboard(
        totals=_finish(totals), by_area=by_area, by_unit=by_unit, overdue=overdue_tasks, today=today,
        unit=unit,
    )


def rolled_up_progress_for(tasks) -> dict[int, dict]:
    """`rolled_up_progress` of many parent tasks at once: {task id: stats}, one query."""
    rows = (
        Task.objects.filter(parent_id__in=[t.pk for t in tasks])
        .values("parent_id")
        .annotate(
            n=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)), percent=Avg("percent")
        )
        .order_by()
    )
    return {row.pop("parent_id"): row for row in rows}


def rolled_up_progress(task: Task) -> dict | None:
    """A parent task with derived tasks shows their combined progress."""
    derived = Task.objects.filter(parent=task)
    stats = derived.aggregate(
        n=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)), percent=Avg("percent")
    )
    return stats if stats["n"] else None


# --- progress history and evidence ----------------------------------------------------


def progress_updates_for(*, user, task: Task) -> QuerySet[ProgressUpdate]:
    """A task's progress history as the user may read it.

    Those who see the task's lead unit or its plan's issuer read every update; others
    (a school reading the department's task it coordinates) read the lead unit's updates
    and the contributions of units in their own scope, never a sibling school's.
    """
    scope = scope_for(user)
    updates = ProgressUpdate.objects.filter(task=task)
    if not (scope.can(Perm.VIEW, task.lead_unit) or scope.can(Perm.VIEW, task.plan.issuer)):
        updates = updates.filter(Q(is_contribution=False) | scope.q(Perm.VIEW, unit_field="unit"))
    return (
        updates.select_related("unit", "author")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )


def evidence_get(*, user, evidence_id) -> Evidence:
    """An evidence file whose progress update the user may read (404 otherwise)."""
    from django.http import Http404

    if not str(evidence_id).isdecimal():
        raise Http404
    evidence = Evidence.objects.select_related("update").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    task = task_get(user=user, task_id=evidence.update.task_id)
    if not progress_updates_for(user=user, task=task).filter(pk=evidence.update_id).exists():
        raise Http404
    return evidence


def progress_units_for(*, user, task: Task, acting_unit: OrgUnit | None = None) -> list[OrgUnit]:
    """The units the user may report progress for on `task`, the acting unit first.

    The lead unit, when the user may update progress there (its own officers or those of
    a unit above it); a coordinating unit only where the user holds a role in it, so a
    department officer does not report in the name of every coordinating school.
    """
    scope = scope_for(user)
    own = {m.unit_id for m in scope.memberships}
    units: list[OrgUnit] = []
    if task.lead_unit is not None and scope.can(Perm.UPDATE_PROGRESS, task.lead_unit):
        units.append(task.lead_unit)
    coordinating = task.coordinating_units.filter(pk__in=own) if not scope.is_global else []
    units += [u for u in coordinating if scope.can(Perm.UPDATE_PROGRESS, u)]
    if acting_unit is not None:
        units.sort(key=lambda u: u.pk != acting_unit.pk)
    return units


# --- coverage ------------------------------------------------------------------------


@dataclass
class Coverage:
    units: list[dict]  # {"unit", "plan" (or None), "status"}
    uncovered_tasks: list[Task]
    uncovered_indicators: list[Indicator]


def plan_coverage(*, plan: Plan) -> Coverage:
    """Which lower units have issued their derived plan; which parent items no child covers."""
    derived = {p.issuer_id: p for p in plan.derived.select_related("issuer")}
    expected = list(
        OrgUnit.objects.filter(parent=plan.issuer, closed_on__isnull=True)
        .exclude(kind="division")
        .order_by("name")
    )
    seen = {u.pk for u in expected}
    expected += [p.issuer for p in derived.values() if p.issuer_id not in seen]
    units = [
        {"unit": u, "plan": derived.get(u.pk), "status": derived[u.pk].status if u.pk in derived else None}
        for u in expected
    ]
    issued_children = Plan.objects.filter(parent=plan, status__in=VISIBLE_ISSUED)
    covered_tasks = Task.objects.filter(plan__in=issued_children, parent=OuterRef("pk"))
    covered_indicators = Indicator.objects.filter(plan__in=issued_children, parent=OuterRef("pk"))
    uncovered_tasks = list(plan.tasks.filter(~Exists(covered_tasks)).order_by("order"))
    uncovered_indicators = list(plan.indicators.filter(~Exists(covered_indicators)).order_by("order"))
    return Coverage(units=units, uncovered_tasks=uncovered_tasks, uncovered_indicators=uncovered_indicators)
