"""The one-stop desk's statistics pages, mounted at /dossiers/statistics/.

Who sees what: a user with the right to view a unit (`Perm.VIEW`, `cchc.orgs.scoping`)
reads the statistics of that unit's subtree; any other unit is a 404, as everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.recent import oldest, recent, shown, wants_fresh
from cchc.documents.spreadsheets import workbook_response
from cchc.metrics.periods import Period, PeriodKind, parse_period
from cchc.metrics.registry import format_value
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for

from .statistics import COLUMNS, statistics_for, statistics_workbook, trend_for

# How far back the period picker and the dashboard go.
MONTHS_SHOWN = 12
QUARTERS_SHOWN = 8
YEARS_SHOWN = 4
# The unit picker lists the units a desk belongs to, not every school of a country: the
# schools are reached from their office's row.
PICKER_KINDS = [k for k in UnitKind.values if k != UnitKind.SCHOOL]
PICKER_LIMIT = 300


def _recent(kind: str, count: int, today: dt.date) -> list[Period]:
    periods = [Period.current(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def period_choices(today: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options, newest first, grouped by kind."""
    return [
        (_("Quý"), [(p.key, p.label) for p in _recent(PeriodKind.QUARTER, QUARTERS_SHOWN, today)]),
        (_("Tháng"), [(p.key, p.label) for p in _recent(PeriodKind.MONTH, MONTHS_SHOWN, today)]),
        (_("Năm"), [(p.key, p.label) for p in _recent(PeriodKind.YEAR, YEARS_SHOWN, today)]),
    ]


def _period(request, today: dt.date) -> tuple[Period, str]:
    """The period asked for ("2025-Q1", "Quý I/2025", "tháng 3/2025"…), else the current
    quarter; an unreadable one is said so, not an error page."""
    text = (request.GET.get("period") or "").strip()
    if text:
        try:
            return parse_period(text), ""
        except DomainError as error:
            return Period.current(PeriodKind.QUARTER, today), error.message
    return Period.current(PeriodKind.QUARTER, today), ""


def _unit(request, scope) -> OrgUnit:
    wanted = request.GET.get("unit")
    if wanted:
        return scope.get_unit(wanted, Perm.VIEW)  # 404 outside the scope
    unit = scope.units(Perm.VIEW).order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit


def _picker(scope, unit: OrgUnit) -> list[OrgUnit]:
    """The units to pick from: the user's own units and those under them, the upper
    levels first when there are more than PICKER_LIMIT (a ministry's departments and
    offices, not its thousands of commune offices), shown as a tree."""
    units = list(
        scope.units(Perm.VIEW)
        .filter(kind__in=PICKER_KINDS)
        .order_by("depth", "path")
        .only("id", "name", "path", "depth", "closed_on")[:PICKER_LIMIT]
    )
    if unit.pk not in {u.pk for u in units}:
        units.append(unit)
    units.sort(key=lambda u: u.path)
    top = min((u.depth for u in units), default=0)
    for u in units:
        u.indent = "\u00a0\u00a0" * max(0, u.depth - top)
    return units


