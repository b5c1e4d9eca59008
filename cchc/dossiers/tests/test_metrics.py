"""The one-stop desk's metrics on the hand-counted quarter of `test_statistics`."""

from __future__ import annotations

import pytest

from cchc.dossiers.tests.test_statistics import one_stop_quarter
from cchc.metrics.periods import Period
from cchc.metrics.registry import MetricKind, get, value_for, values_for_children

Q1 = Period("quarter", 2025, 1)
KEYS = [
    "dossiers.received",
    "dossiers.on_time_rate",
    "dossiers.online_rate",
    "dossiers.postal_rate",
    "dossiers.digitization_rate",
    "dossiers.apology_rate",
    "dossiers.average_processing_days",
]


@pytest.fixture
def quarter(province):
    return one_stop_quarter(province)


def pair(key, unit, period=Q1):
    value = value_for(key, unit, period)
    return value.numerator, value.denominator


def test_every_metric_is_registered_with_its_kind():
    kinds = {key: get(key).kind for key in KEYS}
    assert kinds["dossiers.received"] == MetricKind.COUNT
    assert kinds["dossiers.average_processing_days"] == MetricKind.AVERAGE
    assert {kinds[k] for k in KEYS[1:6]} == {MetricKind.RATIO}
    assert get("dossiers.average_processing_days").higher_is_better is False
    assert all(get(key).compute_many is not None for key in KEYS)


def test_the_office_s_quarter_as_counted_by_hand(province, quarter):
    a = province.office_a
    # D2, D3, D4, D5, D6, D7, D8, S1, S2, S3.
    assert pair("dossiers.received", a) == (10, None)
    # Resolved: D1 early, D2 on time, D3 late, D4 late, S1 early, S3 early.
    assert pair("dossiers.on_time_rate", a) == (4, 6)
    assert round(value_for("dossiers.on_time_rate", a, Q1).value, 2) == 66.67
    # Online: D2, D8, S2.
    assert pair("dossiers.online_rate", a) == (3, 10)
    # Received by post D4 + returned by post D2, of 10 received + 3 returned (D1, D2, D4).
    assert pair("dossiers.postal_rate", a) == (2, 13)
    # Digitized: D2, S1.
    assert pair("dossiers.digitization_rate", a) == (2, 6)
    # Late: D3, D4 (resolved late) and D5 (overdue on 31/03); only D4's letter was sent
    # in the quarter (D5's on 02/04).
    assert pair("dossiers.apology_rate", a) == (1, 3)
    # Working days: D1 3 (01/01 off), D2 5, D3 7, D4 9, S1 2, S3 1 = 27 over 6.
    assert pair("dossiers.average_processing_days", a) == (27, 6)
    assert value_for("dossiers.average_processing_days", a, Q1).value == 4.5


def test_the_department_adds_its_own_desk_and_office_b_not_the_other_province(province, quarter):
    t = province
    assert pair("dossiers.received", t.department) == (12, None)  # + P1, B1
    assert pair("dossiers.on_time_rate", t.department) == (6, 8)
    assert pair("dossiers.average_processing_days", t.department) == (29, 8)  # + 1 + 1
    assert pair("dossiers.received", t.other_department) == (1, None)


def test_a_school_measures_its_own_dossiers(province, quarter):
    assert pair("dossiers.received", province.school_a1) == (2, None)
    assert pair("dossiers.on_time_rate", province.school_a1) == (1, 1)
    assert pair("dossiers.on_time_rate", province.school_b1) == (0, 0)
    assert value_for("dossiers.on_time_rate", province.school_b1, Q1).value is None


@pytest.mark.parametrize("key", KEYS)
def test_the_roll_up_table_matches_each_child_s_own_value(province, quarter, key):
    t = province
    rows = values_for_children(key, t.department, Q1)

    by_unit = {child.pk: (value.numerator, value.denominator) for child, value in rows}
    for child in (t.office_a, t.office_b, t.division, t.high_school):
        assert by_unit[child.pk] == pair(key, child), child.name


def test_children_in_one_query_per_table(province, quarter, django_assert_max_num_queries):
    t = province
    with django_assert_max_num_queries(2 + 4 * 3):  # children; per child two placement reads
        values_for_children("dossiers.on_time_rate", t.department, Q1)


def test_the_next_quarter(province, quarter):
    q2 = Period("quarter", 2025, 2)
    a = province.office_a
    assert pair("dossiers.received", a, q2) == (1, None)  # D9
    assert pair("dossiers.on_time_rate", a, q2) == (1, 1)  # S2 on 01/04, due 01/04
    # D5 (due 24/03), D6 (due 03/04) and D9 (due 08/04) are still open on 30/06; only
    # D5 has a letter, sent on 02/04, inside this quarter.
    assert pair("dossiers.apology_rate", a, q2) == (1, 3)
