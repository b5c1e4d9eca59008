"""The metric registry: every operational app publishes its measures here.

A metric turns (unit, period) into a numerator and a denominator, computed on demand in
the database: a value always reflects every committed change (no nightly rebuild, no
cache). Each app registers its metrics at start-up, from its `AppConfig.ready()`:

    # cchc/dossiers/metrics.py
    register(Metric(
        key="dossiers.on_time_rate",
        label=_("Tỷ lệ hồ sơ giải quyết đúng hạn"),
        unit="%",
        kind=MetricKind.RATIO,
        compute=on_time_rate,          # (unit, period) -> (resolved on time, resolved)
    ))

Conventions for `compute(unit, period) -> (numerator, denominator)`:

- `unit` stands for its whole subtree as it stood during the period (roll-up by
  construction): count the records of the subtree with
  `cchc.orgs.selectors.records_in_subtree` (flows) or the units placed under it on
  `as_of(unit, period)` (stocks). Because every unit's value comes from its own summed
  numerator and denominator, a parent's rate is Σ numerators / Σ denominators of its
  subtree, never an average of its children's percentages.
- The registry only calls `compute` for a unit that existed on at least one day of the
  period (`active_window`); a unit opened or closed mid-period is measured on the days it
  existed (flows: `active_window`; stocks: `as_of`, its last day within the period).
- Aggregate in the database: one query per value, none in a loop over records.
- `count`: value = numerator, the denominator is None. `ratio`: value = 100·num/den.
  `average`: value = num/den. Both are None when the denominator is 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Union

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError

from .periods import Period, parse_period

if TYPE_CHECKING:
    from cchc.orgs.models import OrgUnit

Number = Union[int, float, Decimal]  # noqa: UP007  (also used at runtime in annotations)
Pair = tuple[Number | None, Number | None]
Compute = Callable[["OrgUnit", Period], Pair]
ComputeMany = Callable[[list["OrgUnit"], Period], dict[int, Pair]]

_KEY = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*")

UNAVAILABLE_REASON = _("đơn vị chưa thành lập / đã giải thể trong kỳ")


class MetricKind(models.TextChoices):
    COUNT = "count", _("Số lượng")
    RATIO = "ratio", _("Tỷ lệ")
    AVERAGE = "average", _("Bình quân")


class DuplicateMetric(ImproperlyConfigured):
    """Two apps (or one app twice) registered the same key."""


@dataclass(frozen=True)
class Metric:
    key: str  # "<app label>.<name>", e.g. "orgs.schools_open"
    label: str  # Vietnamese, lazily translatable: "Số trường học"
    unit: str  # what the value counts: "%", "đơn vị", "ngày", "hồ sơ", "trường"
    kind: str  # MetricKind
    compute: Compute
    description: str = ""
    higher_is_better: bool = True
    # Optional bulk form of `compute` for roll-up tables: one query for many units.
    compute_many: ComputeMany | None = None

    def __post_init__(self) -> None:
        if not _KEY.fullmatch(self.key):
            raise ImproperlyConfigured(
                f"Metric key {self.key!r} must look like '<app>.<name>' (lower case)."
            )
        if self.kind not in MetricKind.values:
            raise ImproperlyConfigured(f"Metric {self.key}: unknown kind {self.kind!r}.")

    def value_of(self, numerator: Number | None, denominator: Number | None) -> Number | None:
        """The value shown for a numerator and denominator, by the metric's kind."""
        if numerator is None:
            return None
        if self.kind == MetricKind.COUNT:
            return numerator
        if not denominator:
            return None
        if self.kind == MetricKind.RATIO:
            return 100 * numerator / denominator
        return numerator / denominator


@dataclass(frozen=True)
class MetricValue:
    key: str
    unit_id: int
    period_key: str
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    available: bool = True
    reason: str = ""  # why not available, for the user

    @property
    def period(self) -> Period:
        return Period.from_key(self.period_key)

    @property
    def metric(self) -> Metric:
        return get(self.key)

    def display(self, digits: int = 1) -> str:
        """The value as Vietnamese readers write it: "98,5 %", "12", "—"."""
        return format_value(self.value, get(self.key).unit, digits=digits)


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Publish `metric`; a second metric with the same key is a configuration error."""
    if metric.key in _REGISTRY:
        raise DuplicateMetric(f"Metric {metric.key!r} is already registered.")
    _REGISTRY[metric.key] = metric
    return metric


def unregister(key: str) -> None:
    """Remove a metric (tests; an app never needs it at run time)."""
    _REGISTRY.pop(key, None)


@contextmanager
def registered(metric: Metric) -> Iterator[Metric]:
    """Register `metric` for the duration of a `with` block (tests)."""
    register(metric)
    try:
        yield metric
    finally:
        unregister(metric.key)


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise DomainError(
            gettext("Không có chỉ số đo lường “%(key)s”.") % {"key": key},
            code="unknown_metric",
            field="metric",
        ) from None


def all_metrics() -> list[Metric]:
    """Every registered metric, ordered by key (so by app)."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


