"""Reads of reports, always scoped, and the completeness and timeliness of reporting.

Who is expected to report (decided here, used by the services and the metrics): for a
schedule and a period, every unit that

- existed on at least one day of the period (`opened_on` ≤ end, `closed_on` ≥ start), and
- on its *last day in the period* (the period's end, or its closing day if it closed
  during the period — `cchc.metrics.registry.as_of`) stood under the schedule's owner
  (a direct child for `depth="children"`, anywhere below for `"subtree"`) and is of one
  of the schedule's `reporter_kinds` — or is one of the schedule's named `units`.

So a district office merged away on 01/07/2025 is expected for Quý II/2025 (it existed
the whole quarter) and not for Quý III; a school that moved from that office to a
commune on 01/07 is counted under the office for Quý II and under the commune for
Quý III. Each unit is read at exactly one placement per period, so the branches of a
breakdown add up to the total.

The numbers are computed in the database in one grouped query: the expected set comes
from the placements table (no empty report rows are stored) and reports are LEFT JOINed
on their unique (schedule, period_key, unit) index. The breakdown groups by the path
segment below the viewer's unit, which needs no copy of the path on `Report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, StrIndex, Substr
from django.http import Http404

from cchc.core.errors import PermissionDenied
from cchc.metrics.periods import Period, periods_in_year
from cchc.metrics.registry import as_of, children_during
from cchc.orgs.models import FOREVER, OrgUnit, UnitPlacement
from cchc.orgs.scoping import Perm, scope_for

from .models import CONTENT_FIELDS, Report, ReporterDepth, ReportingSchedule, ReportStatus, ReportVersion

# --- the expected reporters ----------------------------------------------------------


def path_in(unit: OrgUnit, period: Period) -> str | None:
    """The unit's path on its last day in the period; None if it did not exist then."""
    day = as_of(unit, period)
    if day is None:
        return None
    path = (
        UnitPlacement.objects.filter(unit=unit, valid_from__lte=day, valid_to__gte=day)
        .values_list("path", flat=True)
        .first()
    )
    return path or unit.path


def _as_of_expr(period: Period):
    return Least(
        Value(period.end, output_field=DateField()),
        Coalesce(F("unit__closed_on"), Value(FOREVER, output_field=DateField())),
        output_field=DateField(),
    )


def expected_placements(
    schedule: ReportingSchedule, period: Period, *, under_path: str | None = None
) -> QuerySet[UnitPlacement]:
    """One placement per expected reporter: where it stood on its last day in the period."""
    owner_path = path_in(schedule.owner, period)
    day = _as_of_expr(period)
    placements = UnitPlacement.objects.filter(
        Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=period.end),
        Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=period.start),
        valid_from__lte=day,
        valid_to__gte=day,
    )
    condition = Q(unit_id__in=ReportingSchedule.units.through.objects.filter(
        reportingschedule_id=schedule.pk
    ).values("orgunit_id"))
    if schedule.reporter_kinds and owner_path is not None:
        in_tree = Q(unit__kind__in=list(schedule.reporter_kinds))
        if schedule.depth == ReporterDepth.CHILDREN:
            in_tree &= Q(parent_id=schedule.owner_id)
        else:
            in_tree &= Q(path__startswith=owner_path) & ~Q(unit_id=schedule.owner_id)
        condition |= in_tree
    placements = placements.filter(condition)
    if under_path is not None:
        placements = placements.filter(path__startswith=under_path)
    return placements


def expected_units(
    schedule: ReportingSchedule, period: Period, *, under: OrgUnit | None = None
) -> QuerySet[OrgUnit]:
    """The units expected to report under `schedule` for `period` (see the module doc)."""
    under_path = None
    if under is not None:
        under_path = path_in(under, period)
        if under_path is None:
            return OrgUnit.objects.none()
    placements = expected_placements(schedule, period, under_path=under_path)
    return OrgUnit.objects.filter(pk__in=placements.values("unit_id")).order_by("path")


