"""Writes to plans: each function is one business action, atomic and audited.

Access: a plan is written by those holding `Perm.MANAGE_PLANS` on its issuer; progress
by those holding `Perm.UPDATE_PROGRESS` on the lead unit (or, as a contribution, on a
coordinating unit). Concurrent edits are detected with a version number: the second
save of the same task is refused with the difference (`EditConflict`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError, domain_error_from
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for

from . import tallies
from .models import (
    Comparator,
    Evidence,
    Indicator,
    IndicatorEntry,
    Plan,
    PlanKind,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Task,
    TaskStatus,
    TimeframeKind,
)


class EditConflict(DomainError):
    """Someone saved the record after this user opened it: nothing is overwritten.

    `changes` maps each field the other user changed to (value when opened, value now).
    """

    def __init__(self, obj, changes: dict[str, tuple], message: str | None = None):
        super().__init__(
            message or _("Nhiệm vụ vừa được người khác cập nhật. Hãy xem phần thay đổi và lưu lại."),
            code="conflict",
        )
        self.obj = obj
        self.changes = changes


def _require(actor, perm: Perm, unit: OrgUnit | None) -> None:
    if actor is None:  # system jobs (generator, importer running as the system)
        return
    scope_for(actor).require(perm, unit)


def _clean(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise domain_error_from(error) from None


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("“%(v)s” không phải là số.") % {"v": value}, field=field) from None


# --- plans ---------------------------------------------------------------------------

PLAN_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place",
    "title",
    "kind",
    "period_start",
    "period_end",
    "implements_text",
    "purposes",
    "requirements",
)


@transaction.atomic
def plan_create(
    *,
    actor,
    issuer: OrgUnit,
    title: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    number: str = "",
    symbol: str = "",
    issued_on: dt.date | None = None,
    place: str = "",
    implements_text: str = "",
    purposes: str = "",
    requirements: str = "",
    implements: Iterable[Plan] = (),
) -> Plan:
    """A new plan of `issuer`, as a draft."""
    _require(actor, Perm.MANAGE_PLANS, issuer)
    if not title or not title.strip():
        raise DomainError(_("Vui lòng nhập trích yếu của kế hoạch."), field="title", code="required")
    if kind not in PlanKind.values:
        raise DomainError(_("Loại kế hoạch không hợp lệ."), field="kind")
    if period_start and period_end and period_end < period_start:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="period_end")
    plan = Plan(
        issuer=issuer,
        title=title.strip(),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        number=number.strip(),
        symbol=symbol.strip(),
        issued_on=issued_on,
        place=place.strip(),
        implements_text=implements_text.strip(),
        purposes=purposes,
        requirements=requirements,
    )
    _clean(plan, exclude=["root", "parent"])
    plan.save()
    if implements:
        plan.implements.set(implements)
    audit.record(actor=actor, obj=plan, event="plan.created")
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, expected_version: int | None = None, **changes) -> Plan:
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require(actor, Perm.MANAGE_PLANS, plan.issuer)
    if expected_version is not None and plan.version != expected_version:
        # What this user typed against what is saved now, field by field.
        changed = {
            name: (value, getattr(plan, name))
            for name, value in changes.items()
            if value != getattr(plan, name)
        }
        raise EditConflict(
            plan, changed, _("Kế hoạch vừa được người khác cập nhật. Hãy xem phần thay đổi và lưu lại.")
        )
    before = audit.snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value.strip() if isinstance(value, str) and name != "purposes" else value)
    if plan.period_end < plan.period_start:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="period_end")
    _clean(plan, exclude=["root", "parent"])
    plan.version += 1
    plan.save()
    audit.record(actor=actor, obj=plan, event="plan.updated", before=before)
    return plan


_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.ISSUED},
    PlanStatus.ISSUED: {PlanStatus.MID_TERM_REVIEW, PlanStatus.CLOSED, PlanStatus.DRAFT},
    PlanStatus.MID_TERM_REVIEW: {PlanStatus.ISSUED, PlanStatus.CLOSED},
    PlanStatus.CLOSED: set(),
}


@transaction.atomic
def plan_set_status(*, actor, plan: Plan, status: str, issued_on: dt.date | None = None) -> Plan:
    """Draft → issued → under mid-term review → closed (an issued plan may go back to draft)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require(actor, Perm.MANAGE_PLANS, plan.issuer)
    if status not in _TRANSITIONS.get(plan.status, set()):
        raise DomainError(
            _("Không thể chuyển kế hoạch từ “%(a)s” sang “%(b)s”.")
            % {"a": plan.get_status_display(), "b": PlanStatus(status).label},
            code="invalid_transition",
        )
    if status == PlanStatus.ISSUED and not plan.tasks.exists() and not plan.indicators.exists():
        raise DomainError(_("Kế hoạch chưa có chỉ tiêu hay nhiệm vụ nào, chưa thể ban hành."))
    before = audit.snapshot(plan)
    plan.status = status
    if status == PlanStatus.ISSUED and issued_on:
        plan.issued_on = issued_on
    plan.version += 1
    plan.save(update_fields=["status", "issued_on", "version", "updated_at"])
    audit.record(actor=actor, obj=plan, event=f"plan.{status}", before=before)
    return plan


