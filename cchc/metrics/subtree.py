"""A unit's subtree during a period, read through the paths copied on records.

Every flow an app counts — dossiers, feedback — carries the unit that holds it
(`unit_id`) and a copy of that unit's path (`unit_path`), so that a subtree's records
are one range scan of a path index. Restructuring moves units, and the copies keep the
path of now; `subtree_during` corrects them by the placements:

* a unit placed under the unit during the period that has left it since (a school of a
  district office closed on 30/06/2025, now under a commune office) still counts here,
  by its id (`leavers`);
* a unit now under the unit that stood elsewhere during the period does not
  (`joiners`);
* a unit that moved during the period counts, wholly, under each parent it stood under
  in the period, and within one table under the child it stood under on its last day
  there (`moved`, as `cchc.metrics.registry` does for stocks).

The rest of the module is what the apps' metrics share to turn that into values
(`cchc.metrics.registry`): a `Ratio` says which records of [low, high) to read and
which counts make (numerator, denominator); `ratio_value` computes it for one unit in
one aggregate query, `ratio_values` for a table of units in one grouped query per window
of days (usually one); `average_days` / `average_days_many` sum the working days between
two moments of each record, the database grouping the records by (first day, last day)
and the calendar turning each pair into working days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from cchc.orgs.models import FOREVER, OrgUnit, UnitPlacement
from cchc.orgs.selectors import unit_paths_during
from cchc.workdays.calendar import VN_TZ, working_days_between

from .periods import Period
from .registry import Metric, MetricKind, Pair

Bounds = tuple[dt.datetime, dt.datetime]


def period_bounds(start: dt.date, end: dt.date) -> Bounds:
    """[00:00 of `start`, 00:00 of the day after `end`) on the Vietnamese clock."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=VN_TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ),
    )


# --- the subtree during a period -------------------------------------------------------


@dataclass(frozen=True)
class Subtree:
    """`unit`'s subtree as it stood during [start, end] (the days it existed), in terms
    of the records' copied paths: everything under `path` (its path now), plus the
    `leavers`, minus the `joiners`; `moved` gives, for units whose path changed since
    (or during) the window, their path on their last day under the unit."""

    unit: OrgUnit
    start: dt.date
    end: dt.date
    path: str
    paths: tuple[str, ...]
    moved: dict[int, str] = field(default_factory=dict)
    leavers: frozenset[int] = frozenset()
    joiners: frozenset[int] = frozenset()

    def filter(self, queryset: QuerySet) -> QuerySet:
        """The records of `queryset` (with `unit_id` and `unit_path`) in the subtree."""
        return queryset.filter(self.q())

    def q(self) -> Q:
        condition = Q(unit_path__startswith=self.path)
        if self.joiners:
            condition &= ~Q(unit_id__in=sorted(self.joiners))
        if self.leavers:
            condition |= Q(unit_id__in=sorted(self.leavers))
        return condition

    def contains(self, unit_id: int, unit_path: str) -> bool:
        if unit_id in self.leavers:
            return True
        return unit_path.startswith(self.path) and unit_id not in self.joiners

    def child_of(self, unit_id: int, unit_path: str) -> int | None:
        """The id of the unit's direct child the unit `unit_id` counts under (the unit's
        own id for its own records); None when it is not in the subtree."""
        if not self.contains(unit_id, unit_path):
            return None
        path = self.moved.get(unit_id, unit_path)
        for prefix in (*self.paths, self.path):
            if path.startswith(prefix):
                rest = path[len(prefix) :]
                return self.unit.pk if not rest else int(rest.split("/", 1)[0])
        return None


