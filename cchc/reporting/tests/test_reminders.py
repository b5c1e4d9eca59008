"""Reminders: each unit still to report is reminded once per reminder day, by the worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings

from cchc.orgs.models import OrgUnit, Role, SchoolLevel, UnitKind
from cchc.orgs.tests.factories import make_province, make_unit, make_user
from cchc.reporting import services
from cchc.reporting.models import ReminderSent, ReminderStatus
from cchc.reporting.reminders import current_kind, reminder_send, reminders_for_unit, send_due_reminders
from cchc.reporting.tests.factories import Q2_2025, at, make_schedule, open_report, submitted_report

# Quý II/2025 is due Wednesday 25/06/2025.
FIVE_BEFORE = dt.date(2025, 6, 18)
ONE_BEFORE = dt.date(2025, 6, 24)
ONE_AFTER = dt.date(2025, 6, 26)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _with_emails(t):
    for user in (t.school_a1_head, t.school_a2_head, t.school_b1_head, t.dept_officer, t.office_a_officer):
        user.email = f"{user.username}@hungyen.edu.vn"
        user.save(update_fields=["email"])
    t.high_school_head = make_user(
        "thptvg.hieutruong", t.high_school, Role.UNIT_HEAD, email="thptvg@hungyen.edu.vn"
    )
    return t


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db  # the working-day calendar reads the announced days off
def test_reminder_days_count_working_days():
    due = dt.date(2025, 6, 25)
    assert current_kind(dt.date(2025, 6, 17), due) is None
    assert current_kind(FIVE_BEFORE, due) == "before_5"
    assert current_kind(dt.date(2025, 6, 21), due) == "before_5"  # Saturday: still the first
    assert current_kind(ONE_BEFORE, due) == "before_1"
    assert current_kind(due, due) == "before_1"
    assert current_kind(ONE_AFTER, due) == "after_1"
    assert current_kind(dt.date(2025, 7, 3), due) == "after_6"


@pytest.mark.django_db
def test_each_school_still_to_report_is_reminded_once_even_when_the_job_runs_twice(
    django_capture_on_commit_callbacks,
):
    t = _with_emails(make_province())
    schedule = make_schedule(t)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(FIVE_BEFORE) == 4
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(FIVE_BEFORE)  # the cron fired twice, or the worker restarted
    assert _recipients() == [
        "lh.hieutruong@hungyen.edu.vn",
        "thcsvg.hieutruong@hungyen.edu.vn",
        "thptvg@hungyen.edu.vn",
        "xq.hieutruong@hungyen.edu.vn",
    ]
    assert "25/06/2025" in mail.outbox[0].subject
    assert ReminderSent.objects.filter(schedule=schedule, kind="before_5", status="sent").count() == 4

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(ONE_BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(ONE_AFTER)
    assert len(mail.outbox) == 8
    assert "quá hạn" in mail.outbox[-1].subject
    assert ReminderSent.objects.count() == 12


@pytest.mark.django_db
def test_a_school_that_submitted_gets_no_reminder_but_a_returned_one_does(
    monkeypatch, django_capture_on_commit_callbacks
):
    t = _with_emails(make_province())
    schedule = make_schedule(t)
    at(monkeypatch, "2025-06-17 09:00")
    submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    returned = submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    services.report_return(actor=t.dept_officer, report=returned, comment="Bổ sung số liệu.")

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(FIVE_BEFORE)

    assert "xq.hieutruong@hungyen.edu.vn" not in _recipients()
    assert "thcsvg.hieutruong@hungyen.edu.vn" in _recipients()


@pytest.mark.django_db
def test_a_school_closed_before_the_period_is_not_reminded(django_capture_on_commit_callbacks):
    t = _with_emails(make_province())
    closed = make_unit(
        "Trường Tiểu học Đã Sáp Nhập", UnitKind.SCHOOL, t.office_b, level=SchoolLevel.PRIMARY,
        opened_on=dt.date(2000, 1, 1),
    )
    OrgUnit.objects.filter(pk=closed.pk).update(closed_on=dt.date(2025, 3, 31))
    make_user("dsn.hieutruong", closed, Role.UNIT_HEAD, email="dsn@hungyen.edu.vn")
    make_schedule(t)

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(FIVE_BEFORE)

    assert "dsn@hungyen.edu.vn" not in _recipients()
    assert not ReminderSent.objects.filter(unit=closed).exists()


class FailsOnce(EmailBackend):
    """The mail server is down for the first message, then back."""

    failures = 0

    def send_messages(self, messages):
        if FailsOnce.failures == 0:
            FailsOnce.failures += 1
            raise ConnectionRefusedError("SMTP down")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_reminder_sent_again_after_a_crash_keeps_its_message_id(django_capture_on_commit_callbacks):
    """The one window left (the mail server accepted, the worker died before the commit):
    the second copy has the first one's Message-ID, so mailboxes take it for the same
    message; two different reminders never share one."""
    t = _with_emails(make_province())
    make_schedule(t)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(FIVE_BEFORE)
    first = ReminderSent.objects.order_by("pk").first()
    ReminderSent.objects.filter(pk=first.pk).update(status=ReminderStatus.PENDING)  # the lost commit

    assert reminder_send(reminder_id=first.pk) == ReminderStatus.SENT

    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(ids) == 5 and len(set(ids)) == 4
    assert ids[-1] == ids[0] == f"<cchc-reminder-{first.pk}@localhost>"
    assert mail.outbox[-1].message()["Message-ID"] == ids[0]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_retries_a_failed_send_and_never_sends_one_twice():
    """The real path: the job enqueues into the database, `db_worker` sends; the first send
    fails (as if the worker died before the mail went out), the row stays pending, the
    next run of the job enqueues it again and it goes out exactly once."""
    t = _with_emails(make_province())
    make_schedule(t)
    FailsOnce.failures = 0
    backend = "cchc.reporting.tests.test_reminders.FailsOnce"
    with override_settings(TASKS=DB_TASKS, EMAIL_BACKEND=backend):
        send_due_reminders(FIVE_BEFORE)
        assert mail.outbox == []  # queued, not sent inline
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert len(mail.outbox) == 3
        pending = ReminderSent.objects.get(status=ReminderStatus.PENDING)
        assert pending.attempts == 1 and "SMTP down" in pending.last_error

        call_command("send_report_reminders", "--date", FIVE_BEFORE.isoformat(), verbosity=0)
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        call_command("send_report_reminders", "--date", FIVE_BEFORE.isoformat(), verbosity=0)
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert len(mail.outbox) == 4
    assert len(set(_recipients())) == 4
    assert set(ReminderSent.objects.values_list("status", flat=True)) == {"sent"}
    pending.refresh_from_db()
    assert pending.attempts == 2


@pytest.mark.django_db
def test_home_page_lists_the_reports_due_overdue_and_returned(monkeypatch):
    t = make_province()
    schedule = make_schedule(t)
    def q2(unit, today):
        return [r.state for r in reminders_for_unit(unit, today=today) if r.period == Q2_2025]

    early = reminders_for_unit(t.school_a1, today=dt.date(2025, 6, 10))
    assert [(r.period.label, r.state) for r in early] == [("Quý I/2025", "overdue")]  # never sent

    assert q2(t.school_a1, ONE_BEFORE) == ["due"]
    open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    assert q2(t.school_a1, ONE_AFTER) == ["overdue"]

    at(monkeypatch, "2025-06-20 09:00")
    report = submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    assert q2(t.school_a2, ONE_AFTER) == []
    services.report_return(actor=t.dept_officer, report=report, comment="Bổ sung số liệu.")
    assert q2(t.school_a2, ONE_AFTER) == ["returned"]
    assert reminders_for_unit(t.school_a2, today=ONE_AFTER)[0].state == "returned"  # first
    # A sibling's page shows only its own duty.
    assert q2(t.school_b1, ONE_AFTER) == ["overdue"]