@transaction.atomic
def plan_attach_signed(*, actor, plan: Plan, file, safe_name: str) -> Plan:
    """Keep the signed, issued document (PDF or Word) with the plan; a new one replaces it.

    The file must already have passed `cchc.core.uploads.check_upload` (size, content).
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require(actor, Perm.MANAGE_PLANS, plan.issuer)
    before = audit.snapshot(plan, ["attachment"])
    old = plan.attachment.name if plan.attachment else None
    plan.attachment.save(f"{plan.pk}-{safe_name}", file, save=False)
    plan.save(update_fields=["attachment", "updated_at"])
    if old:
        transaction.on_commit(lambda: plan.attachment.storage.delete(old))
    audit.record(actor=actor, obj=plan, event="plan.signed_attached", before=before,
                 after=audit.snapshot(plan, ["attachment"]))
    return plan


# --- indicators ----------------------------------------------------------------------


def _check_indicator(*, text, comparator, target, metric_key):
    if not text or not str(text).strip():
        raise DomainError(_("Vui lòng nhập nội dung chỉ tiêu."), field="text", code="required")
    if comparator not in Comparator.values:
        raise DomainError(_("Phép so sánh không hợp lệ."), field="comparator")
    if target is None:
        raise DomainError(_("Vui lòng nhập giá trị mục tiêu."), field="target", code="required")
    if metric_key:
        from cchc.metrics.registry import get

        try:
            get(metric_key)
        except DomainError as error:  # "unknown_metric", shown next to the field typed
            error.field = "metric_key"
            raise


@transaction.atomic
def indicator_add(
    *,
    actor,
    plan: Plan,
    text: str,
    target,
    comparator: str = Comparator.GTE,
    unit_of_measure: str = "%",
    area: ReformArea | None = None,
    baseline=None,
    metric_key: str = "",
    applies_to_kinds: list[str] | None = None,
    parent: Indicator | None = None,
) -> Indicator:
    _require(actor, Perm.MANAGE_PLANS, plan.issuer)
    target = _decimal(target, "target")
    _check_indicator(text=text, comparator=comparator, target=target, metric_key=metric_key)
    if unit_of_measure == "%" and not (0 <= target <= 100):
        raise DomainError(_("Tỷ lệ phần trăm phải từ 0 đến 100."), field="target")
    indicator = Indicator.objects.create(
        plan=plan,
        text=" ".join(text.split()),
        target=target,
        comparator=comparator,
        unit_of_measure=unit_of_measure,
        area=area,
        baseline=_decimal(baseline, "baseline"),
        metric_key=metric_key,
        applies_to_kinds=list(applies_to_kinds or []),
        parent=parent,
        order=plan.indicators.count() + 1,
    )
    audit.record(actor=actor, obj=indicator, event="indicator.created")
    return indicator


INDICATOR_FIELDS = (
    "text",
    "target",
    "comparator",
    "unit_of_measure",
    "area",
    "baseline",
    "metric_key",
    "applies_to_kinds",
)


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **changes) -> Indicator:
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    indicator = (
        # Lock the indicator only: PostgreSQL cannot lock the nullable side of the parent join.
        Indicator.objects.select_for_update(of=("self",))
        .select_related("plan__issuer", "parent")
        .get(pk=indicator.pk)
    )
    _require(actor, Perm.MANAGE_PLANS, indicator.plan.issuer)
    before = audit.snapshot(indicator)
    for name, value in changes.items():
        if name in {"target", "baseline"}:
            value = _decimal(value, name)
        setattr(indicator, name, value)
    _check_indicator(
        text=indicator.text,
        comparator=indicator.comparator,
        target=indicator.target,
        metric_key=indicator.metric_key,
    )
    _check_not_looser(indicator)
    indicator.save()
    audit.record(actor=actor, obj=indicator, event="indicator.updated", before=before)
    return indicator


def _check_not_looser(indicator: Indicator) -> None:
    """A derived indicator may tighten its parent's target, never loosen it."""
    parent = indicator.parent
    if parent is None or parent.comparator != indicator.comparator:
        return
    looser = (
        indicator.comparator in (Comparator.GTE, Comparator.GT) and indicator.target < parent.target
    ) or (indicator.comparator in (Comparator.LTE, Comparator.LT) and indicator.target > parent.target)
    if looser:
        raise DomainError(
            _("Chỉ tiêu của đơn vị không được thấp hơn chỉ tiêu cấp trên (%(t)s).")
            % {"t": f"{parent.get_comparator_display()} {parent.target.normalize():f}"},
            field="target",
        )


