"""Indicators: every sentence of the prose that sets a measurable target.

What counts (matched on folded text, OCR text without diacritics included):

* a percentage — "đạt trên 95%", "từ 98% trở lên", "100% văn bản …", "tích hợp 70%",
  "Phấn đấu có thêm 20%", "Giảm tối thiểu 10%", "không vượt quá 5%", "dưới 2%";
* a count with a qualifier — "ít nhất 01 mô hình", "tối thiểu 2 lần", "không ít hơn 3
  ngày": the unit is the counted noun as written ("mô hình", "ngày"). A bare number
  ("xây dựng thí điểm 01 trường", "5 dễ", "3 cấp") is not a target.

The comparator: "trên" → ">", "dưới" → "<", "không quá / không vượt quá / tối đa / trở
xuống" → "<=", "bằng / đúng" → "=". Everything else — "từ X% trở lên", "ít nhất",
"tối thiểu", "đạt X%", and a bare "X% …" — is ">=": a plan that says "100% văn bản được
ban hành đúng thể thức" sets a floor (nothing is above 100%, so ">= 100" and "= 100" say
the same, and ">=" keeps one rule for 100% and for 30%).

One sentence with several targets gives several indicators ("tích hợp 70% … phấn đấu
20% …"); each keeps the whole sentence as its `text` (whitespace normalised, markdown
`**` stripped) and the number of its block's first line as `source_line`.

Not indicators: table rows (the appendix rows are tasks), the "Mục đích"/"Yêu cầu"
sections (aims, restated as targets in the "chỉ tiêu" section), the signature block and
what follows ("Nơi nhận"), numbers that are not targets (dates, decree numbers, "ISO
9001:2015", "mức độ 3,4").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from cchc.core.text import fold

from ..document import Document
from ..draft import DraftIndicator
from .areas import area_for, blocks, load_areas, sentences


def fold_aligned(text: str) -> str:
    """`fold` one character at a time: the result has the length of `text` (NFC), so a
    match in it is a slice of the original."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        out.append((base[:1] or ch).lower() if base else ch)
    return "".join(out)


# OCR: "l00%", "1O0%", "I00%" before a percent sign.
_OCR_PERCENT = re.compile(r"(?<![a-z0-9])([0-9lio]{1,3}(?:[.,][0-9o]+)?)(?=\s?%)")
_PERCENT = re.compile(r"(?<![\w.,/])(?P<value>\d{1,3}(?:[.,]\d+)?)\s?%")
_COUNT = re.compile(
    r"\b(?P<qual>it nhat|toi thieu|khong it hon|khong duoi|toi da|khong qua|khong vuot qua)\s+"
    r"(?P<value>\d{1,4})\s+(?P<unit>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
)
# Nouns that are whole in one syllable; other counted nouns take two ("mô hình", "sáng kiến").
_ONE_SYLLABLE = {"ngay", "lan", "buoi", "truong", "lop", "nguoi", "thang", "nam", "dot", "cuoc", "ban", "bai"}

_GREATER = re.compile(r"(?:\bdat|\bla|\bty le|\bco|^|\s)tren\s*$")
_LESS = re.compile(r"\bduoi\s*$")
_AT_MOST = re.compile(r"\b(?:khong qua|khong vuot qua|toi da|khong cao hon|khong lon hon)\s*$")
_EQUAL = re.compile(r"\b(?:bang|dung)\s*$")
_AT_MOST_AFTER = re.compile(r"^\s*(?:tro xuong|tro lai)\b")

_AIMS = re.compile(r"\b(?:muc (?:dich|pich)|yeu c[a-z]{1,2}u)\b")
_TARGETS = re.compile(r"\bchi t[a-z]{1,3}u\b")


def _comparator(before: str, after: str) -> str:
    before = before[-30:]
    if _AT_MOST.search(before) or _AT_MOST_AFTER.search(after):
        return "<="
    if _LESS.search(before):
        return "<"
    if _GREATER.search(before):
        return ">"
    if _EQUAL.search(before):
        return "="
    return ">="


def _ocr_digits(folded: str) -> str:
    return _OCR_PERCENT.sub(lambda m: m[1].replace("l", "1").replace("i", "1").replace("o", "0"), folded)


def targets(sentence: str) -> list[tuple[str, Decimal, str]]:
    """The (comparator, value, unit) targets a sentence sets, in order."""
    return [(c, v, u) for _, c, v, u in _targets(sentence)]


def _targets(sentence: str) -> list[tuple[int, str, Decimal, str]]:
    folded = _ocr_digits(fold_aligned(sentence))
    found: list[tuple[int, str, Decimal, str]] = []
    for match in _PERCENT.finditer(folded):
        value = Decimal(match["value"].replace(",", "."))
        comparator = _comparator(folded[: match.start()], folded[match.end():])
        found.append((match.start(), comparator, value, "%"))
    for match in _COUNT.finditer(folded):
        qualifier = match["qual"]
        comparator = "<=" if qualifier in ("toi da", "khong qua", "khong vuot qua") else ">="
        words = match["unit"].split()
        unit_words = 1 if words[0] in _ONE_SYLLABLE or len(words) == 1 else 2
        start = match.start("unit")
        end = start + len(" ".join(words[:unit_words]))
        found.append((match.start(), comparator, Decimal(match["value"]), sentence[start:end]))
    found.sort(key=lambda f: f[0])
    return found


def _clause(sentence: str, position: int) -> str:
    """The part of the sentence between semicolons that holds `position`."""
    start = sentence.rfind(";", 0, position) + 1
    end = sentence.find(";", position)
    return sentence[start: end if end >= 0 else len(sentence)].strip()


def _in_aims(section_path) -> bool:
    """Under a "Mục đích"/"Yêu cầu" heading (the innermost that says either)."""
    for heading in reversed(section_path):
        folded = fold(heading)
        if _TARGETS.search(folded):
            return False
        if _AIMS.search(folded):
            return True
    return False


def extract_indicators(document: Document) -> list[DraftIndicator]:
    areas = load_areas()
    out: list[DraftIndicator] = []
    for block in blocks(document):
        if _in_aims(block.section_path):
            continue
        for sentence in sentences(block.text):
            found = _targets(sentence)
            for position, comparator, value, unit in found:
                area = area_for(_clause(sentence, position), block.section_path, areas=areas)
                if area is None:
                    area = area_for(sentence, block.section_path, areas=areas)
                out.append(
                    DraftIndicator(
                        text=sentence,
                        comparator=comparator,
                        value=value,
                        unit=unit,
                        area=area,
                        source_line=block.line,
                    )
                )
    return out
