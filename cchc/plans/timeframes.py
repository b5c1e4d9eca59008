"""Reading the "Thời gian thực hiện" column of a plan, and when a deadline really ends.

`interpret_timeframe` turns what the plan writes into a `Timeframe`; it is pure (no
query) and accepts text with or without diacritics, in any case, split over lines by
page breaks, and with the OCR noise of scanned plans ("Thang 01/2025", "Quy l/2025",
"trudc ngay 25 thang cudi cia mdi quy"). The rules, in the order they are tried:

1. **ongoing** — "Thường xuyên", "Thường xuyên trong năm (2022)", "Hàng ngày", "Hàng
   tuần", "Liên tục": no due date, ever (`due_date` is None; a report decides what to do
   with them, not this module).
2. **recurring** — "Hàng/Hằng/Mỗi/Định kỳ/Theo năm|quý|tháng", "Hàng 6 tháng": the end of
   every period that overlaps the plan's window (`plan_start`–`plan_end`, else the
   `plan_year`), the last one clipped to the window's end. Without any window the
   kind is `unknown`, the `recurrence` is kept and there are no dates. A day in the
   period is honoured: "Ngày 22/5 hàng năm", "Trước ngày 25 tháng cuối của mỗi quý",
   "Trước ngày 05 hàng tháng". `due_date` is the last date of the series.
3. **conditional** — "Sau khi có Quyết định UBND tỉnh", "Khi có văn bản hướng dẫn",
   "Theo quy định của Bộ Nội vụ", "Theo yêu cầu", "Theo kế hoạch của UBND tỉnh": no date
   until the event is recorded; `condition` keeps the text.
4. **explicit days** — "Trước ngày 15/3/2022", "Trước 30/6", "Đến ngày 31/12/2025",
   "ngày 25 tháng 8 năm 2023", "15/03/2022": that day (the year from the plan when
   missing). "Trước ngày X" is read as "no later than X", as officers use it. Two days
   joined by "đến"/"–" are a range (the last day); several days are a series.
5. **ranges** — "2021-2025", "Giai đoạn 2021 – 2025": once, 31/12 of the last year (a
   phase task is due when the phase ends); "Từ tháng 3 đến tháng 5/2025", "Tháng 3-5/2025",
   "Quý I-II/2022": once, the end of the last period.
6. **periods** — "Tháng 01/2022", "Tháng 3 năm 2025", "Quý IV/2022", "6 tháng đầu năm
   2025", "Năm 2022", "Trong năm 2022", "Cả năm 2022", "Hoàn thành trong tháng 5/2025",
   "Tháng 11/2023": once, the last day of the period (a period deadline is its last
   day). "Trước tháng 5/2025" is before May: 30/04/2025. "Đầu/giữa/cuối tháng|năm"
   follow Civil Code 2015 art. 146(2)-(3): first day / 15th or 30/6 / last day.
7. **lists** — "Tháng 01, 02/2022", "Quý II, III/2022", "Quý I, II, III, IV", "Quý I, 6
   tháng, quý III, năm": recurring, one date per period (the year written once at the
   end applies to all). A review planned "Quý II, III" is done each quarter, so it is a
   series, not one deadline at the end of Q3. `recurrence` names the period when all
   are of one kind (or all dates are quarter ends), else "" (an irregular series).
8. anything else — **unknown**: the text is kept, no date.

`effective_deadline` and `overdue_working_days` apply the Civil Code rule for a time
limit whose last day is a day off (see `effective_deadline`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError
from cchc.core.text import fold
from cchc.metrics.periods import Period, PeriodKind, parse_period
from cchc.workdays.calendar import is_working_day, next_working_day, working_days_between

CIVIL_CODE_END_OF_TIME_LIMIT = "Bộ luật Dân sự 2015 (91/2015/QH13), Điều 148 khoản 5"

# The values of `cchc.plans.models.TimeframeKind` (kept as plain strings here so that
# this module imports no model).
ONCE, RECURRING, ONGOING, CONDITIONAL, UNKNOWN = "once", "recurring", "ongoing", "conditional", "unknown"
KINDS = (ONCE, RECURRING, ONGOING, CONDITIONAL, UNKNOWN)


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng một lần")
    YEARLY = "yearly", _("Hằng năm")


_PERIOD_OF = {
    Recurrence.MONTHLY: PeriodKind.MONTH,
    Recurrence.QUARTERLY: PeriodKind.QUARTER,
    Recurrence.HALF_YEARLY: PeriodKind.HALF_YEAR,
    Recurrence.YEARLY: PeriodKind.YEAR,
}
_RECURRENCE_OF = {str(v): str(k) for k, v in _PERIOD_OF.items()}


@dataclass(frozen=True)
class Timeframe:
    """What a plan's "Thời gian thực hiện" means.

    `due_dates` is the series of a recurring timeframe (one date for `once`, empty
    otherwise); `due_date` is the single deadline (the last of a series). `text` is the
    text as written, its whitespace collapsed.
    """

    kind: str
    due_date: dt.date | None = None
    due_dates: tuple[dt.date, ...] = ()
    recurrence: str = ""
    condition: str = ""
    text: str = ""

    @property
    def has_date(self) -> bool:
        return self.due_date is not None


# --- normalising what was written -----------------------------------------------------

_OCR_WORDS = {
    "trudc": "truoc", "trucc": "truoc", "cudi": "cuoi", "cia": "cua", "ctia": "cua",
    "cta": "cua", "clia": "cua", "caa": "cua", "mdi": "moi", "ndm": "nam", "nim": "nam",
    "narn": "nam", "thing": "thang", "ngiy": "ngay", "hing": "hang", "thuwong": "thuong",
}
_WORD = re.compile(r"[a-z0-9]+")
_OCR_NUMBER = re.compile(r"\b(?=[0-9ol]*[0-9])[0-9ol]+\b")  # "0l/2O25" → "01/2025"
_QUARTER_OCR = re.compile(r"\b(quy|q)\s+([il1|]{1,3}v?|v)(?=\s|/|,|-|$)")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_PARENS = re.compile(r"\([^)]*\)")


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _normalize(text: str) -> str:
    s = fold(_DASHES.sub("-", text or ""))
    s = _PARENS.sub(" ", s)
    s = _WORD.sub(lambda m: _OCR_WORDS.get(m.group(), m.group()), s)
    s = _OCR_NUMBER.sub(lambda m: m.group().replace("o", "0").replace("l", "1"), s)
    s = _QUARTER_OCR.sub(lambda m: f"{m[1]} {m[2].replace('l', 'i').replace('1', 'i').replace('|', 'i')}", s)
    return " ".join(s.split()).strip(" .;:,-")


# --- the plan's window and default year ------------------------------------------------


def _window(plan_year, plan_start, plan_end) -> tuple[dt.date, dt.date] | None:
    if plan_start and plan_end:
        return plan_start, plan_end
    if plan_start or plan_end:
        year = (plan_start or plan_end).year
        return plan_start or dt.date(year, 1, 1), plan_end or dt.date(year, 12, 31)
    if plan_year:
        return dt.date(plan_year, 1, 1), dt.date(plan_year, 12, 31)
    return None


def _default_year(plan_year, window) -> int | None:
    if plan_year:
        return plan_year
    if window and window[0].year == window[1].year:
        return window[0].year
    return None


# --- rules ------------------------------------------------------------------------------

_ONGOING = re.compile(r"\b(?:thuong xuyen|hang ngay|hang tuan|moi ngay|moi tuan|lien tuc|suot nam)\b")
_RECURRING = re.compile(
    r"\b(?:hang|moi|dinh ky(?: hang)?|theo)\s+(?P<what>thang|quy|nam|(?:6|sau) thang)\b(?!\s+dinh)"
    r"|\b(?:6|sau) thang (?:mot|1) lan\b"
)
_DAY_IN_RECURRENCE = re.compile(
    r"\bngay\s+(?P<day>\d{1,2})(?:\s*(?:/|-|\.|thang)\s*(?P<month>\d{1,2}))?"
    r"(?P<last>\s+thang cuoi)?(?:\s+cua)?\s+(?:hang|moi|dinh ky)\s+(?P<what>thang|quy|nam)\b"
)
_CONDITIONAL = re.compile(
    r"^(?:(?:du kien|thuc hien|hoan thanh|trien khai|ngay)\s+)?"
    r"(?:sau khi|khi|ngay khi|neu|tuy theo|tuy thuoc|theo|can cu)\b"
)
_DATE_NUMERIC = re.compile(
    r"(?<![\d/])(?<!thang )(?<!quy )(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})(?!\d)"
    r"(?:\s*[/.-]\s*(?P<year>\d{4})(?!\d))?(?!\s*[/.-]?\s*\d)"
)
_DATE_WORDS = re.compile(
    r"\bngay\s+(?P<day>\d{1,2})\s+thang\s+(?P<month>\d{1,2})(?:\s+nam\s+(?P<year>\d{4}))?"
)
_YEAR_RANGE = re.compile(
    r"^(?:giai doan|thoi ky|nam|cac nam|tu nam|tu)?\s*(?P<a>\d{4})\s*(?:-|den(?: nam)?|toi)\s*(?P<b>\d{4})$"
)
_FROM_TO = re.compile(r"^tu\s+(?P<a>.+?)\s+(?:den|toi)\s+(?:het\s+)?(?P<b>.+)$")
_SHORT_RANGE = re.compile(
    r"^(?P<kind>thang|quy)\s*(?P<a>\d{1,2}|[iv]+)\s*(?:-|den)\s*(?:(?:thang|quy)\s*)?(?P<b>\d{1,2}|[iv]+)"
    r"(?P<rest>\s*(?:[/.,-]\s*)?(?:nam\s*)?\d{4})?$"
)
_FILLER = re.compile(
    r"^(?:du kien|hoan thanh|thuc hien|trien khai|xong|ket thuc|vao|trong|ca|den het|den|"
    r"cham nhat(?: la)?|toi|tu nay den|truoc|thoi gian|han|muon nhat)\b\s*"
)
_POINT_IN = re.compile(r"^(?P<where>dau|giua|cuoi)\s+(?P<rest>(?:thang|nam|quy)\b.*)$")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\+|\bva\b)\s*")
_YEAR_TAIL = re.compile(r"(?:\s*[/.,-]\s*|\s+)(?:nam\s*)?(?P<year>\d{4})$")
# A period inside a longer sentence ("Dự kiến sơ kết vào tháng 11/2023").
_PERIOD_INSIDE = re.compile(
    r"\b(?:thang\s*\d{1,2}|quy\s*(?:[iv]{1,3}|[1-4])|(?:6|9) thang (?:dau|cuoi) nam|nam)"
    r"\s*(?:[/.,-]\s*)?(?:nam\s*)?\d{4}\b"
)
_NUMERAL = re.compile(r"^(?P<n>\d{1,2}|[iv]{1,4})(?P<tail>(?:\s*[/.,-]\s*|\s+)(?:nam\s*)?\d{4})?$")


def interpret_timeframe(
    text: str,
    *,
    plan_year: int | None = None,
    plan_start: dt.date | None = None,
    plan_end: dt.date | None = None,
) -> Timeframe:
    """Interpret a plan's "Thời gian thực hiện" (see the module docstring for the rules).

    `plan_year` supplies the year that "Trước 30/6" or "Quý I, II" leave out;
    `plan_start`/`plan_end` (the plan's period) bound the series of "Hàng năm", "Hàng
    quý", "Hàng tháng". Never raises: what cannot be read is `unknown`.
    """
    written = _collapse(text)
    s = _normalize(written)
    if not s:
        return Timeframe(UNKNOWN, text=written)
    window = _window(plan_year, plan_start, plan_end)
    year = _default_year(plan_year, window)

    if _ONGOING.search(s):
        return Timeframe(ONGOING, text=written)
    recurring = _recurring(s, window, written)
    if recurring is not None:
        return recurring
    if _CONDITIONAL.search(s):
        return Timeframe(CONDITIONAL, condition=written, text=written)
    days = _explicit_days(s, year)
    if days is not None:
        return _from_dates(days, written, s)
    end = _range_end(s, year)
    if end is not None:
        return _once(end, written)
    return _periods(s, year, written)


def _once(day: dt.date | None, written: str) -> Timeframe:
    if day is None:
        return Timeframe(UNKNOWN, text=written)
    return Timeframe(ONCE, due_date=day, due_dates=(day,), text=written)


def _series(dates, recurrence: str, written: str) -> Timeframe:
    dates = tuple(sorted(set(dates)))
    if not dates:
        return Timeframe(UNKNOWN, recurrence=recurrence, text=written)
    if len(dates) == 1 and not recurrence:
        return _once(dates[0], written)
    return Timeframe(RECURRING, due_date=dates[-1], due_dates=dates, recurrence=recurrence, text=written)


def _what_to_recurrence(what: str) -> str:
    return {
        "thang": Recurrence.MONTHLY,
        "quy": Recurrence.QUARTERLY,
        "nam": Recurrence.YEARLY,
    }.get(what, Recurrence.HALF_YEARLY)


def _recurring(s: str, window, written: str) -> Timeframe | None:
    with_day = _DAY_IN_RECURRENCE.search(s)
    match = with_day or _RECURRING.search(s)
    if not match:
        return None
    recurrence = str(_what_to_recurrence(match.groupdict().get("what") or "6 thang"))
    if window is None:
        return Timeframe(UNKNOWN, recurrence=recurrence, text=written)
    start, end = window
    periods = _periods_overlapping(_PERIOD_OF[recurrence], start, end)
    if with_day is None:
        return _series([min(p.end, end) for p in periods], recurrence, written)
    day = int(with_day["day"])
    dates = []
    for period in periods:
        if with_day["month"] and recurrence == Recurrence.YEARLY:
            month = int(with_day["month"])
        elif with_day["last"] or recurrence == Recurrence.YEARLY:
            month = period.end.month
        else:
            month = period.start.month
        candidate = _safe_date(period.year, month, day)
        if candidate and start <= candidate <= end:
            dates.append(candidate)
    return _series(dates, recurrence, written)


def _periods_overlapping(kind: str, start: dt.date, end: dt.date) -> list[Period]:
    periods = []
    period = Period.containing(kind, start)
    while period.start <= end:
        periods.append(period)
        period = period.next()
    return periods


def _safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None or not 1 <= month <= 12:
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _explicit_days(s: str, year: int | None) -> list[tuple[int, dt.date | None]] | None:
    """The days written out in `s` with their positions, or None when there are none."""
    found = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for match in pattern.finditer(s):
            if any(a <= match.start() < b for a, b, _ in found):
                continue
            written_year = int(match["year"]) if match["year"] else year
            day = _safe_date(written_year, int(match["month"]), int(match["day"]))
            found.append((match.start(), match.end(), day))
    if not found:
        return None
    return [(start, day) for start, _end, day in sorted(found, key=lambda f: f[0])]


def _from_dates(days, written: str, s: str) -> Timeframe:
    if any(day is None for _pos, day in days):
        return Timeframe(UNKNOWN, text=written)
    dates = [day for _pos, day in days]
    if len(dates) == 1:
        return _once(dates[0], written)
    if len(dates) == 2 and re.search(r"\b(?:den|toi)\b|\d\s*-\s*(?:ngay\s*)?\d", s[days[0][0]:days[1][0]]):
        return _once(max(dates), written)
    return _series(dates, _recurrence_of_dates(dates), written)


def _range_end(s: str, year: int | None) -> dt.date | None:
    match = _YEAR_RANGE.match(s)
    if match and int(match["a"]) <= int(match["b"]):
        return dt.date(int(match["b"]), 12, 31)
    match = _FROM_TO.match(s)
    if match:
        end = _one_period(match["b"], year)
        return end.end if end else None
    match = _SHORT_RANGE.match(s)
    if match:
        end = _one_period(f"{match['kind']} {match['b']}{match['rest'] or ''}", year)
        return end.end if end else None
    return None


def _one_period(part: str, year: int | None) -> Period | None:
    """One period as written, the year taken from `year` when the part has none."""
    part = part.strip(" .;:,-")
    while True:
        stripped = _FILLER.sub("", part, count=1)
        if stripped == part:
            break
        part = stripped
    if part in ("6 thang", "sau thang"):
        part = "6 thang dau nam"
    if not re.search(r"\d{4}", part):
        if year is None:
            return None
        part = f"{part} {year}"
    try:
        return parse_period(part)
    except DomainError:
        return None


def _periods(s: str, year: int | None, written: str) -> Timeframe:
    before = bool(re.match(r"^(?:du kien |hoan thanh |thuc hien )?truoc\b", s))
    body = s
    while True:
        stripped = _FILLER.sub("", body, count=1)
        if stripped == body:
            break
        body = stripped
    point = _POINT_IN.match(body)
    if point:
        period = _one_period(point["rest"], year)
        return _once(_point_in(period, point["where"]), written)

    parts = [p for p in _LIST_SPLIT.split(body) if p]
    if len(parts) <= 1:
        period = _one_period(body, year)
        if period is None:
            inside = set(_PERIOD_INSIDE.findall(body))
            period = _one_period(inside.pop(), year) if len(inside) == 1 else None
        if period is None:
            return Timeframe(UNKNOWN, text=written)
        return _once(period.start - dt.timedelta(days=1) if before else period.end, written)

    shared = _YEAR_TAIL.search(parts[-1])
    shared_year = int(shared["year"]) if shared else year
    periods: list[Period] = []
    kind_word = ""
    for part in parts:
        head = re.match(r"^(thang|quy)\b", part)
        numeral = _NUMERAL.match(part)
        if head:
            kind_word = head[1]
        elif numeral and kind_word:
            part = f"{kind_word} {part}"
        period = _one_period(part, shared_year)
        if period is None:
            return Timeframe(UNKNOWN, text=written)
        periods.append(period)
    kinds = {p.kind for p in periods}
    recurrence = _RECURRENCE_OF.get(kinds.pop(), "") if len(kinds) == 1 else ""
    dates = [p.end for p in periods]
    return _series(dates, recurrence or _recurrence_of_dates(dates), written)


def _point_in(period: Period | None, where: str) -> dt.date | None:
    """Civil Code 2015 art. 146(2)-(3): đầu/giữa/cuối tháng = 1st/15th/last day; đầu/giữa/
    cuối năm = 1/1, 30/6, 31/12. For a quarter: its first or last day (no middle)."""
    if period is None:
        return None
    if where == "dau":
        return period.start
    if where == "cuoi":
        return period.end
    if period.kind == PeriodKind.MONTH:
        return period.start.replace(day=15)
    if period.kind == PeriodKind.YEAR:
        return dt.date(period.year, 6, 30)
    return None


def _recurrence_of_dates(dates) -> str:
    if dates and all(d.month % 3 == 0 and d == Period.containing(PeriodKind.QUARTER, d).end for d in dates):
        return str(Recurrence.QUARTERLY)
    return ""


# --- when a deadline really ends -------------------------------------------------------


def effective_deadline(due: dt.date) -> dt.date:
    """The day a time limit really ends.

    Civil Code 2015 (Bộ luật Dân sự 91/2015/QH13), art. 148(5): "Khi ngày cuối cùng của
    thời hạn là ngày nghỉ cuối tuần hoặc ngày nghỉ lễ thì thời hạn kết thúc tại thời điểm
    kết thúc ngày làm việc tiếp theo ngày nghỉ đó" — when the last day is a weekend or a
    public holiday, the limit ends at the end of the next working day. Days off are
    those of `cchc.workdays.calendar` (Labour Code art. 112 and the yearly announcements):
    due 31/01/2025 (Tết) → 03/02/2025; due Saturday 31/05/2025 → Monday 02/06/2025.
    """
    return due if is_working_day(due) else next_working_day(due)


def is_overdue(due: dt.date, today: dt.date) -> bool:
    """Past the effective deadline (a deadline missed on Friday is overdue on Saturday)."""
    return today > effective_deadline(due)


def overdue_working_days(due: dt.date, today: dt.date) -> int:
    """Working days late: those after the effective deadline up to and including
    `today` (0 when not overdue). Due Friday 30/05/2025, today Monday 02/06/2025 → 1."""
    return max(0, working_days_between(effective_deadline(due), today))
