"""Pages of the work on tasks: my tasks, a task with its progress and evidence, and a
plan's dashboard.

Every read goes through `cchc.plans.selectors` (scoped: 404 outside the user's scope);
every write through one service call, whose DomainError goes back next to its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.core.errors import DomainError
from cchc.core.htmx import is_htmx, render_page_or_partial
from cchc.core.recent import Recent, oldest, recent, shown, wants_fresh
from cchc.core.uploads import CONTENT_TYPES
from cchc.orgs.middleware import acting_unit_for
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for

from . import selectors, services
from .forms_tasks import DashboardForm, ProgressForm, TaskFilterForm
from .models import Task, TaskStatus
from .timeframes import is_overdue, overdue_working_days

TASKS_PER_PAGE = 25
HISTORY_SHOWN = 50
CONTRIBUTIONS_SHOWN = 200
COORDINATORS_SHOWN = 30
UNIT_CHART_ROWS = 25
OPEN = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


def _overdue_days(task: Task, today) -> int:
    """Working days past the due date (Civil Code art. 148(5)), 0 when not overdue."""
    if task.due_date is None or task.status not in OPEN or not is_overdue(task.due_date, today):
        return 0
    return overdue_working_days(task.due_date, today)


# --- my tasks ------------------------------------------------------------------------


@login_required
def task_mine(request):
    unit = acting_unit_for(request)
    form = TaskFilterForm(request.GET)
    filters = form.filters()
    today = timezone.localdate()
    if unit is None:
        tasks = Task.objects.none()
    else:
        tasks = selectors.tasks_for_unit(user=request.user, unit=unit, today=today, **filters)
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "task": task,
            "is_lead": task.lead_unit_id == unit.pk,
            "overdue_days": _overdue_days(task, today),
        }
        for task in page
    ]
    context = {
        "unit": unit,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "today": today,
        "filtered": any(filters.values()),
    }
    return render_page_or_partial(
        request, "plans/tasks/task_list.html", "plans/tasks/_task_rows.html", context
    )


# --- a task and its progress ---------------------------------------------------------


def _task_context(request, task: Task, *, form=None, units=None, success: str = "") -> dict:
    user = request.user
    today = timezone.localdate()
    if units is None:
        units = selectors.progress_units_for(user=user, task=task, acting_unit=acting_unit_for(request))
    readable = selectors.progress_updates_for(user=user, task=task)
    updates = list(readable[:HISTORY_SHOWN])
    latest: dict[int, object] = {}
    for update in readable.filter(is_contribution=True)[:CONTRIBUTIONS_SHOWN]:
        latest.setdefault(update.unit_id, update)  # newest first: keep each unit's latest
    if form is None and units:
        # A coordinating unit starts from its own last report, not the lead's figures.
        own = latest.get(units[0].pk) if units[0].pk != task.lead_unit_id else None
        initial = {"status": own.status, "percent": own.percent} if own else {}
        form = ProgressForm(units=units, task=task, initial=initial)
    coordinating = task.coordinating_units.order_by("name")
    return {
        "task": task,
        "plan": task.plan,
        "today": today,
        "overdue_days": _overdue_days(task, today),
        "is_lead_view": bool(units) and units[0].pk == task.lead_unit_id,
        "form": form,
        "success": success,
        "updates": updates,
        "more_updates": len(updates) == HISTORY_SHOWN,
        "contributions": sorted(latest.values(), key=lambda u: u.unit.name),
        "coordinating": list(coordinating[:COORDINATORS_SHOWN]),
        "coordinating_count": coordinating.count(),
        "rolled_up": selectors.rolled_up_progress(task),
        "can_dashboard": True,
    }


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get(user=request.user, task_id=pk)
    return render(request, "plans/tasks/task_detail.html", _task_context(request, task))


@login_required
@require_POST
def task_progress(request, pk: int):
    """Record progress (with evidence): the lead unit's changes the task, a coordinating
    unit's is its contribution. htmx gets the history and a fresh form back in place."""
    task = selectors.task_get(user=request.user, task_id=pk)
    units = selectors.progress_units_for(user=request.user, task=task, acting_unit=acting_unit_for(request))
    if not units:
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES, units=units, task=task)
    success = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            update = services.progress_record(
                actor=request.user,
                task=task,
                status=data["status"],
                percent=data["percent"],
                comment=data["comment"],
                unit=form.chosen_unit,
                files=form.uploads(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            success = (
                _("Đã ghi nhận đóng góp của %(unit)s.") % {"unit": update.unit.name}
                if update.is_contribution
                else _("Đã cập nhật tiến độ nhiệm vụ.")
            )
            if not is_htmx(request):
                messages.success(request, success)
                return redirect("task_detail", pk=task.pk)
            task = selectors.task_get(user=request.user, task_id=task.pk)
            form = None
    context = _task_context(request, task, form=form, units=units, success=success)
    if is_htmx(request):
        response = render(request, "plans/partials/_progress.html", {**context, "oob": True})
    else:
        response = render(request, "plans/tasks/task_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def evidence_download(request, pk: int):
    """An evidence file, always as a download: never rendered by the browser from our site."""
    evidence = selectors.evidence_get(user=request.user, evidence_id=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = evidence.content_type if evidence.content_type in CONTENT_TYPES.values() else None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- dashboard -----------------------------------------------------------------------


def _stack(row: dict) -> dict:
    """Counts that add up to the total, for a stacked bar: done, overdue, in progress on
    time, not started on time (cancelled tasks are left out of the bar)."""
    overdue_not_started = row["overdue"] - row["overdue_in_progress"]
    return {
        "done": row["done"],
        "overdue": row["overdue"],
        "in_progress": row["in_progress"] - row["overdue_in_progress"],
        "not_started": row["not_started"] - overdue_not_started,
    }


def _rate(row: dict) -> float:
    active = row["total"] - row.get("cancelled", 0)
    return round(100 * row["done"] / active, 1) if active else 0.0


SERIES = (
    ("done", gettext_lazy("Hoàn thành")),
    ("in_progress", gettext_lazy("Đang thực hiện, chưa quá hạn")),
    ("not_started", gettext_lazy("Chưa thực hiện, chưa quá hạn")),
    ("overdue", gettext_lazy("Quá hạn")),
)


def _chart(labels: list[str], rows: list[dict], *, title: str) -> dict:
    stacks = [r["stack"] for r in rows]
    return {
        "title": title,
        "labels": labels,
        "series": [
            {"key": key, "label": str(label), "data": [s[key] for s in stacks]} for key, label in SERIES
        ],
    }


def _sorted_units(rows: list[dict], sort: str) -> list[dict]:
    key = sort.lstrip("-")
    getters = {
        "name": lambda r: r["unit"].name,
        "total": lambda r: r["total"],
        "done": lambda r: r["done"],
        "rate": lambda r: r["rate"],
        "overdue": lambda r: r["overdue"],
    }
    rows = sorted(rows, key=lambda r: r["unit"].name)  # ties in name order
    return sorted(rows, key=getters.get(key, getters["rate"]), reverse=sort.startswith("-"))


def _drill_units(user, plan, unit: OrgUnit) -> tuple[list[OrgUnit], list[tuple[int, str]]]:
    """The way down from the plan's issuer to `unit` (the units the user may see), and
    `unit`'s open children: what the unit selector offers."""
    scope = scope_for(user)
    path = [
        u
        for u in OrgUnit.objects.filter(pk__in=unit.ancestor_ids, path__startswith=plan.issuer.path)
        .only("id", "name", "path", "depth")
        .order_by("depth")
        if scope.can(Perm.VIEW, u)
    ]
    # (id, name) pairs, not model instances: a department has hundreds of open children.
    children = list(
        OrgUnit.objects.filter(parent=unit, closed_on__isnull=True).order_by("name").values_list("id", "name")
    )
    return path, children


# The filters a lower unit's link keeps (the unit and the sort change; "fresh" is dropped).
DRILL_KEEPS = ("period", "indicators")


def _known_filters(request, names) -> QueryDict:
    """The dashboard's own filters from the query string, in a fixed order: its links go
    into cached rows, whose key must not grow with whatever else a query string carries."""
    params = QueryDict(mutable=True)
    for name in names:
        if request.GET.get(name):
            params[name] = request.GET[name]
    return params


def _sort_columns(request, sort: str) -> list[dict]:
    """The headers of the lower-units table: a link that sorts by the column (again: the
    other way) and the aria-sort state."""
    columns = []
    for key, label in (
        ("name", _("Đơn vị")),
        ("total", _("Số nhiệm vụ")),
        ("done", _("Hoàn thành")),
        ("rate", _("Tỷ lệ hoàn thành")),
        ("overdue", _("Quá hạn")),
    ):
        active = sort.lstrip("-") == key
        if active:
            following = key if sort.startswith("-") else f"-{key}"
        else:
            following = key if key == "name" else f"-{key}"
        params = _known_filters(request, (*DRILL_KEEPS, "unit"))
        params["sort"] = following
        state = ("descending" if sort.startswith("-") else "ascending") if active else "none"
        columns.append(
            {
                "label": label,
                "url": f"?{params.urlencode()}#by-unit",
                "aria_sort": state,
                "num": key != "name",
            }
        )
    return columns


@login_required
def plan_dashboard(request, pk: int):
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    today = timezone.localdate()
    form = DashboardForm(request.GET, plan=plan, today=today)
    values = form.values()
    unit = None
    if values["unit_id"]:
        unit = scope_for(request.user).get_unit(values["unit_id"])  # 404 outside the scope
        if not unit.path.startswith(plan.issuer.path):
            raise Http404
    fresh = wants_fresh(request)
    unit = selectors.plan_dashboard_unit(user=request.user, plan=plan, unit=unit)
    if request.GET.get("panel") == "indicators":
        # Indicator values are measured over the subtree (a metric may read a million
        # records): the page answers first and this panel loads on its own request.
        indicators, measured = _indicator_values(plan, unit, values["period"], today, fresh)
        return render(
            request,
            "plans/partials/_dashboard_indicators.html",
            {"indicators": indicators, **shown(request, measured, target="#indicator-panel")},
        )
    # The cascade's tallies of a unit, as computed less than a minute ago (core.recent).
    computed = recent(
        ("plans.dashboard", plan.pk, unit.pk, today),
        lambda: selectors.plan_dashboard(user=request.user, plan=plan, unit=unit, today=today),
        fresh=fresh,
    )
    dashboard = computed.value
    indicators = None
    measured = computed
    if request.GET.get("indicators") == "1":  # without JavaScript: the whole page at once
        indicators, measured_indicators = _indicator_values(plan, unit, values["period"], today, fresh)
        measured = oldest(computed, measured_indicators)
    query = request.GET.copy()
    query["unit"] = unit.pk
    query["panel"] = "indicators"
    indicators_url = f"{request.path}?{query.urlencode()}"
    del query["panel"]
    query["indicators"] = "1"
    indicators_inline_url = f"{request.path}?{query.urlencode()}#indicators"

    by_area = [
        {
            **row,
            "name": row["area__name"] or _("Chưa phân lĩnh vực"),
            "rate": _rate(row),
            "stack": _stack(row),
        }
        for row in dashboard.by_area
    ]
    by_unit = _sorted_units(
        [{**row, "rate": _rate(row), "stack": _stack(row)} for row in dashboard.by_unit], values["sort"]
    )
    charts = {
        "area": _chart([r["name"] for r in by_area], by_area, title=_("Hoàn thành theo lĩnh vực")),
        "unit": _chart(
            [r["unit"].name for r in by_unit[:UNIT_CHART_ROWS]],
            by_unit[:UNIT_CHART_ROWS],
            title=_("Hoàn thành theo đơn vị cấp dưới"),
        ),
    }
    path, children = _drill_units(request.user, plan, unit)
    totals = dashboard.totals
    # A lower unit's link keeps the other filters, without the sort: built once, not per row.
    # Only the known filters: the link goes into the cached rows, whose key must not grow
    # with whatever a query string carries (and "fresh" must not follow the user around).
    drill = _known_filters(request, DRILL_KEEPS)
    drill_base = f"?{drill.urlencode()}&unit=" if drill else "?unit="
    # Hundreds of lower units: their rows are rendered once per unit, sort and computed
    # figures (keyed on when those were computed, so rows and totals always agree).
    unit_rows_html = recent(
        ("plans.dashboard.rows", plan.pk, unit.pk, today, values["sort"], drill_base, computed.computed_at),
        lambda: render_to_string(
            "plans/partials/_dashboard_unit_rows.html", {"by_unit": by_unit, "drill_base": drill_base}
        ),
    ).value
    context = {
        "plan": plan,
        "unit": unit,
        "form": form,
        "period": values["period"],
        "sort": values["sort"],
        "columns": _sort_columns(request, values["sort"]),
        "totals": totals,
        "rate": _rate(totals),
        "by_area": by_area,
        "by_unit": by_unit,
        "unit_rows_html": unit_rows_html,
        "unit_chart_cut": len(by_unit) > UNIT_CHART_ROWS,
        "unit_chart_rows": UNIT_CHART_ROWS,
        "charts": charts,
        "indicators": indicators,
        "indicators_url": indicators_url,
        "indicators_inline_url": indicators_inline_url,
        "overdue": [{"task": t, "days": _overdue_days(t, today)} for t in dashboard.overdue],
        "today": today,
        "drill_path": path,
        "drill_children": children,
        "drill_base": drill_base,
        **shown(request, measured),
    }
    return render(request, "plans/dashboard.html", context)


def _indicator_values(plan, unit, period, today, fresh: bool):
    """The plan's indicators for the unit and period: manual values read live, measured
    ones as computed less than a minute ago for that unit and period (core.recent).
    Returns (the values, when the oldest was computed)."""
    from cchc.metrics.registry import value_for

    measured = []

    def measure(key, unit, period):
        value = recent(
            ("metrics.value", key, unit.pk, period.key, today),
            lambda: value_for(key, unit, period),
            fresh=fresh,
        )
        measured.append(value)
        return value.value

    values = selectors.indicator_values(plan=plan, unit=unit, period=period, today=today, measure=measure)
    return values, (oldest(*measured) if measured else Recent(None, timezone.now(), False))
