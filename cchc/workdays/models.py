"""The government's yearly changes to the working week.

Public holidays come from the Labour Code 2019, art. 112, computed by the `holidays`
package (see `cchc.workdays.calendar`). Each year the Prime Minister decides the exact
Tết days and usually swaps a working day with a Saturday to join a holiday to a weekend;
the Ministry of Labour (since 03/2025 the Ministry of Home Affairs) announces it. Those
announced changes are the rows of this table, one per date.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel


class WorkdayException(BaseModel):
    """One date whose status differs from the ordinary calendar, by an announcement.

    `day_off`: a weekday given off (e.g. Friday 02/05/2025, swapped with Saturday 26/04).
    `working_day`: a Saturday or Sunday worked in exchange (e.g. Saturday 26/04/2025).
    Writes go through `services.workday_exception_set` / `workday_exception_delete`.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ (hoán đổi/bổ sung)")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=300)
    reference = models.CharField(
        _("văn bản căn cứ"),
        max_length=300,
        help_text=_("Ví dụ: Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024"),
    )

    class Meta:
        verbose_name = _("ngày nghỉ/làm bù theo thông báo")
        verbose_name_plural = _("ngày nghỉ/làm bù theo thông báo")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["day_off", "working_day"]),
                name="workday_exception_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}: {self.reason}"
