"""`cchc workdays …` as an operator types it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_due_date_across_tet():
    assert run("add", "2025-01-24", "5").splitlines()[0] == "2025-02-07 (Thứ Sáu, 07/02/2025)"


def test_add_from_a_day_off_says_where_counting_starts():
    output = run("add", "25/01/2025", "1")
    assert output.startswith("2025-02-04 (Thứ Ba, 04/02/2025)")
    assert "Thứ Hai, 03/02/2025" in output


def test_between_prints_the_count():
    assert run("between", "2025-01-24", "2025-02-10").strip() == "6"


def test_is_explains_a_holiday_a_swap_and_an_ordinary_day():
    tet = run("is", "2025-01-27")
    assert tet.startswith("2025-01-27 (Thứ Hai, 27/01/2025) là ngày nghỉ:")
    assert "Tết" in tet and "Điều 112" in tet
    swap = run("is", "2025-04-26")
    assert "là ngày làm việc" in swap and "6150/TB-BLĐTBXH" in swap
    assert "là ngày làm việc" in run("is", "2025-03-10")
    assert "ngày nghỉ hằng tuần" in run("is", "2025-03-08").lower()


def test_list_shows_the_departures_of_2026():
    lines = run("list", "2026").splitlines()
    assert any(line.startswith("2026-01-02") and "nghỉ" in line for line in lines)
    assert any(line.startswith("2026-08-22") and "làm việc" in line for line in lines)
    assert any(line.startswith("2026-04-27") and "Hùng Vương" in line for line in lines)
    assert lines[-1] == (
        "Tổng: 13 ngày nghỉ trong tuần, 2 ngày làm bù cuối tuần, 250 ngày làm việc trong năm."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Thiếu thao tác"),
        (("frobnicate",), "Thao tác không hợp lệ"),
        (("add", "2025-01-24"), "cần 2 tham số"),
        (("add", "2025-13-01", "5"), "Ngày không hợp lệ"),
        (("add", "2025-01-24", "năm"), "phải là số nguyên"),
        (("add", "2025-01-24", "-2"), "phải từ 0 trở lên"),
        (("list", "20x6"), "phải là số nguyên"),
    ],
)
def test_bad_arguments_give_a_vietnamese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
