"""The feedback metrics on a hand-counted first quarter of 2026 (Tết 14–22/02 off)."""

from __future__ import annotations

import pytest

from cchc.feedback import services
from cchc.metrics.periods import Period
from cchc.metrics.registry import MetricKind, get, value_for, values_for_children

from .factories import answer, submit, vn

pytestmark = pytest.mark.django_db

Q1 = Period("quarter", 2026, 1)
KEYS = [
    "feedback.received",
    "feedback.answered_rate",
    "feedback.answered_on_time_rate",
    "feedback.average_answer_days",
]


@pytest.fixture
def quarter(province):
    """Office A (with school A1) and office B, Q1/2026. Working days counted by hand.

    F1 school A1  received Mon 05/01  answered Wed 07/01   2 days, on time
    F2 office A   received Thu 12/02  answered Mon 23/02   2 days (13/02, 23/02), on time
    F3 office A   received Mon 02/03  due Mon 16/03, answered Wed 18/03: 12 days, late
    F4 office A   received Fri 20/03  still open
    F5 office A   received Wed 25/03  rejected
    F6 office B   received Tue 10/03  answered Wed 11/03   1 day, on time
    F7 office A   received Tue 30/12/2025, answered Tue 06/01/2026: 31/12, 05/01, 06/01
                  (01/01 holiday, 02/01 swapped with Saturday 10/01) = 3 days, on time
    F8 office A   received Tue 31/03 16:00, answered Thu 02/04 (next quarter)
    """
    t = province
    a, a1, b = t.office_a_officer, t.school_a1_head, t.office_b_officer
    f = {}
    f[1] = submit(t.school_a1, at=vn(2026, 1, 5))
    answer(f[1], a1, at=vn(2026, 1, 7, 15))
    f[2] = submit(t.office_a, at=vn(2026, 2, 12, 10))
    answer(f[2], a, at=vn(2026, 2, 23, 10))
    f[3] = submit(t.office_a, at=vn(2026, 3, 2, 8))
    answer(f[3], a, at=vn(2026, 3, 18, 8))
    f[4] = submit(t.office_a, at=vn(2026, 3, 20))
    f[5] = submit(t.office_a, at=vn(2026, 3, 25))
    services.feedback_reject(actor=a, feedback=f[5], reason="Nội dung tố cáo", at=vn(2026, 3, 26))
    f[6] = submit(t.office_b, at=vn(2026, 3, 10))
    answer(f[6], b, at=vn(2026, 3, 11, 16))
    f[7] = submit(t.office_a, at=vn(2025, 12, 30))
    answer(f[7], a, at=vn(2026, 1, 6, 11))
    f[8] = submit(t.office_a, at=vn(2026, 3, 31, 16))
    answer(f[8], a, at=vn(2026, 4, 2, 9))
    return f


def pair(key, unit, period=Q1):
    value = value_for(key, unit, period)
    return value.numerator, value.denominator


def test_every_metric_is_registered_with_its_kind():
    kinds = {key: get(key).kind for key in KEYS}
    assert kinds["feedback.received"] == MetricKind.COUNT
    assert kinds["feedback.answered_rate"] == MetricKind.RATIO
    assert kinds["feedback.answered_on_time_rate"] == MetricKind.RATIO
    assert kinds["feedback.average_answer_days"] == MetricKind.AVERAGE
    assert get("feedback.average_answer_days").higher_is_better is False


def test_the_deadlines_of_the_fixture(quarter):
    assert quarter[3].due_at == vn(2026, 3, 16, 8)
    assert quarter[7].due_at == vn(2026, 1, 14, 9)
    for feedback in quarter.values():
        feedback.refresh_from_db()  # the services wrote a locked copy
    assert [quarter[i].answered_on_time for i in (1, 2, 6, 7)] == [True] * 4
    assert quarter[3].answered_on_time is False


def test_office_a_s_quarter_as_counted_by_hand(province, quarter):
    a = province.office_a
    # F1, F2, F3, F4, F5, F8 (F7 was received in December).
    assert pair("feedback.received", a) == (6, None)
    # Not rejected: F1, F2, F3, F4, F8; answered: F1, F2, F3, F8.
    assert pair("feedback.answered_rate", a) == (4, 5)
    assert value_for("feedback.answered_rate", a, Q1).value == 80
    # Answered in the quarter: F1, F2, F7 on time, F3 late.
    assert pair("feedback.answered_on_time_rate", a) == (3, 4)
    # 2 + 2 + 12 + 3 = 19 working days over 4.
    assert pair("feedback.average_answer_days", a) == (19, 4)
    assert value_for("feedback.average_answer_days", a, Q1).value == 4.75


def test_the_department_rolls_up_its_subtree_from_counts(province, quarter):
    d = province.department
    assert pair("feedback.received", d) == (7, None)
    assert pair("feedback.answered_rate", d) == (5, 6)
    assert pair("feedback.answered_on_time_rate", d) == (4, 5)
    assert pair("feedback.average_answer_days", d) == (20, 5)
    children = {unit.pk: value for unit, value in values_for_children("feedback.received", d, Q1)}
    assert children[province.office_a.pk].value == 6
    assert children[province.office_b.pk].value == 1
    assert pair("feedback.received", province.school_a1) == (1, None)


def test_the_next_quarter_counts_f8_s_answer(province, quarter):
    q2 = Period("quarter", 2026, 2)
    assert pair("feedback.received", province.office_a, q2) == (0, None)
    # F8: received 31/03 16:00, answered 02/04: 01/04 and 02/04.
    assert pair("feedback.average_answer_days", province.office_a, q2) == (2, 1)


@pytest.mark.parametrize("key", KEYS)
def test_the_roll_up_table_agrees_with_each_unit_s_own_value(province, quarter, key):
    assert get(key).compute_many is not None
    for child, value in values_for_children(key, province.department, Q1):
        own = value_for(key, child, Q1)
        assert (value.numerator, value.denominator) == (own.numerator, own.denominator), child.name