@transaction.atomic
def indicator_remove(*, actor, indicator: Indicator) -> None:
    _require(actor, Perm.MANAGE_PLANS, indicator.plan.issuer)
    before = audit.snapshot(indicator)
    audit.record(actor=actor, obj=indicator, event="indicator.removed", action="delete", before=before)
    indicator.delete()


@transaction.atomic
def indicator_entry_set(
    *,
    actor,
    indicator: Indicator,
    unit: OrgUnit,
    period_key: str,
    value,
    comment: str = "",
    numerator=None,
    denominator=None,
) -> IndicatorEntry:
    """The value of a manual indicator for a unit and period (reform officers of the unit)."""
    _require(actor, Perm.UPDATE_PROGRESS, unit)
    if not indicator.is_manual:
        raise DomainError(_("Chỉ tiêu này được đo tự động, không nhập tay."), code="not_manual")
    value = _decimal(value, "value")
    if value is None:
        raise DomainError(_("Vui lòng nhập giá trị."), field="value", code="required")
    if indicator.unit_of_measure == "%" and not (0 <= value <= 100):
        raise DomainError(_("Tỷ lệ phần trăm phải từ 0 đến 100."), field="value")
    if value < 0:
        raise DomainError(_("Giá trị không được âm."), field="value")
    entry, created = IndicatorEntry.objects.select_for_update().get_or_create(
        indicator=indicator,
        unit=unit,
        period_key=period_key,
        defaults={
            "value": value,
            "comment": comment,
            "entered_by": actor,
            "numerator": _decimal(numerator, "numerator"),
            "denominator": _decimal(denominator, "denominator"),
        },
    )
    if created:
        audit.record(actor=actor, obj=entry, event="indicator_entry.created")
        return entry
    before = audit.snapshot(entry)
    entry.value, entry.comment, entry.entered_by = value, comment, actor
    entry.numerator = _decimal(numerator, "numerator")
    entry.denominator = _decimal(denominator, "denominator")
    entry.save()
    audit.record(actor=actor, obj=entry, event="indicator_entry.updated", before=before)
    return entry


# --- tasks ---------------------------------------------------------------------------


def _apply_timeframe(task: Task, plan: Plan) -> None:
    from .timeframes import interpret_timeframe

    timeframe = interpret_timeframe(
        task.timeframe_text,
        plan_year=plan.period_start.year,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
    )
    task.timeframe_kind = timeframe.kind
    task.due_date = timeframe.due_date
    task.due_dates = [d.isoformat() for d in (timeframe.due_dates or [])]
    task.condition = (timeframe.condition or "")[:300]
    if task.timeframe_kind == TimeframeKind.CONDITIONAL and task.condition_met_on:
        task.due_date = task.due_date  # set by task_record_event