# --- when a unit counts in a period -------------------------------------------------


def active_window(unit: OrgUnit, period: Period) -> tuple[dt.date, dt.date] | None:
    """The days of `period` on which `unit` existed, as [first, last]; None if none."""
    first = max(period.start, unit.opened_on) if unit.opened_on else period.start
    last = min(period.end, unit.closed_on) if unit.closed_on else period.end
    return (first, last) if first <= last else None


def as_of(unit: OrgUnit, period: Period) -> dt.date | None:
    """The day a stock metric reads for `unit`: the last day of the period it existed."""
    window = active_window(unit, period)
    return window[1] if window else None


# --- values -------------------------------------------------------------------------


def _as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def _unavailable(metric: Metric, unit: OrgUnit, period: Period) -> MetricValue:
    return MetricValue(
        key=metric.key,
        unit_id=unit.pk,
        period_key=period.key,
        value=None,
        numerator=None,
        denominator=None,
        available=False,
        reason=str(UNAVAILABLE_REASON),
    )


def _value(metric: Metric, unit: OrgUnit, period: Period, pair: Pair) -> MetricValue:
    numerator, denominator = pair
    if metric.kind == MetricKind.COUNT:
        denominator = None
    return MetricValue(
        key=metric.key,
        unit_id=unit.pk,
        period_key=period.key,
        value=metric.value_of(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
    )


def value_for(key: str, unit: OrgUnit, period: Period | str) -> MetricValue:
    """The value of metric `key` for `unit`'s subtree in `period`, computed now.

    `period` is a `Period`, a key ("2025-Q1") or a Vietnamese name ("Quý I/2025").
    A unit that did not exist on any day of the period gets an unavailable value.
    """
    metric = get(key)
    period = _as_period(period)
    if active_window(unit, period) is None:
        return _unavailable(metric, unit, period)
    return _value(metric, unit, period, metric.compute(unit, period))


def children_during(unit: OrgUnit, period: Period):
    """The units placed directly under `unit` on some day of the period it existed.

    Read from the placements, so a district office closed on 30/06/2025 is a child of
    the department for the first half of 2025 and the year 2025, not for Quý III/2025.
    """
    from cchc.orgs.models import OrgUnit, UnitPlacement

    window = active_window(unit, period)
    if window is None:
        return OrgUnit.objects.none()
    placed = UnitPlacement.objects.filter(
        unit=OuterRef("pk"), parent=unit, valid_from__lte=window[1], valid_to__gte=window[0]
    )
    return OrgUnit.objects.filter(Exists(placed)).order_by("path")


def values_for_children(
    key: str, unit: OrgUnit, period: Period | str
) -> list[tuple[OrgUnit, MetricValue]]:
    """Each child's value for a roll-up table: the children as they were in the period.

    Calls `compute` once per child (one query each) unless the metric gives
    `compute_many`, which computes all children at once (one query for the table);
    an app whose per-unit query is heavy should provide it. The children's values need
    not add up to the parent's for a stock (a school moved mid-year counts under both
    its old and its new office for the year); the parent's own value is `value_for`.
    """
    metric = get(key)
    period = _as_period(period)
    children = list(children_during(unit, period))
    present = [child for child in children if active_window(child, period) is not None]
    if metric.compute_many is not None:
        pairs = metric.compute_many(present, period) if present else {}
    else:
        pairs = {child.pk: metric.compute(child, period) for child in present}
    return [
        (
            child,
            _value(metric, child, period, pairs.get(child.pk, (None, None)))
            if active_window(child, period) is not None
            else _unavailable(metric, child, period),
        )
        for child in children
    ]


def format_value(value: Number | None, unit: str = "", *, digits: int = 1) -> str:
    """Vietnamese number format: decimal comma, dot for thousands ("1.234,5 %")."""
    if value is None:
        return "—"
    if isinstance(value, int) or (isinstance(value, (float, Decimal)) and value == int(value)):
        text = f"{int(value):,}".replace(",", ".")
    else:
        text = f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} {unit}".strip() if unit == "%" else text
