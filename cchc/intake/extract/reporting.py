"""Reporting rules: which periodic reports the plan asks for, and by when.

Read from the prose (not the appendix tables, whose "Báo cáo định kỳ quý…" are task
deliverables), sentence by sentence, on folded text with the OCR words of
`cchc.plans.timeframes` mended ("nim" → "nam", "trudc" → "truoc"). A sentence counts
when it speaks of a report ("báo cáo"); its rules, tried in this order:

1. a deadline per period — "quý I trước ngày 05/3; … cả năm trước ngày 05/12" → one rule
   per period, `due` "05/03" … "05/12";
2. a day of the last month — "trước ngày 25 tháng cuối của mỗi quý, 6 tháng, năm" →
   quarter, half_year, year, each `due` "25 of last month";
3. a list of periods — "báo cáo tháng, quý, 6 tháng, năm", "định kỳ (quý I, 6 tháng,
   quý III, năm)" → one rule per period kind, `due` None;
4. a dated report — "báo cáo kết quả … trước ngày 31 tháng 10 năm 2024" → a yearly rule
   due that day.

`period` is a `PeriodKind` value. `due` is a short rule: "DD/MM" (that day, every year
the period ends), "DD/MM/YYYY" (one date), "<day> of last month" (that day of the last
month of each period), or None (the plan gives no day). A rule (period, due) already
found earlier in the document is not repeated.
"""

from __future__ import annotations

import re

from cchc.core.text import fold
from cchc.plans.timeframes import _OCR_WORDS

from ..document import Document
from ..draft import DraftReporting
from .areas import blocks, sentences

_WORD = re.compile(r"[a-z0-9]+")
_REPORT = re.compile(r"\bb[a-z]o c[a-z]o\b")
_PERIOD = r"(?:quy\s+(?:iv|i{1,3}|[1-4])|quy|(?:6|sau|9|chin) thang(?: dau nam| cuoi nam)?|ca nam|thang|nam)"
_PER_PERIOD = re.compile(
    rf"(?P<period>{_PERIOD})\s+(?:truoc|cham nhat|den)\s+(?:ngay\s+)?(?P<day>\d{{1,2}})\s*(?:/|thang)\s*"
    r"(?P<month>\d{1,2})(?:\s*(?:/|nam)\s*(?P<year>\d{4}))?"
)
_LAST_MONTH = re.compile(
    rf"\bngay\s+(?P<day>\d{{1,2}})\s+thang\s+cuoi\s+(?:cua\s+)?(?:moi|hang)\s+(?P<list>{_PERIOD}"
    rf"(?:\s*(?:,|va|;)\s*{_PERIOD})*)"
)
_LIST = re.compile(
    rf"\b(?:bao cao|dinh ky)\s*\(?\s*(?P<list>{_PERIOD}(?:\s*(?:,|va|;)\s*{_PERIOD})*)\b(?!\s*\d)"
)
_DATED = re.compile(
    r"\b(?:truoc|cham nhat|den)\s+(?:ngay\s+)?(?P<day>\d{1,2})\s*(?:/|thang)\s*(?P<month>\d{1,2})"
    r"\s*(?:/|nam)\s*(?P<year>\d{4})"
)


def _normalize(text: str) -> str:
    return _WORD.sub(lambda m: _OCR_WORDS.get(m.group(), m.group()), fold(text))


def period_kind(word: str) -> str:
    word = word.strip()
    if word.startswith("quy"):
        return "quarter"
    if word.startswith(("6 thang", "sau thang")):
        return "half_year"
    if word.startswith(("9 thang", "chin thang")):
        return "nine_months"
    if word == "thang":
        return "month"
    return "year"


def _split(periods: str) -> list[str]:
    return [p for p in re.split(r"\s*(?:,|\bva\b|;)\s*", periods) if p]


def rules(sentence: str) -> list[tuple[str, str | None]]:
    """The (period, due) rules a sentence sets, in order."""
    s = _normalize(sentence)
    if not _REPORT.search(s):
        return []
    found = [
        (period_kind(m["period"]), f"{int(m['day']):02d}/{int(m['month']):02d}"
         + (f"/{m['year']}" if m["year"] else ""))
        for m in _PER_PERIOD.finditer(s)
    ]
    if found:
        return found
    for m in _LAST_MONTH.finditer(s):
        found += [(period_kind(p), f"{int(m['day'])} of last month") for p in _split(m["list"])]
    if found:
        return found
    for m in _LIST.finditer(s):
        found += [(period_kind(p), None) for p in _split(m["list"])]
    if found:
        return found
    return [
        ("year", f"{int(m['day']):02d}/{int(m['month']):02d}/{m['year']}") for m in _DATED.finditer(s)
    ]


def extract_reporting(document: Document) -> list[DraftReporting]:
    out: list[DraftReporting] = []
    seen: set[tuple[str, str | None]] = set()
    for block in blocks(document):
        for sentence in sentences(block.text):
            for period, due in rules(sentence):
                if (period, due) in seen:
                    continue
                seen.add((period, due))
                out.append(DraftReporting(period=period, due=due, text=sentence, source_line=block.line))
    return out
