"""The feedback's hooks into the unit tree's restructuring services."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Max, Value
from django.db.models.functions import Concat, Substr

from cchc.orgs.services import register_open_work_mover, register_path_listener
from cchc.workdays.calendar import VN_TZ

from .models import EventKind, Feedback, FeedbackEvent, FeedbackStatus


@register_path_listener
def rewrite_feedback_paths(old_prefix: str, new_prefix: str) -> None:
    """A subtree moved: the copied unit paths of its feedback follow it (one UPDATE)."""
    Feedback.objects.filter(unit_path__startswith=old_prefix).update(
        unit_path=Concat(
            Value(new_prefix, output_field=CharField()),
            Substr("unit_path", len(old_prefix) + 1),
            output_field=CharField(),
        )
    )


@register_open_work_mover
def move_open_feedback(*, actor, predecessor, successor, effective_on) -> None:
    """A closing unit's open feedback goes to its successor, which answers it from then
    on (back to "received" for the successor to assign; the deadline does not move)."""
    ids = list(Feedback.objects.filter(unit=predecessor, closed_at__isnull=True).values_list("id", flat=True))
    if not ids:
        return
    Feedback.objects.filter(id__in=ids).update(
        unit=successor, unit_path=successor.path, status=FeedbackStatus.RECEIVED, officer=None
    )
    start = dt.datetime.combine(effective_on, dt.time.min, tzinfo=VN_TZ)
    last = dict(
        FeedbackEvent.objects.filter(feedback_id__in=ids)
        .values("feedback_id")
        .annotate(m=Max("at"))
        .values_list("feedback_id", "m")
    )
    FeedbackEvent.objects.bulk_create(
        FeedbackEvent(
            feedback_id=pk,
            kind=EventKind.HANDED_OVER,
            at=max(last.get(pk) or start, start),
            unit=successor,
            note=f"Chuyển sang {successor.name} do sắp xếp đơn vị"[:500],
            data={"restructuring": True, "from_unit": predecessor.pk},
        )
        for pk in ids
    )
