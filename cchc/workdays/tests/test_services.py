"""The reform office records a newly announced day off; the calendar follows at once."""

import datetime as dt

import pytest

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.workdays import calendar, services
from cchc.workdays.models import WorkdayException

REF = "Thông báo 1234/TB-BNV ngày 01/11/2026"


def set_exception(actor, day, kind, reason="Nghỉ Ngày Văn hóa Việt Nam", reference=REF):
    return services.workday_exception_set(
        actor=actor, day=day, kind=kind, reason=reason, reference=reference
    )


def test_a_day_off_recorded_by_the_admin_is_off_at_once_and_audited(province):
    day = dt.date(2026, 11, 24)
    assert calendar.is_working_day(day)
    assert calendar.add_working_days(dt.date(2026, 11, 23), 1) == day

    exception = set_exception(province.admin, day, WorkdayException.Kind.DAY_OFF)

    assert not calendar.is_working_day(day)
    assert calendar.add_working_days(dt.date(2026, 11, 23), 1) == dt.date(2026, 11, 25)
    assert calendar.day_info(day).reference == REF
    event = AuditEvent.objects.get(event="workday_exception.created")
    assert event.actor == province.admin
    assert event.target_id == str(exception.pk)
    assert event.changes["day"] == [None, "2026-11-24"]


def test_setting_the_same_day_again_corrects_it_and_audits_the_change(province):
    day = dt.date(2026, 11, 24)
    set_exception(province.admin, day, "day_off")
    set_exception(province.admin, day, "day_off", reference="Nghị quyết 99/2026/QH16")

    assert WorkdayException.objects.filter(day=day).count() == 1
    event = AuditEvent.objects.get(event="workday_exception.updated")
    assert event.changes == {"reference": [REF, "Nghị quyết 99/2026/QH16"]}
    assert calendar.day_info(day).reference == "Nghị quyết 99/2026/QH16"


def test_deleting_an_exception_restores_the_ordinary_day_and_is_audited(province):
    exception = WorkdayException.objects.get(day=dt.date(2025, 5, 2))
    assert not calendar.is_working_day(exception.day)

    services.workday_exception_delete(actor=province.admin, exception=exception)

    assert calendar.is_working_day(dt.date(2025, 5, 2))
    event = AuditEvent.objects.get(event="workday_exception.deleted")
    assert event.action == AuditEvent.Action.DELETE
    assert event.changes["kind"] == ["day_off", None]


@pytest.mark.parametrize(
    ("day", "kind", "code", "words"),
    [
        (dt.date(2026, 11, 25), "working_day", "not_weekend", "thứ Bảy hoặc Chủ nhật"),
        (dt.date(2026, 11, 28), "day_off", "weekend", "ngày nghỉ hằng tuần"),
        (dt.date(2025, 9, 2), "day_off", "public_holiday", "Quốc khánh"),
        (dt.date(2025, 2, 1), "working_day", "public_holiday", "Tết"),  # Saturday, mùng 4
    ],
)
def test_the_service_refuses_days_that_contradict_the_calendar(province, day, kind, code, words):
    with pytest.raises(DomainError) as raised:
        set_exception(province.admin, day, kind)
    assert raised.value.code == code
    assert words in raised.value.message
    assert not AuditEvent.objects.filter(target_type="workdays.workdayexception").exists()


def test_the_service_needs_a_reason_a_reference_and_a_known_kind(province):
    day = dt.date(2026, 11, 24)
    with pytest.raises(DomainError, match="lý do"):
        set_exception(province.admin, day, "day_off", reason="  ")
    with pytest.raises(DomainError, match="văn bản căn cứ"):
        set_exception(province.admin, day, "day_off", reference="")
    with pytest.raises(DomainError, match="Loại ngày"):
        set_exception(province.admin, day, "holiday")
    assert not WorkdayException.objects.filter(day=day).exists()


def test_only_a_system_administrator_changes_the_national_calendar(province):
    with pytest.raises(PermissionDenied):
        set_exception(province.dept_officer, dt.date(2026, 11, 24), "day_off")
    with pytest.raises(PermissionDenied):
        services.workday_exception_delete(
            actor=province.desk_officer,
            exception=WorkdayException.objects.get(day=dt.date(2025, 5, 2)),
        )
    assert calendar.is_working_day(dt.date(2026, 11, 24))
    assert not calendar.is_working_day(dt.date(2025, 5, 2))


@pytest.mark.django_db
def test_the_shipped_migration_holds_the_announced_swaps():
    rows = {
        (e.day.isoformat(), e.kind): e.reference for e in WorkdayException.objects.all()
    }
    assert set(rows) >= {
        ("2025-04-26", "working_day"), ("2025-05-02", "day_off"),
        ("2026-01-02", "day_off"), ("2026-01-10", "working_day"),
        ("2026-08-22", "working_day"), ("2026-08-31", "day_off"),
    }
    assert "6150/TB-BLĐTBXH" in rows[("2025-05-02", "day_off")]
    assert "12729/VPCP-KGVX" in rows[("2026-01-02", "day_off")]
    assert "9859/VPCP-KGVX" in rows[("2026-08-31", "day_off")]
    # Each row passes the rules the service enforces.
    for e in WorkdayException.objects.all():
        services.workday_exception_validate(
            day=e.day, kind=e.kind, reason=e.reason, reference=e.reference
        )