def _resolve_units(text: str, issuer: OrgUnit) -> list[OrgUnit]:
    if not text.strip():
        return []
    from .unit_refs import resolve_unit_reference

    return list(resolve_unit_reference(text, context=issuer).units)


TASK_FIELDS = (
    "content",
    "deliverable",
    "timeframe_text",
    "lead_unit",
    "lead_text",
    "coordinating_text",
    "note",
    "group",
    "area",
    "number",
)


@transaction.atomic
def task_add(
    *,
    actor,
    plan: Plan,
    content: str,
    deliverable: str = "",
    timeframe_text: str = "",
    lead_unit: OrgUnit | None = None,
    lead_text: str = "",
    coordinating_units: Iterable[OrgUnit] | None = None,
    coordinating_text: str = "",
    note: str = "",
    group: str = "",
    area: ReformArea | None = None,
    number: str = "",
    parent: Task | None = None,
) -> Task:
    """A task of `plan`; its timeframe is interpreted and unit references resolved."""
    _require(actor, Perm.MANAGE_PLANS, plan.issuer)
    if not content or not content.strip():
        raise DomainError(_("Vui lòng nhập nội dung nhiệm vụ."), field="content", code="required")
    if lead_unit is None and lead_text:
        matches = _resolve_units(lead_text, plan.issuer)
        lead_unit = matches[0] if len(matches) == 1 else None
    if lead_unit is None:
        lead_unit = plan.issuer
    task = Task(
        plan=plan,
        root_plan_id=plan.root_id or plan.pk,
        issuer_path=plan.issuer.path,
        parent=parent,
        area=area,
        group=group.strip()[:300],
        number=number.strip()[:10],
        content=" ".join(content.split()),
        deliverable=deliverable.strip()[:500],
        timeframe_text=" ".join(timeframe_text.split())[:200],
        lead_unit=lead_unit,
        lead_text=lead_text.strip()[:300],
        coordinating_text=coordinating_text.strip()[:500],
        note=note.strip()[:500],
        order=plan.tasks.count() + 1,
    )
    _apply_timeframe(task, plan)
    task.save()
    tallies.record_created([task])
    units = (
        list(coordinating_units)
        if coordinating_units is not None
        else _resolve_units(coordinating_text, plan.issuer)
    )
    if units:
        task.coordinating_units.set(units)
    audit.record(actor=actor, obj=task, event="task.created")
    return task


def _field_value(task: Task, name: str):
    """A field as compared in conflicts: foreign keys by id."""
    if name in {"lead_unit", "area"}:
        return getattr(task, f"{name}_id")
    return getattr(task, name)


@transaction.atomic
def task_update(*, actor, task: Task, expected_version: int, **changes) -> Task:
    """Edit a task. If it changed since `expected_version`, refuse with the difference."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    current = Task.objects.select_for_update().select_related("plan__issuer").get(pk=task.pk)
    _require(actor, Perm.MANAGE_PLANS, current.plan.issuer)
    if current.version != expected_version:
        # What this user typed against what is saved now, field by field.
        changed = {
            name: (value.pk if hasattr(value, "pk") else value, _field_value(current, name))
            for name, value in changes.items()
            if (value.pk if hasattr(value, "pk") else value) != _field_value(current, name)
        }
        raise EditConflict(current, changed)
    before = audit.snapshot(current)
    tally_before = tallies.key_of(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if not current.content:
        raise DomainError(_("Vui lòng nhập nội dung nhiệm vụ."), field="content", code="required")
    if "timeframe_text" in changes:
        _apply_timeframe(current, current.plan)
    if "coordinating_text" in changes:
        current.coordinating_units.set(_resolve_units(current.coordinating_text, current.plan.issuer))
    current.version += 1
    current.save()
    tallies.record(before=[tally_before], after=[tallies.key_of(current)])
    audit.record(actor=actor, obj=current, event="task.updated", before=before)
    return current


@transaction.atomic
def task_record_event(*, actor, task: Task, happened_on: dt.date, due_date: dt.date) -> Task:
    """A conditional task's event happened ("Sau khi có Quyết định UBND tỉnh"): it gets a date."""
    task = Task.objects.select_for_update().select_related("plan__issuer").get(pk=task.pk)
    _require(actor, Perm.MANAGE_PLANS, task.plan.issuer)
    if task.timeframe_kind != TimeframeKind.CONDITIONAL:
        raise DomainError(_("Nhiệm vụ này không phụ thuộc sự kiện."))
    if due_date < happened_on:
        raise DomainError(_("Hạn hoàn thành phải sau ngày có sự kiện."), field="due_date")
    before = audit.snapshot(task)
    tally_before = tallies.key_of(task)
    task.condition_met_on, task.due_date = happened_on, due_date
    task.version += 1
    task.save(update_fields=["condition_met_on", "due_date", "version", "updated_at"])
    tallies.record(before=[tally_before], after=[tallies.key_of(task)])
    audit.record(actor=actor, obj=task, event="task.event_recorded", before=before)
    return task


