"""The calendar a one-stop desk officer checks deadlines against, on the real 2025 and
2026 schedules announced for civil servants:

2025 — Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024 (Công văn 8726/VPCP-KGVX ngày 26/11/2024):
       Tết 25/01–02/02, 30/4–04/05 with Fri 02/05 swapped for Sat 26/04, Quốc khánh 30/08–02/09.
2026 — Công văn 12729/VPCP-KGVX ngày 25/12/2025: Tết Dương lịch 01–04/01, Fri 02/01 swapped
       for Sat 10/01. Công văn 9859/VPCP-KGVX ngày 13/10/2025: Tết 14/02–22/02, Quốc khánh
       29/08–02/09 with Mon 31/08 swapped for Sat 22/08. Giỗ Tổ Hùng Vương on Sunday 26/04
       → compensatory Monday 27/04 (Labour Code 2019 art. 112(3)).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cchc.workdays import calendar
from cchc.workdays.calendar import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
    working_start,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(first: str, last: str) -> list[dt.date]:
    start, end = d(first), d(last)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# --- the announced schedules ------------------------------------------------------------


def test_tet_at_ty_2025_is_nine_days_off_from_25_01_to_02_02():
    assert all(not is_working_day(day) for day in days("2025-01-25", "2025-02-02"))
    assert is_working_day(d("2025-01-24"))  # Friday before Tết: last day at the office
    assert is_working_day(d("2025-02-03"))  # Monday, mùng 6: back to work
    # No swap that year: Monday 27/01 is one of the five statutory Tết days.
    assert calendar.day_info(d("2025-01-27")).kind == "holiday"


def test_tet_binh_ngo_2026_is_nine_days_off_from_14_02_to_22_02():
    assert all(not is_working_day(day) for day in days("2026-02-14", "2026-02-22"))
    assert is_working_day(d("2026-02-13"))
    assert is_working_day(d("2026-02-23"))
    assert [i.day for i in calendar.non_working_weekdays(2026) if i.day.month == 2] == days(
        "2026-02-16", "2026-02-20"
    )


def test_30_4_and_1_5_2025_five_days_off_with_saturday_26_04_worked():
    assert all(not is_working_day(day) for day in days("2025-04-30", "2025-05-04"))
    assert is_working_day(d("2025-04-26"))  # Saturday worked for Friday 02/05
    assert is_working_day(d("2025-04-29"))
    assert is_working_day(d("2025-05-05"))
    info = calendar.day_info(d("2025-05-02"))
    assert info.kind == "day_off" and "6150/TB-BLĐTBXH" in info.reference


def test_hung_kings_30_4_and_1_5_2026():
    assert not is_working_day(d("2026-04-27"))  # nghỉ bù for Sunday 26/04
    assert "Hùng Vương" in calendar.day_info(d("2026-04-27")).reason
    assert is_working_day(d("2026-04-28")) and is_working_day(d("2026-04-29"))
    assert all(not is_working_day(day) for day in days("2026-04-30", "2026-05-03"))
    assert is_working_day(d("2026-05-04"))


def test_national_day_2025_off_from_30_08_to_02_09():
    assert all(not is_working_day(day) for day in days("2025-08-30", "2025-09-02"))
    assert is_working_day(d("2025-08-29")) and is_working_day(d("2025-09-03"))


def test_national_day_2026_off_from_29_08_to_02_09_with_saturday_22_08_worked():
    assert all(not is_working_day(day) for day in days("2026-08-29", "2026-09-02"))
    assert is_working_day(d("2026-08-22"))
    assert is_working_day(d("2026-09-03"))
    assert "9859/VPCP-KGVX" in calendar.day_info(d("2026-08-31")).reference


def test_new_year_2026_off_from_01_01_to_04_01_with_saturday_10_01_worked():
    assert all(not is_working_day(day) for day in days("2026-01-01", "2026-01-04"))
    assert is_working_day(d("2026-01-10"))
    assert is_working_day(d("2025-01-02"))  # no swap for New Year 2025


def test_vietnamese_culture_day_is_not_counted_until_the_labour_code_says_so():
    # Resolution 80-NQ/TW announces 24/11 as a paid holiday; art. 112 is not amended yet.
    assert is_working_day(d("2026-11-24"))
    assert d("2026-11-24") not in calendar.public_holidays(2026)


def test_whole_years_list_every_departure_from_the_monday_to_friday_week():
    assert [(i.day.isoformat(), i.is_working) for i in calendar.non_working_weekdays(2025)] == [
        ("2025-01-01", False),
        ("2025-01-27", False), ("2025-01-28", False), ("2025-01-29", False),
        ("2025-01-30", False), ("2025-01-31", False),
        ("2025-04-07", False),
        ("2025-04-26", True),
        ("2025-04-30", False), ("2025-05-01", False), ("2025-05-02", False),
        ("2025-09-01", False), ("2025-09-02", False),
    ]
    assert [(i.day.isoformat(), i.is_working) for i in calendar.non_working_weekdays(2026)] == [
        ("2026-01-01", False), ("2026-01-02", False),
        ("2026-01-10", True),
        ("2026-02-16", False), ("2026-02-17", False), ("2026-02-18", False),
        ("2026-02-19", False), ("2026-02-20", False),
        ("2026-04-27", False),
        ("2026-04-30", False), ("2026-05-01", False),
        ("2026-08-22", True),
        ("2026-08-31", False), ("2026-09-01", False), ("2026-09-02", False),
    ]
    assert calendar.working_days_in_year(2025) == 250
    assert calendar.working_days_in_year(2026) == 250


def test_ordinary_weekends_are_not_worked():
    assert not is_working_day(d("2025-03-08"))  # Saturday
    assert not is_working_day(d("2025-03-09"))  # Sunday
    assert is_working_day(d("2025-03-10"))
    assert next_working_day(d("2025-03-07")) == d("2025-03-10")
    assert previous_working_day(d("2025-03-10")) == d("2025-03-07")
    assert previous_working_day(d("2025-02-03")) == d("2025-01-24")


# --- adding and counting working days ---------------------------------------------------


def test_add_working_days_across_tet():
    assert add_working_days(d("2025-01-24"), 1) == d("2025-02-03")
    assert add_working_days(d("2025-01-24"), 5) == d("2025-02-07")
    assert add_working_days(d("2026-02-13"), 1) == d("2026-02-23")
    assert add_working_days(d("2025-04-25"), 1) == d("2025-04-26")  # the worked Saturday
    assert add_working_days(d("2025-04-29"), 1) == d("2025-05-05")
    assert add_working_days(d("2026-08-28"), 1) == d("2026-09-03")


def test_a_dossier_received_on_a_day_off_counts_from_the_next_working_day():
    # Saturday 08/03/2025 counts as received Monday 10/03: +1 → Tuesday 11/03.
    assert working_start(d("2025-03-08")) == d("2025-03-10")
    assert add_working_days(d("2025-03-08"), 0) == d("2025-03-10")
    assert add_working_days(d("2025-03-08"), 1) == d("2025-03-11")
    assert add_working_days(d("2025-03-08"), 1) == add_working_days(d("2025-03-10"), 1)
    # Received on the first Saturday of Tết: counting starts Monday 03/02/2025.
    assert add_working_days(d("2025-01-25"), 0) == d("2025-02-03")
    assert add_working_days(d("2025-01-25"), 1) == d("2025-02-04")
    assert add_working_days(d("2025-03-10"), 0) == d("2025-03-10")


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(d("2025-03-10"), -1)


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(d("2025-01-24"), d("2025-02-10")) == 6
    assert working_days_between(d("2025-02-10"), d("2025-01-24")) == -6
    assert working_days_between(d("2025-01-24"), d("2025-01-24")) == 0
    assert working_days_between(d("2025-04-25"), d("2025-04-26")) == 1  # worked Saturday
    assert working_days_between(d("2025-04-29"), d("2025-05-05")) == 1
    # Across the new year: 05–09/01, Saturday 10/01 and Monday 12/01/2026.
    assert working_days_between(d("2025-12-31"), d("2026-01-12")) == 7


@pytest.mark.parametrize("n", [0, 1, 5, 23, 60, 250])
def test_between_undoes_add_from_a_working_day(n):
    start = d("2025-01-24")
    assert working_days_between(start, add_working_days(start, n)) == n


# --- datetimes: Vietnamese wall clock ---------------------------------------------------


def test_datetimes_keep_the_time_of_day_in_asia_ho_chi_minh():
    received = dt.datetime(2025, 1, 24, 9, 30, tzinfo=VN)
    due = add_working_days(received, 5)
    assert due == dt.datetime(2025, 2, 7, 9, 30, tzinfo=VN)
    assert due.utcoffset() == dt.timedelta(hours=7)

    # The same moment given in UTC comes back on the Vietnamese clock.
    in_utc = dt.datetime(2025, 1, 24, 2, 30, tzinfo=UTC)
    assert add_working_days(in_utc, 5) == due
    assert add_working_days(in_utc, 5).tzinfo == VN


def test_the_vietnamese_date_decides_not_the_utc_date():
    # Friday 24/01 20:00 UTC is already Saturday 25/01 03:00 in Hà Nội (Tết).
    late = dt.datetime(2025, 1, 24, 20, 0, tzinfo=UTC)
    assert not is_working_day(late)
    assert working_start(late) == dt.datetime(2025, 2, 3, 0, 0, tzinfo=VN)
    assert add_working_days(late, 1) == dt.datetime(2025, 2, 4, 0, 0, tzinfo=VN)
    assert working_days_between(late, dt.datetime(2025, 2, 4, 8, 0, tzinfo=VN)) == 2


def test_naive_datetimes_are_local_wall_time_and_stay_naive():
    assert add_working_days(dt.datetime(2025, 1, 24, 14, 0), 5) == dt.datetime(2025, 2, 7, 14, 0)
    assert add_working_days(dt.datetime(2025, 3, 8, 10, 0), 0) == dt.datetime(2025, 3, 10, 0, 0)


# --- cost ------------------------------------------------------------------------------


def test_adding_30_working_days_costs_at_most_one_query(
    django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(1):
        assert add_working_days(d("2025-01-24"), 30) == d("2025-03-14")
    with django_assert_num_queries(0):
        assert add_working_days(d("2026-02-13"), 30) == d("2026-04-03")
        assert working_days_between(d("2025-01-01"), d("2026-12-31")) == 500


def test_the_packages_copy_of_the_swaps_is_left_to_the_database():
    import holidays

    package = holidays.country_holidays("VN", years=[2025, 2026])
    # holidays 0.109 also knows some announced swaps and 24/11/2026 …
    assert {dt.date(2025, 5, 2), dt.date(2026, 8, 31), dt.date(2026, 11, 24)} <= set(package)
    # … the calendar counts them once, from WorkdayException, or not at all.
    assert dt.date(2025, 5, 2) not in calendar.public_holidays(2025)
    assert dt.date(2026, 8, 31) not in calendar.public_holidays(2026)
    assert "chưa là ngày nghỉ lễ" in calendar.day_info(dt.date(2026, 11, 24)).reason
