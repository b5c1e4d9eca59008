"""Reads of the unit tree. Everything a user asks for passes through `scope_for`."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cchc.core.text import fold

from .models import OrgUnit, UnitPlacement
from .scoping import Perm, scope_for


def subtree(unit: OrgUnit, *, include_closed: bool = True) -> QuerySet[OrgUnit]:
    """The unit and everything under it now: one indexed prefix query."""
    units = OrgUnit.objects.filter(path__startswith=unit.path)
    if not include_closed:
        units = units.filter(closed_on__isnull=True)
    return units


def unit_list_for(
    *,
    user,
    query: str = "",
    kind: str = "",
    under: OrgUnit | None = None,
    include_closed: bool = False,
) -> QuerySet[OrgUnit]:
    """Units the user may see, optionally searched by name or code without diacritics."""
    units = scope_for(user).units(Perm.VIEW)
    if under is not None:
        units = units.filter(path__startswith=under.path)
    if kind:
        units = units.filter(kind=kind)
    if not include_closed:
        units = units.filter(closed_on__isnull=True)
    folded = fold(query)
    if folded:
        units = units.filter(Q(name_folded__contains=folded) | Q(code__iexact=query.strip()))
    return units.order_by("path")


def placements_on(day: dt.date) -> QuerySet[UnitPlacement]:
    return UnitPlacement.objects.filter(valid_from__lte=day, valid_to__gte=day)


def subtree_on(unit: OrgUnit, day: dt.date) -> QuerySet[OrgUnit]:
    """The unit's subtree as it stood on `day` (empty if the unit did not exist then)."""
    own = placements_on(day).filter(unit=unit).values_list("path", flat=True).first()
    if own is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        Exists(placements_on(day).filter(unit=OuterRef("pk"), path__startswith=own))
    )


def unit_paths_during(unit: OrgUnit, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The paths the unit had during [start, end], each clipped to that window."""
    rows = UnitPlacement.objects.filter(unit=unit, valid_from__lte=end, valid_to__gte=start)
    return [
        (p.path, max(p.valid_from, start), min(p.valid_to, end))
        for p in rows.order_by("valid_from")
    ]


def records_in_subtree(
    queryset: QuerySet,
    *,
    unit: OrgUnit,
    start: dt.date,
    end: dt.date,
    date_field: str,
    unit_field: str = "unit",
) -> QuerySet:
    """Records dated in [start, end] that belonged to `unit`'s subtree on their date.

    This is how every flow metric rolls up: a record keeps the unit that made it, and
    the placements say where that unit stood on the record's date. A school's dossier of
    March 2025 counts for the district office it was under then, even after the office
    closed and the school moved to a commune. One query, computed in the database.
    """
    windows = unit_paths_during(unit, start, end)
    if not windows:
        return queryset.none()
    field = queryset.model._meta.get_field(date_field)
    is_datetime = isinstance(field, models.DateTimeField)

    def dated(first: dt.date, last: dt.date) -> Q:
        if not is_datetime:
            return Q(**{f"{date_field}__gte": first, f"{date_field}__lte": last})
        zone = timezone.get_current_timezone()
        low = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
        high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return Q(**{f"{date_field}__gte": low, f"{date_field}__lt": high})

    day_expr = date_field
    if is_datetime:
        queryset = queryset.annotate(_record_day=TruncDate(date_field))
        day_expr = "_record_day"
    condition = Q()
    for path, window_start, window_end in windows:
        under = UnitPlacement.objects.filter(
            path__startswith=path, valid_from__lte=window_end, valid_to__gte=window_start
        )
        # Units placed under the path for the whole window: a plain semi-join, which the
        # database runs from the unit index (fast from a school to the whole country).
        stable = under.filter(valid_from__lte=window_start, valid_to__gte=window_end)
        condition |= Q(**{f"{unit_field}__in": stable.values("unit_id")}) & dated(window_start, window_end)
        # Units that came or went during the window: checked against the record's day.
        moving = under.exclude(valid_from__lte=window_start, valid_to__gte=window_end)
        if moving.exists():
            placed = moving.filter(
                unit=OuterRef(unit_field),
                valid_from__lte=OuterRef(day_expr),
                valid_to__gte=OuterRef(day_expr),
            )
            condition |= Q(Exists(placed)) & dated(window_start, window_end)
    return queryset.filter(condition)
