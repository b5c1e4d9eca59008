import datetime as dt
import json
from pathlib import Path

import pytest

from cchc.core.errors import DomainError
from cchc.metrics.periods import Period, PeriodKind
from cchc.reporting import schedules
from cchc.reporting.schedules import (
    PRESETS,
    calendar,
    cut_off,
    due_date,
    preset,
    raw_due_date,
    rule_from_reporting,
    validate_rule,
)
from cchc.workdays import calendar as workdays

SEEDS = Path("/work/shared/seeds")
D = dt.date
Q = PeriodKind.QUARTER


@pytest.fixture(autouse=True)
def fresh_calendar():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def rule(**changes):
    base = preset("seed_000_hoang_mai")
    base.update(changes)
    return base


# --- cut-offs (Decree 09/2019/NĐ-CP art. 12) -----------------------------------------------


@pytest.mark.parametrize(
    "period, window",
    [
        (Period(Q, 2025, 1), (D(2024, 12, 15), D(2025, 3, 14))),
        (Period(Q, 2025, 3), (D(2025, 6, 15), D(2025, 9, 14))),
        (Period(PeriodKind.YEAR, 2025), (D(2024, 12, 15), D(2025, 12, 14))),
        (Period(PeriodKind.HALF_YEAR, 2025, 1), (D(2024, 12, 15), D(2025, 6, 14))),
        (Period(PeriodKind.HALF_YEAR, 2025, 2), (D(2025, 6, 15), D(2025, 12, 14))),
        (Period(PeriodKind.NINE_MONTHS, 2025), (D(2024, 12, 15), D(2025, 9, 14))),
        (Period(PeriodKind.MONTH, 2025, 3), (D(2025, 2, 15), D(2025, 3, 14))),
        (Period(PeriodKind.MONTH, 2025, 1), (D(2024, 12, 15), D(2025, 1, 14))),
    ],
)
def test_decree_09_cut_off(period, window):
    assert cut_off(rule(cut_off="decree_09_2019"), period) == window


def test_calendar_cut_off_is_the_period():
    assert cut_off(rule(cut_off="calendar"), Period(Q, 2025, 1)) == (D(2025, 1, 1), D(2025, 3, 31))
    # the default is Decree 09's
    assert validate_rule({"due": "fixed", "dates": {"Y": "05/12"}})["cut_off"] == "decree_09_2019"


# --- seed 000: fixed dates, the holiday rules ------------------------------------------------


@pytest.mark.django_db
def test_seed_000_dates_2022_move_to_the_next_working_day():
    r = preset("seed_000_hoang_mai")
    periods = [Period(Q, 2022, 1), Period(Q, 2022, 2), Period(Q, 2022, 3), Period(PeriodKind.YEAR, 2022)]
    assert [raw_due_date(r, p) for p in periods] == [
        D(2022, 3, 5),
        D(2022, 6, 5),
        D(2022, 9, 5),
        D(2022, 12, 5),
    ]
    # 05/03/2022 Saturday → Monday 07/03; 05/06/2022 Sunday → Monday 06/06; 05/09 and
    # 05/12/2022 are Mondays.
    assert [due_date(r, p) for p in periods] == [D(2022, 3, 7), D(2022, 6, 6), D(2022, 9, 5), D(2022, 12, 5)]


@pytest.mark.django_db
def test_seed_000_previous_working_day_and_none():
    before = rule(holiday="previous_working_day")
    assert due_date(before, Period(Q, 2022, 1)) == D(2022, 3, 4)  # Friday
    assert due_date(before, Period(Q, 2022, 2)) == D(2022, 6, 3)
    assert due_date(before, Period(Q, 2022, 3)) == D(2022, 9, 5)
    unchanged = rule(holiday="none")
    assert due_date(unchanged, Period(Q, 2022, 1)) == D(2022, 3, 5)


@pytest.mark.django_db
def test_seed_000_has_no_q4_report():
    r = preset("seed_000_hoang_mai")
    with pytest.raises(DomainError) as error:
        due_date(r, Period(Q, 2022, 4))
    assert "Quý IV/2022" in error.value.message