def subtree_during(unit: OrgUnit, start: dt.date, end: dt.date) -> Subtree | None:
    """The unit's subtree during the days of [start, end] it existed; None if none.

    Two small queries on the placements (the units that moved, by the path index); the
    many units that never moved are taken from the records' paths as they are.
    """
    first = max(start, unit.opened_on) if unit.opened_on else start
    last = min(end, unit.closed_on) if unit.closed_on else end
    if first > last:
        return None
    windows = unit_paths_during(unit, first, last) or [(unit.path, first, last)]
    paths = tuple(dict.fromkeys(path for path, _a, _b in windows))
    under = Q()
    for path, window_start, window_end in windows:
        under |= Q(path__startswith=path, valid_from__lte=window_end, valid_to__gte=window_start) & ~Q(
            valid_from__lte=window_start, valid_to=FOREVER
        )
    moved: dict[int, str] = {}
    leavers: set[int] = set()
    rows = (
        UnitPlacement.objects.filter(under)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "path", "unit__path")
    )
    for unit_id, path, current in rows:
        moved[unit_id] = path  # ordered by valid_from: the last placement wins
        if not current.startswith(unit.path):
            leavers.add(unit_id)
    joiners: set[int] = set()
    if unit.parent_id is not None or paths != (unit.path,):
        # A unit under the root now stood under the root before (trees never merge).
        elsewhere = UnitPlacement.objects.filter(
            valid_from__lte=last, valid_to__gte=first, valid_to__lt=FOREVER, unit__path__startswith=unit.path
        )
        for path in paths:
            elsewhere = elsewhere.exclude(path__startswith=path)
        joiners = set(elsewhere.values_list("unit_id", flat=True)) - set(moved)
    return Subtree(
        unit=unit,
        start=first,
        end=last,
        path=unit.path,
        paths=paths,
        moved=moved,
        leavers=frozenset(leavers),
        joiners=frozenset(joiners),
    )


# --- tables of units -------------------------------------------------------------------


def by_window(units: list[OrgUnit], period: Period) -> dict[Bounds, list[Subtree]]:
    """The units' subtrees, grouped by the days they existed in the period (usually all
    the same window, so one query serves the whole table)."""
    groups: dict[Bounds, list[Subtree]] = defaultdict(list)
    for unit in units:
        subtree = subtree_during(unit, period.start, period.end)
        if subtree is not None:
            groups[period_bounds(subtree.start, subtree.end)].append(subtree)
    return groups


def either(subtrees: list[Subtree]) -> Q:
    """The records of any of the subtrees."""
    condition = Q()
    for subtree in subtrees:
        condition |= subtree.q()
    return condition


def _add(sums: dict[int, list[int]], subtrees: list[Subtree], row: dict, values: list[int]) -> None:
    """Add one grouped row (`unit_id`, `unit_path`) to every subtree that holds it."""
    for subtree in subtrees:
        if subtree.contains(row["unit_id"], row["unit_path"]):
            total = sums.setdefault(subtree.unit.pk, [0] * len(values))
            for index, value in enumerate(values):
                total[index] += value


# --- ratios ------------------------------------------------------------------------------


def _rate(row: dict) -> Pair:
    return row["n"], row["d"]


@dataclass(frozen=True)
class Ratio:
    """How a metric reads the records in [low, high): the rows to scan, the counts to
    take (fresh expressions for each query), and how they make (numerator, denominator);
    `empty` is the value of a unit with no rows."""

    rows: Callable[[dt.datetime, dt.datetime], Q]
    counts: Callable[[dt.datetime, dt.datetime], dict[str, Count]]
    pair: Callable[[dict], Pair] = _rate
    empty: Pair = (0, 0)


def count_of(rows: Callable[[dt.datetime, dt.datetime], Q]) -> Ratio:
    """A count: the records `rows` picks in the period (no denominator)."""
    return Ratio(
        rows=rows, counts=lambda low, high: {"n": Count("pk")}, pair=lambda r: (r["n"], None), empty=(0, None)
    )


def share_of(
    rows: Callable[[dt.datetime, dt.datetime], Q], where: Callable[[dt.datetime, dt.datetime], Q]
) -> Ratio:
    """A rate: of the records `rows` picks in the period, those `where` also picks."""
    return Ratio(
        rows=rows, counts=lambda low, high: {"n": Count("pk", filter=where(low, high)), "d": Count("pk")}
    )


def ratio_value(queryset: QuerySet, ratio: Ratio, unit: OrgUnit, period: Period) -> Pair:
    """The ratio over `unit`'s subtree during the period: one aggregate query."""
    subtree = subtree_during(unit, period.start, period.end)
    if subtree is None:
        return ratio.empty
    low, high = period_bounds(subtree.start, subtree.end)
    row = subtree.filter(queryset).filter(ratio.rows(low, high)).aggregate(**ratio.counts(low, high))
    return ratio.pair({k: v or 0 for k, v in row.items()})


