"""Metrics published by the unit tree (registered with cchc.metrics at start-up).

Both are stocks read from the placements on `as_of(unit, period)` — the last day of the
period on which the unit existed — so a past period counts the tree as it stood then,
even after restructuring: Quý I/2025 of a district office closed on 30/06/2025 counts the
schools it had on 31/03/2025; the year 2025 counts those it had on 30/06/2025.
"""

from __future__ import annotations

from django.db.models import DateField, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from cchc.metrics.periods import Period
from cchc.metrics.registry import Metric, MetricKind, Pair, register

from .models import FOREVER, OrgUnit, UnitKind, UnitPlacement


def _count_in_subtrees(
    units: list[OrgUnit], period: Period, *, kind: str | None, include_self: bool
) -> dict[int, Pair]:
    """For each unit, how many units (of `kind`) stood in its subtree on its `as_of` day.

    One query for any number of units: the day, the unit's own path on that day and the
    count are correlated subqueries of one SELECT over the units.
    """
    if not units:
        return {}
    day = Least(
        Value(period.end, output_field=DateField()),
        Coalesce(F("closed_on"), Value(FOREVER, output_field=DateField())),
        output_field=DateField(),
    )
    own_path = UnitPlacement.objects.filter(
        unit=OuterRef("pk"), valid_from__lte=OuterRef("as_of"), valid_to__gte=OuterRef("as_of")
    ).order_by().values("path")[:1]
    members = UnitPlacement.objects.filter(
        valid_from__lte=OuterRef("as_of"),
        valid_to__gte=OuterRef("as_of"),
        path__startswith=OuterRef("own_path"),
    )
    # The unit's dates guard against a placement that outlives them.
    members = members.filter(
        Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=OuterRef("as_of")),
        Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=OuterRef("as_of")),
    )
    if kind is not None:
        members = members.filter(unit__kind=kind)
    if not include_self:
        members = members.exclude(unit=OuterRef("pk"))
    count = members.order_by().annotate(
        n=Func(F("unit_id"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    ).values("n")
    rows = (
        OrgUnit.objects.filter(pk__in=[unit.pk for unit in units])
        .annotate(as_of=day)
        .annotate(own_path=Subquery(own_path))
        .annotate(n=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .values_list("pk", "n")
    )
    return {pk: (n, None) for pk, n in rows}


def schools_open_many(units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    return _count_in_subtrees(units, period, kind=UnitKind.SCHOOL, include_self=True)


def schools_open(unit: OrgUnit, period: Period) -> Pair:
    """Schools in the unit's subtree (a school counts itself), as of its last day in the period."""
    return schools_open_many([unit], period).get(unit.pk, (0, None))


def units_open_many(units: list[OrgUnit], period: Period) -> dict[int, Pair]:
    return _count_in_subtrees(units, period, kind=None, include_self=False)


def units_open(unit: OrgUnit, period: Period) -> Pair:
    """Units below the unit (not itself), as of its last day in the period."""
    return units_open_many([unit], period).get(unit.pk, (0, None))


register(
    Metric(
        key="orgs.schools_open",
        label=_("Số trường học"),
        unit=_("trường"),
        kind=MetricKind.COUNT,
        compute=schools_open,
        compute_many=schools_open_many,
        description=_(
            "Số trường học thuộc đơn vị vào ngày cuối kỳ (hoặc ngày cuối cùng đơn vị còn "
            "hoạt động trong kỳ), theo cây đơn vị tại thời điểm đó."
        ),
        higher_is_better=True,
    )
)
register(
    Metric(
        key="orgs.units_open",
        label=_("Số đơn vị trực thuộc"),
        unit=_("đơn vị"),
        kind=MetricKind.COUNT,
        compute=units_open,
        compute_many=units_open_many,
        description=_(
            "Số đơn vị trực thuộc (mọi cấp) đang hoạt động vào ngày cuối kỳ (hoặc ngày cuối "
            "cùng đơn vị còn hoạt động trong kỳ), theo cây đơn vị tại thời điểm đó."
        ),
        higher_is_better=True,
    )
)
