"""The Vietnamese working-day calendar of state agencies: which days count.

A day is a working day unless it is a Saturday or Sunday, or a public holiday, with the
announced exceptions of the year taking precedence over both:

1. Public holidays: Labour Code 2019 (45/2019/QH14), art. 112(1) — Tết Dương lịch (1/1),
   Tết Âm lịch (5 days), Giỗ Tổ Hùng Vương (10/3 lunar), Ngày Chiến thắng (30/4),
   Quốc tế Lao động (1/5), Quốc khánh (2/9 and the day before or after) — and the
   compensatory day (nghỉ bù) of art. 112(3) when one falls on a weekly rest day. The
   dates come from the `holidays` package (pinned), in which Tết is the eve and the
   first four days, moved off a weekend to the nearest weekday; 2025 and 2026 match the
   announced schedules (tests pin them).
2. Announced exceptions (`WorkdayException`): the swaps and extra days decided each year
   by the Prime Minister and announced by the Ministry (Thông báo 6150/TB-BLĐTBXH for
   2025, Công văn 9859/VPCP-KGVX and 12729/VPCP-KGVX for 2026 …). They live only in the
   database: the package's own copy of those swaps is left out so that one table says
   what was announced, and an upgrade of the package cannot silently change it.
3. Left out on purpose: "Ngày Văn hóa Việt Nam" (24/11), which `holidays` 0.109 lists
   from 2026. Politburo Resolution 80-NQ/TW (07/01/2026) decided it should become a paid
   holiday and Government Resolution 30/NQ-CP (2026) tasks amending art. 112(1), but
   no amendment in force was found. If it is decreed for a year, record it as a
   `day_off` exception; once art. 112 is amended, drop it from `_NOT_IN_FORCE`.

Conventions (for dossier deadlines, Decree 61/2018/NĐ-CP counts time limits in working
days):

* `add_working_days(start, n)`: a `start` on a working day counts from that day; a
  `start` on a non-working day counts as received at the start (00:00) of the next
  working day, so a dossier received on Saturday is treated exactly like one received
  first thing on Monday: +1 → Tuesday. `n == 0` returns that effective start.
* `working_days_between(start, end)`: the working days in (start, end] — `start`
  excluded, `end` included; `-working_days_between(end, start)` when end < start.
* Datetimes are read on the Vietnamese wall clock: an aware datetime is converted to
  Asia/Ho_Chi_Minh (results are returned in that zone), a naive one is taken as local
  wall time (results stay naive). Times of day are kept.

Performance: the holidays of a year are computed once per process; the exceptions are
loaded in one query and kept per process until a service write bumps a version in the
cache (shared through Redis in production) or `SNAPSHOT_MAX_AGE` seconds pass. Adding
30 working days costs at most one query, usually none.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays
from django.core.cache import cache

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = dt.timedelta(days=1)
SATURDAY, SUNDAY = 5, 6

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"

# Names (the package's Vietnamese source strings) of entries we do not count:
# the package's copy of the yearly swaps (kept in WorkdayException instead) …
_PACKAGE_SWAP_PREFIX = "Ngày nghỉ (thay cho ngày"
# … and holidays announced but not yet law in force (see the module docstring).
_NOT_IN_FORCE = ("Ngày Văn hóa Việt Nam",)
# The package names the Tết day two days before the first day "29 Tết", which is the
# 28th when the last lunar month has 29 days (27/01/2025): a neutral name instead.
_RENAMED = {"29 Tết": "Nghỉ Tết Nguyên Đán"}

# How long a process trusts its copy of the exceptions without a version bump (seconds):
# bounds staleness when the cache is not shared between processes (LocMemCache).
SNAPSHOT_MAX_AGE = 60.0
_VERSION_KEY = "workdays:exceptions-version"
# How long a process trusts the version it last read from the cache (seconds): a working-day
# computation runs hundreds of times a page, and with Redis each read is a round trip. A
# write in this process forgets the copy at once; another process's write shows within this.
VERSION_CHECK_INTERVAL = 1.0
MEMO_MAX_ENTRIES = 10_000

D = TypeVar("D", dt.date, dt.datetime)


# --- public holidays (Labour Code art. 112) -------------------------------------------


@functools.lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[Mapping[dt.date, str], Mapping[dt.date, str]]:
    """(counted, not in force) holidays of `year` from the package, by date."""
    package = holidays.country_holidays("VN", years=year, language="vi")
    counted: dict[dt.date, str] = {}
    pending: dict[dt.date, str] = {}
    for day in sorted(package):
        if day.year != year:
            continue
        names = [
            _RENAMED.get(name, name)
            for name in package.get_list(day)
            if not name.startswith(_PACKAGE_SWAP_PREFIX)
        ]
        kept = [n for n in names if not any(n.startswith(x) for x in _NOT_IN_FORCE)]
        left_out = [n for n in names if n not in kept]
        if kept:
            counted[day] = "; ".join(kept)
        if left_out:
            pending[day] = "; ".join(left_out)
    return MappingProxyType(counted), MappingProxyType(pending)


def public_holidays(year: int) -> Mapping[dt.date, str]:
    """The public holidays of `year` under the Labour Code 2019, art. 112, by date.

    Includes the compensatory days of art. 112(3) ("… (nghỉ bù)"). Names are Vietnamese;
    several holidays on one date are joined with "; ". Excludes the announced swaps
    (see `WorkdayException`) and the days in `_NOT_IN_FORCE`. Cached per process.
    """
    return _package_year(year)[0]


# --- announced exceptions, cached per process ------------------------------------------


@dataclass(frozen=True)
class ExceptionEntry:
    kind: str  # WorkdayException.Kind value
    reason: str
    reference: str


@dataclass
class _YearSets:
    off_weekdays: frozenset[dt.date]  # Monday–Friday dates that are not worked
    worked_weekend: frozenset[dt.date]  # Saturdays/Sundays that are worked


@dataclass
class _Snapshot:
    token: object
    loaded_at: float
    exceptions: dict[dt.date, ExceptionEntry]
    years: dict[int, _YearSets] = field(default_factory=dict)
    # Results computed from this calendar by other modules (see `memoised`): they live and
    # die with the snapshot, so a change of the calendar forgets them.
    memo: dict = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        entry = self.exceptions.get(day)
        if entry is not None:
            return entry.kind == "working_day"
        if day in public_holidays(day.year):
            return False
        return day.weekday() < SATURDAY

    def year(self, year: int) -> _YearSets:
        sets = self.years.get(year)
        if sets is None:
            candidates = set(public_holidays(year)) | {
                d for d in self.exceptions if d.year == year
            }
            off = frozenset(
                d for d in candidates if d.weekday() < SATURDAY and not self.is_working_day(d)
            )
            worked = frozenset(
                d for d in candidates if d.weekday() >= SATURDAY and self.is_working_day(d)
            )
            sets = self.years[year] = _YearSets(off, worked)
        return sets


_snapshot: _Snapshot | None = None
_checked_at = 0.0  # when this process last compared its snapshot's version with the cache's
_lock = threading.Lock()


def _current() -> _Snapshot:
    """This process's copy of the exceptions, reloaded (one query) when out of date."""
    global _snapshot, _checked_at
    snap = _snapshot
    now = time.monotonic()
    if snap is not None and now - snap.loaded_at < SNAPSHOT_MAX_AGE:
        if now - _checked_at < VERSION_CHECK_INTERVAL:
            return snap
        token = cache.get(_VERSION_KEY)
        if snap.token == token:
            _checked_at = now
            return snap
    else:
        token = cache.get(_VERSION_KEY)
    with _lock:
        from .models import WorkdayException

        rows = WorkdayException.objects.values_list("day", "kind", "reason", "reference")
        snap = _Snapshot(
            token=token,
            loaded_at=time.monotonic(),
            exceptions={d: ExceptionEntry(k, r, ref) for d, k, r, ref in rows},
        )
        _snapshot = snap
        _checked_at = snap.loaded_at
    return snap


