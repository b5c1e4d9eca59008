"""Metrics published by the one-stop desk, registered at start-up (DossiersConfig.ready).

Every metric counts the dossiers of the unit's subtree as it stood during the period
(`cchc.metrics.subtree.subtree_during`: the dossiers' copied paths corrected by the
placements of units restructuring moved), on the days of the period the unit existed; one aggregate
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

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cchc.metrics.registry import Metric, MetricKind, register
from cchc.metrics.subtree import Ratio, average_metric, count_of, ratio_metric, share_of

from .models import ApologyLetter, Channel, Dossier, DossierStatus, Outcome, ReturnMethod
from .statistics import active_in


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
    "received": count_of(_received),
    "on_time_rate": share_of(_resolved, lambda low, high: Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])),
    "online_rate": share_of(_received, lambda low, high: Q(channel=Channel.ONLINE)),
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
    "digitization_rate": share_of(_resolved, lambda low, high: Q(result_digitized=True)),
    "apology_rate": share_of(
        lambda low, high: active_in(low, high) & _late(low, high), lambda low, high: Q(_apologised(high))
    ),
}


def _dossiers():
    return Dossier.objects.all()


def _metric(name: str, **fields) -> Metric:
    return ratio_metric(f"dossiers.{name}", _dossiers, RATIOS[name], **fields)


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
    average_metric(
        "dossiers.average_processing_days",
        _dossiers,
        rows=_resolved,
        start="received_at",
        end="resolved_at",
        label=_("Thời gian giải quyết bình quân một hồ sơ TTHC"),
        unit="ngày",
        description=_(
            "Số ngày làm việc bình quân từ khi tiếp nhận đến khi có kết quả của các hồ sơ giải quyết "
            "trong kỳ (không tính ngày tiếp nhận, ngày nghỉ, ngày lễ)."
        ),
    ),
]

for _each in METRICS:
    register(_each)
