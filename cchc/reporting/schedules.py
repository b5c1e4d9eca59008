"""Reporting schedule rules: the data window (cut-off) and the due date of each period.

A rule is a plain, JSON-serialisable dict (it is stored as is on a reporting schedule and
proposed as is by the plan importer). `validate_rule` checks it and returns a normalised
copy with the defaults filled in; every other function validates its rule first.

Keys
----
``due`` — how the due date (hạn gửi báo cáo) is set, one of:

* ``"fixed"`` with ``"dates"``: a date per period slot — ``{"Q1": "05/03", "Q2": "05/06",
  "Q3": "05/09", "Y": "05/12"}`` (seed 000, Hoàng Mai: "quý I trước ngày 05/3; quý II
  trước ngày 05/6; quý III trước ngày 05/9; cả năm trước ngày 05/12"). Slots: ``M``
  (every month: a day of the month, ``5`` or ``"05"``), ``Q1``–``Q4``, ``H1``, ``H2``,
  ``9M``, ``Y`` ("DD/MM"). The date is in the period's own year; one that would fall
  before the period starts (``"Q4": "10/01"``) is in the next year. A year report is
  always due in its own year (for one due the next January, use ``working_days_after``). A day past the end of
  a month (31 for April, 29/02 in a common year) is the month's last day. The periods
  the rule covers are its slots: seed 000 has no Q4 report (the year report covers it).
  "Trước ngày 05/3" is read as "no later than 05/03", as officers use it (the same
  reading as `cchc.plans.timeframes`).
* ``"day_of_last_month"`` with ``"day"``: that day of the last month of each period —
  seed 002 (Đồ Sơn): "trước ngày 25 tháng cuối của mỗi quý, 6 tháng, năm"; the MoHA
  reform report with day 20 (see `PRESETS`).
* ``"working_days_after"`` with ``"days"`` (0–60) and ``"after"``: ``"period_end"`` or
  ``"cut_off_end"`` — the N-th working day after that day (N = 0: that day itself).
  Working days are those of `cchc.workdays.calendar` (Labour Code 2019 art. 112 and the
  yearly announcements), so Tết counts as days off.

``periods`` (``day_of_last_month`` and ``working_days_after`` only; required there) —
which periods are reported: period kinds (``"quarter"`` = every quarter) and/or slots
(``"Q1"``, ``"H1"`` …). The MoHA reform report is ``["Q1", "H1", "Q3", "Y"]``: the
six-month report stands for Q2 and the year report for Q4.

``cut_off`` (default ``"decree_09_2019"``) — the data window (thời gian chốt số liệu):

* ``"decree_09_2019"``: Decree 09/2019/NĐ-CP (24/01/2019) on the reporting regime of
  state administrative agencies, art. 12 (thời gian chốt số liệu báo cáo định kỳ):
  monthly from the 15th of the previous month to the 14th of the reporting month
  (cl. 1); quarterly from the 15th of the month before the quarter to the 14th of its
  last month (cl. 2); six-monthly from the 15th of the month before the period to the
  14th of its sixth month (cl. 3) — 15/12 of the previous year to 14/06 for H1; yearly
  from 15/12 of the previous year to 14/12 (cl. 4). All four are one formula: from the
  15th of the month before the period starts to the 14th of its last month.
  Nine months: art. 12 names no such period (cl. 5 leaves other periods to the regime
  that sets them); the same formula gives 15/12 of the previous year to 14/09, as later
  regimes write it. MoHA's Công văn 581/BNV-CCHC on the periodic administrative-reform
  reports states the same windows for its reports (Q1: 15/12 of the previous year –
  14/3; 6 months: 15/12 – 14/6; Q3: 15/6 – 14/9; year: 15/12 – 14/12).
  Caveat: the article's wording was checked against 581/BNV-CCHC (which applies it),
  the decree's own text was not available to the lookup; re-read art. 12 before relying
  on the clause numbers.
* ``"calendar"``: the calendar period itself (first to last day).

``holiday`` (default ``"next_working_day"``) — when the due date falls on a weekend or a
day off: ``"next_working_day"`` (Civil Code 2015 art. 148(5), `effective_deadline`),
``"previous_working_day"`` (a schedule that wants the report in hand before the break),
``"none"`` (the date stands).

Sending deadline under Decree 09: the decree does not fix one; each regime states its
own (the "thời hạn gửi báo cáo" of the regime). The `decree_09_2019` preset therefore
uses a default of this product — 5 working days after the cut-off ends — and says so.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.metrics.periods import Period, PeriodKind, periods_in_year
from cchc.plans.timeframes import CIVIL_CODE_END_OF_TIME_LIMIT, effective_deadline
from cchc.workdays.calendar import is_working_day, memoised, next_working_day, previous_working_day

FIXED, DAY_OF_LAST_MONTH, WORKING_DAYS_AFTER = "fixed", "day_of_last_month", "working_days_after"
DUE_KINDS = (FIXED, DAY_OF_LAST_MONTH, WORKING_DAYS_AFTER)
DECREE_09, CALENDAR = "decree_09_2019", "calendar"
CUT_OFFS = (DECREE_09, CALENDAR)
NEXT, PREVIOUS, NONE = "next_working_day", "previous_working_day", "none"
HOLIDAY_RULES = (NEXT, PREVIOUS, NONE)
PERIOD_END, CUT_OFF_END = "period_end", "cut_off_end"
ANCHORS = (PERIOD_END, CUT_OFF_END)
MAX_WORKING_DAYS = 60

DECREE_09_CUT_OFF = "Nghị định 09/2019/NĐ-CP, Điều 12"
MOHA_REFORM_REPORT = "Công văn 581/BNV-CCHC của Bộ Nội vụ (chế độ báo cáo CCHC định kỳ)"

# Slots: the period of each kind a fixed date or a `periods` entry names.
SLOTS = ("M", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "Y")
_SLOTS_OF_KIND = {
    PeriodKind.MONTH.value: ("M",),
    PeriodKind.QUARTER.value: ("Q1", "Q2", "Q3", "Q4"),
    PeriodKind.HALF_YEAR.value: ("H1", "H2"),
    PeriodKind.NINE_MONTHS.value: ("9M",),
    PeriodKind.YEAR.value: ("Y",),
}
_KIND_OF_SLOT = {slot: kind for kind, slots in _SLOTS_OF_KIND.items() for slot in slots}
_DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})")
_KNOWN_KEYS = {"due", "dates", "day", "days", "after", "periods", "cut_off", "holiday"}


def slot(period: Period) -> str:
    """The slot of a period: "M", "Q1"…"Q4", "H1", "H2", "9M" or "Y"."""
    if period.kind == PeriodKind.MONTH:
        return "M"
    if period.kind == PeriodKind.QUARTER:
        return f"Q{period.index}"
    if period.kind == PeriodKind.HALF_YEAR:
        return f"H{period.index}"
    if period.kind == PeriodKind.NINE_MONTHS:
        return "9M"
    return "Y"


# --- validation -------------------------------------------------------------------------


def _error(message: str, field: str) -> DomainError:
    return DomainError(message, code="invalid_schedule", field=field)


def _int(value, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise _error(message, field)
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        raise _error(message, field)
    return value


def _day_month(value, field: str) -> str:
    match = _DAY_MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        day, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1 <= day <= _calendar.monthrange(2000, month)[1]:
            return f"{day:02d}/{month:02d}"
    raise _error(
        _("Ngày “%(value)s” của “%(field)s” không hợp lệ: ghi theo dạng ngày/tháng, ví dụ 05/03.")
        % {"value": value, "field": field},
        field,
    )


def validate_rule(rule) -> dict:
    """The rule checked and normalised (defaults filled in); DomainError naming the field.

    The returned dict is a new one; `rule` is not changed.
    """
    if not isinstance(rule, dict):
        raise _error(_("Chế độ báo cáo phải là một đối tượng (dict)."), "rule")
    unknown = sorted(set(rule) - _KNOWN_KEYS)
    if unknown:
        raise _error(
            _("Chế độ báo cáo có trường không xác định: %(keys)s.") % {"keys": ", ".join(unknown)},
            unknown[0],
        )
    due = rule.get("due")
    if due not in DUE_KINDS:
        raise _error(
            _("Trường “due” phải là một trong: %(values)s.") % {"values": ", ".join(DUE_KINDS)}, "due"
        )
    cut_off = rule.get("cut_off", DECREE_09)
    if cut_off not in CUT_OFFS:
        raise _error(
            _("Trường “cut_off” phải là một trong: %(values)s.") % {"values": ", ".join(CUT_OFFS)},
            "cut_off",
        )
    holiday = rule.get("holiday", NEXT)
    if holiday not in HOLIDAY_RULES:
        raise _error(
            _("Trường “holiday” phải là một trong: %(values)s.") % {"values": ", ".join(HOLIDAY_RULES)},
            "holiday",
        )
    out: dict = {"due": due}

    if due == FIXED:
        for key in ("day", "days", "after", "periods"):
            if key in rule:
                raise _error(
                    _("Hạn cố định (“fixed”) không dùng trường “%(key)s”: các kỳ là các khóa của “dates”.")
                    % {"key": key},
                    key,
                )
        dates = rule.get("dates")
        if not isinstance(dates, dict) or not dates:
            raise _error(_("Hạn cố định cần trường “dates”: ngày hạn của từng kỳ."), "dates")
        clean: dict = {}
        for key, value in dates.items():
            if key not in SLOTS:
                raise _error(
                    _("Kỳ “%(key)s” trong “dates” không hợp lệ; dùng: %(values)s.")
                    % {"key": key, "values": ", ".join(SLOTS)},
                    "dates",
                )
            if key == "M":
                clean[key] = _int(
                    value,
                    "dates.M",
                    1,
                    31,
                    _("“dates.M” phải là một ngày trong tháng, từ 1 đến 31."),
                )
            else:
                clean[key] = _day_month(value, f"dates.{key}")
        out["dates"] = {k: clean[k] for k in SLOTS if k in clean}
    else:
        for key in ("dates",) + (("after", "days") if due == DAY_OF_LAST_MONTH else ("day",)):
            if key in rule:
                raise _error(
                    _("Trường “%(key)s” không dùng với hạn “%(due)s”.") % {"key": key, "due": due}, key
                )
        if due == DAY_OF_LAST_MONTH:
            out["day"] = _int(
                rule.get("day"), "day", 1, 31, _("Trường “day” phải là một ngày trong tháng, từ 1 đến 31.")
            )
        else:
            out["days"] = _int(
                rule.get("days"),
                "days",
                0,
                MAX_WORKING_DAYS,
                _("Trường “days” phải là số ngày làm việc, từ 0 đến %(max)d.") % {"max": MAX_WORKING_DAYS},
            )
            after = rule.get("after", PERIOD_END)
            if after not in ANCHORS:
                raise _error(
                    _("Trường “after” phải là một trong: %(values)s.") % {"values": ", ".join(ANCHORS)},
                    "after",
                )
            out["after"] = after
        periods = rule.get("periods")
        if not isinstance(periods, list) or not periods:
            raise _error(
                _('Trường “periods” phải liệt kê các kỳ báo cáo, ví dụ ["quarter", "year"].'), "periods"
            )
        seen: list[str] = []
        for entry in periods:
            if entry not in SLOTS and entry not in _SLOTS_OF_KIND:
                raise _error(
                    _(
                        "Kỳ “%(entry)s” trong “periods” không hợp lệ; dùng loại kỳ (%(kinds)s) "
                        "hoặc kỳ cụ thể (%(slots)s)."
                    )
                    % {"entry": entry, "kinds": ", ".join(_SLOTS_OF_KIND), "slots": ", ".join(SLOTS)},
                    "periods",
                )
            if entry not in seen:
                seen.append(entry)
        out["periods"] = seen
    out["cut_off"] = cut_off
    out["holiday"] = holiday
    return out


def covered_slots(rule: dict) -> list[str]:
    """The slots the rule sets a due date for, in the order of `SLOTS`."""
    rule = validate_rule(rule)
    if rule["due"] == FIXED:
        return list(rule["dates"])
    slots = set()
    for entry in rule["periods"]:
        slots.update(_SLOTS_OF_KIND.get(entry, (entry,)))
    return [s for s in SLOTS if s in slots]


def covered_kinds(rule: dict) -> list[str]:
    """The period kinds the rule reports on, in the order of `PeriodKind`."""
    kinds = {_KIND_OF_SLOT[s] for s in covered_slots(rule)}
    return [k for k in PeriodKind.values if k in kinds]


def covers(rule: dict, period: Period) -> bool:
    return slot(period) in covered_slots(rule)


# --- cut-off and due date -----------------------------------------------------------------


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def cut_off(rule: dict, period: Period) -> tuple[dt.date, dt.date]:
    """The data window of `period` (first and last day, inclusive).

    ``decree_09_2019``: Decree 09/2019/NĐ-CP art. 12 — from the 15th of the month before
    the period to the 14th of its last month: Q1/2025 → 15/12/2024–14/03/2025; year
    2025 → 15/12/2024–14/12/2025; March 2025 → 15/02/2025–14/03/2025. ``calendar``: the
    period's first and last day.
    """
    rule = validate_rule(rule)
    if rule["cut_off"] == CALENDAR:
        return period.start, period.end
    before = period.start - dt.timedelta(days=1)
    return dt.date(before.year, before.month, 15), dt.date(period.end.year, period.end.month, 14)


def _nth_working_day_after(day: dt.date, n: int) -> dt.date:
    for _i in range(n):
        day = next_working_day(day)
    return day


def raw_due_date(rule: dict, period: Period) -> dt.date:
    """The due date the rule states for `period`, before the holiday rule.

    DomainError when the rule sets no date for the period (seed 000 has no Q4 report).
    """
    rule = validate_rule(rule)
    key = slot(period)
    if key not in covered_slots(rule):
        raise DomainError(
            _("Chế độ báo cáo không quy định hạn gửi cho kỳ %(period)s.") % {"period": period.label},
            code="no_due_date",
            field="period",
        )
    if rule["due"] == FIXED:
        value = rule["dates"][key]
        if key == "M":
            return _clamped(period.year, period.index, value)
        day, month = (int(x) for x in value.split("/"))
        due = _clamped(period.year, month, day)
        if due < period.start:  # "Q4": "10/01" — January of the next year
            due = _clamped(period.year + 1, month, day)
        return due
    if rule["due"] == DAY_OF_LAST_MONTH:
        return _clamped(period.end.year, period.end.month, rule["day"])
    anchor = period.end if rule["after"] == PERIOD_END else cut_off(rule, period)[1]
    return _nth_working_day_after(anchor, rule["days"])


def apply_holiday_rule(rule: dict, due: dt.date) -> dt.date:
    """`due` moved off a weekend or day off as the rule says.

    ``next_working_day``: Civil Code 2015 (91/2015/QH13) art. 148(5) — a time limit whose
    last day is a weekend or holiday ends at the end of the next working day
    (`cchc.plans.timeframes.effective_deadline`). ``previous_working_day``: the last
    working day before. ``none``: unchanged.
    """
    holiday = validate_rule(rule)["holiday"]
    if holiday == NONE or is_working_day(due):
        return due
    if holiday == NEXT:
        return effective_deadline(due)
    return previous_working_day(due)


def due_date(rule: dict, period: Period) -> dt.date:
    """The due date of `period` after the holiday rule (05/03/2022, a Saturday → 07/03/2022)."""
    return apply_holiday_rule(rule, raw_due_date(rule, period))


# --- the year's calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class DueEntry:
    """One report of the year: its period, data window and due date.

    `moved_from` is the date the rule states when the holiday rule moved it, else None.
    """

    period: Period
    cut_off_start: dt.date
    cut_off_end: dt.date
    due: dt.date
    moved_from: dt.date | None = None

    def to_json(self) -> dict:
        return {
            "period": self.period.key,
            "label": self.period.label,
            "cut_off_start": self.cut_off_start.isoformat(),
            "cut_off_end": self.cut_off_end.isoformat(),
            "due": self.due.isoformat(),
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
        }


def calendar(rule: dict, kinds: list[str] | None, year: int) -> list[DueEntry]:
    """Every report the rule asks for in `year`, sorted by due date (then period length).

    `kinds` limits the period kinds (None or empty: all the rule covers); a kind the rule
    does not cover at all is a DomainError. Periods of a covered kind without a date
    (seed 000's Q4) are left out. Each period appears once.

    The dates are a pure function of the rule, the year and the working-day calendar:
    remembered per process until the calendar changes (a unit's home page asks for them
    for every schedule it reports under, two years each).
    """
    rule = validate_rule(rule)
    slots = covered_slots(rule)
    wanted = list(kinds or covered_kinds(rule))
    for kind in wanted:
        if kind not in PeriodKind.values:
            raise _error(_("Loại kỳ báo cáo “%(kind)s” không hợp lệ.") % {"kind": kind}, "kinds")
        if not any(_KIND_OF_SLOT[s] == kind for s in slots):
            raise _error(
                _("Chế độ báo cáo không có kỳ “%(kind)s”.") % {"kind": PeriodKind(kind).label}, "kinds"
            )
    wanted = list(dict.fromkeys(wanted))
    key = ("reporting.calendar", json.dumps(rule, sort_keys=True, default=str), tuple(wanted), year)
    return list(memoised(key, lambda: _entries(rule, slots, wanted, year)))


def _entries(rule: dict, slots, kinds: list[str], year: int) -> tuple[DueEntry, ...]:
    entries = []
    for kind in kinds:
        for period in periods_in_year(kind, year):
            if slot(period) not in slots:
                continue
            start, end = cut_off(rule, period)
            raw = raw_due_date(rule, period)
            due = apply_holiday_rule(rule, raw)
            entries.append(DueEntry(period, start, end, due, raw if due != raw else None))
    entries.sort(key=lambda e: (e.due, e.period.days, e.period.start))
    return tuple(entries)


# --- presets ------------------------------------------------------------------------------

PRESETS: dict[str, dict] = {
    "decree_09_2019": {
        "label": "Theo Nghị định 09/2019/NĐ-CP (chốt số liệu ngày 14, gửi sau 5 ngày làm việc)",
        "source": (
            f"{DECREE_09_CUT_OFF} (thời gian chốt số liệu); hạn gửi: mặc định của phần mềm, 5 ngày "
            "làm việc sau ngày chốt số liệu (Nghị định để chế độ báo cáo cụ thể quy định hạn gửi)"
        ),
        "rule": {
            "due": WORKING_DAYS_AFTER,
            "days": 5,
            "after": CUT_OFF_END,
            "periods": ["month", "quarter", "half_year", "year"],
            "cut_off": DECREE_09,
            "holiday": NEXT,
        },
    },
    "moha_reform_report": {
        "label": "Báo cáo CCHC gửi Bộ Nội vụ (quý I, 6 tháng, quý III, năm; hạn ngày 20 tháng cuối kỳ)",
        "source": (
            f"{MOHA_REFORM_REPORT}: hạn gửi chậm nhất ngày 20 của tháng cuối kỳ báo cáo; chốt số "
            f"liệu theo {DECREE_09_CUT_OFF}"
        ),
        "rule": {
            "due": DAY_OF_LAST_MONTH,
            "day": 20,
            "periods": ["Q1", "H1", "Q3", "Y"],
            "cut_off": DECREE_09,
            "holiday": NEXT,
        },
    },
    "seed_000_hoang_mai": {
        "label": (
            "Phòng GD&ĐT Hoàng Mai: quý I trước 05/3, quý II trước 05/6, quý III trước 05/9, năm trước 05/12"
        ),
        "source": (
            "Kế hoạch 251/KH-PGD&ĐT ngày 19/7/2021 của Phòng GD&ĐT quận Hoàng Mai, mục 4 “Chế độ báo cáo”"
        ),
        "rule": {
            "due": FIXED,
            "dates": {"Q1": "05/03", "Q2": "05/06", "Q3": "05/09", "Y": "05/12"},
            "cut_off": DECREE_09,
            "holiday": NEXT,
        },
    },
    "seed_002_do_son": {
        "label": "Phòng GD&ĐT Đồ Sơn: trước ngày 25 tháng cuối của mỗi quý, 6 tháng, năm",
        "source": (
            "Kế hoạch 18/KH-GD&ĐT ngày 12/01/2025 của Phòng GD&ĐT quận Đồ Sơn, mục III “Tổ chức thực hiện”"
        ),
        "rule": {
            "due": DAY_OF_LAST_MONTH,
            "day": 25,
            "periods": ["quarter", "half_year", "year"],
            "cut_off": DECREE_09,
            "holiday": NEXT,
        },
    },
}
"""Ready-made rules: each with a Vietnamese `label`, a `source` citation and the `rule`.
The holiday rule of all of them is the Civil Code's (see `HOLIDAY_SOURCE`)."""

HOLIDAY_SOURCE = CIVIL_CODE_END_OF_TIME_LIMIT


def preset(name: str) -> dict:
    """A copy of the preset's rule; DomainError for an unknown name."""
    if name not in PRESETS:
        raise _error(_("Không có mẫu chế độ báo cáo “%(name)s”.") % {"name": name}, "preset")
    return validate_rule(PRESETS[name]["rule"])


# --- from the plan importer ------------------------------------------------------------------

_LAST_MONTH = re.compile(r"(\d{1,2}) of last month")
_ONE_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def _fixed_slot(kind: str, month: int) -> str | None:
    if kind == PeriodKind.MONTH:
        return "M"
    if kind == PeriodKind.QUARTER:
        return f"Q{(month - 1) // 3 + 1}"
    if kind == PeriodKind.HALF_YEAR:
        return "H1" if month <= 6 else "H2"
    if kind == PeriodKind.NINE_MONTHS:
        return "9M"
    if kind == PeriodKind.YEAR:
        return "Y"
    return None


def rule_from_reporting(entries: list[dict]) -> dict | None:
    """The rule the plan importer's reporting entries describe, or None when they give no day.

    `entries` are `Draft.to_json()["reporting"]` items: ``{"period": "quarter", "due":
    "05/03", "text": …}``. "DD/MM" dates become a ``fixed`` rule, each keyed by the slot
    its month falls in (a quarter due 05/06 is Q2's; a month's keeps only the day);
    "N of last month" becomes ``day_of_last_month`` over the periods that carry it. Fixed
    dates win over a day of the last month when a plan has both. One-off dates
    ("DD/MM/YYYY": a report due once) and entries without a day are not a schedule and
    are left out. When two dates name one slot, the first is kept. The cut-off and the
    holiday rule are the defaults (Decree 09, next working day).
    """
    dates: dict[str, str | int] = {}
    last_month_days: dict[int, list[str]] = {}
    for entry in entries or []:
        kind, due = entry.get("period"), (entry.get("due") or "").strip()
        if kind not in PeriodKind.values or not due:
            continue
        match = _DAY_MONTH.fullmatch(due)
        if match and not _ONE_DATE.fullmatch(due):
            day, month = int(match[1]), int(match[2])
            key = _fixed_slot(kind, month)
            if key and key not in dates:
                dates[key] = day if key == "M" else f"{day:02d}/{month:02d}"
            continue
        match = _LAST_MONTH.fullmatch(due)
        if match:
            kinds = last_month_days.setdefault(int(match[1]), [])
            if kind not in kinds:
                kinds.append(kind)
    try:
        if dates:
            return validate_rule({"due": FIXED, "dates": dates})
        if last_month_days:
            day, kinds = max(last_month_days.items(), key=lambda item: len(item[1]))
            return validate_rule({"due": DAY_OF_LAST_MONTH, "day": day, "periods": kinds})
    except DomainError:
        return None  # an impossible date read from the document: nothing to propose
    return None
