"""Reading the rows of a plan's task appendix, whatever carries them (an Excel sheet, a
Word table, a PDF's text): pure rules shared by the Excel import and the plan intake.

The printed appendices (seeds 001 and 003) have a header repeated on every page, group
rows ("I | Công tác chỉ đạo…", "VI. Cải cách tài chính công" in the first cell, "1." with
the title beside it), and tasks whose cells a page break splits over two rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cchc.core.text import fold

_ROMAN = r"[IVXLC]{1,6}"
# "I", "VI.", "IV -": a roman group number alone in the STT cell.
ROMAN_ONLY = re.compile(rf"^({_ROMAN})\s*[.):\-–]?$")
# "VI. Cải cách tài chính công": the number and the title in the first cell (merged).
NUMBER_AND_TITLE = re.compile(rf"^({_ROMAN}|\d{{1,2}})\s*[.):\-–]\s*(\S.*)$|^({_ROMAN})\s+(\S.*)$", re.S)
# "1.", "2.": an arabic group number, as seed 003 numbers its groups ("1.1" are tasks).
ARABIC_GROUP = re.compile(r"^(\d{1,2})\s*\.$")

_WORDS = re.compile(r"[a-z0-9]+")

OTHER_FIELDS = ("deliverable", "timeframe", "lead", "coordinating")


def group_of(number: str, cells: Mapping[str, str]) -> tuple[str, str] | None:
    """(label, title) when the row opens a group of tasks, else None. `cells` maps
    "content", "deliverable", "timeframe", "lead", "coordinating" to their text."""
    if any(cells.get(key) for key in OTHER_FIELDS):
        return None
    content = cells.get("content") or ""
    match = ROMAN_ONLY.match(number)
    if match and content:
        return match.group(1), content
    match = NUMBER_AND_TITLE.match(number)
    if match and not content:
        label, title = match.group(1, 2) if match.group(1) else match.group(3, 4)
        return label, " ".join(title.split())
    match = ARABIC_GROUP.match(number)
    if match and content:
        return match.group(1), content
    return None


def starts_lower(text: str) -> bool:
    first = text.lstrip(" -–+•*\"“(")[:1]
    return bool(first) and not (first.isalpha() and first.isupper())


def continues(cells: Mapping[str, str]) -> bool:
    """A row without STT continues the task above unless it starts a new one: a
    capitalised content with its own lead unit (seed 003 has such unnumbered tasks);
    a row broken by a page starts in lower case or carries only the tail of cells."""
    content = cells.get("content") or ""
    return not (content and not starts_lower(content) and cells.get("lead"))


# --- the reform area of a group -----------------------------------------------------------
# `areas` are objects with `pk`, `name`, `keywords` and `order` (ReformArea rows, or any
# stand-in with those attributes).


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(fold(text)))


def _acronym(name: str) -> str:
    """"Cải cách thủ tục hành chính" → "tthc" (what "Cải cách TTHC" abbreviates)."""
    words = _words(name).split()
    if words[:2] == ["cai", "cach"]:
        words = words[2:]
    return "".join(word[0] for word in words)


def area_scores(text: str, areas: Sequence) -> dict[int, int]:
    """Per area (by pk), the length of its keyword phrases found in `text`."""
    padded = f" {_words(text)} "
    scores: dict[int, int] = {}
    for area in areas:
        for phrase in re.split(r"[;\n]", area.keywords or ""):
            phrase = _words(phrase)
            if phrase and f" {phrase} " in padded:
                scores[area.pk] = scores.get(area.pk, 0) + len(phrase)
    return scores


def area_for_title(title: str, areas: Sequence) -> Any:
    """The area a group title names: its name, else its acronym ("Cải cách TTHC"), else
    the area whose keywords cover most of the title."""
    words = _words(title)
    by_pk = {area.pk: area for area in areas}
    for area in areas:
        if _words(area.name) == words:
            return area
    stripped = re.sub(r"^(?:ve |cong tac )+", "", words)
    stripped = re.sub(r" (?:ve )?cai cach hanh chinh$", "", stripped)
    for area in areas:
        name = _words(area.name)
        if stripped and (name == stripped or f"cai cach {stripped}" == name):
            return area
    tail = words.split()[-1:] if words.startswith("cai cach") and len(words.split()) == 3 else []
    if tail:
        for area in areas:
            if _acronym(area.name) == tail[0]:
                return area
    scores = area_scores(title, areas)
    if scores:
        return by_pk[max(scores, key=lambda pk: (scores[pk], -by_pk[pk].order))]
    return None
