"""The announced holiday schedules of 2025 and 2026 for cadres, civil servants and public
employees (cán bộ, công chức, viên chức), shipped so that every install has them.

Only departures from Labour Code 2019 art. 112 need a row; the statutory days (and the
compensatory Monday 27/04/2026 for Giỗ Tổ Hùng Vương falling on Sunday 26/04) come from
`cchc.workdays.calendar.public_holidays`. Sources:

2025 — Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024 of the Ministry of Labour, War
       Invalids and Social Affairs, implementing Công văn 8726/VPCP-KGVX ngày
       26/11/2024 (the Prime Minister's decision):
  * Tết Ất Tỵ: Saturday 25/01 – Sunday 02/02/2025, "05 ngày nghỉ Tết Âm lịch và 04 ngày
    nghỉ hằng tuần": no swap (the five statutory days are Mon 27 – Fri 31/01).
  * 30/4 – 1/5: Friday 02/05/2025 swapped with Saturday 26/04/2025; off 30/04 – 04/05.
  * Quốc khánh: Saturday 30/08 – Tuesday 02/09/2025 (1/9 and 2/9 statutory): no swap.
2026 — Công văn 12729/VPCP-KGVX ngày 25/12/2025 (Deputy PM Phạm Thị Thanh Trà, on the
       Ministry of Home Affairs' proposal):
  * Tết Dương lịch: Thursday 01/01 – Sunday 04/01/2026; Friday 02/01/2026 swapped with
    Saturday 10/01/2026.
     — Công văn 9859/VPCP-KGVX ngày 13/10/2025 (the Prime Minister, on Ministry of Home
       Affairs proposal 8764/BNV-CVL ngày 01/10/2025):
  * Tết Bính Ngọ: Saturday 14/02 – Sunday 22/02/2026, five statutory days (Mon 16 –
    Fri 20/02) and four weekend days: no swap.
  * Quốc khánh: Saturday 29/08 – Wednesday 02/09/2026 (1/9 and 2/9 statutory); Monday
    31/08/2026 swapped with Saturday 22/08/2026.
  * 30/4 – 1/5/2026 fall on Thursday and Friday: no announcement of a swap was found.

Rows are added only where the date has no row yet, and removed on reverse only if they
still carry the reference written here.
"""

import datetime as dt

from django.db import migrations

TB_6150 = (
    "Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024 (thực hiện Công văn 8726/VPCP-KGVX "
    "ngày 26/11/2024)"
)
CV_12729 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"
CV_9859 = "Công văn 9859/VPCP-KGVX ngày 13/10/2025 của Văn phòng Chính phủ"

ROWS = [
    # (date, kind, reason, reference)
    (
        dt.date(2025, 4, 26),
        "working_day",
        "Làm việc bù cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4 – 1/5/2025)",
        TB_6150,
    ),
    (
        dt.date(2025, 5, 2),
        "day_off",
        "Nghỉ hoán đổi dịp 30/4 – 1/5/2025 (làm bù thứ Bảy 26/04/2025)",
        TB_6150,
    ),
    (
        dt.date(2026, 1, 2),
        "day_off",
        "Nghỉ hoán đổi dịp Tết Dương lịch 2026 (làm bù thứ Bảy 10/01/2026)",
        CV_12729,
    ),
    (
        dt.date(2026, 1, 10),
        "working_day",
        "Làm việc bù cho thứ Sáu 02/01/2026 (nghỉ Tết Dương lịch 2026)",
        CV_12729,
    ),
    (
        dt.date(2026, 8, 22),
        "working_day",
        "Làm việc bù cho thứ Hai 31/08/2026 (nghỉ lễ Quốc khánh 2026)",
        CV_9859,
    ),
    (
        dt.date(2026, 8, 31),
        "day_off",
        "Nghỉ hoán đổi dịp Quốc khánh 2026 (làm bù thứ Bảy 22/08/2026)",
        CV_9859,
    ),
]


def add_rows(apps, schema_editor):
    WorkdayException = apps.get_model("workdays", "WorkdayException")
    existing = set(
        WorkdayException.objects.filter(day__in=[row[0] for row in ROWS]).values_list(
            "day", flat=True
        )
    )
    WorkdayException.objects.bulk_create(
        [
            WorkdayException(day=day, kind=kind, reason=reason, reference=reference)
            for day, kind, reason, reference in ROWS
            if day not in existing
        ]
    )


def remove_rows(apps, schema_editor):
    WorkdayException = apps.get_model("workdays", "WorkdayException")
    for day, _kind, _reason, reference in ROWS:
        WorkdayException.objects.filter(day=day, reference=reference).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(add_rows, remove_rows)]
