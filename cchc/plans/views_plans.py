"""Pages of plans: the list, a plan as its document reads, its indicators and tasks,
cascading to lower units, deriving a lower unit's plan, and coverage.

Every view: check access (`selectors.plan_get`, 404 outside the scope), parse input
with a form, call one service, render. A `DomainError` goes back into the form next to
the field it names, so nothing the user typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cchc.core.errors import DomainError
from cchc.core.errors import PermissionDenied as DomainForbidden
from cchc.core.htmx import render_page_or_partial
from cchc.metrics.periods import Period, PeriodKind
from cchc.orgs.middleware import acting_unit_for
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for

from . import selectors, services, services_cascade
from .forms import (
    CascadeForm,
    DeriveForm,
    IndicatorEntryForm,
    IndicatorForm,
    PlanFilterForm,
    PlanForm,
    PlanStatusForm,
    TaskForm,
    plan_periods,
)
from .models import Indicator, Plan, PlanStatus, Task

PLANS_PER_PAGE = 50
OFFICE_KINDS = (UnitKind.DISTRICT_OFFICE, UnitKind.COMMUNE_OFFICE)
SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)
# The status changes offered on a plan page, as (target status, button label).
STATUS_ACTIONS = {
    PlanStatus.DRAFT: [(PlanStatus.ISSUED, gettext_lazy("Ban hành kế hoạch"))],
    PlanStatus.ISSUED: [
        (PlanStatus.MID_TERM_REVIEW, gettext_lazy("Sơ kết giữa kỳ")),
        (PlanStatus.CLOSED, gettext_lazy("Tổng kết, đóng kế hoạch")),
        (PlanStatus.DRAFT, gettext_lazy("Chuyển về dự thảo")),
    ],
    PlanStatus.MID_TERM_REVIEW: [
        (PlanStatus.ISSUED, gettext_lazy("Kết thúc sơ kết")),
        (PlanStatus.CLOSED, gettext_lazy("Tổng kết, đóng kế hoạch")),
    ],
    PlanStatus.CLOSED: [],
}


# --- helpers ---------------------------------------------------------------------------


def _plan(request, pk, perm: Perm = Perm.VIEW) -> Plan:
    """The plan if the user may see it (404 otherwise) and holds `perm` on its issuer (403)."""
    try:
        return selectors.plan_get(user=request.user, plan_id=pk, perm=perm)
    except DomainForbidden as error:
        raise Forbidden(error.message) from None


def _posted(request):
    """The POST data to bind a form to, even when empty (no box ticked), else None."""
    return request.POST if request.method == "POST" else None


def _add_error(form, error: DomainError) -> None:
    """The service's message next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _is_below(unit: OrgUnit | None, issuer: OrgUnit) -> bool:
    return unit is not None and unit.pk != issuer.pk and unit.path.startswith(issuer.path)


def _issuers(request):
    """The units the user may issue plans for: those where they hold a managing role."""
    scope = scope_for(request.user)
    ids = [m.unit_id for m in scope.memberships if scope.can(Perm.MANAGE_PLANS, m.unit)]
    units = OrgUnit.objects.filter(pk__in=ids, closed_on__isnull=True)
    if scope.is_global and not ids:
        units = OrgUnit.objects.filter(parent__isnull=True, closed_on__isnull=True)
    return units.order_by("depth", "name")


def _default_period(plan: Plan, today) -> Period:
    """The current quarter while the plan runs; its year before or after."""
    if plan.period_start <= today <= plan.period_end:
        return Period.current(PeriodKind.QUARTER, today)
    year = plan.period_end.year if today > plan.period_end else plan.period_start.year
    return Period(PeriodKind.YEAR, year)


# --- list ------------------------------------------------------------------------------


@login_required
def plan_list(request):
    form = PlanFilterForm(request.GET)
    filters = form.filters()
    plans = selectors.plan_list_for(user=request.user, **filters).order_by(*Plan._meta.ordering)
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    acting = acting_unit_for(request)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "can_create": acting is not None and scope_for(request.user).can(Perm.MANAGE_PLANS, acting),
    }
    return render_page_or_partial(request, "plans/plan_list.html", "plans/partials/_plan_rows.html", context)


