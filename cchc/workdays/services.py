"""Writes to the working-day calendar: the announced swaps and extra days off.

Each year the Prime Minister decides the Tết days and the swaps that join holidays to
weekends (Labour Code 2019, art. 112(3)); the Ministry of Labour — since 03/2025 the
Ministry of Home Affairs — announces them (e.g. Thông báo 6150/TB-BLĐTBXH of 03/12/2024
for 2025). Only a system administrator records them; every write is audited and makes
every process re-read the calendar.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError, PermissionDenied

from . import calendar
from .models import WorkdayException


def _check_actor(actor) -> None:
    if actor is None:  # system jobs and data loads act without a user
        return
    from cchc.orgs.scoping import scope_for

    if not scope_for(actor).is_global:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa lịch ngày làm việc."))


def workday_exception_validate(*, day: dt.date, kind: str, reason: str, reference: str) -> None:
    """The rules an announced exception must follow (raises `DomainError`).

    A `working_day` is a Saturday or Sunday worked in exchange and never a public
    holiday; a `day_off` is a weekday that is not already a public holiday (Labour Code
    2019, art. 112). Both need the reason and the announcement that decided them.
    """
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise DomainError(_("Vui lòng nhập ngày hợp lệ."), field="day", code="required")
    if kind not in WorkdayException.Kind.values:
        raise DomainError(_("Loại ngày không hợp lệ."), field="kind")
    if not reason or not reason.strip():
        raise DomainError(_("Vui lòng nhập lý do."), field="reason", code="required")
    if not reference or not reference.strip():
        raise DomainError(
            _("Vui lòng nhập văn bản căn cứ (số, ký hiệu của thông báo)."),
            field="reference",
            code="required",
        )
    holiday = calendar.public_holidays(day.year).get(day)
    is_weekend = day.weekday() >= calendar.SATURDAY
    shown = f"{calendar.WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}"
    if kind == WorkdayException.Kind.WORKING_DAY:
        if not is_weekend:
            raise DomainError(
                _("%(day)s là ngày làm việc bình thường; ngày làm bù phải là thứ Bảy hoặc "
                  "Chủ nhật.") % {"day": shown},
                field="day",
                code="not_weekend",
            )
        if holiday:
            raise DomainError(
                _("%(day)s là ngày nghỉ lễ (%(holiday)s), không thể đặt làm ngày làm bù.")
                % {"day": shown, "holiday": holiday},
                field="day",
                code="public_holiday",
            )
    else:
        if is_weekend:
            raise DomainError(
                _("%(day)s đã là ngày nghỉ hằng tuần; ngày nghỉ hoán đổi phải là ngày từ "
                  "thứ Hai đến thứ Sáu.") % {"day": shown},
                field="day",
                code="weekend",
            )
        if holiday:
            raise DomainError(
                _("%(day)s đã là ngày nghỉ lễ (%(holiday)s) theo Bộ luật Lao động.")
                % {"day": shown, "holiday": holiday},
                field="day",
                code="public_holiday",
            )


def _refresh_calendars() -> None:
    calendar.clear_cache()
    transaction.on_commit(calendar.clear_cache)


@transaction.atomic
def workday_exception_set(
    *, actor, day: dt.date, kind: str, reason: str, reference: str
) -> WorkdayException:
    """Record (or correct) the announced status of `day`; one row per date.

    Validated by `workday_exception_validate`; audited as created or updated.
    """
    _check_actor(actor)
    reason, reference = (reason or "").strip(), (reference or "").strip()
    workday_exception_validate(day=day, kind=kind, reason=reason, reference=reference)
    existing = WorkdayException.objects.select_for_update().filter(day=day).first()
    if existing is None:
        exception = WorkdayException(day=day, kind=kind, reason=reason, reference=reference)
        exception.full_clean()
        exception.save()
        audit.record(actor=actor, obj=exception, event="workday_exception.created")
    else:
        exception = existing
        before = audit.snapshot(exception)
        exception.kind, exception.reason, exception.reference = kind, reason, reference
        exception.full_clean()
        exception.save(update_fields=["kind", "reason", "reference", "updated_at"])
        audit.record(
            actor=actor, obj=exception, event="workday_exception.updated", before=before
        )
    _refresh_calendars()
    return exception


@transaction.atomic
def workday_exception_delete(*, actor, exception: WorkdayException) -> None:
    """Remove an announced exception (e.g. entered by mistake); the day goes back to the
    ordinary calendar. Audited with the deleted values."""
    _check_actor(actor)
    before = audit.snapshot(exception)
    pk = exception.pk
    exception.delete()
    exception.pk = pk  # so the audit row names the deleted record
    audit.record(
        actor=actor,
        obj=exception,
        event="workday_exception.deleted",
        action="delete",
        before=before,
    )
    _refresh_calendars()
