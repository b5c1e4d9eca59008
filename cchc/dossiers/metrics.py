"""Metrics published by the one-stop desk, registered at start-up (DossiersConfig.ready).

Every metric counts the dossiers of the unit's subtree as it stood during the period
(`statistics.subtree_during`: the dossiers' copied paths corrected by the placements of
units restructuring moved), on the days of the period the unit existed; one aggregate
query per value (`compute`), one per table of units (`compute_many`). The definitions
decided here, each numerator over its denominator:

- `dossiers.received` — dossiers received in the period (any channel).
- `dossiers.on_time_rate` — resolved early or on time / resolved in the period
  (refused and withdrawn dossiers have no result to be on time with: not counted).
- `dossiers.online_rate` — received online / received in the period.
- `dossiers.postal_rate` — the plans ask for both "tiếp nhận hồ sơ, trả kết quả qua
  dịch vụ bưu chính công ích", so this counts transactions at both ends of the desk:
  (dossiers received by post in the period + results returned by post in the period) /
  (dossiers received in the period + results returned in the period). A dossier
  received and returned by post in the same period counts twice, in both terms.
- `dossiers.digitization_rate` — resolved with a digitized result / resolved in the
  period.
- `dossiers.apology_rate` — "100% hồ sơ giải quyết trễ hẹn phải có thư xin lỗi": the
  late dossiers of the period are those resolved late in it plus those still open and
  overdue at its end (as in the statistics table); of them, those with an apology
  letter sent before the period ended. A later letter does not count for a past period.
- `dossiers.average_processing_days` — average working days from receipt to result of
  the dossiers resolved in the period, lower is better. Working days as the desk counts
  them (`workdays.calendar.working_days_between`: the day of receipt excluded, the day
  of the result included, weekends, public holidays and announced swaps excluded),
  waiting for a supplement included. The database groups the resolved dossiers by
  (date of receipt, date of result) and counts them — a few thousand pairs at most,
  whatever the number of dossiers — and the calendar turns each pair into working days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period
from cchc.metrics.registry import Metric, MetricKind, Pair, register
from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ, working_days_between

from .models import ApologyLetter, Channel, Dossier, DossierStatus, Outcome, ReturnMethod
from .statistics import Subtree, active_in, period_bounds, subtree_during

Bounds = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Ratio:
    """How a metric reads the dossiers in [low, high): the rows to scan, the counts to
    take, and how they make (numerator, denominator)."""

    rows: Callable[[dt.datetime, dt.datetime], Q]
    counts: Callable[[dt.datetime, dt.datetime], dict[str, Count]]
    pair: Callable[[dict], Pair]


def _received(low, high) -> Q:
    return Q(received_at__gte=low, received_at__lt=high)


def _resolved(low, high) -> Q:
    return Q(resolved_at__gte=low, resolved_at__lt=high)


def _returned(low, high) -> Q:
    return Q(returned_at__gte=low, returned_at__lt=high)


def _late(low, high) -> Q:
    resolved_late = _resolved(low, high) & Q(outcome=Outcome.LATE)
    open_at_end = Q(received_at__lt=high) & (Q(closed_at__isnull=True) | Q(closed_at__gte=high))
    overdue = open_at_end & Q(due_at__lt=high) & ~Q(status=DossierStatus.SUPPLEMENT)
    return resolved_late | overdue


def _apologised(high) -> Exists:
    return Exists(
        ApologyLetter.objects.filter(dossier=OuterRef("pk"), sent_at__isnull=False, sent_at__lt=high)
    )


RATIOS: dict[str, Ratio] = {
    "received": Ratio(
        rows=_received,
        counts=lambda low, high: {"n": Count("pk")},
        pair=lambda r: (r["n"], None),
    ),
    "on_time_rate": Ratio(
        rows=_resolved,
        counts=lambda low, high: {
            "n": Count("pk", filter=Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])),
            "d": Count("pk"),
        },
        pair=lambda r: (r["n"], r["d"]),
    ),
    "online_rate": Ratio(
        rows=_received,
        counts=lambda low, high: {"n": Count("pk", filter=Q(channel=Channel.ONLINE)), "d": Count("pk")},
        pair=lambda r: (r["n"], r["d"]),
    ),
    "postal_rate": Ratio(
        rows=lambda low, high: _received(low, high) | _returned(low, high),
        counts=lambda low, high: {
            "rp": Count("pk", filter=_received(low, high) & Q(channel=Channel.POST)),
            "r": Count("pk", filter=_received(low, high)),
            "tp": Count("pk", filter=_returned(low, high) & Q(return_method=ReturnMethod.POST)),
            "t": Count("pk", filter=_returned(low, high)),
        },
        pair=lambda r: ((r["rp"] or 0) + (r["tp"] or 0), (r["r"] or 0) + (r["t"] or 0)),
    ),
    "digitization_rate": Ratio(
        rows=_resolved,
        counts=lambda low, high: {"n": Count("pk", filter=Q(result_digitized=True)), "d": Count("pk")},
        pair=lambda r: (r["n"], r["d"]),
    ),
    "apology_rate": Ratio(
        rows=lambda low, high: active_in(low, high) & _late(low, high),
        counts=lambda low, high: {"n": Count("pk", filter=Q(_apologised(high))), "d": Count("pk")},
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
    row = subtree.dossiers().filter(ratio.rows(low, high)).aggregate(**ratio.counts(low, high))
    return ratio.pair({k: v or 0 for k, v in row.items()})


def _by_window(units: list[OrgUnit], period: Period) -> dict[Bounds, list[Subtree]]:
    """The units' subtrees, grouped by the days they existed in the period (usually all
    the same window, so one query serves the whole table)."""
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
    sums: dict[int, dict[str, int]] = {}
    for (low, high), subtrees in _by_window(units, period).items():
        counts = ratio.counts(low, high)
        rows = (
            Dossier.objects.filter(_either(subtrees))
            .filter(ratio.rows(low, high))
            .order_by()
            .values("unit_id", "unit_path")
            .annotate(**counts)
        )
        for row in rows:
            for subtree in subtrees:
                if subtree.contains(row["unit_id"], row["unit_path"]):
                    total = sums.setdefault(subtree.unit.pk, dict.fromkeys(counts, 0))
                    for key in counts:
                        total[key] += row[key] or 0
    return {unit.pk: ratio.pair(sums[unit.pk]) if unit.pk in sums else _empty(name) for unit in units}


# --- average processing time -----------------------------------------------------------


@lru_cache(maxsize=65536)
def _working_days(received: dt.date, resolved: dt.date) -> int:
    return max(0, working_days_between(received, resolved))


def _day_pairs(queryset):
    return queryset.annotate(
        received_day=TruncDate("received_at", tzinfo=VN_TZ),
        resolved_day=TruncDate("resolved_at", tzinfo=VN_TZ),
    )


def average_processing_days(unit: OrgUnit, period: Period) -> Pair:
    """(working days from receipt to result, summed; dossiers resolved in the period)."""
    subtree = subtree_during(unit, period.start, period.end)
    if subtree is None:
        return (0, 0)
    low, high = period_bounds(subtree.start, subtree.end)
    rows = (
        _day_pairs(subtree.dossiers().filter(_resolved(low, high)))
        .order_by()
        .values("received_day", "resolved_day")
        .annotate(n=Count("pk"))
    )
    days = resolved = 0
    for row in rows:
        days += row["n"] * _working_days(row["received_day"], row["resolved_day"])
        resolved += row["n"]
    return days, resolved


def average_processing_days_many(units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    sums: dict[int, list[int]] = {}
    for (low, high), subtrees in _by_window(units, period).items():
        rows = (
            _day_pairs(Dossier.objects.filter(_either(subtrees)).filter(_resolved(low, high)))
            .order_by()
            .values("unit_id", "unit_path", "received_day", "resolved_day")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            days = row["n"] * _working_days(row["received_day"], row["resolved_day"])
            for subtree in subtrees:
                if subtree.contains(row["unit_id"], row["unit_path"]):
                    total = sums.setdefault(subtree.unit.pk, [0, 0])
                    total[0] += days
                    total[1] += row["n"]
    return {unit.pk: tuple(sums.get(unit.pk, (0, 0))) for unit in units}


# --- registration ------------------------------------------------------------------------


def _metric(name: str, **fields) -> Metric:
    return Metric(
        key=f"dossiers.{name}",
        compute=lambda unit, period: _compute(name, unit, period),
        compute_many=lambda units, period: _compute_many(name, units, period),
        **fields,
    )


METRICS = [
    _metric(
        "received",
        label=_("Số hồ sơ TTHC tiếp nhận"),
        unit="hồ sơ",
        kind=MetricKind.COUNT,
        description=_("Số hồ sơ thủ tục hành chính tiếp nhận trong kỳ (trực tiếp, trực tuyến, bưu chính)."),
    ),
    _metric(
        "on_time_rate",
        label=_("Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_("Số hồ sơ giải quyết trước hạn và đúng hạn trên số hồ sơ đã giải quyết trong kỳ."),
    ),
    _metric(
        "online_rate",
        label=_("Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_("Số hồ sơ nộp trực tuyến trên số hồ sơ tiếp nhận trong kỳ."),
    ),
    _metric(
        "postal_rate",
        label=_("Tỷ lệ tiếp nhận hồ sơ, trả kết quả qua dịch vụ bưu chính công ích"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_(
            "Số lượt tiếp nhận hồ sơ và trả kết quả qua bưu chính trên tổng số lượt tiếp nhận hồ sơ "
            "và trả kết quả trong kỳ."
        ),
    ),
    _metric(
        "digitization_rate",
        label=_("Tỷ lệ số hóa kết quả giải quyết TTHC"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_("Số hồ sơ có kết quả giải quyết được số hóa trên số hồ sơ đã giải quyết trong kỳ."),
    ),
    _metric(
        "apology_rate",
        label=_("Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi"),
        unit="%",
        kind=MetricKind.RATIO,
        description=_(
            "Số hồ sơ trễ hạn (giải quyết quá hạn trong kỳ hoặc đang quá hạn cuối kỳ) đã gửi văn bản "
            "xin lỗi trước khi hết kỳ, trên tổng số hồ sơ trễ hạn đó."
        ),
    ),
    Metric(
        key="dossiers.average_processing_days",
        label=_("Thời gian giải quyết bình quân một hồ sơ TTHC"),
        unit="ngày",
        kind=MetricKind.AVERAGE,
        compute=average_processing_days,
        compute_many=average_processing_days_many,
        description=_(
            "Số ngày làm việc bình quân từ khi tiếp nhận đến khi có kết quả của các hồ sơ giải quyết "
            "trong kỳ (không tính ngày tiếp nhận, ngày nghỉ, ngày lễ)."
        ),
        higher_is_better=False,
    ),
]

for _each in METRICS:
    register(_each)
