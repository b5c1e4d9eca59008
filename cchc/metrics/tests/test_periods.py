import datetime as dt

import pytest

from cchc.core.errors import DomainError
from cchc.metrics.periods import Period, PeriodKind, parse_period, periods_in_year

Q = PeriodKind.QUARTER


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Quý I/2025", Period(Q, 2025, 1)),
        ("quý 1 năm 2025", Period(Q, 2025, 1)),
        ("Quy IV/2024", Period(Q, 2024, 4)),
        ("QUÝ III / 2025", Period(Q, 2025, 3)),
        ("quý II - năm 2025", Period(Q, 2025, 2)),
        ("  Quý   II   năm   2025 ", Period(Q, 2025, 2)),
        ("6 tháng đầu năm 2025", Period(PeriodKind.HALF_YEAR, 2025, 1)),
        ("sáu tháng đầu năm 2025", Period(PeriodKind.HALF_YEAR, 2025, 1)),
        ("6 tháng cuối năm 2025", Period(PeriodKind.HALF_YEAR, 2025, 2)),
        ("6 THANG CUOI NAM 2025", Period(PeriodKind.HALF_YEAR, 2025, 2)),
        ("9 tháng đầu năm 2025", Period(PeriodKind.NINE_MONTHS, 2025)),
        ("9 tháng năm 2025", Period(PeriodKind.NINE_MONTHS, 2025)),
        ("chín tháng đầu năm 2025", Period(PeriodKind.NINE_MONTHS, 2025)),
        ("năm 2025", Period(PeriodKind.YEAR, 2025)),
        ("Năm 2025", Period(PeriodKind.YEAR, 2025)),
        ("NAM 2025", Period(PeriodKind.YEAR, 2025)),
        ("tháng 3/2025", Period(PeriodKind.MONTH, 2025, 3)),
        ("Tháng 03 năm 2025", Period(PeriodKind.MONTH, 2025, 3)),
        ("tháng 12/2024", Period(PeriodKind.MONTH, 2024, 12)),
        ("2025-Q1", Period(Q, 2025, 1)),
        ("2025-q4", Period(Q, 2025, 4)),
        ("2025-M01", Period(PeriodKind.MONTH, 2025, 1)),
        ("2025-H2", Period(PeriodKind.HALF_YEAR, 2025, 2)),
        ("2025-9M", Period(PeriodKind.NINE_MONTHS, 2025)),
        ("2025", Period(PeriodKind.YEAR, 2025)),
    ],
)
def test_parse_period_reads_what_officers_write(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Quý V/2025", "quý 5 năm 2025", "tháng 13/2025", "tháng 0/2025", "Thường xuyên",
     "2025-Q5", "2025-M13", "2025-H3", "Quý I", "6 tháng giữa năm 2025", "25"],
)
def test_parse_period_refuses_what_it_does_not_understand(text):
    with pytest.raises(DomainError) as error:
        parse_period(text)
    assert error.value.code == "invalid_period"


def test_parse_error_message_quotes_the_text():
    with pytest.raises(DomainError, match="Không hiểu kỳ báo cáo “Thường xuyên”"):
        parse_period("Thường xuyên")


@pytest.mark.parametrize(
    "period, start, end",
    [
        (Period(Q, 2025, 1), dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (Period(Q, 2025, 2), dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (Period(Q, 2025, 4), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (Period(PeriodKind.HALF_YEAR, 2025, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (Period(PeriodKind.HALF_YEAR, 2025, 2), dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        (Period(PeriodKind.NINE_MONTHS, 2025), dt.date(2025, 1, 1), dt.date(2025, 9, 30)),
        (Period(PeriodKind.YEAR, 2025), dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (Period(PeriodKind.MONTH, 2025, 2), dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        (Period(PeriodKind.MONTH, 2024, 2), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (Period(PeriodKind.MONTH, 2000, 2), dt.date(2000, 2, 1), dt.date(2000, 2, 29)),
        (Period(PeriodKind.MONTH, 2100, 2), dt.date(2100, 2, 1), dt.date(2100, 2, 28)),
        (Period(PeriodKind.MONTH, 2025, 4), dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
        (Period(PeriodKind.MONTH, 2025, 12), dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ],
)
def test_boundaries(period, start, end):
    assert (period.start, period.end) == (start, end)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1))
    assert not period.contains(end + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "period, key, label",
    [
        (Period(PeriodKind.MONTH, 2025, 1), "2025-M01", "Tháng 01/2025"),
        (Period(Q, 2025, 1), "2025-Q1", "Quý I/2025"),
        (Period(Q, 2024, 4), "2024-Q4", "Quý IV/2024"),
        (Period(PeriodKind.HALF_YEAR, 2025, 1), "2025-H1", "6 tháng đầu năm 2025"),
        (Period(PeriodKind.HALF_YEAR, 2025, 2), "2025-H2", "6 tháng cuối năm 2025"),
        (Period(PeriodKind.NINE_MONTHS, 2025), "2025-9M", "9 tháng đầu năm 2025"),
        (Period(PeriodKind.YEAR, 2025), "2025", "Năm 2025"),
    ],
)
def test_key_and_label_round_trip(period, key, label):
    assert period.key == key
    assert period.label == label == str(period)
    assert Period.from_key(key) == period
    assert parse_period(label) == period


def test_previous_crosses_the_year():
    assert Period(Q, 2025, 1).previous() == Period(Q, 2024, 4)
    assert Period(Q, 2025, 3).previous() == Period(Q, 2025, 2)
    assert Period(PeriodKind.MONTH, 2025, 1).previous() == Period(PeriodKind.MONTH, 2024, 12)
    assert Period(PeriodKind.HALF_YEAR, 2025, 1).previous() == Period(
        PeriodKind.HALF_YEAR, 2024, 2
    )
    assert Period(PeriodKind.NINE_MONTHS, 2025).previous() == Period(PeriodKind.NINE_MONTHS, 2024)
    assert Period(PeriodKind.YEAR, 2025).previous() == Period(PeriodKind.YEAR, 2024)


def test_periods_in_year_and_current():
    quarters = periods_in_year(Q, 2025)
    assert [p.key for p in quarters] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert len(periods_in_year(PeriodKind.MONTH, 2025)) == 12
    assert periods_in_year(PeriodKind.NINE_MONTHS, 2025) == [Period(PeriodKind.NINE_MONTHS, 2025)]
    today = dt.date(2025, 8, 15)
    assert Period.current(Q, today) == Period(Q, 2025, 3)
    assert Period.current(PeriodKind.MONTH, today) == Period(PeriodKind.MONTH, 2025, 8)
    assert Period.current(PeriodKind.HALF_YEAR, today) == Period(PeriodKind.HALF_YEAR, 2025, 2)
    assert Period.current(PeriodKind.NINE_MONTHS, today) == Period(PeriodKind.NINE_MONTHS, 2025)
    assert Period.current(PeriodKind.YEAR, today) == Period(PeriodKind.YEAR, 2025)


def test_invalid_periods_are_refused():
    for kind, index in [(Q, 5), (Q, 0), (PeriodKind.HALF_YEAR, 3), (PeriodKind.NINE_MONTHS, 2),
                        (PeriodKind.MONTH, 13), ("week", 1)]:
        with pytest.raises(DomainError):
            Period(kind, 2025, index)


def test_periods_are_values():
    assert Period("quarter", 2025, 1) == Period(Q, 2025, 1)
    assert len({Period("quarter", 2025, 1), Period(Q, 2025, 1)}) == 1
