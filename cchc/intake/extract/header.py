"""The plan header: issuer, number and symbol, place and date, title, kind, period, the
plans it implements, purposes and requirements.

Matched on folded text, so OCR text without diacritics reads the same ("S6:18 /KH-GD&DPT
D6 Son, ngay 12 thang 01 nam 2025"); every value is kept as written.

* **number, symbol** — "Số: 251/KH-PGD&ĐT" → "251", "KH-PGD&ĐT"; a blank number ("Số:
  /KH-SGD&ĐT") → None. Without a "Số:" line, the appendix's "(Kèm theo Kế hoạch số 54
  /KH-PGDĐT ngày 23/02/2021 …)" gives number, symbol and date.
* **place, date** — "Hoàng Mai, ngày 19 tháng 7 năm 2021"; "Bến Tre, ngày tháng năm 2022"
  → the place, no date.
* **issuer** — the unit line of the header block above the title (the last line naming a
  Phòng/Sở/…, the national motto cut off); else the unit that "ban hành / xây dựng /
  phát động" the plan in the opening paragraph; else the unit after "của/tại" in the
  title.
* **title** — the lines after "KẾ HOẠCH" up to the opening "Thực hiện/Căn cứ" paragraph
  or the first section; trailing punctuation dropped.
* **kind** — emulation ("phát động phong trào thi đua", "thi đua" in the title),
  thematic (PAPI, "chuyên đề"), phase ("giai đoạn 2021-2025"), annual ("năm 2022").
* **period** — a phase or an emulation campaign: 1/1 of its first year to 31/12 of its
  last; otherwise the year.
* **implements** — each "Kế hoạch/Quyết định/Chỉ thị/Nghị quyết/Công văn số …" of the
  opening paragraph(s), as written, up to the next ";" or the sentence of the issuer.
"""

from __future__ import annotations

import datetime as dt
import re

from cchc.core.text import fold

from ..document import Document
from ..draft import PlanHeader
from .areas import blocks, clean, nfc
from .indicators import fold_aligned

_NUMBER = re.compile(r"\bs[o0-9]{1}\s*:\s*(?P<number>\d*)\s*/\s*(?P<symbol>[^\s,;]+)")
_PLACE_DATE = re.compile(
    r"(?P<place>[^,:;]{2,40}?),\s*ngay\s*(?P<day>\d{1,2})?\s*thang\s*(?P<month>\d{1,2})?\s*nam\s*(?P<year>\d{4})"
)
_ATTACHED = re.compile(
    r"kem theo ke hoach so\s*(?P<number>\d*)\s*/\s*(?P<symbol>[^\s,;)]+)"
    r"(?:\s*ngay\s*(?P<day>\d{1,2})\s*(?:/|thang)\s*(?P<month>\d{1,2})\s*(?:/|nam)\s*(?P<year>\d{4}))?"
)
_MOTTO = re.compile(r"\s*(?:cong hoa|doc lap|d[eo]c\s*[l1]ap)\b.*$")
_UNIT = re.compile(
    r"^(?:phong|so|uy ban|ubnd|bo|truong|trung tam|van phong)\b.*\b(?:giao duc|gd|dao tao|nhan dan)",
)
_TITLE_WORD = re.compile(r"^ke\s*hoach$")
_OPENING = re.compile(
    r"^(?:can cu\b|th[uy][ce] hi[a-z]n\s+(?:ke hoach|quyet dinh|chi thi|nghi quyet|cong van|chuong trinh))"
)
_SECTION = re.compile(r"^(?:[ivx]+|\d+)\s*[.)]\s")
_REFERENCE = re.compile(
    r"\b(?:ke hoach|quyet dinh|chi thi|nghi quyet|cong van|thong tu|nghi dinh|chuong trinh)\s+s[o0-9a-z]\b"
)
_ISSUER_CLAUSE = re.compile(
    r"[.,;]\s+(?=(?:phong|so|uy ban|ubnd|bo)\b[^.,;]{0,80}?\b(?:ban hanh|xay dung|phat dong)\b)"
)
_ISSUER_SENTENCE = re.compile(
    r"(?P<unit>(?:phong|so|uy ban nhan dan|ubnd|bo)\s+(?:giao duc va dao tao|gd&dt|gddt|gd&pt|gd&dpt)"
    r"(?:\s+(?:quan|huyen|tinh|thanh pho|thi xa)\s+[^,.;]+?)?)\s+(?:ban hanh|xay dung|phat dong)\b"
)
_TITLE_UNIT = re.compile(
    r"\b(?:cua|tai)\s+(?P<unit>(?:phong|so)\s+giao duc va dao tao(?:\s+(?:quan|huyen|tinh|thanh pho)?\s*"
    r"[^\W\d_][^,.;]*?)?)(?=\s+(?:nam|giai doan)\b|[,.;]|$)"
)


def _date(year, month, day) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def _head_lines(document: Document):
    """(line, clean text, folded text) of every line; a table row reads as its cells
    joined (a header block laid out with TABs: "\tSố: /KH-SGDĐT")."""
    out = []
    for line in document.lines:
        text = clean(" ".join(c for c in line.cells if c.strip()) if line.is_row else line.text)
        if not text:
            continue
        out.append((line, text, fold(text)))
    return out


