"""Deadline day: 500 schools open, save and submit their quarterly report in the same minute.

Each school's head saves the final draft and submits it, from 25 threads with their own
database connections, all released at the same instant; 50 heads double-click "Gửi báo
cáo" (two threads submit the same report at once). What a reviewer and the schools
would check afterwards:

- every one of the 500 reports is submitted, with the text its school saved (no lost
  write) and exactly one frozen version — the double click gives one submission and a
  plain "report already sent" message, never a database error;
- each report's submission time is the moment its school pressed the button (between
  the call and its return), so lateness is judged on the true time: the half due
  yesterday is late, the half due today is not;
- opening the report at once (50 heads in two tabs) gives one draft per school.

PostgreSQL only: SQLite's in-memory test database (shared cache) fails concurrent
writers at once instead of queueing them behind the row lock.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.core.tests.concurrency import POSTGRES_CONCURRENCY, run_at_once
from cchc.orgs.models import Membership, Role, SchoolLevel, UnitKind
from cchc.orgs.tests.factories import bulk_units
from cchc.reporting import services
from cchc.reporting.models import Report, ReportStatus, ReportVersion

from .factories import Q2_2025, content, make_schedule

SCHOOLS = 500
THREADS = 25
DOUBLE_CLICKS = 50

pytestmark = POSTGRES_CONCURRENCY


def _schools_with_heads(province):
    """500 primary schools under office A, each with its head, and the department's schedule."""
    schedule = make_schedule(province)
    schools = bulk_units(province.office_a, UnitKind.SCHOOL, SCHOOLS, level=SchoolLevel.PRIMARY)
    User = get_user_model()
    heads = User.objects.bulk_create(
        User(username=f"ht.{school.code.lower()}", email=f"{school.code.lower()}@truong.edu.vn")
        for school in schools
    )
    Membership.objects.bulk_create(
        Membership(user=head, unit=school, role=Role.UNIT_HEAD)
        for head, school in zip(heads, schools, strict=True)
    )
    return schedule, schools, heads


def _schools_with_open_reports(province):
    """500 schools, each with a head and a draft report for Q2/2025."""
    schedule, schools, heads = _schools_with_heads(province)
    today = timezone.localdate()
    Report.objects.bulk_create(
        Report(
            schedule=schedule,
            unit=school,
            period_key=Q2_2025.key,
            cut_off_start=Q2_2025.start,
            cut_off_end=Q2_2025.end,
            # Half due today (on time), half due yesterday (late whatever the minute).
            due_date=today if i % 2 else today - dt.timedelta(days=1),
        )
        for i, school in enumerate(schools)
    )
    reports = {r.unit_id: r for r in Report.objects.filter(schedule=schedule)}
    return [(head, school, reports[school.pk]) for head, school in zip(heads, schools, strict=True)]


def test_five_hundred_schools_submit_in_the_same_minute(province):
    work = _schools_with_open_reports(province)
    double_clicked = {report.pk for _, _, report in work[:DOUBLE_CLICKS]}
    # One job per school, plus a second click on the first 50 schools' button.
    jobs = [(head, school, report, "save_and_submit") for head, school, report in work]
    jobs += [(head, school, report, "second_click") for head, school, report in work[:DOUBLE_CLICKS]]
    jobs.sort(key=lambda job: job[2].pk)  # both clicks of a school land on neighbouring threads

    def school_desk(lane: int) -> list[tuple]:
        results = []
        for head, school, report, action in jobs[lane::THREADS]:
            text = f"Kết quả CCHC quý II/2025 của {school.name}."
            called = timezone.now()
            try:
                if action == "save_and_submit":
                    saved = services.report_save_draft(
                        actor=head, report=report, expected_version=report.version,
                        **content(results=text),
                    )
                    version = saved.version
                else:  # the same button pressed again from the page loaded before the save
                    version = report.version + 1
                submitted = services.report_submit(actor=head, report=report, expected_version=version)
                results.append((report.pk, action, called, timezone.now(), submitted.submitted_at, None))
            except Exception as error:  # what the school's head would see
                results.append((report.pk, action, called, timezone.now(), None, error))
        return results

    outcomes = [row for lane in run_at_once(THREADS, school_desk) for row in lane]

    unexpected = [
        (pk, action, repr(error)) for pk, action, _, _, _, error in outcomes
        if error is not None and not isinstance(error, DomainError)
    ]
    assert unexpected == []
    successes = [row for row in outcomes if row[5] is None]
    refused = [row for row in outcomes if row[5] is not None]
    # Each double click: one click submits, the other is told the report has been sent
    # (or, when it came before the save, that the page is out of date). Nobody else fails.
    assert len(successes) == SCHOOLS
    assert len(refused) == DOUBLE_CLICKS
    assert {pk for pk, *_ in refused} == double_clicked
    assert all(error.code in {"not_editable", "conflict"} for *_, error in refused)

    reports = {r.pk: r for r in Report.objects.filter(pk__in=[report.pk for _, _, report in work])}
    assert len(reports) == SCHOOLS
    assert {r.status for r in reports.values()} == {ReportStatus.SUBMITTED}
    names = {report.pk: school.name for _, school, report in work}
    lost = [pk for pk, r in reports.items() if r.results != f"Kết quả CCHC quý II/2025 của {names[pk]}."]
    assert lost == []
    for pk, _, called, returned, submitted_at, _ in successes:
        stored = reports[pk]
        assert called <= stored.submitted_at <= returned
        assert stored.submitted_at == stored.first_submitted_at == submitted_at
        due_today = stored.due_date == timezone.localdate(stored.submitted_at)
        assert stored.is_late is not due_today
    versions = ReportVersion.objects.filter(report_id__in=reports)
    assert versions.count() == SCHOOLS
    assert sorted(versions.values_list("report_id", flat=True)) == sorted(reports)
    assert all(v.submitted_at == reports[v.report_id].submitted_at for v in versions)
    assert AuditEvent.objects.filter(event="report.submitted").count() == SCHOOLS


def test_five_hundred_schools_open_their_report_at_once_and_each_gets_one(province):
    """Opening the report form creates the draft: 500 heads at once, 50 of them in two tabs."""
    schedule, schools, heads = _schools_with_heads(province)
    jobs = list(zip(heads, schools, strict=True))
    jobs += jobs[:DOUBLE_CLICKS]
    jobs.sort(key=lambda job: job[1].pk)

    def school_desk(lane: int) -> list[tuple]:
        results = []
        for head, school in jobs[lane::THREADS]:
            try:
                report = services.report_get_or_create(
                    actor=head, schedule=schedule, unit=school, period=Q2_2025
                )
                results.append((school.pk, report.pk, None))
            except Exception as error:  # what the school's head would see
                results.append((school.pk, None, repr(error)))
        return results

    outcomes = [row for lane in run_at_once(THREADS, school_desk) for row in lane]

    assert [error for *_, error in outcomes if error] == []
    opened: dict[int, set[int]] = {}
    for school_pk, report_pk, _ in outcomes:
        opened.setdefault(school_pk, set()).add(report_pk)
    assert len(opened) == SCHOOLS
    assert all(len(pks) == 1 for pks in opened.values())  # both tabs show the same draft
    assert Report.objects.filter(schedule=schedule, period_key=Q2_2025.key).count() == SCHOOLS
    assert AuditEvent.objects.filter(event="report.opened").count() == SCHOOLS
