"""Reporting services as the users live them: a school drafts and submits its quarterly
report, the department returns it, accepts it, reopens it; siblings and schools cannot
act on what is not theirs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.metrics.periods import Period
from cchc.reporting import selectors, services
from cchc.reporting.models import Report, ReportReview, ReportStatus, ReviewAction
from cchc.workdays import calendar

from .factories import Q2_2025, QUARTERLY_RULE, at, content, make_schedule, open_report, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def schedule(province):
    return make_schedule(province)


# --- schedules -------------------------------------------------------------------------


def test_a_schedule_keeps_its_rule_normalised_and_its_audit(province):
    schedule = make_schedule(province, period_kinds=[])
    assert schedule.period_kinds == ["quarter"]  # read from the rule
    assert schedule.rule["due"] == "day_of_last_month"
    assert AuditEvent.objects.filter(event="reporting_schedule.created", target_id=str(schedule.pk)).exists()


def test_a_bad_rule_or_a_period_the_rule_does_not_date_is_refused(province):
    with pytest.raises(DomainError) as error:
        make_schedule(province, rule={"due": "whenever"})
    assert error.value.field == "due"
    with pytest.raises(DomainError) as error:
        make_schedule(province, period_kinds=["year"])
    assert "Năm" in error.value.message and error.value.field == "period_kinds"


def test_only_the_owner_s_officers_set_up_a_schedule(province):
    with pytest.raises(PermissionDenied):
        make_schedule(province, actor=province.school_a1_head)


def test_a_schedule_update_is_versioned(province, schedule):
    updated = services.schedule_update(
        actor=province.dept_officer, schedule=schedule, expected_version=1, name="Báo cáo CCHC quý"
    )
    assert updated.version == 2
    with pytest.raises(DomainError) as error:
        services.schedule_update(actor=province.dept_officer, schedule=schedule, expected_version=1, name="X")
    assert error.value.code == "conflict"


# --- the lifecycle -----------------------------------------------------------------------


def test_the_whole_lifecycle_keeps_every_version(province, schedule, monkeypatch):
    t = province
    at(monkeypatch, "2025-06-20 08:00")
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_staff)
    assert report.status == ReportStatus.DRAFT
    assert report.due_date == dt.date(2025, 6, 25)
    assert (report.cut_off_start, report.cut_off_end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    # Opening again gives the same draft.
    assert open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head).pk == report.pk

    report = services.report_save_draft(
        actor=t.school_a1_staff, report=report, expected_version=report.version, **content()
    )
    report = services.report_submit(actor=t.school_a1_head, report=report, expected_version=report.version)
    assert report.status == ReportStatus.SUBMITTED and not report.is_late

    with pytest.raises(DomainError) as error:
        services.report_return(actor=t.dept_officer, report=report, comment="  ")
    assert error.value.field == "comment"
    report = services.report_return(
        actor=t.dept_officer, report=report, comment="Bổ sung số liệu hồ sơ trực tuyến."
    )
    assert report.status == ReportStatus.RETURNED

    at(monkeypatch, "2025-06-24 15:00")
    report = services.report_save_draft(
        actor=t.school_a1_staff,
        report=report,
        expected_version=report.version,
        results="Cải cách TTHC: 100% hồ sơ trực tuyến (45/45 hồ sơ).",
    )
    report = services.report_submit(actor=t.school_a1_head, report=report, expected_version=report.version)
    report = services.report_accept(actor=t.dept_officer, report=report)
    assert report.status == ReportStatus.ACCEPTED and report.accepted_at is not None
    with pytest.raises(DomainError):  # locked
        services.report_save_draft(
            actor=t.school_a1_staff, report=report, expected_version=report.version, results="x"
        )

    report = services.report_reopen(actor=t.dept_officer, report=report, reason="Sai số liệu tháng 6.")
    assert report.status == ReportStatus.RETURNED and report.accepted_at is None

    first, second = report.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert selectors.version_diff(first, second) == {
        "results": (content()["results"], "Cải cách TTHC: 100% hồ sơ trực tuyến (45/45 hồ sơ).")
    }
    assert list(ReportReview.objects.filter(report=report).values_list("action", "version_number")) == [
        (ReviewAction.RETURNED, 1),
        (ReviewAction.ACCEPTED, 2),
        (ReviewAction.REOPENED, 2),
    ]
    events = set(AuditEvent.objects.filter(target_id=str(report.pk), target_type="reporting.report")
                 .values_list("event", flat=True))
    assert {"report.opened", "report.draft_saved", "report.submitted", "report.returned",
            "report.accepted", "report.reopened"} <= events


def test_a_late_report_is_accepted_and_marked_late(province, schedule, monkeypatch):
    t = province
    at(monkeypatch, "2025-06-26 00:30")  # the day after the due date, local time
    report = submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    assert report.status == ReportStatus.SUBMITTED and report.is_late
    report = services.report_accept(actor=t.dept_officer, report=report)
    assert report.status == ReportStatus.ACCEPTED and report.is_late


def test_a_report_sent_on_the_due_day_is_on_time_and_a_late_resubmission_keeps_it_so(
    province, schedule, monkeypatch
):
    t = province
    at(monkeypatch, "2025-06-25 23:59")
    report = submitted_report(schedule, t.school_a2, Q2_2025, actor=t.school_a2_head)
    assert not report.is_late
    report = services.report_return(actor=t.dept_officer, report=report, comment="Ghi rõ nguyên nhân.")
    at(monkeypatch, "2025-07-03 09:00")
    report = services.report_submit(actor=t.school_a2_head, report=report, expected_version=report.version)
    assert not report.is_late and report.versions.count() == 2


def test_the_due_date_is_moved_off_a_weekend(province, monkeypatch):
    # 25/10/2025 is a Saturday: a monthly report due then is due Monday 27/10.
    rule = {**QUARTERLY_RULE, "periods": ["month"]}
    schedule = make_schedule(province, rule=rule, period_kinds=["month"])
    october = Period("month", 2025, 10)
    report = open_report(schedule, province.school_a1, october, actor=province.school_a1_head)
    assert report.due_date == dt.date(2025, 10, 27)


# --- validation on submission --------------------------------------------------------------


def test_submission_names_every_problem_and_keeps_the_draft(province, schedule):
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    typed = content(
        indicator_values={
            "on_time": {"label": "TTHC đúng hạn", "value": "140", "target": 98, "unit": "%"},
            "email": {"label": "Thư điện tử công vụ", "value": 80, "target": 100, "comparator": ">="},
            "cases": {"label": "Số sáng kiến", "value": 2, "target": 3, "unit": "sáng kiến",
                      "comment": "Hai giáo viên nghỉ thai sản."},
        },
        limitations="",
    )
    report = services.report_save_draft(
        actor=t.school_a1_head, report=report, expected_version=report.version, **typed
    )
    with pytest.raises(services.ReportInvalid) as error:
        services.report_submit(actor=t.school_a1_head, report=report, expected_version=report.version)
    errors = error.value.errors
    assert errors == {
        "limitations": "Vui lòng nêu tồn tại, hạn chế và nguyên nhân.",
        "indicator_values.on_time.value":
            "Chỉ tiêu “TTHC đúng hạn”: tỷ lệ phải từ 0 đến 100%, không thể là 140%.",
        "indicator_values.email.comment":
            "Chỉ tiêu “Thư điện tử công vụ” chưa đạt mục tiêu (80/100): vui lòng ghi rõ nguyên nhân.",
    }
    saved = Report.objects.get(pk=report.pk)
    assert saved.status == ReportStatus.DRAFT and saved.first_submitted_at is None
    assert saved.indicator_values == typed["indicator_values"]  # what was typed, as typed
    assert saved.versions.count() == 0


def test_a_draft_refuses_only_the_wrong_shape(province, schedule):
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    with pytest.raises(DomainError) as error:
        services.report_save_draft(
            actor=t.school_a1_head, report=report, expected_version=report.version, indicator_values=[1]
        )
    assert error.value.field == "indicator_values"
    report = services.report_save_draft(
        actor=t.school_a1_head, report=report, expected_version=report.version,
        indicator_values={"x": {"value": "khoảng 90"}},
    )
    assert report.indicator_values == {"x": {"value": "khoảng 90"}} and report.is_filled


def test_two_people_saving_the_same_draft(province, schedule):
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    services.report_save_draft(actor=t.school_a1_head, report=report, expected_version=1, results="A")
    with pytest.raises(services.EditConflict) as error:
        services.report_save_draft(actor=t.school_a1_staff, report=report, expected_version=1, results="B")
    assert error.value.changes == {"results": ("B", "A")}


# --- who may do what ---------------------------------------------------------------------


def test_a_sibling_school_can_neither_see_nor_touch_another_school_s_report(province, schedule):
    t = province
    report = submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    with pytest.raises(Http404):
        selectors.report_get_for(user=t.school_a2_head, pk=report.pk)
    assert not selectors.report_list_for(user=t.school_a2_head).filter(pk=report.pk).exists()
    assert selectors.report_get_for(user=t.dept_officer, pk=report.pk) == report
    with pytest.raises(PermissionDenied):
        open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a2_head)
    services.report_return(actor=t.dept_officer, report=report, comment="Sửa lại.")
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.report_save_draft(actor=t.school_a2_head, report=report, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=t.school_a2_head, report=report, expected_version=report.version)


def test_staff_draft_but_only_the_head_submits(province, schedule):
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_staff)
    report = services.report_save_draft(
        actor=t.school_a1_staff, report=report, expected_version=report.version, **content()
    )
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=t.school_a1_staff, report=report, expected_version=report.version)


def test_a_school_or_a_district_office_cannot_review_the_department_s_schedule(province, schedule):
    t = province
    report = submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    for user in (t.school_a1_head, t.office_a_officer):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=user, report=report)
        with pytest.raises(PermissionDenied):
            services.report_return(actor=user, report=report, comment="Không đạt")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_only_expected_units_open_a_report(province, schedule):
    t = province
    with pytest.raises(DomainError) as error:  # a district office is not a reporter here
        open_report(schedule, t.office_a, Q2_2025, actor=t.office_a_officer)
    assert error.value.code == "not_expected"
    from cchc.orgs.tests.factories import make_unit

    newcomer = make_unit("Trường Tiểu học Mới", "school", t.office_a, level="primary",
                         opened_on=dt.date(2025, 9, 1))
    with pytest.raises(DomainError):  # it did not exist in Quý II
        open_report(schedule, newcomer, Q2_2025, actor=t.admin)


def test_attachments_are_checked_for_what_they_really_are(province, schedule):
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError):
        services.report_attach(actor=t.school_a1_head, report=report, uploaded_file=fake)
    pdf = SimpleUploadedFile("Báo cáo quý II.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = services.report_attach(actor=t.school_a1_head, report=report, uploaded_file=pdf)
    assert attachment.content_type == "application/pdf" and attachment.size == pdf.size


# --- two reviewers at once ------------------------------------------------------------------


def test_two_reviewers_one_wins_the_other_is_told(province, schedule):
    t = province
    report = submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    stale = Report.objects.get(pk=report.pk)  # the second reviewer's page, opened before
    services.report_accept(actor=t.dept_officer, report=report)
    with pytest.raises(DomainError) as error:
        services.report_return(actor=t.admin, report=stale, comment="Bổ sung số liệu.")
    assert error.value.code == "conflict"
    assert error.value.message.startswith("Báo cáo vừa được người khác xử lý")
    assert "Đã tiếp nhận" in error.value.message
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert ReportReview.objects.filter(report=report).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_clicking_together_on_postgresql(province):
    t = province
    schedule = make_schedule(t)
    report = submitted_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def review(action):
        from django.db import connections

        try:
            barrier.wait()
            if action == "accept":
                services.report_accept(actor=t.dept_officer, report=report)
            else:
                services.report_return(actor=t.admin, report=report, comment="Bổ sung.")
            outcomes.append("won")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=review, args=(a,)) for a in ("accept", "return")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert ReportReview.objects.filter(report=report).count() == 1


def test_a_forbidden_attachment_is_refused_and_the_draft_is_kept(province, schedule, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = province
    report = open_report(schedule, t.school_a1, Q2_2025, actor=t.school_a1_head)
    report = services.report_save_draft(actor=t.school_a1_head, report=report,
                                        expected_version=report.version, **content())
    for name, data in (("bao-cao.pdf", b"MZ" + b"\0" * 64), ("bao-cao.html", b"<html><script>1</script>")):
        with pytest.raises(DomainError):
            services.report_attach(actor=t.school_a1_head, report=report,
                                   uploaded_file=SimpleUploadedFile(name, data))
    assert not report.attachments.exists()
    assert Report.objects.get(pk=report.pk).results == content()["results"]
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n")
    services.report_attach(actor=t.school_a1_head, report=report, uploaded_file=pdf)
    assert report.attachments.count() == 1
