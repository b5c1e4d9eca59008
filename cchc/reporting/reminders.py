"""Reminders of reports due and overdue: by e-mail (once each) and on the unit's home page.

When: `REPORT_REMINDER_OFFSETS` (setting), in working days relative to the due date —
default 5 and 1 working days before, then 1 working day after and weekly (every 5
working days) for four weeks. Working days are `cchc.workdays.calendar`'s, so Tết and
the announced days off do not count. If the job did not run for some days, only the
latest reminder whose day has come is sent (no burst of stale ones).

Who: the expected reporters of the period (`selectors.expected_placements`) that have
no report submitted or accepted — a returned report is reminded again — and, in each
of them, the users holding `reform_officer` or `unit_head` there with an e-mail.

Sent once each — the choice. `send_due_reminders` inserts a `ReminderSent` row per
(schedule, unit, period, kind) with status *pending* (the unique constraint makes a
second insert a no-op), and enqueues `tasks.send_reminder` after commit. The task
locks the row, returns at once unless it is still pending, sends, and marks it *sent*
in the same transaction. So:

- the job run twice, or two workers picking the same row: the second sees *sent* (or
  waits on the lock, then sees it) and sends nothing;
- the worker killed, or the mail server failing, before the send: the row stays
  *pending* (the failed attempt is counted) and the next run of the job enqueues it
  again — never a row already *sent*;
- the only window left is a crash after the mail server accepted the message and
  before the commit: then that one reminder can go out twice. We prefer this
  at-least-once window of a few milliseconds to "mark sent, then send", which would
  lose a reminder silently on any mail failure. Even then the second copy carries the
  same `Message-ID` (`reminder_message_id`), by which mail servers and clients
  recognise it as the same message (RFC 5322, section 3.6.4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.metrics.periods import Period
from cchc.orgs.models import Membership, OrgUnit, Role
from cchc.workdays.calendar import working_days_between

from . import schedules as rules
from .models import (
    ReminderKind,
    ReminderSent,
    ReminderStatus,
    Report,
    ReportingSchedule,
    ReportStatus,
)
from .selectors import expected_placements, is_expected

# Working days relative to the due date: negative before, positive after.
DEFAULT_OFFSETS = (-5, -1, 1, 6, 11, 16, 21)
# How long an unsent report stays on the unit's home page after its due date.
OVERDUE_VISIBLE_DAYS = 92
RECIPIENT_ROLES = (Role.REFORM_OFFICER, Role.UNIT_HEAD)
DONE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def offsets() -> list[int]:
    """The reminder days of the setting, sorted (before the due date first)."""
    return sorted(set(getattr(settings, "REPORT_REMINDER_OFFSETS", DEFAULT_OFFSETS)))


def _distance(today: dt.date, due: dt.date) -> int:
    """Working days from the due date to today: -5 five working days before, 1 the day after."""
    return working_days_between(due, today)


def current_kind(today: dt.date, due: dt.date) -> str | None:
    """The latest reminder whose day has come for a report due on `due`, or None."""
    distance = _distance(today, due)
    if due > today and distance == 0:
        distance = -1  # today is a day off right before the due date
    reached = [o for o in offsets() if o <= distance]
    return ReminderKind.of(reached[-1]) if reached else None


def due_periods(schedule: ReportingSchedule, today: dt.date) -> list[tuple[Period, dt.date, str]]:
    """(period, due date, reminder kind) of the schedule's periods to remind about today.

    A period is remindable from the first reminder day before its due date until the
    last reminder day after it (with the default offsets, about five weeks late).
    """
    found = []
    first, last = offsets()[0], offsets()[-1]
    for year in (today.year - 1, today.year, today.year + 1):
        for entry in rules.calendar(schedule.rule, schedule.period_kinds or None, year):
            distance = _distance(today, entry.due)
            if distance < first - 1 or distance > last + 5:
                continue
            kind = current_kind(today, entry.due)
            if kind is not None:
                found.append((entry.period, entry.due, kind))
    return found


def _not_done(schedule: ReportingSchedule, period: Period):
    done = Report.objects.filter(
        schedule=schedule, period_key=period.key, unit=OuterRef("unit_id"), status__in=DONE_STATUSES
    )
    return expected_placements(schedule, period).filter(~Exists(done))


def send_due_reminders(today: dt.date | None = None) -> int:
    """Claim today's reminders and enqueue one task per unit; returns how many were enqueued.

    Per schedule and period: one query for the units still to report (the expected
    reporters without a submitted or accepted report), one bulk insert of the pending
    rows, one query for the pending rows to send — none per unit. Pending rows of an
    earlier reminder of the same period are cancelled: the new one replaces them.
    """
    from .tasks import send_reminder

    today = today or timezone.localdate()
    to_send: list[int] = []
    with transaction.atomic():
        for schedule in ReportingSchedule.objects.filter(is_active=True).order_by("pk"):
            for period, due, kind in due_periods(schedule, today):
                unit_ids = list(_not_done(schedule, period).values_list("unit_id", flat=True).distinct())
                ReminderSent.objects.bulk_create(
                    [
                        ReminderSent(
                            schedule=schedule, unit_id=uid, period_key=period.key, kind=kind, due_date=due
                        )
                        for uid in unit_ids
                    ],
                    ignore_conflicts=True,
                    batch_size=1000,
                )
                rows = ReminderSent.objects.filter(
                    schedule=schedule, period_key=period.key, status=ReminderStatus.PENDING
                )
                rows.exclude(kind=kind).update(status=ReminderStatus.CANCELLED)
                to_send.extend(rows.filter(kind=kind).values_list("pk", flat=True))
        transaction.on_commit(lambda: [send_reminder.enqueue(reminder_id=pk) for pk in to_send])
    return len(to_send)


def recipients_for(unit: OrgUnit) -> list[str]:
    """E-mails of the unit's reform officers and head (active users with an address)."""
    return sorted(
        set(
            Membership.objects.filter(
                unit=unit, role__in=RECIPIENT_ROLES, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def reminder_message(reminder: ReminderSent, period: Period) -> tuple[str, str]:
    """(subject, body) in Vietnamese, whole sentences."""
    values = {
        "schedule": reminder.schedule.name,
        "period": period.label,
        "due": f"{reminder.due_date:%d/%m/%Y}",
        "unit": reminder.unit.name,
        "owner": reminder.schedule.owner.name,
    }
    if reminder.kind.startswith("before_"):
        subject = _("Nhắc hạn gửi báo cáo %(period)s: hạn ngày %(due)s") % values
        body = _(
            "Kính gửi %(unit)s,\n\nBáo cáo “%(schedule)s” kỳ %(period)s gửi %(owner)s có hạn gửi "
            "ngày %(due)s. Đơn vị chưa gửi báo cáo này; đề nghị đơn vị hoàn thiện và gửi đúng hạn "
            "trên hệ thống.\n\nThư này được gửi tự động."
        ) % values
    else:
        subject = _("Báo cáo %(period)s đã quá hạn gửi (hạn ngày %(due)s)") % values
        body = _(
            "Kính gửi %(unit)s,\n\nBáo cáo “%(schedule)s” kỳ %(period)s gửi %(owner)s đã quá hạn "
            "gửi ngày %(due)s mà đơn vị chưa gửi (hoặc báo cáo bị trả lại chưa gửi lại). Đề nghị "
            "đơn vị gửi báo cáo trên hệ thống trong thời gian sớm nhất.\n\nThư này được gửi tự động."
        ) % values
    return subject, body


def reminder_message_id(reminder_id: int) -> str:
    """The one Message-ID of a reminder, the same at every attempt (RFC 5322, 3.6.4)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    return f"<cchc-reminder-{reminder_id}@{domain}>"


def reminder_send(*, reminder_id: int) -> str:
    """Send one claimed reminder if it is still pending; returns the row's status after.

    The row stays locked while the e-mail goes out, so a second worker on the same row
    waits and then finds it sent. A unit that submitted in the meantime is not reminded.
    A mail failure keeps the row pending (attempt counted) and is raised, so the task
    shows as failed and the next run of the job retries it.
    """
    failure: Exception | None = None
    with transaction.atomic():
        reminder = (
            ReminderSent.objects.select_for_update(of=("self",))
            .select_related("schedule__owner", "unit")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status != ReminderStatus.PENDING:
            return reminder.status if reminder else "missing"
        done = Report.objects.filter(
            schedule_id=reminder.schedule_id,
            unit_id=reminder.unit_id,
            period_key=reminder.period_key,
            status__in=DONE_STATUSES,
        ).exists()
        recipients = [] if done else recipients_for(reminder.unit)
        if done or not recipients:
            reminder.status = ReminderStatus.CANCELLED
            reminder.last_error = "" if done else "no recipient with an e-mail"
            reminder.save(update_fields=["status", "last_error"])
            return reminder.status
        subject, body = reminder_message(reminder, Period.from_key(reminder.period_key))
        reminder.attempts += 1
        reminder.recipients = recipients
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, recipients,
            headers={"Message-ID": reminder_message_id(reminder.pk)},
        )
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 — any mail failure leaves it pending
            failure = exc
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            reminder.save(update_fields=["attempts", "recipients", "last_error"])
        else:
            reminder.status = ReminderStatus.SENT
            reminder.sent_at = timezone.now()
            reminder.last_error = ""
            reminder.save(update_fields=["status", "sent_at", "attempts", "recipients", "last_error"])
    if failure is not None:
        raise failure
    return reminder.status


# --- the unit's home page ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReminder:
    """A report the unit has to act on: "due" (soon), "overdue" or "returned"."""

    schedule: ReportingSchedule
    period: Period
    due_date: dt.date
    state: str
    report: Report | None = None

    @property
    def working_days_left(self) -> int:
        """Working days from today to the due date (negative when overdue)."""
        return working_days_between(timezone.localdate(), self.due_date)


def reminders_for_unit(unit: OrgUnit, *, today: dt.date | None = None) -> list[UnitReminder]:
    """The reports the unit should act on now, most urgent first.

    Returned reports (whatever their period), and reports of the schedules that expect
    the unit which are due within the first reminder window or overdue by at most
    `OVERDUE_VISIBLE_DAYS` without a submitted or accepted report. A few queries per schedule
    the unit reports under — a home page reads a handful of schedules.
    """
    today = today or timezone.localdate()
    lead = -offsets()[0] if offsets()[0] < 0 else 5
    ancestors = unit.ancestor_ids
    candidates = ReportingSchedule.objects.filter(
        Q(owner_id__in=ancestors) | Q(units=unit), is_active=True
    ).select_related("owner").distinct()
    reports = {
        (r.schedule_id, r.period_key): r
        for r in Report.objects.filter(unit=unit, schedule__is_active=True).select_related("schedule")
    }
    found: dict[tuple[int, str], UnitReminder] = {}
    for (schedule_id, period_key), report in reports.items():
        if report.status == ReportStatus.RETURNED:
            found[(schedule_id, period_key)] = UnitReminder(
                report.schedule, Period.from_key(period_key), report.due_date, "returned", report
            )
    for schedule in candidates:
        for year in (today.year - 1, today.year):
            for entry in rules.calendar(schedule.rule, schedule.period_kinds or None, year):
                key = (schedule.pk, entry.period.key)
                if key in found or entry.period.start > today:
                    continue
                report = reports.get(key)
                if report is not None and report.status in DONE_STATUSES:
                    continue
                due = report.due_date if report else entry.due
                if due < today - dt.timedelta(days=OVERDUE_VISIBLE_DAYS):
                    continue
                if due < today:
                    state = "overdue"
                elif working_days_between(today, due) <= lead:
                    state = "due"
                else:
                    continue
                if report is None and not is_expected(schedule, unit, entry.period):
                    continue
                found[key] = UnitReminder(schedule, entry.period, due, state, report)
    order = {"returned": 0, "overdue": 1, "due": 2}
    return sorted(found.values(), key=lambda r: (order[r.state], r.due_date, r.schedule.name))
