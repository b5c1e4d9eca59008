"""From a `Document` to a `Draft`: each part of the plan has its own extractor.

    header.py      issuer, number and symbol, place and date, title, kind, period,
                   the plans it implements, purposes and requirements
    indicators.py  every sentence that sets a measurable target
    tasks.py       appendix tables (any of the seeds' column sets) and key-task bullets
    reporting.py   the reporting rules, as a proposed reporting schedule
    areas.py       the reform area of an item, from its section and its words

All of them match on folded text (no diacritics, lower case; OCR noise tolerated) and
keep the original text.
"""

from __future__ import annotations

from ..document import Document
from ..draft import Draft


def extract(document: Document) -> Draft:
    from .header import extract_header
    from .indicators import extract_indicators
    from .reporting import extract_reporting
    from .tasks import extract_tasks

    draft = Draft()
    draft.plan = extract_header(document)
    draft.indicators = extract_indicators(document)
    draft.tasks = extract_tasks(document)
    draft.reporting = extract_reporting(document)
    return draft