def is_expected(schedule: ReportingSchedule, unit: OrgUnit, period: Period) -> bool:
    return (
        period.kind in schedule.period_kinds
        and expected_placements(schedule, period).filter(unit=unit).exists()
    )


# --- completeness and timeliness -------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    """Counts of one group of expected reporters; rates in percent (None when none expected)."""

    expected: int = 0
    submitted: int = 0  # at least one version submitted
    on_time: int = 0  # first submission on or before the due date
    accepted: int = 0
    drafts: int = 0  # opened and typed in, never submitted

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    def _rate(self, count: int) -> float | None:
        return 100 * count / self.expected if self.expected else None

    @property
    def completeness_rate(self) -> float | None:
        return self._rate(self.submitted)

    @property
    def timeliness_rate(self) -> float | None:
        return self._rate(self.on_time)

    @property
    def acceptance_rate(self) -> float | None:
        return self._rate(self.accepted)

    def __add__(self, other: Completeness) -> Completeness:
        return Completeness(
            *(getattr(self, name) + getattr(other, name) for name in _COUNT_NAMES)
        )


_COUNT_NAMES = ("expected", "submitted", "on_time", "accepted", "drafts")


@dataclass
class CompletenessTable:
    unit: OrgUnit  # whose children the rows are
    period: Period
    total: Completeness
    rows: list[tuple[OrgUnit, Completeness]] = field(default_factory=list)
    # Reporters placed at `unit` itself (its own report), not under a child.
    own: Completeness = field(default_factory=Completeness)


def _aggregates(schedule: ReportingSchedule, period: Period) -> dict:
    report = FilteredRelation(
        "unit__reports",
        condition=Q(unit__reports__schedule=schedule, unit__reports__period_key=period.key),
    )
    submitted = Q(report__first_submitted_at__isnull=False)
    return {
        "_report": report,
        "expected": Count("pk"),
        "submitted": Count("pk", filter=submitted),
        "on_time": Count("pk", filter=submitted & Q(report__is_late=False)),
        "accepted": Count("pk", filter=Q(report__status=ReportStatus.ACCEPTED)),
        "drafts": Count("pk", filter=Q(report__status=ReportStatus.DRAFT, report__is_filled=True)),
    }


def _counts(queryset, aggregates: dict, *, group: str | None = None):
    queryset = queryset.annotate(report=aggregates["_report"])
    measures = {name: aggregates[name] for name in _COUNT_NAMES}
    if group is None:
        return Completeness(**queryset.aggregate(**measures))
    rows = queryset.values(group).order_by(group).annotate(**measures)
    return {row[group]: Completeness(**{n: row[n] for n in _COUNT_NAMES}) for row in rows}


def completeness_counts(
    schedule: ReportingSchedule, period: Period, *, under_path: str | None = None
) -> Completeness:
    """The totals for the expected reporters (under `under_path`): one query (+ the owner's path)."""
    placements = expected_placements(schedule, period, under_path=under_path)
    return _counts(placements, _aggregates(schedule, period))


def _view_unit(user, unit: OrgUnit) -> None:
    if not scope_for(user).can(Perm.VIEW, unit):
        raise PermissionDenied()


def completeness_for(
    *, user, schedule: ReportingSchedule, period: Period, unit: OrgUnit | None = None
) -> CompletenessTable:
    """Completeness and timeliness under `unit` (default: the schedule's owner), by child.

    Four queries whatever the number of reporters: the owner's and the unit's paths in
    the period, the unit's children then, and one grouped count.
    """
    unit = unit or schedule.owner
    _view_unit(user, unit)
    under_path = path_in(unit, period)
    if under_path is None:
        return CompletenessTable(unit=unit, period=period, total=Completeness())
    # The path segment right below `unit`: the id of the child the reporter stands under.
    rest = Substr("path", len(under_path) + 1)
    branch = Substr(rest, 1, Greatest(StrIndex(rest, Value("/")) - 1, Value(0)))
    placements = expected_placements(schedule, period, under_path=under_path).annotate(branch=branch)
    groups = _counts(placements, _aggregates(schedule, period), group="branch")
    total = sum(groups.values(), Completeness())
    rows = [
        (child, groups.get(str(child.pk), Completeness()))
        for child in children_during(unit, period)
    ]
    return CompletenessTable(
        unit=unit, period=period, total=total, rows=rows, own=groups.get("", Completeness())
    )