@pytest.mark.django_db
def test_fixed_month_day_and_next_year_date():
    r = validate_rule({"due": "fixed", "dates": {"M": 31, "Q4": "10/01", "Y": "10/01"}})
    assert raw_due_date(r, Period(PeriodKind.MONTH, 2025, 4)) == D(2025, 4, 30)  # clamped
    assert raw_due_date(r, Period(Q, 2025, 4)) == D(2026, 1, 10)  # before Q4 starts
    assert raw_due_date(r, Period(PeriodKind.YEAR, 2025)) == D(2025, 1, 10)  # its own year
    leap = validate_rule({"due": "fixed", "dates": {"Q1": "29/02"}})
    assert raw_due_date(leap, Period(Q, 2025, 1)) == D(2025, 2, 28)
    assert raw_due_date(leap, Period(Q, 2024, 1)) == D(2024, 2, 29)


# --- seed 002 and MoHA: a day of the last month ------------------------------------------------


@pytest.mark.django_db
def test_seed_002_25th_of_the_last_month_2025():
    r = preset("seed_002_do_son")
    entries = calendar(r, ["quarter"], 2025)
    # 25/03 Tue, 25/06 Wed, 25/09 Thu, 25/12/2025 Thu: none moves.
    assert [(e.period.key, e.due, e.moved_from) for e in entries] == [
        ("2025-Q1", D(2025, 3, 25), None),
        ("2025-Q2", D(2025, 6, 25), None),
        ("2025-Q3", D(2025, 9, 25), None),
        ("2025-Q4", D(2025, 12, 25), None),
    ]


@pytest.mark.django_db
def test_seed_002_25th_moves_in_2022():
    r = preset("seed_002_do_son")
    due = {e.period.key: (e.due, e.moved_from) for e in calendar(r, None, 2022)}
    assert due["2022-Q1"] == (D(2022, 3, 25), None)  # Friday
    assert due["2022-Q2"] == (D(2022, 6, 27), D(2022, 6, 25))  # Saturday → Monday
    assert due["2022-H1"] == (D(2022, 6, 27), D(2022, 6, 25))
    assert due["2022-Q3"] == (D(2022, 9, 26), D(2022, 9, 25))  # Sunday → Monday
    assert due["2022"] == (D(2022, 12, 26), D(2022, 12, 25))


@pytest.mark.django_db
def test_moha_day_20():
    r = preset("moha_reform_report")
    entries = calendar(r, None, 2025)
    assert [(e.period.key, e.cut_off_start, e.cut_off_end, e.due, e.moved_from) for e in entries] == [
        ("2025-Q1", D(2024, 12, 15), D(2025, 3, 14), D(2025, 3, 20), None),
        ("2025-H1", D(2024, 12, 15), D(2025, 6, 14), D(2025, 6, 20), None),
        # 20/09/2025 and 20/12/2025 are Saturdays
        ("2025-Q3", D(2025, 6, 15), D(2025, 9, 14), D(2025, 9, 22), D(2025, 9, 20)),
        ("2025", D(2024, 12, 15), D(2025, 12, 14), D(2025, 12, 22), D(2025, 12, 20)),
    ]


# --- working days after, across Tết ---------------------------------------------------------


@pytest.mark.django_db
def test_working_days_after_period_end_across_tet_2025():
    r = validate_rule({"due": "working_days_after", "days": 5, "after": "period_end", "periods": ["month"]})
    # 31/01/2025 is in Tết (25/01–02/02/2025): 03, 04, 05, 06, 07/02.
    assert due_date(r, Period(PeriodKind.MONTH, 2025, 1)) == D(2025, 2, 7)
    assert raw_due_date(r, Period(PeriodKind.MONTH, 2025, 1)) == D(2025, 2, 7)


@pytest.mark.django_db
def test_working_days_after_cut_off_end_across_tet_2026():
    r = preset("decree_09_2019")
    february = Period(PeriodKind.MONTH, 2026, 2)
    assert cut_off(r, february) == (D(2026, 1, 15), D(2026, 2, 14))
    # Tết 2026: 14/02–22/02/2026 off → 23, 24, 25, 26, 27/02.
    assert not workdays.is_working_day(D(2026, 2, 16))
    assert due_date(r, february) == D(2026, 2, 27)