# --- create / edit ---------------------------------------------------------------------


@login_required
def plan_create(request):
    issuers = _issuers(request)
    if not issuers.exists():
        raise Forbidden
    acting = acting_unit_for(request)
    initial = {"issuer": acting.pk if acting is not None and issuers.filter(pk=acting.pk).exists() else None}
    form = PlanForm(_posted(request), issuers=issuers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, issuer=form.cleaned_data["issuer"], **form.service_fields()
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã tạo kế hoạch dự thảo. Hãy thêm chỉ tiêu và nhiệm vụ."))
            return redirect("plan_detail", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS} | {"version": plan.version}
    form = PlanForm(_posted(request), initial=initial)
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_update(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except services.EditConflict as conflict:
            conflict_rows = _show_conflict(form, conflict, Plan)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin kế hoạch."))
            return redirect("plan_detail", plan.pk)
    context = {"form": form, "plan": plan, "conflict_rows": conflict_rows}
    return render(request, "plans/plan_form.html", context)


@login_required
def plan_status(request, pk: int):
    """Issue, review, close: a confirmation page, then the status service."""
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    offered = dict(STATUS_ACTIONS[PlanStatus(plan.status)])
    target = request.POST.get("status") or request.GET.get("to") or ""
    if target not in offered:
        raise Http404
    form = PlanStatusForm(
        _posted(request), initial={"status": target, "issued_on": plan.issued_on or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_set_status(
                actor=request.user,
                plan=plan,
                status=form.cleaned_data["status"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Kế hoạch đã chuyển sang trạng thái “%(status)s”.") % {"status": PlanStatus(target).label},
            )
            return redirect("plan_detail", plan.pk)
    return render(
        request,
        "plans/plan_status.html",
        {"plan": plan, "form": form, "target": target, "label": offered[target]},
    )


# --- the plan page ---------------------------------------------------------------------


def _areas_with_indicators(values) -> list[dict]:
    """Indicators by reform area, areas in their order, unclassified last."""
    groups: dict = {}
    for value in values:
        area = value.indicator.area
        groups.setdefault(area.pk if area else None, {"area": area, "rows": []})["rows"].append(value)
    return sorted(groups.values(), key=lambda g: (g["area"] is None, g["area"].order if g["area"] else 0))


def _task_groups(tasks) -> list[dict]:
    groups: OrderedDict = OrderedDict()
    for task in tasks:
        groups.setdefault(task.group, []).append(task)
    return [{"name": name, "tasks": rows} for name, rows in groups.items()]


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    periods = plan_periods(plan)
    period = next((p for p in periods if p.key == request.GET.get("period")), None)
    period = period or _default_period(plan, today)
    values = selectors.indicator_values(plan=plan, unit=plan.issuer, period=period, today=today)
    parents = {
        i.pk: i.parent
        for i in Indicator.objects.filter(plan=plan, parent__isnull=False).select_related("parent")
    }
    for value in values:
        value.parent = parents.get(value.indicator.pk)
    tasks = list(
        plan.tasks.select_related("lead_unit", "area", "parent")
        .annotate(is_overdue=ExpressionWrapper(selectors.overdue_q(today), output_field=BooleanField()))
        .order_by("order", "pk")
    )
    rolled_up = selectors.rolled_up_progress_for(tasks)
    for task in tasks:
        task.rolled_up = rolled_up.get(task.pk)
    acting = acting_unit_for(request)
    can_derive = (
        plan.status in (PlanStatus.ISSUED, PlanStatus.MID_TERM_REVIEW)
        and _is_below(acting, plan.issuer)
        and scope.can(Perm.MANAGE_PLANS, acting)
    )
    context = {
        "plan": plan,
        "period": period,
        "periods": periods,
        "areas": _areas_with_indicators(values),
        "indicator_count": len(values),
        "groups": _task_groups(tasks),
        "task_count": len(tasks),
        "derived_count": plan.derived.count(),
        "can_manage": scope.can(Perm.MANAGE_PLANS, plan.issuer),
        "can_enter": scope.can(Perm.UPDATE_PROGRESS, plan.issuer),
        "can_see_coverage": scope.can(Perm.VIEW, plan.issuer),
        "status_actions": STATUS_ACTIONS[PlanStatus(plan.status)],
        "can_derive": can_derive,
        "own_derived": Plan.objects.filter(parent=plan, issuer=acting).first() if can_derive else None,
        "acting_unit": acting,
    }
    return render(request, "plans/plan_detail.html", context)


# --- indicators ------------------------------------------------------------------------


def _indicator(plan: Plan, indicator_pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("area", "parent"), plan=plan, pk=indicator_pk)


@login_required
def indicator_add(request, pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    form = IndicatorForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_add(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect(reverse("plan_detail", args=[plan.pk]) + "#indicators")
    return render(request, "plans/indicator_form.html", {"plan": plan, "form": form, "indicator": None})


@login_required
def indicator_edit(request, pk: int, indicator_pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    indicator = _indicator(plan, indicator_pk)
    initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
    for name in ("target", "baseline"):
        if initial[name] is not None:
            initial[name] = f"{initial[name].normalize():f}".replace(".", ",")
    form = IndicatorForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=request.user, indicator=indicator, **form.cleaned_data)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect(reverse("plan_detail", args=[plan.pk]) + f"#indicator-{indicator.pk}")
    return render(request, "plans/indicator_form.html", {"plan": plan, "form": form, "indicator": indicator})


@login_required
def indicator_remove(request, pk: int, indicator_pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    indicator = _indicator(plan, indicator_pk)
    return _confirm_remove(
        request, plan, kind=_("chỉ tiêu"), text=indicator.text, anchor="#indicators",
        done=_("Đã xóa chỉ tiêu."),
        remove=lambda: services.indicator_remove(actor=request.user, indicator=indicator),
    )


def _confirm_remove(request, plan, *, kind: str, text: str, anchor: str, done: str, remove):
    """GET: ask; POST: remove through the service, then back to the plan page."""
    error = None
    if request.method == "POST":
        try:
            remove()
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, done)
            return redirect(reverse("plan_detail", args=[plan.pk]) + anchor)
    return render(
        request, "plans/confirm_remove.html", {"plan": plan, "kind": kind, "text": text, "error": error}
    )


@login_required
def indicator_entry(request, pk: int, indicator_pk: int):
    """The value of a manual indicator for the plan's issuer in one period."""
    plan = _plan(request, pk)
    if not scope_for(request.user).can(Perm.UPDATE_PROGRESS, plan.issuer):
        raise Forbidden
    indicator = _indicator(plan, indicator_pk)
    if not indicator.is_manual:
        raise Http404
    period = _default_period(plan, timezone.localdate())
    form = IndicatorEntryForm(_posted(request), plan=plan, initial={"period": period.key})
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_entry_set(
                actor=request.user,
                indicator=indicator,
                unit=plan.issuer,
                period_key=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã lưu số liệu chỉ tiêu."))
            url = reverse("plan_detail", args=[plan.pk])
            return redirect(f"{url}?period={form.cleaned_data['period']}#indicator-{indicator.pk}")
    return render(request, "plans/indicator_entry.html", {"plan": plan, "indicator": indicator, "form": form})


# --- tasks -----------------------------------------------------------------------------


def _lead_units(plan: Plan):
    """Units that may lead a task of the plan: the issuer and its open direct children."""
    return OrgUnit.objects.filter(
        Q(pk=plan.issuer_id) | Q(parent_id=plan.issuer_id, closed_on__isnull=True)
    ).order_by("depth", "name")


def _task(plan: Plan, task_pk: int) -> Task:
    return get_object_or_404(Task.objects.select_related("lead_unit", "area"), plan=plan, pk=task_pk)


def _groups_of(plan: Plan) -> list[str]:
    return list(plan.tasks.exclude(group="").order_by("group").values_list("group", flat=True).distinct())


@login_required
def task_add(request, pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    form = TaskForm(_posted(request), units=_lead_units(plan))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_add(actor=request.user, plan=plan, **form.service_fields())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return redirect(reverse("plan_detail", args=[plan.pk]) + f"#task-{task.pk}")
    context = {"plan": plan, "form": form, "task": None, "groups": _groups_of(plan)}
    return render(request, "plans/task_form.html", context)


def _show_conflict(form, conflict, model) -> list:
    """Re-show the form after a conflicting save: keep what was typed, take the saved
    version (so saving again is deliberate), and return the rows of differences."""
    form.data = form.data.copy()
    form.data["version"] = conflict.obj.version
    form.add_error(None, conflict.message)
    return _conflict_rows(conflict, model)


def _conflict_rows(conflict: services.EditConflict, model) -> list[dict]:
    """What the user typed against what is saved now, as the user reads them."""
    from .models import ReformArea

    related = {"lead_unit": OrgUnit, "area": ReformArea}
    ids = {name: {v for v in values if v} for name, values in conflict.changes.items() if name in related}
    names = {
        name: {obj.pk: obj.name for obj in related[name].objects.filter(pk__in=pks)}
        for name, pks in ids.items()
    }

    def shown(name, value):
        if name in names:
            return names[name].get(value, value)
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return value

    return [
        {
            "field": model._meta.get_field(name).verbose_name,
            "mine": shown(name, mine),
            "saved": shown(name, saved),
        }
        for name, (mine, saved) in conflict.changes.items()
    ]


@login_required
def task_edit(request, pk: int, task_pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    task = _task(plan, task_pk)
    initial = {name: getattr(task, name) for name in services.TASK_FIELDS} | {"version": task.version}
    form = TaskForm(_posted(request), units=_lead_units(plan), initial=initial)
    conflict_rows = None
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(
                actor=request.user,
                task=task,
                expected_version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except services.EditConflict as conflict:
            conflict_rows = _show_conflict(form, conflict, Task)
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect(reverse("plan_detail", args=[plan.pk]) + f"#task-{task.pk}")
    context = {
        "plan": plan,
        "form": form,
        "task": task,
        "groups": _groups_of(plan),
        "conflict_rows": conflict_rows,
    }
    return render(request, "plans/task_form.html", context)


@login_required
def task_remove(request, pk: int, task_pk: int):
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    task = _task(plan, task_pk)
    return _confirm_remove(
        request, plan, kind=_("nhiệm vụ"), text=task.content, anchor="#tasks",
        done=_("Đã xóa nhiệm vụ."),
        remove=lambda: services.task_remove(actor=request.user, task=task),
    )


# --- cascading -------------------------------------------------------------------------


@login_required
def plan_cascade(request, pk: int):
    """The issuer's managers create draft plans for chosen lower units in one go."""
    plan = _plan(request, pk, Perm.MANAGE_PLANS)
    below = (
        scope_for(request.user)
        .units(Perm.VIEW)
        .filter(path__startswith=plan.issuer.path, closed_on__isnull=True)
        .exclude(pk=plan.issuer_id)
    )
    children = below.filter(parent_id=plan.issuer_id).exclude(kind=UnitKind.DIVISION).order_by("kind", "name")
    derived = {p.issuer_id: p for p in plan.derived.all()}
    form = CascadeForm(_posted(request), units=children)
    if request.method == "POST" and form.is_valid():
        chosen = {u.pk: u for u in form.cleaned_data["units"]}
        if form.cleaned_data["all_offices"]:
            chosen |= {u.pk: u for u in below.filter(kind__in=OFFICE_KINDS)}
        if form.cleaned_data["all_schools"]:
            chosen |= {u.pk: u for u in below.filter(kind__in=SCHOOL_KINDS)}
        if not chosen:
            form.add_error(None, _("Hãy chọn ít nhất một đơn vị cấp dưới."))
        else:
            try:
                created = services_cascade.plan_cascade(
                    actor=request.user, parent=plan, units=list(chosen.values())
                )
            except DomainError as error:
                _add_error(form, error)
            else:
                message = ngettext(
                    "Đã tạo %(n)d kế hoạch dự thảo cho đơn vị cấp dưới.",
                    "Đã tạo %(n)d kế hoạch dự thảo cho đơn vị cấp dưới.",
                    len(created),
                ) % {"n": len(created)}
                skipped = len(chosen) - len(created)
                if skipped:
                    message += " " + ngettext(
                        "%(n)d đơn vị đã có kế hoạch nên được giữ nguyên.",
                        "%(n)d đơn vị đã có kế hoạch nên được giữ nguyên.",
                        skipped,
                    ) % {"n": skipped}
                messages.success(request, message)
                return redirect("plan_coverage", plan.pk)
    rows = [{"unit": u, "derived": derived.get(u.pk), "field_value": str(u.pk)} for u in children]
    context = {
        "plan": plan,
        "form": form,
        "rows": rows,
        "chosen": set(form["units"].value() or []),
        "office_count": below.filter(kind__in=OFFICE_KINDS).count(),
        "school_count": below.filter(kind__in=SCHOOL_KINDS).count(),
        "is_issued": plan.status in (PlanStatus.ISSUED, PlanStatus.MID_TERM_REVIEW),
    }
    return render(request, "plans/plan_cascade.html", context)


@login_required
def plan_derive(request, pk: int):
    """A lower unit's officer builds the unit's own plan from the parent plan."""
    parent = _plan(request, pk)
    unit = acting_unit_for(request)
    if not _is_below(unit, parent.issuer) or not scope_for(request.user).can(Perm.MANAGE_PLANS, unit):
        raise Forbidden
    existing = Plan.objects.filter(parent=parent, issuer=unit).first()
    if existing is not None:
        messages.info(
            request,
            _(
                "%(unit)s đã có kế hoạch triển khai kế hoạch này; "
                "bạn có thể chỉnh sửa và ban hành kế hoạch đó."
            )
            % {"unit": unit.name},
        )
        return redirect("plan_detail", existing.pk)
    indicators = list(parent.indicators.select_related("area").order_by("order", "pk"))
    tasks = list(parent.tasks.select_related("lead_unit", "area").order_by("order", "pk"))
    concerning_indicators, concerning_tasks = services_cascade.items_concerning(parent, unit)
    initial = {
        "indicators": [str(i.pk) for i in concerning_indicators],
        "tasks": [str(t.pk) for t in concerning_tasks],
    }
    form = DeriveForm(_posted(request), initial=initial, parent_indicators=indicators, parent_tasks=tasks)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services_cascade.plan_derive(
                actor=request.user,
                parent=parent,
                unit=unit,
                indicator_ids=[int(pk) for pk in form.cleaned_data["indicators"]],
                task_ids=[int(pk) for pk in form.cleaned_data["tasks"]],
                targets=form.targets(),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Đã tạo kế hoạch dự thảo của đơn vị. Hãy bổ sung nhiệm vụ riêng rồi ban hành."),
            )
            return redirect("plan_detail", plan.pk)
    chosen_indicators = set(form["indicators"].value() or [])
    chosen_tasks = set(form["tasks"].value() or [])
    context = {
        "plan": parent,
        "unit": unit,
        "form": form,
        "indicator_rows": [
            {"indicator": i, "checked": str(i.pk) in chosen_indicators, "target": form[f"target_{i.pk}"]}
            for i in indicators
        ],
        "task_groups": [
            {
                "name": g["name"],
                "rows": [{"task": t, "checked": str(t.pk) in chosen_tasks} for t in g["tasks"]],
            }
            for g in _task_groups(tasks)
        ],
        "concerning_count": len(concerning_tasks),
    }
    return render(request, "plans/plan_derive.html", context)


@login_required
def plan_coverage(request, pk: int):
    """Which lower units derived and issued their plan; which items no issued plan covers."""
    plan = _plan(request, pk)
    if not scope_for(request.user).can(Perm.VIEW, plan.issuer):
        raise Forbidden
    coverage = selectors.plan_coverage(plan=plan)
    issued = [row for row in coverage.units if row["status"] in selectors.VISIBLE_ISSUED]
    drafts = [row for row in coverage.units if row["status"] == PlanStatus.DRAFT]
    context = {
        "plan": plan,
        "coverage": coverage,
        "counts": {
            "units": len(coverage.units),
            "issued": len(issued),
            "draft": len(drafts),
            "missing": len(coverage.units) - len(issued) - len(drafts),
        },
        "can_manage": scope_for(request.user).can(Perm.MANAGE_PLANS, plan.issuer),
    }
    return render(request, "plans/plan_coverage.html", context)
