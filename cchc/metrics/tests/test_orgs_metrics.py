"""orgs.schools_open is read live from the tree: no cache, no rebuild."""

import datetime as dt

from django.utils import timezone

from cchc.metrics.periods import Period, PeriodKind
from cchc.metrics.registry import value_for
from cchc.orgs import services
from cchc.orgs.models import SchoolLevel, UnitKind
from cchc.orgs.tests.factories import make_unit


def test_a_new_school_counts_at_once(province):
    t = province
    today = timezone.localdate()
    this_month = Period.current(PeriodKind.MONTH, today)
    assert value_for("orgs.schools_open", t.office_a, this_month).value == 2
    assert value_for("orgs.schools_open", t.department, this_month).value == 4

    make_unit("Trường Mầm non Xuân Quan", UnitKind.SCHOOL, t.office_a,
              level=SchoolLevel.PRESCHOOL, opened_on=today)

    assert value_for("orgs.schools_open", t.office_a, this_month).value == 3
    assert value_for("orgs.schools_open", t.department, this_month).value == 5
    # Not before it opened.
    assert value_for("orgs.schools_open", t.office_a, this_month.previous()).value == 2


def test_a_closed_school_stops_counting_after_its_last_day(province):
    t = province
    services.unit_close(actor=None, unit=t.school_b1, closed_on=dt.date(2025, 5, 15))
    assert value_for("orgs.schools_open", t.office_b, "Quý I/2025").value == 1
    assert value_for("orgs.schools_open", t.office_b, "Tháng 04/2025").value == 1
    assert value_for("orgs.schools_open", t.office_b, "Tháng 05/2025").value == 0
    assert value_for("orgs.schools_open", t.office_b, "Quý II/2025").value == 0
    # The closed school itself: read on its last day in the period, unavailable after.
    assert value_for("orgs.schools_open", t.school_b1, "Quý II/2025").value == 1
    assert not value_for("orgs.schools_open", t.school_b1, "Quý III/2025").available
