"""Template helpers for plans: numbers and targets as officers write them, status colours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from cchc.core.text import fold
from cchc.plans.models import Comparator, PlanStatus, TaskStatus, TimeframeKind

register = template.Library()

PLAN_STATUS_CLASSES = {
    PlanStatus.DRAFT: "badge--warning",
    PlanStatus.ISSUED: "badge--success",
    PlanStatus.MID_TERM_REVIEW: "badge--info",
    PlanStatus.CLOSED: "badge--neutral",
}
TASK_STATUS_CLASSES = {
    TaskStatus.NOT_STARTED: "badge--neutral",
    TaskStatus.IN_PROGRESS: "badge--info",
    TaskStatus.DONE: "badge--success",
    TaskStatus.CANCELLED: "badge--neutral",
}
# Computed indicator statuses (selectors.indicator_status) → the shared status colours.
INDICATOR_STATUS_CLASSES = {
    "achieved": "status--ok",
    "on_track": "status--ok",
    "at_risk": "status--warn",
    "missed": "status--bad",
    "no_data": "badge--neutral",
}


@register.filter
def plan_status_class(status) -> str:
    return PLAN_STATUS_CLASSES.get(status, "badge--neutral")


@register.filter
def task_status_class(status) -> str:
    return TASK_STATUS_CLASSES.get(status, "badge--neutral")


@register.filter
def indicator_status_class(status) -> str:
    return INDICATOR_STATUS_CLASSES.get(status, "badge--neutral")


@register.filter
def number_vn(value) -> str:
    """98.50 → "98,5"; 100 → "100"; 1234567 → "1.234.567"; None → "—"."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    number = (
        number.quantize(Decimal("0.01")).normalize()
        if number != number.to_integral()
        else number.to_integral()
    )
    whole, _dot, fraction = f"{number:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sign + ".".join(groups or ["0"])
    return f"{text},{fraction}" if fraction else text


@register.filter
def with_unit(value, unit_of_measure: str) -> str:
    """A value with its unit: "98,5 %", "12 văn bản", "—"."""
    if value is None:
        return "—"
    return f"{number_vn(value)} {unit_of_measure}".strip()


@register.filter
def target(indicator) -> str:
    """The target as the plan states it: "≥ 98 %"."""
    sign = Comparator(indicator.comparator).label
    return f"{sign} {with_unit(indicator.target, indicator.unit_of_measure)}"


@register.filter
def document_date(plan) -> str:
    """ "Hưng Yên, ngày 10 tháng 01 năm 2026" — as the plan's header reads; blanks as dots."""
    day = plan.issued_on
    if day is None:
        text = _("ngày … tháng … năm %(year)d") % {"year": plan.period_start.year}
    else:
        text = _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": day.day, "m": day.month, "y": day.year}
    return f"{plan.place}, {text}" if plan.place else text[:1].upper() + text[1:]


@register.filter
def implements_sentence(text: str) -> str:
    """ "Thực hiện Kế hoạch số …" as the plan's opening sentence, whether or not the text
    already starts with "Thực hiện" / "Căn cứ"."""
    text = (text or "").strip().rstrip(".")
    if fold(text).startswith(("thuc hien", "can cu")):
        return f"{text}."
    return _("Thực hiện %(text)s.") % {"text": text}


@register.filter
def due_display(task) -> str:
    """The interpreted deadline of a task, under its timeframe as written."""
    kind = task.timeframe_kind
    if kind == TimeframeKind.ONGOING:
        return _("Thường xuyên, không có hạn")
    if kind == TimeframeKind.CONDITIONAL and task.due_date is None:
        return _("Chờ sự kiện để tính hạn")
    if kind == TimeframeKind.RECURRING and task.due_dates:
        days = [dt.date.fromisoformat(d) for d in task.due_dates]
        shown = ", ".join(d.strftime("%d/%m") for d in days[:6])
        if len(days) > 6:
            shown += ", …"
        return _("Định kỳ: %(days)s/%(year)d") % {"days": shown, "year": days[-1].year}
    if task.due_date:
        return _("Hạn: %(day)s") % {"day": task.due_date.strftime("%d/%m/%Y")}
    return _("Chưa xác định hạn")


@register.filter
def percent_int(value) -> int:
    try:
        return round(float(value or 0))
    except (TypeError, ValueError):
        return 0
