"""Properties of reporting periods over every kind, year and index, and of the parser of
period names over any text an officer (or a stranger) may type."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.errors import DomainError
from cchc.core.text import fold
from cchc.metrics.periods import _COUNT, Period, PeriodKind, parse_period, periods_in_year

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True, database=None)


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(PeriodKind.values))
    year = draw(st.integers(1901, 9997))
    index = draw(st.integers(1, _COUNT[kind]))
    return Period(kind, year, index)


@BOUNDED
@given(periods())
def test_a_period_is_read_back_from_its_key_and_its_name_however_written(period):
    assert parse_period(period.key) == period == Period.from_key(period.key)
    assert parse_period(period.label) == period
    assert parse_period(fold(period.label)) == period  # typed without diacritics
    assert parse_period(period.label.upper()) == period
    assert parse_period(f"  {period.label}. ") == period


@BOUNDED
@given(periods())
def test_a_period_spans_whole_days_and_follows_on_from_the_previous_one(period):
    assert period.start <= period.end
    assert period.contains(period.start) and period.contains(period.end)
    assert not period.contains(period.start - dt.timedelta(days=1))
    assert not period.contains(period.end + dt.timedelta(days=1))
    assert period.days == (period.end - period.start).days + 1
    assert period.previous().next() == period == period.next().previous()
    if period.kind != PeriodKind.NINE_MONTHS:  # the nine months of the next year start in January
        assert period.next().start == period.end + dt.timedelta(days=1)


@BOUNDED
@given(st.sampled_from([k for k in PeriodKind.values if k != PeriodKind.NINE_MONTHS]),
       st.integers(1901, 9997))
def test_the_periods_of_a_year_cover_it_without_gap_or_overlap(kind, year):
    parts = periods_in_year(kind, year)
    assert parts[0].start == dt.date(year, 1, 1) and parts[-1].end == dt.date(year, 12, 31)
    for before, after in zip(parts, parts[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert sum(p.days for p in parts) == (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1


@BOUNDED
@given(st.sampled_from(PeriodKind.values), st.dates(dt.date(1901, 1, 1), dt.date(9997, 12, 31)))
def test_the_period_containing_a_day_contains_it(kind, day):
    if kind == PeriodKind.NINE_MONTHS and day.month > 9:
        return
    assert Period.containing(kind, day).contains(day)


@BOUNDED
@given(st.text(max_size=60)
       | st.from_regex(r"(quý|quy|tháng|thang|6 tháng|năm)\s?[0-9IVivx]{1,4}[/ -]\d{1,5}"))
def test_any_text_is_a_period_or_a_clear_refusal(text):
    try:
        period = parse_period(text)
    except DomainError as error:
        assert error.code == "invalid_period" and error.message
    else:
        assert isinstance(period, Period)
