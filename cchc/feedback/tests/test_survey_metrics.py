"""Survey metrics on the hand-computed fixture (test_survey_results_data.py).

The fixture's template is not shipped, so the metrics of a shipped template are checked
by registering the same builder for the tiny questionnaire, and the shipped keys are
checked to exist."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F

import pytest

from cchc.feedback import survey_metrics
from cchc.metrics import registry
from cchc.metrics.periods import parse_period

from .test_survey_results_data import TINY, build

pytestmark = pytest.mark.django_db


def _pct(f: F) -> Decimal:
    return Decimal(f.numerator) * 100 / Decimal(f.denominator)


def test_every_shipped_questionnaire_has_its_index_and_area_metrics():
    keys = {m.key for m in registry.all_metrics()}
    assert {"survey.responses", "survey.parents_primary.index", "survey.sipas_2017.index"} <= keys
    assert "survey.parents_primary.area.facilities" in keys
    assert "survey.parents_primary.area.overall" in keys
    assert "survey.sipas_2023.area.policy.accountability" in keys
    assert "survey.parents_primary.area.expectation" not in keys  # not scored
    metric = registry.get("survey.parents_primary.index")
    assert metric.kind == "average" and metric.unit == "%"


@pytest.fixture
def tiny_metrics():
    metrics = [survey_metrics._index_metric(TINY)] + [
        survey_metrics._index_metric(TINY, area)
        for area in TINY.areas
        if area.part in ("satisfaction", "overall")
    ]
    for metric in metrics:
        registry.register(metric)
    yield
    for metric in metrics:
        registry.unregister(metric.key)


def test_the_index_metric_is_the_mean_written_as_sum_over_count(province, tiny_metrics):
    build(province)
    # Whole Q4/2026: all 12 responses of the campaign -> office index 73/132 (55,30 %):
    # the mean of area A (20/33) and area B (1/2), as (sum of the two in %, 2).
    value = registry.value_for("survey.tiny_test.index", province.office_a, "2026-Q4")
    assert value.denominator == 2
    assert value.numerator == _pct(F(20, 33)) + _pct(F(1, 2))
    assert round(value.value, 2) == Decimal("55.30")
    assert value.display(2) == "55,30 %"
    area = registry.value_for("survey.tiny_test.area.a", province.office_a, "2026-Q4")
    # Area A = mean of Q1 (6/11) and Q2 (2/3).
    assert (area.numerator, area.denominator) == (_pct(F(6, 11)) + _pct(F(2, 3)), 2)
    assert round(area.value, 4) == round(_pct(F(20, 33)), 4)
    # The parent's value is its own pooled counts (the department holds the same 12).
    assert registry.value_for("survey.tiny_test.index", province.department, "2026-Q4").value == value.value


def test_metrics_count_the_responses_submitted_in_the_period(province, tiny_metrics):
    build(province)
    october = registry.value_for("survey.tiny_test.index", province.school_a1, "2026-M10")
    # A1's 4 October responses: Q1 5 5 4 4, Q2 4 4 4 4, Q3 5 5 5 5: every index is 100 %.
    assert (october.numerator, october.denominator) == (Decimal(200), 2)
    assert registry.value_for("survey.responses", province.office_a, "2026-M10").value == 4
    assert registry.value_for("survey.responses", province.office_a, "2026-Q4").value == 12
    # 2025 (the previous campaign): 2 responses, all satisfied.
    assert registry.value_for("survey.responses", province.department, "2025").value == 2
    empty = registry.value_for("survey.tiny_test.index", province.office_b, "2026-Q4")
    assert (empty.numerator, empty.denominator, empty.value) == (Decimal(0), 0, None)


def test_children_values_come_from_one_set_of_queries(province, tiny_metrics, django_assert_max_num_queries):
    build(province)
    with django_assert_max_num_queries(6):
        rows = registry.values_for_children(
            "survey.tiny_test.index", province.office_a, parse_period("2026-Q4")
        )
    values = {unit.pk: v for unit, v in rows}
    assert round(values[province.school_a1.pk].value, 2) == Decimal("74.11")  # 83/112
    assert values[province.school_a2.pk].value == Decimal("18.75")  # 3/16
    counts = dict(
        (u.pk, v.value)
        for u, v in registry.values_for_children("survey.responses", province.office_a, "2026-Q4")
    )
    assert counts == {province.school_a1.pk: 8, province.school_a2.pk: 4}