def _trail(scope, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may see, from the top down, then the unit."""
    ancestors = OrgUnit.objects.filter(pk__in=unit.ancestor_ids).only("id", "name", "path", "depth")
    return [u for u in ancestors.order_by("depth") if scope.can(Perm.VIEW, u)]


def _trend_periods(period: Period) -> list[Period]:
    kind, count = (
        (PeriodKind.MONTH, MONTHS_SHOWN)
        if period.kind == PeriodKind.MONTH
        else (PeriodKind.QUARTER, QUARTERS_SHOWN)
    )
    last = Period.containing(kind, period.end)
    periods = [last]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return list(reversed(periods))


def _rate(value) -> str:
    return format_value(value, "%", digits=1)


def _query(**values) -> str:
    return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _table(unit: OrgUnit, period: Period, tab: str) -> tuple:
    """The statistics of the unit's subtree for the period, and its table rendered."""
    table = statistics_for(unit, period.start, period.end)
    rows = table.by_procedure if tab == "procedures" else table.by_unit
    for row in rows:
        if row.unit is not None and not row.own:
            row.url = _query(unit=row.unit.pk, period=period.key, tab=tab)
    html = render_to_string(
        "dossiers/partials/_stats_table.html", {"rows": rows, "table": table, "tab": tab, "columns": COLUMNS}
    )
    return table, html


@login_required
def dossier_stats(request):
    """The one-stop report of a unit's subtree for a period, by unit or by procedure,
    with its Excel download and the on-time / online / digitization trend."""
    scope = scope_for(request.user)
    if not scope.has_any(Perm.VIEW):
        raise PermissionDenied()
    today = timezone.localdate()
    unit = _unit(request, scope)
    period, period_error = _period(request, today)
    tab = "procedures" if request.GET.get("tab") == "procedures" else "units"

    # A department's quarter is hundreds of thousands of dossiers, and its table hundreds
    # of rows: the figures and the rendered table are those computed less than a minute
    # ago for this unit, period and tab, whoever asked (core.recent).
    fresh = wants_fresh(request)
    table_of = recent(
        ("dossiers.statistics", unit.pk, period.key, tab, today),
        lambda: _table(unit, period, tab),
        fresh=fresh,
    )
    trend_of = recent(
        ("dossiers.trend", unit.pk, period.key, today),
        lambda: trend_for(unit, _trend_periods(period)),
        fresh=fresh,
    )
    (table, table_html), trend = table_of.value, trend_of.value
    chart = {
        "labels": [t.period.label for t in trend],
        "series": [
            {
                "key": "on_time",
                "label": _("Tỷ lệ giải quyết đúng hạn"),
                "data": [t.on_time_rate for t in trend],
            },
            {
                "key": "online",
                "label": _("Tỷ lệ tiếp nhận trực tuyến"),
                "data": [t.online_rate for t in trend],
            },
            {
                "key": "digitized",
                "label": _("Tỷ lệ số hóa kết quả"),
                "data": [t.digitization_rate for t in trend],
            },
        ],
    }
    choices = period_choices(today)
    if all(period.key != key for _group, options in choices for key, _label in options):
        choices.insert(0, (_("Kỳ đang xem"), [(period.key, period.label)]))
    return render(
        request,
        "dossiers/statistics.html",
        {
            "unit": unit,
            "period": period,
            "period_error": period_error,
            "period_choices": choices,
            "units": _picker(scope, unit),
            "trail": _trail(scope, unit),
            "tab": tab,
            "table": table,
            "table_html": table_html,
            "rows": table.by_procedure if tab == "procedures" else table.by_unit,
            "rates": {
                "on_time": _rate(table.total.on_time_rate),
                "online": _rate(table.total.online_rate),
                "resolution": _rate(table.total.resolution_rate),
            },
            "trend": [
                {
                    "period": t.period,
                    "on_time": _rate(t.on_time_rate),
                    "online": _rate(t.online_rate),
                    "digitized": _rate(t.digitization_rate),
                    "resolved": t.resolved,
                    "received": t.received,
                }
                for t in trend
            ],
            "chart": chart,
            **shown(request, oldest(table_of, trend_of)),
            "units_tab_url": _query(unit=unit.pk, period=period.key),
            "procedures_tab_url": _query(unit=unit.pk, period=period.key, tab="procedures"),
            "export_url": reverse("dossier_stats_export") + _query(unit=unit.pk, period=period.key),
        },
    )


@login_required
def dossier_stats_export(request):
    """The same report as an Excel workbook (a sheet by unit, a sheet by procedure)."""
    scope = scope_for(request.user)
    if not scope.has_any(Perm.VIEW):
        raise PermissionDenied()
    unit = _unit(request, scope)
    period, error = _period(request, timezone.localdate())
    if error:
        raise Http404
    table = statistics_for(unit, period.start, period.end)
    title = _("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH %(period)s") % {
        "period": period.label.upper()
    }
    workbook = statistics_workbook(table, title=title)
    filename = _("Thống kê TTHC %(unit)s %(period)s") % {"unit": unit.name, "period": period.key}
    return workbook_response(workbook, filename)