@transaction.atomic
def task_remove(*, actor, task: Task) -> None:
    _require(actor, Perm.MANAGE_PLANS, task.plan.issuer)
    before = audit.snapshot(task)
    audit.record(actor=actor, obj=task, event="task.removed", action="delete", before=before)
    tallies.record(before=[tallies.key_of(task)])
    task.delete()


# --- progress ------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    actor,
    task: Task,
    status: str,
    percent: int,
    comment: str = "",
    unit: OrgUnit | None = None,
    files: Iterable = (),
    reported_on: dt.date | None = None,
) -> ProgressUpdate:
    """Record progress on a task, with evidence files already checked by `check_upload`.

    The lead unit's update sets the task's status and percent; a coordinating unit's
    update is kept as its contribution and leaves the task's figures alone.
    """
    # Lock the task only: PostgreSQL cannot lock the nullable side of the lead unit join.
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "lead_unit").get(pk=task.pk)
    unit = unit or task.lead_unit
    is_lead = unit.pk == task.lead_unit_id
    if not is_lead and not task.coordinating_units.filter(pk=unit.pk).exists():
        raise DomainError(_("Đơn vị không chủ trì hay phối hợp nhiệm vụ này."), code="forbidden")
    _require(actor, Perm.UPDATE_PROGRESS, unit)
    if status not in TaskStatus.values:
        raise DomainError(_("Trạng thái không hợp lệ."), field="status")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise DomainError(_("Tiến độ phải là số từ 0 đến 100."), field="percent") from None
    if not 0 <= percent <= 100:
        raise DomainError(_("Tiến độ phải là số từ 0 đến 100."), field="percent")
    if status == TaskStatus.DONE:
        percent = 100
    elif percent == 100 and status == TaskStatus.IN_PROGRESS:
        status = TaskStatus.DONE
    if task.plan.status == PlanStatus.CLOSED:
        raise DomainError(_("Kế hoạch đã tổng kết, không cập nhật tiến độ được nữa."))
    today = reported_on or timezone.localdate()
    update = ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_contribution=not is_lead,
        status=status,
        percent=percent,
        comment=comment.strip(),
        reported_on=today,
    )
    for upload in files:
        Evidence.objects.create(
            update=update,
            file=upload.file,
            original_name=upload.original_name[:255],
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
    if is_lead:
        before = audit.snapshot(task, ["status", "percent", "completed_on"])
        tally_before = tallies.key_of(task)
        task.status, task.percent = status, percent
        task.completed_on = today if status == TaskStatus.DONE else None
        Task.objects.filter(pk=task.pk).update(
            status=status,
            percent=percent,
            completed_on=task.completed_on,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        tallies.record(before=[tally_before], after=[tallies.key_of(task)])
        audit.record(
            actor=actor,
            obj=task,
            event="task.progress",
            before=before,
            after=audit.snapshot(task, ["status", "percent", "completed_on"]),
        )
    audit.record(actor=actor, obj=update, event="progress.recorded")
    return update