def memoised(key, compute):
    """`compute()`, remembered under `key` until the working-day calendar changes.

    For results that depend only on their arguments and this calendar (a reporting
    schedule's due dates of a year): they are kept on the process's snapshot of the
    calendar, which a write to the calendar replaces. `key` must be hashable and name
    everything else the result depends on.
    """
    memo = _current().memo
    try:
        return memo[key]
    except KeyError:
        if len(memo) >= MEMO_MAX_ENTRIES:  # a bound, never reached by a province's schedules
            memo.clear()
        value = memo[key] = compute()
        return value


def clear_cache() -> None:
    """Forget this process's copy and tell the other processes (through the cache).

    The services call it on every write, before and after commit.
    """
    global _snapshot
    _snapshot = None
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


# --- reading one day -------------------------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    """Why a day is or is not a working day, in Vietnamese for the user."""

    day: dt.date
    is_working: bool
    kind: str  # "weekday", "weekend", "holiday", "day_off", "working_day"
    reason: str
    reference: str

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.day.weekday()]


def day_info(day: dt.date | dt.datetime) -> DayInfo:
    """The status of one day and its reason (holiday name or announcement)."""
    day = _local_date(day)
    entry = _current().exceptions.get(day)
    if entry is not None:
        return DayInfo(day, entry.kind == "working_day", entry.kind, entry.reason, entry.reference)
    holiday = public_holidays(day.year).get(day)
    if holiday is not None:
        return DayInfo(day, False, "holiday", holiday, LABOUR_CODE)
    if day.weekday() >= SATURDAY:
        return DayInfo(day, False, "weekend", "Ngày nghỉ hằng tuần", "")
    pending = _package_year(day.year)[1].get(day)
    if pending is not None:
        return DayInfo(
            day,
            True,
            "weekday",
            f"Ngày làm việc bình thường: {pending} chưa là ngày nghỉ lễ theo Điều 112 Bộ "
            "luật Lao động (nếu có thông báo cho nghỉ, nhập ngày nghỉ bổ sung)",
            "",
        )
    return DayInfo(day, True, "weekday", "Ngày làm việc bình thường (thứ Hai – thứ Sáu)", "")


