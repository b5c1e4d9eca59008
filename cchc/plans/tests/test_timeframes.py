"""Reading "Thời gian thực hiện" as the seed plans write it, and when deadlines end."""

import datetime as dt
from calendar import monthrange

import pytest
from django.apps import apps

from cchc.plans.timeframes import (
    CONDITIONAL,
    KINDS,
    ONCE,
    ONGOING,
    RECURRING,
    UNKNOWN,
    Recurrence,
    effective_deadline,
    interpret_timeframe,
    is_overdue,
    overdue_working_days,
)
from cchc.workdays import calendar

D = dt.date


def once(day):
    return (ONCE, day, (day,), "")


def series(recurrence, *days):
    return (RECURRING, days[-1], tuple(days), recurrence)


ONGOING_ = (ONGOING, None, (), "")
QUARTER_ENDS_2022 = (D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31))
MONTH_ENDS_2025 = tuple(D(2025, m, monthrange(2025, m)[1]) for m in range(1, 13))
QUARTER_ENDS_2025 = (D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31))
CONDITIONAL_ = (CONDITIONAL, None, (), "")


def shape(timeframe):
    return (timeframe.kind, timeframe.due_date, timeframe.due_dates, timeframe.recurrence)


# Every cell of the "Thời gian thực hiện" column of seed 001's appendix (Bến Tre, 2022),
# as extracted, including the cells broken by page breaks.
SEED_001 = [
    ("Tháng 01/2022", once(D(2022, 1, 31))),
    ("Tháng 01/2022", once(D(2022, 1, 31))),
    ("Theo quy định của Bộ Nội vụ", CONDITIONAL_),
    ("Thường xuyên", ONGOING_),
    ("Năm 2022", once(D(2022, 12, 31))),
    ("Năm 2022", once(D(2022, 12, 31))),
    ("Quý IV/2022", once(D(2022, 12, 31))),
    ("Tháng 01/2022", once(D(2022, 1, 31))),
    ("Quý II, III/2022", series(Recurrence.QUARTERLY, D(2022, 6, 30), D(2022, 9, 30))),
    ("Thường xuyên trong năm", ONGOING_),
    ("Hàng năm", series(Recurrence.YEARLY, D(2022, 12, 31))),
    ("Sau khi có\nQuyết định UBND tỉnh", CONDITIONAL_),
    ("Sau khi có Quyết định UBND tỉnh", CONDITIONAL_),
    ("Năm 2022", once(D(2022, 12, 31))),
    ("Năm 2022", once(D(2022, 12, 31))),
    ("Năm 2022", once(D(2022, 12, 31))),
    ("Quý IV/2022", once(D(2022, 12, 31))),
    ("Thường xuyên trong năm\n2022", ONGOING_),
    ("Trong năm 2022", once(D(2022, 12, 31))),
    ("Trong năm 2022", once(D(2022, 12, 31))),
    ("Thường xuyên", ONGOING_),
    ("Năm 2022", once(D(2022, 12, 31))),
]


@pytest.mark.parametrize(("text", "expected"), SEED_001)
def test_seed_001_appendix(text, expected):
    timeframe = interpret_timeframe(text, plan_year=2022)
    assert shape(timeframe) == expected
    assert timeframe.text == " ".join(text.split())


def test_seed_001_conditions_keep_the_event_on_one_line():
    timeframe = interpret_timeframe("Sau khi có\nQuyết định UBND tỉnh", plan_year=2022)
    assert timeframe.condition == "Sau khi có Quyết định UBND tỉnh"
    assert interpret_timeframe("Theo quy định của Bộ Nội vụ").condition == "Theo quy định của Bộ Nội vụ"


def test_seed_003_appendix_is_all_ongoing():
    """Seed 003 (Văn Giang, PAPI 2021): all 29 rows say "Thường xuyên"."""
    cells = ["Thường xuyên"] * 29
    assert {shape(interpret_timeframe(c, plan_year=2021)) for c in cells} == {ONGOING_}