@pytest.mark.django_db
def test_zero_working_days_after_falls_under_the_holiday_rule():
    r = validate_rule({"due": "working_days_after", "days": 0, "after": "period_end", "periods": ["Q1"]})
    # 31/03/2024 is a Sunday
    assert raw_due_date(r, Period(Q, 2024, 1)) == D(2024, 3, 31)
    assert due_date(r, Period(Q, 2024, 1)) == D(2024, 4, 1)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, field, words",
    [
        ([], "rule", "đối tượng"),
        ({"due": "soon"}, "due", "“due”"),
        ({"due": "fixed"}, "dates", "“dates”"),
        ({"due": "fixed", "dates": {"Q5": "05/03"}}, "dates", "Q5"),
        ({"due": "fixed", "dates": {"Q1": "32/03"}}, "dates.Q1", "32/03"),
        ({"due": "fixed", "dates": {"Q1": "5 tháng 3"}}, "dates.Q1", "ngày/tháng"),
        ({"due": "fixed", "dates": {"M": 0}}, "dates.M", "từ 1 đến 31"),
        ({"due": "fixed", "dates": {"Y": "05/12"}, "periods": ["year"]}, "periods", "“periods”"),
        ({"due": "day_of_last_month", "day": 25}, "periods", "“periods”"),
        ({"due": "day_of_last_month", "day": 0, "periods": ["quarter"]}, "day", "“day”"),
        ({"due": "day_of_last_month", "day": True, "periods": ["quarter"]}, "day", "“day”"),
        ({"due": "day_of_last_month", "day": 25, "periods": ["week"]}, "periods", "week"),
        ({"due": "working_days_after", "days": -1, "periods": ["year"]}, "days", "“days”"),
        ({"due": "working_days_after", "days": 5, "after": "start", "periods": ["year"]}, "after", "“after”"),
        ({"due": "working_days_after", "days": 5, "day": 3, "periods": ["year"]}, "day", "“day”"),
        ({"due": "fixed", "dates": {"Y": "05/12"}, "cut_off": "law"}, "cut_off", "“cut_off”"),
        ({"due": "fixed", "dates": {"Y": "05/12"}, "holiday": "skip"}, "holiday", "“holiday”"),
        ({"due": "fixed", "dates": {"Y": "05/12"}, "colour": "red"}, "colour", "colour"),
    ],
)
def test_invalid_rules(bad, field, words):
    with pytest.raises(DomainError) as error:
        validate_rule(bad)
    assert error.value.field == field
    assert words in error.value.message


def test_validate_rule_normalises_and_is_json():
    r = validate_rule({"due": "fixed", "dates": {"Y": "5/12", "Q1": "5/3"}})
    assert r == {
        "due": "fixed",
        "dates": {"Q1": "05/03", "Y": "05/12"},
        "cut_off": "decree_09_2019",
        "holiday": "next_working_day",
    }
    assert validate_rule(r) == r
    assert json.loads(json.dumps(r)) == r


def test_presets_are_valid_and_cited():
    for name, entry in PRESETS.items():
        assert validate_rule(entry["rule"]) == preset(name)
        assert entry["label"] and entry["source"]
    assert "Điều 12" in PRESETS["decree_09_2019"]["source"]
    assert "581/BNV-CCHC" in PRESETS["moha_reform_report"]["source"]
    with pytest.raises(DomainError):
        preset("nope")


# --- from the plan importer ---------------------------------------------------------------------


def _reporting(name: str) -> list[dict]:
    from cchc.intake.extract import extract
    from cchc.intake.readers import read_document

    path = next(SEEDS.glob(f"{name}_*.txt"))
    return extract(read_document(path.read_bytes(), path.name)).to_json()["reporting"]


def test_rule_from_reporting_seed_000():
    assert rule_from_reporting(_reporting("000")) == preset("seed_000_hoang_mai")


