import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.core.errors import DomainError
from cchc.metrics import registry
from cchc.metrics.periods import Period, PeriodKind
from cchc.metrics.registry import (
    DuplicateMetric,
    Metric,
    MetricKind,
    format_value,
    registered,
    value_for,
    values_for_children,
)
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.tests.factories import make_unit

Q1 = Period(PeriodKind.QUARTER, 2025, 1)


def _metric(key="tests.answer", kind=MetricKind.COUNT, pair=(42, None), **extra):
    return Metric(
        key=key, label="Câu trả lời", unit="hồ sơ", kind=kind, compute=lambda u, p: pair, **extra
    )


def test_orgs_metrics_are_registered_at_start_up():
    keys = [metric.key for metric in registry.all_metrics()]
    assert "orgs.schools_open" in keys and "orgs.units_open" in keys
    assert keys == sorted(keys)


def test_duplicate_key_is_a_configuration_error():
    with registered(_metric()):
        with pytest.raises(DuplicateMetric):
            registry.register(_metric())
    assert "tests.answer" not in [m.key for m in registry.all_metrics()]


def test_unknown_key_is_a_domain_error():
    with pytest.raises(DomainError, match="Không có chỉ số đo lường “tests.nothing”") as error:
        registry.get("tests.nothing")
    assert error.value.code == "unknown_metric"


def test_metric_definition_is_checked():
    with pytest.raises(ImproperlyConfigured):
        _metric(key="NoApp")
    with pytest.raises(ImproperlyConfigured):
        _metric(kind="median")


@pytest.mark.parametrize(
    "kind, num, den, value",
    [
        (MetricKind.COUNT, 7, None, 7),
        (MetricKind.RATIO, 49, 50, 98.0),
        (MetricKind.RATIO, 0, 0, None),
        (MetricKind.RATIO, 3, None, None),
        (MetricKind.AVERAGE, 45, 10, 4.5),
        (MetricKind.AVERAGE, 0, 0, None),
        (MetricKind.RATIO, None, None, None),
    ],
)
def test_value_by_kind(kind, num, den, value):
    assert _metric(kind=kind).value_of(num, den) == value


def test_value_for_calls_the_registered_compute(province):
    seen = []

    def compute(unit, period):
        seen.append((unit.pk, period))
        return (3, 4)

    metric = Metric(
        key="tests.rate", label="Tỷ lệ", unit="%", kind=MetricKind.RATIO, compute=compute
    )
    with registered(metric):
        value = value_for("tests.rate", province.department, "Quý I/2025")
        assert value.display() == "75 %"
    assert seen == [(province.department.pk, Q1)]
    assert value == registry.MetricValue(
        key="tests.rate", unit_id=province.department.pk, period_key="2025-Q1",
        value=75.0, numerator=3, denominator=4,
    )


def test_ratio_with_zero_denominator_is_none_not_an_error(province):
    with registered(_metric(key="tests.rate", kind=MetricKind.RATIO, pair=(0, 0))):
        value = value_for("tests.rate", province.office_a, Q1)
    assert value.available and value.value is None
    assert (value.numerator, value.denominator) == (0, 0)
    with registered(_metric(key="tests.rate", kind=MetricKind.RATIO, pair=(0, 0))):
        assert value.display() == "—"


def test_unit_outside_its_life_is_unavailable_and_compute_is_not_called(province):
    late = make_unit("Trường mới", UnitKind.DIVISION, province.department,
                     opened_on=dt.date(2025, 4, 1))

    def compute(unit, period):
        raise AssertionError("must not be called")

    metric = Metric(key="tests.never", label="x", unit="hồ sơ", kind=MetricKind.COUNT,
                    compute=compute)
    with registered(metric):
        value = value_for("tests.never", late, "2025-Q1")
    assert not value.available
    assert value.reason == "đơn vị chưa thành lập / đã giải thể trong kỳ"


def test_active_window_clips_the_period_to_the_units_life(province):
    unit = OrgUnit(opened_on=dt.date(2025, 2, 10), closed_on=dt.date(2025, 3, 5))
    assert registry.active_window(unit, Q1) == (dt.date(2025, 2, 10), dt.date(2025, 3, 5))
    assert registry.as_of(unit, Q1) == dt.date(2025, 3, 5)
    assert registry.active_window(unit, Period(PeriodKind.QUARTER, 2025, 2)) is None
    assert registry.as_of(OrgUnit(), Q1) == dt.date(2025, 3, 31)


def test_values_for_children_uses_compute_per_child_or_compute_many(province):
    t = province
    calls = []

    def compute(unit, period):
        calls.append(unit.code)
        return (len(unit.code), None)

    def compute_many(units, period):
        calls.append(sorted(u.code for u in units))
        return {u.pk: (1, None) for u in units}

    with registered(Metric(key="tests.codes", label="x", unit="đơn vị",
                           kind=MetricKind.COUNT, compute=compute)):
        rows = values_for_children("tests.codes", t.department, Q1)
    assert {u.code: v.value for u, v in rows} == {
        "HY-VP": 5, "HY-THPT-VG": 10, "HY-VG": 5, "HY-VL": 5,
    }
    calls.clear()
    with registered(Metric(key="tests.codes", label="x", unit="đơn vị", kind=MetricKind.COUNT,
                           compute=compute, compute_many=compute_many)):
        rows = values_for_children("tests.codes", t.department, Q1)
    assert calls == [["HY-THPT-VG", "HY-VG", "HY-VL", "HY-VP"]]
    assert [v.value for _, v in rows] == [1, 1, 1, 1]


def test_format_value_in_vietnamese():
    assert format_value(98.456, "%") == "98,5 %"
    assert format_value(1234567) == "1.234.567"
    assert format_value(1234.5, digits=2) == "1.234,50"
    assert format_value(None) == "—"
