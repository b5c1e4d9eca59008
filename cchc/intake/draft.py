"""The proposed plan an extraction produces, and its JSON form (a stable contract).

    {"plan": {"issuer", "number", "symbol", "date", "place", "title", "kind",
              "period_start", "period_end", "implements": [text]},
     "indicators": [{"text", "comparator", "value", "unit", "area", "source_line"}],
     "tasks": [{"content", "deliverable", "timeframe", "lead", "coordinating", "note",
                "group", "area", "source_line"}],
     "reporting": [{"period", "due", "text"}]}

Fields the document does not give are null; texts are as written, whitespace
normalised; `area` is the key of a reform area or PAPI dimension (`ReformArea.key`);
dates are YYYY-MM-DD. `confidence` (0–1) is kept for the review page but is not part of
the JSON contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class PlanHeader:
    issuer: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    place: str | None = None
    title: str | None = None
    kind: str | None = None  # PlanKind value
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    implements: list[str] = field(default_factory=list)
    purposes: str | None = None  # not in the JSON contract; filled into the plan
    requirements: str | None = None


@dataclass
class DraftIndicator:
    text: str
    comparator: str | None  # ">=", ">", "<=", "<", "="
    value: Decimal | None
    unit: str | None  # "%", or a counted noun
    area: str | None
    source_line: int | None
    confidence: float = 1.0


@dataclass
class DraftTask:
    content: str
    deliverable: str | None = None
    timeframe: str | None = None
    lead: str | None = None
    coordinating: str | None = None
    note: str | None = None
    group: str | None = None
    area: str | None = None
    source_line: int | None = None
    confidence: float = 1.0


@dataclass
class DraftReporting:
    period: str  # "month" | "quarter" | "half_year" | "nine_months" | "year"
    due: str | None  # the rule as read: "05/03" (a day/month), "25 of last month of the quarter"…
    text: str
    source_line: int | None = None


@dataclass
class Draft:
    plan: PlanHeader = field(default_factory=PlanHeader)
    indicators: list[DraftIndicator] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    reporting: list[DraftReporting] = field(default_factory=list)

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral() else float(value)
            if isinstance(value, list):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        plan = asdict(self.plan)
        plan.pop("purposes")
        plan.pop("requirements")
        return {
            "plan": plain(plan),
            "indicators": [
                plain({k: v for k, v in asdict(i).items() if k != "confidence"}) for i in self.indicators
            ],
            "tasks": [plain({k: v for k, v in asdict(t).items() if k != "confidence"}) for t in self.tasks],
            "reporting": [
                plain({k: v for k, v in asdict(r).items() if k != "source_line"}) for r in self.reporting
            ],
        }
