"""`cchc workdays …`: ask the working-day calendar from the command line.

    cchc workdays add 2025-01-24 5            → 2025-02-07 (Thứ Sáu, 07/02/2025)
    cchc workdays between 2025-01-24 2025-02-10 → 6
    cchc workdays is 2025-01-27               → why the day is (not) worked
    cchc workdays list 2026                   → the year's departures from Mon–Fri
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.workdays import calendar

USAGE = (
    "Cách dùng: workdays add NGÀY SỐ_NGÀY | workdays between TỪ_NGÀY ĐẾN_NGÀY | "
    "workdays is NGÀY | workdays list NĂM (ngày dạng 2025-01-24 hoặc 24/01/2025)."
)


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(
        f"Ngày không hợp lệ: «{text}». Nhập theo dạng 2025-01-24 hoặc 24/01/2025."
    )


def _parse_int(text: str, what: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{what} phải là số nguyên, không phải «{text}».") from None
    if value < minimum:
        raise CommandError(f"{what} phải từ {minimum} trở lên (nhận được {value}).")
    return value


def _shown(day: dt.date) -> str:
    return f"{calendar.WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}"


class Command(BaseCommand):
    help = (
        "Lịch ngày làm việc: cộng ngày làm việc, đếm ngày làm việc giữa hai ngày, "
        "kiểm tra một ngày, liệt kê ngày nghỉ/làm bù của một năm. " + USAGE
    )

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", help="add | between | is | list")
        parser.add_argument("values", nargs="*", help="tham số của thao tác")

    def handle(self, *args, action=None, values=(), **options):
        handlers = {
            "add": (2, self._add),
            "between": (2, self._between),
            "is": (1, self._is),
            "list": (1, self._list),
        }
        if action not in handlers:
            if action is None:
                raise CommandError(f"Thiếu thao tác. {USAGE}")
            raise CommandError(f"Thao tác không hợp lệ: «{action}». {USAGE}")
        count, handler = handlers[action]
        if len(values) != count:
            raise CommandError(
                f"Thao tác «{action}» cần {count} tham số, nhận được {len(values)}. {USAGE}"
            )
        handler(*values)

    def _add(self, start_text: str, n_text: str) -> None:
        start = _parse_date(start_text)
        n = _parse_int(n_text, "Số ngày làm việc", minimum=0)
        result = calendar.add_working_days(start, n)
        self.stdout.write(f"{result.isoformat()} ({_shown(result)})")
        begin = calendar.working_start(start)
        if begin != start:
            self.stdout.write(
                f"Lưu ý: {_shown(start)} không phải ngày làm việc; tính từ đầu ngày "
                f"làm việc tiếp theo {_shown(begin)}."
            )

    def _between(self, start_text: str, end_text: str) -> None:
        start, end = _parse_date(start_text), _parse_date(end_text)
        self.stdout.write(str(calendar.working_days_between(start, end)))

    def _is(self, day_text: str) -> None:
        info = calendar.day_info(_parse_date(day_text))
        verdict = "là ngày làm việc" if info.is_working else "là ngày nghỉ"
        line = f"{info.day.isoformat()} ({_shown(info.day)}) {verdict}: {info.reason}"
        if info.reference:
            line += f" — {info.reference}"
        self.stdout.write(line)

    def _list(self, year_text: str) -> None:
        year = _parse_int(year_text, "Năm", minimum=1995)
        if year > 2100:
            raise CommandError(f"Năm không hợp lệ: {year}.")
        days = calendar.non_working_weekdays(year)
        self.stdout.write(f"Năm {year}: các ngày khác với tuần làm việc thứ Hai – thứ Sáu")
        for info in days:
            verdict = "làm việc" if info.is_working else "nghỉ"
            line = f"{info.day.isoformat()}  {info.weekday_name:<8}  {verdict:<8}  {info.reason}"
            if info.reference:
                line += f" — {info.reference}"
            self.stdout.write(line)
        off = sum(1 for info in days if not info.is_working)
        worked = len(days) - off
        self.stdout.write(
            f"Tổng: {off} ngày nghỉ trong tuần, {worked} ngày làm bù cuối tuần, "
            f"{calendar.working_days_in_year(year)} ngày làm việc trong năm."
        )