def ratio_values(queryset: QuerySet, ratio: Ratio, units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    """The ratio for each of `units`: one query grouped by (unit, path) per window."""
    sums: dict[int, list[int]] = {}
    keys: list[str] = []
    for (low, high), subtrees in by_window(units, period).items():
        counts = ratio.counts(low, high)
        keys = list(counts)
        rows = (
            queryset.filter(either(subtrees))
            .filter(ratio.rows(low, high))
            .order_by()
            .values("unit_id", "unit_path")
            .annotate(**counts)
        )
        for row in rows:
            _add(sums, subtrees, row, [row[key] or 0 for key in keys])
    return {
        unit.pk: ratio.pair(dict(zip(keys, sums[unit.pk], strict=True))) if unit.pk in sums else ratio.empty
        for unit in units
    }


def ratio_metric(key: str, queryset: Callable[[], QuerySet], ratio: Ratio, **fields) -> Metric:
    """A registry metric computing `ratio` over the records of `queryset()`."""
    return Metric(
        key=key,
        compute=lambda unit, period: ratio_value(queryset(), ratio, unit, period),
        compute_many=lambda units, period: ratio_values(queryset(), ratio, units, period),
        **fields,
    )


# --- average working days ----------------------------------------------------------------


@lru_cache(maxsize=65536)
def working_days(first: dt.date, last: dt.date) -> int:
    """`working_days_between`, never negative, cached: a table asks the same pairs."""
    return max(0, working_days_between(first, last))


def _day_pairs(queryset: QuerySet, start: str, end: str) -> QuerySet:
    return queryset.annotate(
        first_day=TruncDate(start, tzinfo=VN_TZ),
        last_day=TruncDate(end, tzinfo=VN_TZ),
    )


def average_days(
    queryset: QuerySet,
    unit: OrgUnit,
    period: Period,
    *,
    rows: Callable[[dt.datetime, dt.datetime], Q],
    start: str,
    end: str,
) -> Pair:
    """(working days from `start` to `end` summed, records) over the records of `unit`'s
    subtree that `rows` picks in the period: one query grouped by the pair of days."""
    subtree = subtree_during(unit, period.start, period.end)
    if subtree is None:
        return (0, 0)
    low, high = period_bounds(subtree.start, subtree.end)
    grouped = (
        _day_pairs(subtree.filter(queryset).filter(rows(low, high)), start, end)
        .order_by()
        .values("first_day", "last_day")
        .annotate(n=Count("pk"))
    )
    days = records = 0
    for row in grouped:
        days += row["n"] * working_days(row["first_day"], row["last_day"])
        records += row["n"]
    return days, records


def average_days_many(
    queryset: QuerySet,
    units: list[OrgUnit],
    period: Period,
    *,
    rows: Callable[[dt.datetime, dt.datetime], Q],
    start: str,
    end: str,
) -> dict[int, Pair]:
    """`average_days` for each of `units`: one grouped query per window of days."""
    sums: dict[int, list[int]] = {}
    for (low, high), subtrees in by_window(units, period).items():
        grouped = (
            _day_pairs(queryset.filter(either(subtrees)).filter(rows(low, high)), start, end)
            .order_by()
            .values("unit_id", "unit_path", "first_day", "last_day")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            _add(sums, subtrees, row, [row["n"] * working_days(row["first_day"], row["last_day"]), row["n"]])
    return {unit.pk: tuple(sums.get(unit.pk, (0, 0))) for unit in units}


def average_metric(
    key: str,
    queryset: Callable[[], QuerySet],
    *,
    rows: Callable[[dt.datetime, dt.datetime], Q],
    start: str,
    end: str,
    **fields,
) -> Metric:
    """A registry metric averaging the working days from `start` to `end` of the records
    of `queryset()` that `rows` picks in the period (lower is better)."""
    between = {"rows": rows, "start": start, "end": end}
    return Metric(
        key=key,
        compute=lambda unit, period: average_days(queryset(), unit, period, **between),
        compute_many=lambda units, period: average_days_many(queryset(), units, period, **between),
        kind=MetricKind.AVERAGE,
        higher_is_better=False,
        **fields,
    )