def is_working_day(day: dt.date | dt.datetime) -> bool:
    """Whether agencies work on `day` (its date on the Vietnamese clock for a datetime).

    Monday–Friday, minus the public holidays of Labour Code 2019 art. 112 and the days
    off announced for the year, plus the weekend days announced as worked.
    """
    return _current().is_working_day(_local_date(day))


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    snap = _current()
    day = _local_date(day) + ONE_DAY
    while not snap.is_working_day(day):
        day += ONE_DAY
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day strictly before `day`."""
    snap = _current()
    day = _local_date(day) - ONE_DAY
    while not snap.is_working_day(day):
        day -= ONE_DAY
    return day


def working_start(start: D) -> D:
    """When counting starts: `start` itself on a working day, else the next working day
    (at 00:00 for a datetime) — a dossier received on a day off counts as received at
    the opening of the next working day."""
    snap = _current()
    local = _to_local(start)
    day = _local_date(local)
    if snap.is_working_day(day):
        return local
    while not snap.is_working_day(day):
        day += ONE_DAY
    return _with_date(local, day, midnight=True)


def add_working_days(start: D, n: int) -> D:
    """The moment `n` working days after `start`, keeping the time of day.

    The business rule for time limits counted in working days (Decree 61/2018/NĐ-CP on
    the one-stop desk; holidays per Labour Code 2019 art. 112 and the yearly
    announcements): counting starts from `working_start(start)`, i.e. a `start` on a
    non-working day counts as 00:00 of the next working day. Received Saturday
    25/01/2025 (Tết) → counts from Monday 03/02/2025 00:00; +1 → Tuesday 04/02/2025
    00:00. `n == 0` returns `working_start(start)`. Dates give dates; aware datetimes
    come back in Asia/Ho_Chi_Minh, naive ones stay naive.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    snap = _current()
    begin = working_start(start)
    day = _local_date(begin)
    remaining = n
    while remaining:
        day += ONE_DAY
        if snap.is_working_day(day):
            remaining -= 1
    return _with_date(begin, day)


def working_days_between(start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> int:
    """The number of working days in (start, end]: `start` excluded, `end` included.

    Only the dates count (on the Vietnamese clock for datetimes). 0 when both fall on
    the same date; `-working_days_between(end, start)` when `end` is before `start`.
    Friday 24/01/2025 → Monday 10/02/2025 = 6 (03, 04, 05, 06, 07 and 10/02; Tết
    25/01–02/02). Computed per year from the holiday sets, not day by day.
    """
    first, last = _local_date(start), _local_date(end)
    if last < first:
        return -working_days_between(last, first)
    snap = _current()
    total = _weekdays_in(first, last)
    for year in range(first.year, last.year + 1):
        sets = snap.year(year)
        total -= sum(1 for d in sets.off_weekdays if first < d <= last)
        total += sum(1 for d in sets.worked_weekend if first < d <= last)
    return total


def working_days_in_year(year: int) -> int:
    """How many working days `year` has (for the `list` command and reports)."""
    return working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))


def non_working_weekdays(year: int) -> list[DayInfo]:
    """The Monday–Friday dates of `year` not worked, and the weekend dates worked, sorted.

    In other words, every date where `year` departs from the plain Monday–Friday week.
    """
    snap = _current()
    sets = snap.year(year)
    return [day_info(d) for d in sorted(sets.off_weekdays | sets.worked_weekend)]


# --- helpers ---------------------------------------------------------------------------


def _weekdays_in(first: dt.date, last: dt.date) -> int:
    """Monday–Friday dates in (first, last], by arithmetic."""
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = first.weekday()
    for i in range(1, rest + 1):
        if (weekday + i) % 7 < SATURDAY:
            count += 1
    return count


def _to_local(value: D) -> D:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(VN_TZ)
    return value


def _local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return _to_local(value).date()
    return value


def _with_date(value: D, day: dt.date, *, midnight: bool = False) -> D:
    if isinstance(value, dt.datetime):
        moment = dt.time(0, 0) if midnight else value.time()
        result = dt.datetime.combine(day, moment)
        if value.tzinfo is not None:
            result = result.replace(tzinfo=VN_TZ)
        return result
    return day