def missing_units(
    *, user, schedule: ReportingSchedule, period: Period, unit: OrgUnit | None = None
) -> QuerySet[OrgUnit]:
    """Expected reporters (under `unit`) that have not submitted any version yet."""
    unit = unit or schedule.owner
    _view_unit(user, unit)
    under_path = path_in(unit, period)
    if under_path is None:
        return OrgUnit.objects.none()
    submitted = Report.objects.filter(
        schedule=schedule,
        period_key=period.key,
        unit=OuterRef("unit_id"),
        first_submitted_at__isnull=False,
    )
    placements = expected_placements(schedule, period, under_path=under_path).filter(
        ~Exists(submitted)
    )
    return OrgUnit.objects.filter(pk__in=placements.values("unit_id")).order_by("path")


@dataclass(frozen=True)
class HistoryRow:
    period: Period
    expected: bool
    report: Report | None

    @property
    def due_date(self) -> dt.date | None:
        return self.report.due_date if self.report else None


def history(
    *, user, schedule: ReportingSchedule, unit: OrgUnit, year: int, kinds: list[str] | None = None
) -> list[HistoryRow]:
    """The unit's reports under `schedule` across the periods of `year` (of `kinds`).

    One query for the reports and one per period for whether the unit was expected then
    (a unit's history page, at most 17 periods a year).
    """
    _view_unit(user, unit)
    kinds = [k for k in (kinds or schedule.period_kinds) if k in schedule.period_kinds]
    periods = [p for kind in kinds for p in periods_in_year(kind, year)]
    reports = {
        r.period_key: r
        for r in Report.objects.filter(
            schedule=schedule, unit=unit, period_key__in=[p.key for p in periods]
        )
    }
    return [
        HistoryRow(period=p, expected=is_expected(schedule, unit, p), report=reports.get(p.key))
        for p in sorted(periods, key=lambda p: (p.end, -p.days))
    ]


# --- reports -------------------------------------------------------------------------


def report_list_for(
    *,
    user,
    schedule: ReportingSchedule | None = None,
    period_key: str = "",
    status: str = "",
) -> QuerySet[Report]:
    """Reports of the units the user may see."""
    reports = scope_for(user).filter(Report.objects.all(), Perm.VIEW, unit_field="unit")
    if schedule is not None:
        reports = reports.filter(schedule=schedule)
    if period_key:
        reports = reports.filter(period_key=period_key)
    if status:
        reports = reports.filter(status=status)
    return reports.select_related("unit", "schedule").order_by("period_key", "unit__path")


def report_get_for(*, user, pk) -> Report:
    """One report the user may see; 404 otherwise (a sibling never learns it exists)."""
    try:
        return scope_for(user).get_object(
            Report.objects.select_related("unit", "schedule__owner"), Perm.VIEW, pk=pk
        )
    except (ValueError, TypeError):
        raise Http404 from None


def schedule_list_for(*, user, active_only: bool = True) -> QuerySet[ReportingSchedule]:
    """Schedules owned by units the user sees, or above them (a school reads the duty it has)."""
    scope = scope_for(user)
    schedules = ReportingSchedule.objects.all()
    if active_only:
        schedules = schedules.filter(is_active=True)
    if not scope.is_global:
        ancestors = {i for m in scope.memberships for i in m.unit.ancestor_ids}
        schedules = schedules.filter(scope.q(Perm.VIEW, unit_field="owner") | Q(owner_id__in=ancestors))
    return schedules.select_related("owner").order_by("owner__path", "name")


def version_diff(older: ReportVersion, newer: ReportVersion) -> dict[str, tuple]:
    """What changed between two submissions: field → (before, after), content fields only."""
    return {
        name: (older.content.get(name), newer.content.get(name))
        for name in CONTENT_FIELDS
        if older.content.get(name) != newer.content.get(name)
    }
