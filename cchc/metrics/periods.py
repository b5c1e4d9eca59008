"""Reporting periods: month, quarter, half-year, nine months, year.

A `Period` is a value (frozen, hashable): `Period(PeriodKind.QUARTER, 2025, 1)` is the
first quarter of 2025. Its `key` ("2025-Q1") is what code and URLs store; its `label`
("Quý I/2025") is what users read. `parse_period` reads the names officers write in
plans and reports ("quý 1 năm 2025", "6 thang dau nam 2025", "Tháng 03/2025"…).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError
from cchc.core.text import fold


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


# How many periods of each kind a year holds, and the months each one spans.
_COUNT = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF_YEAR: 2,
    PeriodKind.NINE_MONTHS: 1,  # only "9 tháng đầu năm": January to September
    PeriodKind.YEAR: 1,
}
_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.NINE_MONTHS: 9,
    PeriodKind.YEAR: 12,
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {v.lower(): k for k, v in ROMAN.items()}


@dataclass(frozen=True)
class Period:
    """One reporting period. `index` counts from 1 within the year (1 for a year)."""

    kind: str
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in PeriodKind.values:
            raise DomainError(gettext("Loại kỳ báo cáo không hợp lệ."), code="invalid_period")
        # Store the plain string so that equal periods compare and hash equal.
        object.__setattr__(self, "kind", str(PeriodKind(self.kind).value))
        if not 1 <= self.index <= _COUNT[self.kind]:
            raise DomainError(gettext("Kỳ báo cáo không hợp lệ."), code="invalid_period")
        if not 1900 <= self.year <= 9998:
            raise DomainError(gettext("Năm không hợp lệ."), code="invalid_period")

    # --- boundaries -------------------------------------------------------------------

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        if self.kind == PeriodKind.NINE_MONTHS:
            return dt.date(self.year, 1, 1)
        month = (self.index - 1) * _MONTHS[self.kind] + 1
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        last_month = self.start.month + _MONTHS[self.kind] - 1
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    # --- names ------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """Stable machine name: 2025-M01, 2025-Q1, 2025-H1, 2025-9M, 2025."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-M{self.index:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind == PeriodKind.HALF_YEAR:
            return f"{self.year}-H{self.index}"
        if self.kind == PeriodKind.NINE_MONTHS:
            return f"{self.year}-9M"
        return str(self.year)

    @property
    def label(self) -> str:
        """The Vietnamese name as written in plans and reports."""
        values = {"year": self.year}
        if self.kind == PeriodKind.MONTH:
            return gettext("Tháng %(month)02d/%(year)d") % {**values, "month": self.index}
        if self.kind == PeriodKind.QUARTER:
            return gettext("Quý %(roman)s/%(year)d") % {**values, "roman": ROMAN[self.index]}
        if self.kind == PeriodKind.HALF_YEAR:
            if self.index == 1:
                return gettext("6 tháng đầu năm %(year)d") % values
            return gettext("6 tháng cuối năm %(year)d") % values
        if self.kind == PeriodKind.NINE_MONTHS:
            return gettext("9 tháng đầu năm %(year)d") % values
        return gettext("Năm %(year)d") % values

    def __str__(self) -> str:
        return self.label

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period named by `key` (see `key`); DomainError when it names none."""
        match = _KEY.fullmatch((key or "").strip().upper())
        if not match:
            raise DomainError(
                gettext("Mã kỳ báo cáo “%(key)s” không hợp lệ.") % {"key": key},
                code="invalid_period",
            )
        year, part = int(match["year"]), match["part"]
        if part is None:
            return cls(PeriodKind.YEAR, year)
        if part == "9M":
            return cls(PeriodKind.NINE_MONTHS, year)
        kind = {"M": PeriodKind.MONTH, "Q": PeriodKind.QUARTER, "H": PeriodKind.HALF_YEAR}[part[0]]
        return cls(kind, year, int(part[1:]))

    # --- navigation -------------------------------------------------------------------

    def previous(self) -> Period:
        """The period of the same kind just before (nine months: the previous year's)."""
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, _COUNT[self.kind])

    def next(self) -> Period:
        if self.index < _COUNT[self.kind]:
            return Period(self.kind, self.year, self.index + 1)
        return Period(self.kind, self.year + 1, 1)

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        """The period of `kind` that contains `day` (nine months: DomainError after September)."""
        if kind == PeriodKind.NINE_MONTHS and day.month > 9:
            raise DomainError(
                gettext("Ngày %(day)s không thuộc kỳ 9 tháng đầu năm.")
                % {"day": day.strftime("%d/%m/%Y")},
                code="invalid_period",
            )
        return cls(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    @classmethod
    def current(cls, kind: str, today: dt.date | None = None) -> Period:
        """The period of `kind` running today (Asia/Ho_Chi_Minh).

        For nine months, after September the current one is that of this year (it has
        ended; there is no other nine-month period in the year).
        """
        today = today or timezone.localdate()
        if kind == PeriodKind.NINE_MONTHS:
            return cls(kind, today.year)
        return cls.containing(kind, today)


def periods_in_year(kind: str, year: int) -> list[Period]:
    """Every period of `kind` in `year`, in order."""
    return [Period(kind, year, index) for index in range(1, _COUNT[PeriodKind(kind)] + 1)]


# --- parsing what officers write ----------------------------------------------------

_KEY = re.compile(r"(?P<year>\d{4})(?:-(?P<part>M(?:0[1-9]|1[0-2])|Q[1-4]|H[12]|9M))?")

# Between the period and its year: "/", "-", "năm", or both ("Quý I - năm 2025").
_SEP = r"\s*(?:[/\-.,]\s*)?(?:nam\s*)?"
_YEAR = r"(?P<year>\d{4})"
_PATTERNS = [
    (
        PeriodKind.QUARTER,
        re.compile(r"(?:quy|q)\s*(?P<index>iv|i{1,3}|[1-4])" + _SEP + _YEAR),
    ),
    (
        PeriodKind.HALF_YEAR,
        re.compile(
            r"(?:(?:6|sau)\s*thang|nua)\s*(?P<index>dau|cuoi)(?:\s*nam)?" + _SEP + _YEAR
        ),
    ),
    (
        PeriodKind.NINE_MONTHS,
        re.compile(r"(?:9|chin)\s*thang(?:\s*dau)?(?:\s*nam)?" + _SEP + _YEAR),
    ),
    (
        PeriodKind.MONTH,
        re.compile(r"thang\s*(?P<index>0?[1-9]|1[0-2])" + _SEP + _YEAR),
    ),
    (PeriodKind.YEAR, re.compile(r"(?:nam\s*)?" + _YEAR)),
]
_DASHES = re.compile(r"[\u2010-\u2015]")


def parse_period(text: str) -> Period:
    """Read a period as officers write it, with or without diacritics, in any case.

    "Quý I/2025", "quý 1 năm 2025", "Quy IV/2024", "6 tháng đầu năm 2025", "sáu tháng
    cuối năm 2025", "9 tháng (đầu) năm 2025", "Năm 2025", "tháng 3/2025", "Tháng 03 năm
    2025", and the keys ("2025-Q1"). Anything else raises DomainError.
    """
    raw = text or ""
    folded = fold(_DASHES.sub("-", raw)).strip(" .:;")
    key_match = _KEY.fullmatch(folded.upper())
    if key_match:
        return Period.from_key(folded)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(folded)
        if not match:
            continue
        year = int(match["year"])
        index = match.groupdict().get("index")
        if index is None:
            return Period(kind, year)
        if kind == PeriodKind.HALF_YEAR:
            return Period(kind, year, 1 if index == "dau" else 2)
        number = _FROM_ROMAN.get(index) or int(index)
        return Period(kind, year, number)
    raise DomainError(
        gettext("Không hiểu kỳ báo cáo “%(text)s”.") % {"text": raw.strip()},
        code="invalid_period",
        field="period",
    )