def extract_header(document: Document) -> PlanHeader:
    header = PlanHeader()
    lines = _head_lines(document)

    # number, symbol, place, date — the "Số:" line and the "…, ngày … tháng … năm …" line
    title_index = next((i for i, (_, _, f) in enumerate(lines) if _TITLE_WORD.match(f)), None)
    head = lines[: (title_index if title_index is not None else 10) + 1]
    for _line, text, _folded in head:
        aligned = fold_aligned(text)
        match = _NUMBER.search(aligned)
        rest_from = 0
        if match and header.symbol is None:
            header.number = match["number"] or None
            header.symbol = text[match.start("symbol"): match.end("symbol")]
            rest_from = match.end()
        date_match = _PLACE_DATE.search(aligned, rest_from)
        if date_match and header.place is None:
            header.place = text[date_match.start("place"): date_match.end("place")].strip(" .-–") or None
            header.date = _date(date_match["year"], date_match["month"], date_match["day"])
    if header.symbol is None or header.date is None:
        for _line, text, _folded in lines:
            aligned = fold_aligned(text)
            match = _ATTACHED.search(aligned)
            if match:
                if header.symbol is None:
                    header.number = match["number"] or None
                    header.symbol = text[match.start("symbol"): match.end("symbol")]
                if header.date is None and match["year"]:
                    header.date = _date(match["year"], match["month"], match["day"])
                break

    # title: after "KẾ HOẠCH" up to the opening paragraph or the first section
    body_start = 0
    if title_index is not None:
        parts = []
        body_start = title_index + 1
        for _line, text, folded in lines[title_index + 1:]:
            if _OPENING.match(folded) or _SECTION.match(folded) or _REFERENCE.match(folded):
                break
            parts.append(text)
            body_start += 1
        header.title = " ".join(parts).strip(" .:;,") or None

    # issuer: the unit line of the header block, else the issuing sentence, else the title
    block_lines = lines[: title_index if title_index is not None else 0]
    units = []
    for _line, text, folded in block_lines:
        cut = _MOTTO.search(folded)
        kept = text[: cut.start()] if cut else text
        kept_folded = folded[: cut.start()] if cut else folded
        if kept and _UNIT.match(kept_folded) and not _NUMBER.search(kept_folded):
            units.append(kept.strip(" -–"))
    if units:
        header.issuer = units[-1]
    opening = _opening_text(lines[body_start:])
    if header.issuer is None and opening:
        aligned = fold_aligned(opening)
        match = _ISSUER_SENTENCE.search(aligned)
        if match:
            header.issuer = opening[match.start("unit"): match.end("unit")].strip()
    if header.issuer is None and header.title:
        aligned = fold_aligned(header.title)
        match = _TITLE_UNIT.search(aligned)
        if match:
            header.issuer = header.title[match.start("unit"): match.end("unit")].strip()

    # kind and period
    title_folded = fold(header.title or "")
    opening_folded = fold(opening)
    years = [int(y) for y in re.findall(r"(?:giai doan|tu nam)\s*(\d{4})\s*[-–—]\s*(\d{4})", title_folded)
             for y in y]
    year = re.search(r"\bnam\s+(\d{4})\b", title_folded)
    if "thi dua" in title_folded or "phat dong phong trao thi dua" in opening_folded:
        header.kind = "emulation"
    elif "papi" in title_folded or "chuyen de" in title_folded:
        header.kind = "thematic"
    elif years:
        header.kind = "phase"
    elif year:
        header.kind = "annual"
    if years:
        header.period_start, header.period_end = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    elif year:
        header.period_start = dt.date(int(year[1]), 1, 1)
        header.period_end = dt.date(int(year[1]), 12, 31)

    header.implements = _implements(opening)
    header.purposes, header.requirements = _aims(document)
    return header


def _opening_text(lines) -> str:
    """The opening paragraph(s) after the title: up to the first section heading."""
    parts = []
    for _line, text, folded in lines:
        if _SECTION.match(folded):
            break
        parts.append(text)
    return " ".join(parts)


def _implements(opening: str) -> list[str]:
    if not opening:
        return []
    text = nfc(opening)
    aligned = fold_aligned(text)
    cut = _ISSUER_CLAUSE.search(aligned)
    if cut:
        text, aligned = text[: cut.start()], aligned[: cut.start()]
    out = []
    position = 0
    for piece in re.split(r";", aligned):
        start = _REFERENCE.search(piece)
        if start:
            ref = text[position + start.start(): position + len(piece)]
            ref = " ".join(ref.split()).strip(" .,;")
            if ref:
                out.append(ref)
        position += len(piece) + 1
    return out


def _aims(document: Document) -> tuple[str | None, str | None]:
    purposes, requirements = [], []
    for block in blocks(document):
        heading = fold(block.section_path[-1]) if block.section_path else ""
        bare = re.sub(r"^\s*(?:[ivx]+|\d+|[a-z])\s*[.)]\s*", "", heading)
        if re.match(r"^muc (?:dich|pich)$", bare):
            purposes.append(block.text)
        elif re.match(r"^yeu c[a-z]{1,2}u$", bare):
            requirements.append(block.text)
    return ("\n".join(purposes) or None), ("\n".join(requirements) or None)