def test_seed_000_roadmap_and_reporting_regime():
    plan = {"plan_start": D(2021, 7, 19), "plan_end": D(2025, 12, 31)}
    assert shape(interpret_timeframe("Tháng 11/2023", **plan)) == once(D(2023, 11, 30))
    assert shape(interpret_timeframe("Dự kiến Sơ kết vào tháng 11/2023", **plan)) == once(D(2023, 11, 30))
    assert shape(interpret_timeframe("trước ngày 25/7/2021", **plan)) == once(D(2021, 7, 25))
    regime = (
        "quý I trước ngày 05/3; quý II trước ngày 05/6;\nquý III trước ngày 05/9; cả năm trước ngày 05/12"
    )
    assert shape(interpret_timeframe(regime, plan_year=2022)) == series(
        "", D(2022, 3, 5), D(2022, 6, 5), D(2022, 9, 5), D(2022, 12, 5)
    )
    assert shape(interpret_timeframe("2021-2025", **plan)) == once(D(2025, 12, 31))
    assert shape(interpret_timeframe("Giai đoạn 2021 – 2025")) == once(D(2025, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thang 01/2025", once(D(2025, 1, 31))),
        ("Quy I/2025", once(D(2025, 3, 31))),
        ("Quy l/2025", once(D(2025, 3, 31))),
        ("QUY IV/2025", once(D(2025, 12, 31))),
        ("Thang 0l/2O25", once(D(2025, 1, 31))),
        ("6 thang dau nam 2025", once(D(2025, 6, 30))),
        ("Thuong xuyén", ONGOING_),
        ("Hang thang", series(Recurrence.MONTHLY, *MONTH_ENDS_2025)),
        ("Hang quy", series(Recurrence.QUARTERLY, *QUARTER_ENDS_2025)),
        (
            "trudc ngay 25 thang cudi cia mdi quy",
            series(Recurrence.QUARTERLY, D(2025, 3, 25), D(2025, 6, 25), D(2025, 9, 25), D(2025, 12, 25)),
        ),
        ("Ndm 2025", once(D(2025, 12, 31))),
    ],
)
def test_seed_002_ocr_forms(text, expected):
    assert shape(interpret_timeframe(text, plan_year=2025)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tháng 01, 02/2022", series(Recurrence.MONTHLY, D(2022, 1, 31), D(2022, 2, 28))),
        ("Tháng 3 năm 2025", once(D(2025, 3, 31))),
        ("tháng 3/2025", once(D(2025, 3, 31))),
        ("Cả năm 2022", once(D(2022, 12, 31))),
        ("Hằng năm", series(Recurrence.YEARLY, D(2022, 12, 31))),
        ("Trước ngày 15/3/2022", once(D(2022, 3, 15))),
        ("Trước 30/6", once(D(2022, 6, 30))),
        ("Đến ngày 31/12/2025", once(D(2025, 12, 31))),
        ("Hoàn thành trong tháng 5/2025", once(D(2025, 5, 31))),
        ("15/03/2022", once(D(2022, 3, 15))),
        ("trước ngày 25 tháng 8 năm 2023", once(D(2023, 8, 25))),
        (
            "Quý I, II, III, IV",
            series(Recurrence.QUARTERLY, D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)),
        ),
        (
            "Quý I, 6 tháng, quý III, năm",
            series(Recurrence.QUARTERLY, D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)),
        ),
        ("Năm 2022, 2023", series(Recurrence.YEARLY, D(2022, 12, 31), D(2023, 12, 31))),
        ("Từ tháng 3 đến tháng 5/2025", once(D(2025, 5, 31))),
        ("Tháng 3-5/2025", once(D(2025, 5, 31))),
        ("Quý I-II/2022", once(D(2022, 6, 30))),
        ("Từ 01/3/2025 đến 31/5/2025", once(D(2025, 5, 31))),
        ("Trước tháng 5/2025", once(D(2025, 4, 30))),
        ("Cuối tháng 3/2022", once(D(2022, 3, 31))),
        ("Giữa tháng 3/2022", once(D(2022, 3, 15))),
        ("Giữa năm 2022", once(D(2022, 6, 30))),
        ("Đầu năm 2023", once(D(2023, 1, 1))),
        ("Hàng 6 tháng", series(Recurrence.HALF_YEARLY, D(2022, 6, 30), D(2022, 12, 31))),
        ("Theo quý", series(Recurrence.QUARTERLY, *QUARTER_ENDS_2022)),
        ("ngày 22/5 hàng năm", series(Recurrence.YEARLY, D(2022, 5, 22))),
        ("Hàng ngày", ONGOING_),
        ("Liên tục", ONGOING_),
        ("Khi có văn bản hướng dẫn", CONDITIONAL_),
        ("Theo yêu cầu", CONDITIONAL_),
        ("Theo kế hoạch của UBND tỉnh", CONDITIONAL_),
        ("Tháng 13/2022", (UNKNOWN, None, (), "")),
        ("31/02/2022", (UNKNOWN, None, (), "")),
        ("Khẩn trương", (UNKNOWN, None, (), "")),
        ("", (UNKNOWN, None, (), "")),
    ],
)
def test_common_forms(text, expected):
    assert shape(interpret_timeframe(text, plan_year=2022)) == expected


