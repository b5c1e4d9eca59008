"""Consolidation (tổng hợp): a parent's report for a period pre-filled from its children's.

Whose reports: the units placed directly under the parent during the period
(`children_during`) that are expected reporters of the period under `schedule` or
under a schedule the parent owns (the duty its children report to it under). A child's
figures and narratives are those of its latest *submitted* version — what it sent,
not a draft it is correcting after a return. A child expected but with no submitted
version is listed as not reported.

Figures, by the indicator's own rule — never an average of percentages:

- an indicator bound to a metric: `cchc.metrics.registry.value_for(metric, parent,
  period)`, which counts the parent's whole subtree (a rate is Σ numerators /
  Σ denominators);
- a manual indicator (or a key the children report without a plan indicator): the sum
  of the children's reported numerators and denominators when every child that gave a
  value also gave both; for a count, the sum of the values; otherwise no value is set
  and the children's values are listed in the comment for the officer to decide.

All reads are in bulk: a fixed number of queries whatever the number of children
(plus one `value_for` per metric-bound indicator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.metrics.periods import Period
from cchc.metrics.registry import children_during, value_for
from cchc.orgs.models import OrgUnit
from cchc.plans.models import IndicatorEntry

from . import services
from .models import SECTIONS, Report, ReportingSchedule, ReportVersion
from .selectors import expected_placements


@dataclass
class IndicatorRow:
    key: str
    label: str
    unit: str
    target: object = None
    comparator: str = ">="
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = "manual"  # "metric", "sum" or "manual" (left to the officer)
    comment: str = ""

    def to_entry(self) -> dict:
        def plain(x):
            return None if x is None else str(x)

        return {
            "label": self.label,
            "value": plain(self.value),
            "target": plain(self.target),
            "comparator": self.comparator,
            "unit": self.unit,
            "numerator": plain(self.numerator),
            "denominator": plain(self.denominator),
            "source": self.source,
            "comment": self.comment,
        }


@dataclass
class ChildFigures:
    unit: OrgUnit
    report: Report | None
    values: dict[str, dict] = field(default_factory=dict)  # key → the child's entry
    content: dict = field(default_factory=dict)

    @property
    def reported(self) -> bool:
        return self.report is not None and bool(self.content)


@dataclass
class Consolidated:
    report: Report  # the parent's draft, saved with the consolidated content
    period: Period
    indicators: list[IndicatorRow]
    children: list[ChildFigures]  # every expected child, reported or not, in tree order
    missing: list[OrgUnit]
    sections: dict[str, str]


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None


def _source_schedules(schedule: ReportingSchedule, parent: OrgUnit) -> list[ReportingSchedule]:
    owned = list(ReportingSchedule.objects.filter(owner=parent, is_active=True).exclude(pk=schedule.pk))
    return [schedule, *owned]


def children_figures(schedule: ReportingSchedule, parent: OrgUnit, period: Period) -> list[ChildFigures]:
    """Each expected child of `parent` in the period with its latest submitted content.

    A fixed number of queries whatever the number of children: the parent's schedules,
    the children, the expected ones, their reports and the reports' latest versions.
    """
    sources = _source_schedules(schedule, parent)
    children = list(children_during(parent, period))
    ids = [c.pk for c in children]
    expected = Q()
    for source in sources:
        expected |= Q(pk__in=expected_placements(source, period).values("unit_id"))
    expected_ids = (
        set(OrgUnit.objects.filter(expected, pk__in=ids).values_list("pk", flat=True)) if ids else set()
    )
    children = [c for c in children if c.pk in expected_ids]
    source_rank = {s.pk: i for i, s in enumerate(sources)}
    reports: dict[int, Report] = {}
    for report in Report.objects.filter(
        unit_id__in=expected_ids,
        period_key=period.key,
        schedule_id__in=list(source_rank),
        first_submitted_at__isnull=False,
    ):
        # A child's report to this parent (a schedule the parent owns) before one to above.
        kept = reports.get(report.unit_id)
        if kept is None or source_rank[report.schedule_id] > source_rank[kept.schedule_id]:
            reports[report.unit_id] = report
    latest: dict[int, dict] = {}
    for version in ReportVersion.objects.filter(report_id__in=[r.pk for r in reports.values()]).order_by(
        "report_id", "number"
    ).only("report_id", "content"):
        latest[version.report_id] = version.content
    figures = []
    for child in children:
        report = reports.get(child.pk)
        content = latest.get(report.pk, {}) if report else {}
        figures.append(ChildFigures(child, report, dict(content.get("indicator_values") or {}), content))
    return figures


def _indicator_rows(schedule, parent, period, figures: list[ChildFigures]) -> list[IndicatorRow]:
    plan_indicators = (
        list(schedule.plan.indicators.order_by("order", "pk")) if schedule.plan_id else []
    )
    rows: list[IndicatorRow] = []
    manual: list[tuple[IndicatorRow, object]] = []
    seen: set[str] = set()
    for indicator in plan_indicators:
        key = str(indicator.pk)
        seen.add(key)
        row = IndicatorRow(
            key=key,
            label=indicator.text,
            unit=indicator.unit_of_measure,
            target=indicator.target,
            comparator=indicator.comparator,
        )
        if indicator.metric_key:
            measured = value_for(indicator.metric_key, parent, period)
            row.source = "metric"
            row.numerator, row.denominator = measured.numerator, measured.denominator
            if measured.value is not None:
                row.value = Decimal(str(round(measured.value, 2)))
        else:
            manual.append((row, indicator))
        rows.append(row)
    # Keys the children reported that the plan does not define, in first-seen order.
    for child in figures:
        for key, entry in child.values.items():
            if key not in seen:
                seen.add(key)
                row = IndicatorRow(
                    key=key,
                    label=entry.get("label") or key,
                    unit=entry.get("unit", "%"),
                    target=entry.get("target"),
                    comparator=entry.get("comparator", ">="),
                )
                manual.append((row, None))
                rows.append(row)
    # Hand-entered values (plans' IndicatorEntry) fill in for a child whose report lacks one.
    entries = {
        (e.indicator_id, e.unit_id): e
        for e in IndicatorEntry.objects.filter(
            indicator_id__in=[i.pk for _r, i in manual if i is not None],
            unit_id__in=[c.unit.pk for c in figures if c.reported],
            period_key=period.key,
        )
    }
    for row, indicator in manual:
        _roll_up(row, indicator, figures, entries)
    return rows


def _roll_up(row: IndicatorRow, indicator, figures: list[ChildFigures], entries: dict) -> None:
    values = []  # (child, value, numerator, denominator)
    for child in figures:
        if not child.reported:
            continue
        entry = child.values.get(row.key)
        if entry is not None:
            value = _number(entry.get("value"))
            num, den = _number(entry.get("numerator")), _number(entry.get("denominator"))
        elif indicator is not None and (indicator.pk, child.unit.pk) in entries:
            stored = entries[(indicator.pk, child.unit.pk)]
            value, num, den = stored.value, stored.numerator, stored.denominator
        else:
            continue
        if value is not None or num is not None:
            values.append((child.unit, value, num, den))
    if not values:
        return
    is_rate = row.unit.strip() == "%"
    if all(num is not None and den is not None for _u, _v, num, den in values):
        row.numerator = sum((num for _u, _v, num, _d in values), Decimal(0))
        row.denominator = sum((den for _u, _v, _n, den in values), Decimal(0))
        row.source = "sum"
        if is_rate:
            row.value = (
                (100 * row.numerator / row.denominator).quantize(Decimal("0.01")) if row.denominator else None
            )
        else:
            row.value = row.numerator
        return
    if not is_rate and all(value is not None for _u, value, _n, _d in values):
        row.value = sum((value for _u, value, _n, _d in values), Decimal(0))
        row.source = "sum"
        return
    # A rate without numerators and denominators cannot be added up: list, never average.
    listed = "; ".join(
        f"{unit.name}: {value if value is not None else '—'}" for unit, value, _n, _d in values
    )
    row.comment = _("Số liệu các đơn vị (chưa tổng hợp được do thiếu tử số/mẫu số): %(list)s") % {
        "list": listed
    }


def collect_sections(figures: list[ChildFigures]) -> dict[str, str]:
    """Each narrative section: every reporting child's text, prefixed with its name."""
    out = {}
    for name in SECTIONS:
        parts = []
        for child in figures:
            text = str(child.content.get(name) or "").strip()
            if text:
                parts.append(f"{child.unit.name}: {text}")
        out[name] = "\n\n".join(parts)
    return out


def consolidate(*, actor, schedule: ReportingSchedule, unit: OrgUnit, period: Period) -> Consolidated:
    """Pre-fill `unit`'s own report for `period` from its children's submitted reports.

    The report is opened (or reused) as a draft through `services.report_get_or_create`
    and saved through `services.report_save_draft`: the same access rules and audit as
    typing it by hand, and a report already submitted or accepted is refused. The
    consolidated figures and the collected narratives replace the draft's indicator
    values and sections, for the officer to edit before submitting.
    """
    figures = children_figures(schedule, unit, period)
    indicators = _indicator_rows(schedule, unit, period, figures)
    sections = collect_sections(figures)
    report = services.report_get_or_create(actor=actor, schedule=schedule, unit=unit, period=period)
    report = services.report_save_draft(
        actor=actor,
        report=report,
        expected_version=report.version,
        indicator_values={row.key: row.to_entry() for row in indicators},
        **sections,
    )
    return Consolidated(
        report=report,
        period=period,
        indicators=indicators,
        children=figures,
        missing=[c.unit for c in figures if not c.reported],
        sections=sections,
    )
