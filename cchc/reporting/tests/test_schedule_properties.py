"""A reporting schedule's rule arrives as JSON (API, the plan importer, the form): any
such value is either a valid rule or a DomainError naming its field, never a traceback;
and every shipped preset gives a due date for each period it covers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cchc.core.errors import DomainError
from cchc.metrics.periods import Period
from cchc.reporting.schedules import (
    ANCHORS,
    CUT_OFFS,
    DUE_KINDS,
    HOLIDAY_RULES,
    PRESETS,
    SLOTS,
    covered_kinds,
    raw_due_date,
    validate_rule,
)

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True, database=None)

scalars = (st.none() | st.booleans() | st.integers(-40, 400) | st.text(max_size=8)
           | st.sampled_from(["15", " 3 ", "²", "١٢", "15/12", "31/02", "1.5"]))
rules = st.fixed_dictionaries(
    {"due": st.sampled_from(DUE_KINDS) | scalars},
    optional={
        "day": scalars, "days": scalars, "after": st.sampled_from(ANCHORS) | scalars,
        "cut_off": st.sampled_from(CUT_OFFS) | scalars, "holiday": st.sampled_from(HOLIDAY_RULES) | scalars,
        "dates": st.dictionaries(st.sampled_from(SLOTS) | st.text(max_size=3), scalars, max_size=4) | scalars,
        "periods": st.lists(scalars, max_size=3) | scalars,
    },
)


@BOUNDED
@given(rules | scalars | st.lists(scalars))
@example({"due": "day_of_last_month", "day": "²"})  # str.isdigit() but not int(): was a 500
@example({"due": "working_days_after", "days": "٣"})
def test_any_json_is_a_rule_or_a_refusal_naming_its_field(value):
    try:
        rule = validate_rule(value)
    except DomainError as error:
        assert error.message and error.field
    else:
        assert validate_rule(rule) == rule  # normalised once and for all


@pytest.mark.django_db  # the working-day calendar's announced days off
@settings(BOUNDED, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(PRESETS)), st.integers(2000, 2100))
def test_every_preset_gives_a_due_date_for_each_period_it_covers(name, year):
    rule = validate_rule(PRESETS[name]["rule"])
    for kind in covered_kinds(rule):
        period = Period.containing(kind, Period(kind, year).start) if kind else None
        if period is not None:
            assert raw_due_date(rule, period).year in (year, year + 1)
