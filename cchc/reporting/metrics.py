"""Metrics published by reporting, registered at start-up (ReportingConfig.ready).

`reporting.completeness` — of the reports expected from the reporters of the unit's
subtree, the share submitted; `reporting.timeliness` — the share first submitted by the
due date. An indicator "100% trường báo cáo đúng hạn" bound to the second measures
itself.

Which reports a period holds: under every active schedule that concerns the unit (owned
by a unit above it or inside its subtree during the period), every reporting period of
the schedule's kinds that lies inside the measured period and whose due date has passed
(a report not yet due is neither missing nor late). So the year 2025 of a quarterly
schedule counts four reports per school; Quý II/2025 one. The expected reporters are
those of `cchc.reporting.selectors` (the tree as it stood on each unit's last day in
the period), counted in the database, one query per schedule and reporting period.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period, periods_in_year
from cchc.metrics.registry import Metric, MetricKind, Pair, active_window, register
from cchc.orgs.models import OrgUnit
from cchc.orgs.selectors import unit_paths_during

from . import schedules, selectors
from .models import ReportingSchedule


def _periods_within(schedule: ReportingSchedule, period: Period) -> list[Period]:
    today = timezone.localdate()
    inside = []
    for kind in schedule.period_kinds:
        for year in range(period.start.year, period.end.year + 1):
            for candidate in periods_in_year(kind, year):
                if not (period.start <= candidate.start and candidate.end <= period.end):
                    continue
                if schedules.covers(schedule.rule, candidate) and schedules.due_date(
                    schedule.rule, candidate
                ) < today:
                    inside.append(candidate)
    return inside


def _totals(unit: OrgUnit, period: Period) -> selectors.Completeness:
    window = active_window(unit, period)
    if window is None:
        return selectors.Completeness()
    paths = [path for path, _first, _last in unit_paths_during(unit, *window)] or [unit.path]
    ancestors = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    concerned = ReportingSchedule.objects.filter(is_active=True).filter(
        Q(owner_id__in=ancestors) | Q(owner__path__startswith=unit.path)
    )
    total = selectors.Completeness()
    for schedule in concerned.select_related("owner"):
        for reporting_period in _periods_within(schedule, period):
            under = selectors.path_in(unit, reporting_period)
            if under is not None:
                total += selectors.completeness_counts(schedule, reporting_period, under_path=under)
    return total


def completeness(unit: OrgUnit, period: Period) -> Pair:
    """(reports submitted, reports expected) from the reporters of the unit's subtree."""
    counts = _totals(unit, period)
    return counts.submitted, counts.expected


def timeliness(unit: OrgUnit, period: Period) -> Pair:
    """(reports first submitted by their due date, reports expected)."""
    counts = _totals(unit, period)
    return counts.on_time, counts.expected


register(
    Metric(
        key="reporting.completeness",
        label=_("Tỷ lệ đơn vị gửi báo cáo định kỳ"),
        unit="%",
        kind=MetricKind.RATIO,
        compute=completeness,
        description=_(
            "Số báo cáo định kỳ đã gửi trên số báo cáo phải gửi của các đơn vị thuộc đơn vị, "
            "trong các kỳ báo cáo đã đến hạn nằm trong kỳ."
        ),
        higher_is_better=True,
    )
)
register(
    Metric(
        key="reporting.timeliness",
        label=_("Tỷ lệ đơn vị gửi báo cáo định kỳ đúng hạn"),
        unit="%",
        kind=MetricKind.RATIO,
        compute=timeliness,
        description=_(
            "Số báo cáo định kỳ gửi lần đầu đúng hạn trên số báo cáo phải gửi của các đơn vị "
            "thuộc đơn vị, trong các kỳ báo cáo đã đến hạn nằm trong kỳ."
        ),
        higher_is_better=True,
    )
)
