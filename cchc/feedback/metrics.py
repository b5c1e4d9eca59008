"""Metrics published by the feedback module, registered at start-up (FeedbackConfig.ready).

Every metric counts the feedback of the unit's subtree as it stood during the period
(`cchc.metrics.subtree.subtree_during`: the copied `unit_path` corrected by the
placements of units restructuring moved — the same rule as the one-stop desk's
metrics), on the days of the period the unit existed; one aggregate query per value.
A feedback counts under the unit responsible for it now: routed or escalated feedback
counts for the unit that took it over (a parent's subtree still holds it). The
definitions, each numerator over its denominator:

- `feedback.received` — feedback received in the period (all kinds, rejected included).
- `feedback.answered_rate` — of the feedback received in the period and not rejected,
  those answered (so far: a past period's value rises when its late feedback is
  answered). Rejected messages — complaints and denunciations, which Decree 20/2008
  art. 1 leaves to their own laws, and messages that do not meet the requirements — are
  not feedback to answer and are left out of both terms.
- `feedback.answered_on_time_rate` — answered on or before the due date / answered in
  the period.
- `feedback.average_answer_days` — working days from receipt to answer of the feedback
  answered in the period (`working_days_between`: the day of receipt excluded, the day of
  the answer included), lower is better. The database groups the answered feedback by
  (date of receipt, date of answer) and counts them; the calendar turns each pair into
  working days.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.metrics.registry import Metric, MetricKind, register
from cchc.metrics.subtree import Ratio, average_metric, count_of, ratio_metric, share_of

from .models import Feedback, FeedbackStatus


def _received(low, high) -> Q:
    return Q(received_at__gte=low, received_at__lt=high)


def _answered(low, high) -> Q:
    return Q(answered_at__gte=low, answered_at__lt=high)


RATIOS: dict[str, Ratio] = {
    "received": count_of(_received),
    "answered_rate": share_of(
        lambda low, high: _received(low, high) & ~Q(status=FeedbackStatus.REJECTED),
        lambda low, high: Q(answered_at__isnull=False),
    ),
    "answered_on_time_rate": share_of(_answered, lambda low, high: Q(answered_on_time=True)),
}


def _feedback():
    return Feedback.objects.all()


def _metric(name: str, **fields) -> Metric:
    return ratio_metric(f"feedback.{name}", _feedback, RATIOS[name], **fields)


METRICS = [
    _metric(
        "received",
        label=_("Số phản ánh, kiến nghị tiếp nhận"),
        unit="phản ánh",
        kind=MetricKind.COUNT,
        description=_("Số phản ánh, kiến nghị của cá nhân, tổ chức tiếp nhận trong kỳ."),
    ),
    _metric(
        "answered_rate",
        label=_("Tỷ lệ phản ánh, kiến nghị được trả lời"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_(
            "Số phản ánh, kiến nghị tiếp nhận trong kỳ đã được trả lời trên số phản ánh, kiến nghị "
            "tiếp nhận trong kỳ (không tính các trường hợp không tiếp nhận xử lý)."
        ),
    ),
    _metric(
        "answered_on_time_rate",
        label=_("Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_("Số phản ánh, kiến nghị trả lời đúng hạn trên số đã trả lời trong kỳ."),
    ),
    average_metric(
        "feedback.average_answer_days",
        _feedback,
        rows=_answered,
        start="received_at",
        end="answered_at",
        label=_("Thời gian trả lời bình quân một phản ánh, kiến nghị"),
        unit="ngày",
        description=_(
            "Số ngày làm việc bình quân từ khi tiếp nhận đến khi trả lời của các phản ánh, kiến nghị "
            "trả lời trong kỳ (không tính ngày tiếp nhận, ngày nghỉ, ngày lễ)."
        ),
    ),
]

for _each in METRICS:
    register(_each)
