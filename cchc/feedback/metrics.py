"""Metrics published by the feedback module, registered at start-up (FeedbackConfig.ready).

Every metric counts the feedback of the unit's subtree as it stood during the period
(`cchc.dossiers.statistics.subtree_during`: the copied `unit_path` corrected by the
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

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.statistics import Subtree, period_bounds, subtree_during
from cchc.metrics.periods import Period
from cchc.metrics.registry import Metric, MetricKind, Pair, register
from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ, working_days_between

from .models import Feedback, FeedbackStatus

Bounds = tuple[dt.datetime, dt.datetime]


def _received(low, high) -> Q:
    return Q(received_at__gte=low, received_at__lt=high)


def _answered(low, high) -> Q:
    return Q(answered_at__gte=low, answered_at__lt=high)


@dataclass(frozen=True)
class Ratio:
    """How a metric reads the feedback in [low, high): the rows, the counts, the pair."""

    rows: Callable[[dt.datetime, dt.datetime], Q]
    counts: Callable[[], dict[str, Count]]  # fresh expressions for each query
    pair: Callable[[dict], Pair]


RATIOS: dict[str, Ratio] = {
    "received": Ratio(rows=_received, counts=lambda: {"n": Count("pk")}, pair=lambda r: (r["n"], None)),
    "answered_rate": Ratio(
        rows=lambda low, high: _received(low, high) & ~Q(status=FeedbackStatus.REJECTED),
        counts=lambda: {"n": Count("pk", filter=Q(answered_at__isnull=False)), "d": Count("pk")},
        pair=lambda r: (r["n"], r["d"]),
    ),
    "answered_on_time_rate": Ratio(
        rows=_answered,
        counts=lambda: {"n": Count("pk", filter=Q(answered_on_time=True)), "d": Count("pk")},
        pair=lambda r: (r["n"], r["d"]),
    ),
}


def _empty(name: str) -> Pair:
    return (0, None) if name == "received" else (0, 0)


def _compute(name: str, unit: OrgUnit, period: Period) -> Pair:
    subtree = subtree_during(unit, period.start, period.end)
    if subtree is None:
        return _empty(name)
    ratio = RATIOS[name]
    low, high = period_bounds(subtree.start, subtree.end)
    row = Feedback.objects.filter(subtree.q()).filter(ratio.rows(low, high)).aggregate(**ratio.counts())
    return ratio.pair({k: v or 0 for k, v in row.items()})


def _by_window(units: list[OrgUnit], period: Period) -> dict[Bounds, list[Subtree]]:
    """The units' subtrees grouped by the days they existed in the period (usually one
    window, so one query serves a whole roll-up table)."""
    groups: dict[Bounds, list[Subtree]] = defaultdict(list)
    for unit in units:
        subtree = subtree_during(unit, period.start, period.end)
        if subtree is not None:
            groups[period_bounds(subtree.start, subtree.end)].append(subtree)
    return groups


def _either(subtrees: list[Subtree]) -> Q:
    condition = Q()
    for subtree in subtrees:
        condition |= subtree.q()
    return condition


def _compute_many(name: str, units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    ratio = RATIOS[name]
    keys = list(ratio.counts())
    sums: dict[int, dict[str, int]] = {}
    for (low, high), subtrees in _by_window(units, period).items():
        rows = (
            Feedback.objects.filter(_either(subtrees))
            .filter(ratio.rows(low, high))
            .order_by()
            .values("unit_id", "unit_path")
            .annotate(**ratio.counts())
        )
        for row in rows:
            for subtree in subtrees:
                if subtree.contains(row["unit_id"], row["unit_path"]):
                    total = sums.setdefault(subtree.unit.pk, dict.fromkeys(keys, 0))
                    for key in keys:
                        total[key] += row[key] or 0
    return {unit.pk: ratio.pair(sums[unit.pk]) if unit.pk in sums else _empty(name) for unit in units}


# --- average answer time ---------------------------------------------------------------


@lru_cache(maxsize=65536)
def _working_days(received_day: dt.date, answered_day: dt.date) -> int:
    return max(0, working_days_between(received_day, answered_day))


def _day_pairs(queryset):
    return queryset.annotate(
        received_day=TruncDate("received_at", tzinfo=VN_TZ),
        answered_day=TruncDate("answered_at", tzinfo=VN_TZ),
    )


def average_answer_days(unit: OrgUnit, period: Period) -> Pair:
    """(working days from receipt to answer, summed; feedback answered in the period)."""
    return average_answer_days_many([unit], period)[unit.pk]


def average_answer_days_many(units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    sums: dict[int, list[int]] = {}
    for (low, high), subtrees in _by_window(units, period).items():
        rows = (
            _day_pairs(Feedback.objects.filter(_either(subtrees)).filter(_answered(low, high)))
            .order_by()
            .values("unit_id", "unit_path", "received_day", "answered_day")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            days = row["n"] * _working_days(row["received_day"], row["answered_day"])
            for subtree in subtrees:
                if subtree.contains(row["unit_id"], row["unit_path"]):
                    total = sums.setdefault(subtree.unit.pk, [0, 0])
                    total[0] += days
                    total[1] += row["n"]
    return {unit.pk: tuple(sums.get(unit.pk, (0, 0))) for unit in units}


def _metric(name: str, **fields) -> Metric:
    return Metric(
        key=f"feedback.{name}",
        compute=lambda unit, period: _compute(name, unit, period),
        compute_many=lambda units, period: _compute_many(name, units, period),
        **fields,
    )


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
    Metric(
        key="feedback.average_answer_days",
        label=_("Thời gian trả lời bình quân một phản ánh, kiến nghị"),
        unit="ngày",
        kind=MetricKind.AVERAGE,
        compute=average_answer_days,
        compute_many=average_answer_days_many,
        description=_(
            "Số ngày làm việc bình quân từ khi tiếp nhận đến khi trả lời của các phản ánh, kiến nghị "
            "trả lời trong kỳ (không tính ngày tiếp nhận, ngày nghỉ, ngày lễ)."
        ),
        higher_is_better=False,
    ),
]

for _each in METRICS:
    register(_each)