def test_the_year_comes_from_the_plan_or_the_text_stays_unknown():
    assert shape(interpret_timeframe("Trước 30/6")) == (UNKNOWN, None, (), "")
    assert interpret_timeframe("Quý IV", plan_start=D(2024, 2, 1), plan_end=D(2024, 12, 31)).due_date == D(
        2024, 12, 31
    )
    # A phase plan leaves "Trước 30/6" ambiguous.
    phase = {"plan_start": D(2021, 1, 1), "plan_end": D(2025, 12, 31)}
    assert interpret_timeframe("Trước 30/6", **phase).kind == UNKNOWN


def test_recurring_series_follow_the_plan_period():
    phase = {"plan_start": D(2021, 7, 19), "plan_end": D(2025, 12, 31)}
    yearly = interpret_timeframe("Hàng năm", **phase)
    assert yearly.due_dates == tuple(D(y, 12, 31) for y in range(2021, 2026))
    assert yearly.due_date == D(2025, 12, 31)
    quarterly = interpret_timeframe("Hằng quý", plan_start=D(2025, 2, 10), plan_end=D(2025, 11, 15))
    # The quarter the plan ends in is due on the plan's last day.
    assert quarterly.due_dates == (D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 11, 15))
    without_period = interpret_timeframe("Hàng năm")
    assert (without_period.kind, without_period.recurrence, without_period.due_dates) == (
        UNKNOWN,
        Recurrence.YEARLY,
        (),
    )


def test_kinds_are_those_of_the_task_model():
    if not apps.is_installed("cchc.plans"):
        pytest.skip("cchc.plans is not installed")
    from cchc.plans.models import TimeframeKind

    assert set(KINDS) == set(TimeframeKind.values)


# --- effective deadlines -----------------------------------------------------------------


@pytest.fixture
def fresh_calendar(db):
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def test_a_deadline_inside_tet_ends_on_the_next_working_day(fresh_calendar):
    # Tết 2025: 28/01 (eve) to 01/02; Sunday 02/02; work resumes Monday 03/02.
    assert effective_deadline(D(2025, 1, 31)) == D(2025, 2, 3)
    assert effective_deadline(D(2025, 1, 29)) == D(2025, 2, 3)


def test_a_deadline_on_a_weekend_ends_on_monday(fresh_calendar):
    assert effective_deadline(D(2025, 5, 31)) == D(2025, 6, 2)  # Saturday
    assert effective_deadline(D(2025, 6, 1)) == D(2025, 6, 2)  # Sunday
    assert effective_deadline(D(2025, 5, 30)) == D(2025, 5, 30)  # Friday, a working day


def test_a_deadline_on_a_holiday_ends_after_it(fresh_calendar):
    # 30/04 – 04/05/2025 off: the holidays, Friday 02/05 swapped for Saturday 26/04 (as
    # announced, Thông báo 6150/TB-BLĐTBXH), and the weekend.
    assert effective_deadline(D(2025, 4, 30)) == D(2025, 5, 5)
    # Quốc khánh 2025: Monday 01/09 and Tuesday 02/09.
    assert effective_deadline(D(2025, 9, 1)) == D(2025, 9, 3)


def test_overdue_working_days(fresh_calendar):
    # Due Saturday 31/05/2025: on time until the end of Monday 02/06.
    assert overdue_working_days(D(2025, 5, 31), D(2025, 6, 2)) == 0
    assert not is_overdue(D(2025, 5, 31), D(2025, 6, 2))
    assert overdue_working_days(D(2025, 5, 31), D(2025, 6, 3)) == 1
    assert overdue_working_days(D(2025, 5, 31), D(2025, 6, 9)) == 5
    # Due in Tết: counted from Monday 03/02/2025.
    assert overdue_working_days(D(2025, 1, 31), D(2025, 2, 3)) == 0
    assert overdue_working_days(D(2025, 1, 31), D(2025, 2, 10)) == 5
    # Due Friday 30/05: the weekend is not counted, but it is overdue already.
    assert overdue_working_days(D(2025, 5, 30), D(2025, 6, 1)) == 0
    assert is_overdue(D(2025, 5, 30), D(2025, 6, 1))
    assert overdue_working_days(D(2025, 5, 30), D(2025, 6, 2)) == 1
    # Before the deadline.
    assert overdue_working_days(D(2025, 5, 30), D(2025, 5, 1)) == 0