def test_rule_from_reporting_seed_002():
    assert rule_from_reporting(_reporting("002")) == preset("seed_002_do_son")


def test_rule_from_reporting_without_days():
    assert rule_from_reporting(_reporting("001")) is None  # periods but no day
    assert rule_from_reporting(_reporting("004")) is None  # one-off dated reports only
    assert rule_from_reporting([]) is None
    assert rule_from_reporting([{"period": "month", "due": "05/01", "text": ""}]) == validate_rule(
        {"due": "fixed", "dates": {"M": 5}}
    )
    assert rule_from_reporting([{"period": "quarter", "due": "31/02", "text": ""}]) is None


# --- the year's calendar ------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_lists_each_period_once_with_moved_from():
    r = preset("seed_000_hoang_mai")
    entries = calendar(r, ["quarter", "year"], 2022)
    assert [e.period.key for e in entries] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022"]
    first = entries[0]
    assert (first.cut_off_start, first.cut_off_end) == (D(2021, 12, 15), D(2022, 3, 14))
    assert (first.due, first.moved_from) == (D(2022, 3, 7), D(2022, 3, 5))
    assert entries[2].moved_from is None
    assert first.to_json()["moved_from"] == "2022-03-05"
    # all the rule covers, once each
    assert [e.period.key for e in calendar(r, None, 2022)] == [e.period.key for e in entries]


@pytest.mark.django_db
def test_calendar_monthly_and_sorted():
    r = preset("decree_09_2019")
    entries = calendar(r, None, 2025)
    keys = [e.period.key for e in entries]
    assert len(keys) == len(set(keys)) == 12 + 4 + 2 + 1
    assert [e.due for e in entries] == sorted(e.due for e in entries)
    assert all(workdays.is_working_day(e.due) for e in entries)


def test_calendar_refuses_a_kind_the_rule_lacks():
    with pytest.raises(DomainError) as error:
        calendar(preset("seed_000_hoang_mai"), ["month"], 2022)
    assert error.value.field == "kinds"
    with pytest.raises(DomainError):
        calendar(preset("seed_000_hoang_mai"), ["week"], 2022)


def test_covered_kinds():
    assert schedules.covered_kinds(preset("seed_000_hoang_mai")) == ["quarter", "year"]
    assert schedules.covered_slots(preset("moha_reform_report")) == ["Q1", "Q3", "H1", "Y"]


# --- the calendar is remembered until the working-day calendar changes ------------------------


@pytest.mark.django_db
def test_a_day_off_announced_after_the_calendar_was_read_moves_the_due_date():
    from cchc.workdays.services import workday_exception_set

    r = preset("seed_000_hoang_mai")
    first = calendar(r, None, 2022)
    assert first[0].period == Period(Q, 2022, 1) and first[0].due == D(2022, 3, 7)
    # The same answer again, from memory; changing the returned list changes nothing.
    first.clear()
    assert calendar(r, None, 2022)[0].due == D(2022, 3, 7)
    workday_exception_set(
        actor=None, day=D(2022, 3, 7), kind="day_off", reason="Nghỉ bù (thử)", reference="Thông báo (thử)"
    )
    assert calendar(r, None, 2022)[0].due == D(2022, 3, 8)  # Tuesday, the next working day


@pytest.mark.django_db
def test_another_process_changing_the_calendar_is_seen_within_the_check_interval(monkeypatch):
    from django.core.cache import cache

    from cchc.workdays.models import WorkdayException

    r = preset("seed_000_hoang_mai")
    assert calendar(r, None, 2022)[0].due == D(2022, 3, 7)
    # Another web process records the day off: the row, and a new version in the shared cache.
    WorkdayException.objects.create(day=D(2022, 3, 7), kind="day_off", reason="Nghỉ bù", reference="TB")
    cache.set(workdays._VERSION_KEY, "another process", None)
    monkeypatch.setattr(workdays, "VERSION_CHECK_INTERVAL", 0.0)
    assert calendar(r, None, 2022)[0].due == D(2022, 3, 8)
