"""My tasks, a task's page, recording progress with evidence, downloading evidence.

The department's plan (seed 001's shape): the survey task is led by Văn phòng Sở and
coordinated by every school, so a school head reports a contribution and the
department officer reports for the lead. A sibling school (THCS Văn Giang) and another
office's school must never read Xuân Quan's evidence.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.orgs import services as org_services
from cchc.plans import services
from cchc.plans.models import Evidence, ProgressUpdate, Task, TaskStatus
from cchc.plans.tests.factories import make_annual_plan
from cchc.plans.timeframes import overdue_working_days

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = dt.date(2026, 3, 16)  # a Monday; "Tháng 01/2026" was due on Saturday 31/01


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(province):
    return make_annual_plan(province)


@pytest.fixture
def survey(province, plan):
    return province.tasks[1]  # led by Văn phòng Sở, coordinated by the schools


def today(day=TODAY):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record(client, task, **data):
    payload = {"status": "in_progress", "percent": "40", "comment": "", **data}
    return client.post(reverse("task_progress", args=[task.pk]), payload, HTTP_HX_REQUEST="true")


# --- my tasks ------------------------------------------------------------------------


def test_school_head_sees_the_tasks_the_school_coordinates(client, province, plan):
    client.force_login(province.school_a1_head)
    with today():
        response = client.get(reverse("task_mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Khảo sát, đánh giá mức độ hài lòng của người dân" in html
    assert "Phối hợp" in html and "Thường xuyên" in html
    assert "Xây dựng kế hoạch biên chế hàng năm" not in html  # led by TCCB, not the school's


def act_for_the_division(client, province):
    """The head of Văn phòng Sở, the unit that leads most of the department's tasks."""
    org_services.membership_grant(
        actor=None, user=province.dept_officer, unit=province.division, role="unit_head"
    )
    client.force_login(province.dept_officer)
    client.post(reverse("acting_unit_switch"), {"unit": province.division.pk})


def test_lead_unit_sees_its_tasks_with_due_dates_and_overdue_badge(client, province, plan):
    act_for_the_division(client, province)
    with today():
        html = client.get(reverse("task_mine")).content.decode()
    assert "Xây dựng và triển khai Kế hoạch CCHC năm 2026" in html
    assert "Chủ trì" in html
    assert "Hạn: 31/01/2026" in html
    # 31/01/2026 is a Saturday: the deadline runs to Monday 02/02; 16/03 is 30 working
    # days later (Tết 2026 holidays in between are not counted).
    days = overdue_working_days(dt.date(2026, 1, 31), TODAY)
    assert days > 20
    assert f"Quá hạn {days} ngày làm việc" in html


def test_filters_overdue_and_this_month(client, province, plan):
    act_for_the_division(client, province)
    with today():
        overdue = client.get(reverse("task_mine"), {"due": "overdue"}).context["rows"]
        this_month = client.get(reverse("task_mine"), {"due": "this_month"}).context["rows"]
    assert [r["task"].content for r in overdue] == ["Xây dựng và triển khai Kế hoạch CCHC năm 2026"]
    assert overdue[0]["overdue_days"] > 0
    assert this_month == []
    with today(dt.date(2026, 1, 20)):
        rows = client.get(reverse("task_mine"), {"due": "this_month"}).context["rows"]
        assert [r["task"].content for r in rows] == ["Xây dựng và triển khai Kế hoạch CCHC năm 2026"]
        assert client.get(reverse("task_mine"), {"due": "overdue"}).context["rows"] == []


def test_filter_by_area_and_status_with_htmx(client, province, plan, survey):
    client.force_login(province.school_a1_head)
    response = client.get(reverse("task_mine"), {"status": "done"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Không có nhiệm vụ nào khớp bộ lọc." in html
    services.progress_record(actor=province.dept_officer, task=survey, status="done", percent=100)
    rows = client.get(reverse("task_mine"), {"status": "done", "area": survey.area_id}).context["rows"]
    assert [r["task"] for r in rows] == [survey]
    other_area = province.tasks[3].area_id
    assert client.get(reverse("task_mine"), {"area": other_area}).context["rows"] == []


def test_sibling_school_does_not_see_another_schools_tasks(client, province, plan):
    from cchc.plans.services_cascade import plan_derive

    school_plan = plan_derive(actor=province.school_a1_head, parent=plan, unit=province.school_a1)
    client.force_login(province.school_a2_head)
    rows = client.get(reverse("task_mine")).context["rows"]
    assert all(r["task"].plan_id != school_plan.pk for r in rows)
    task = school_plan.tasks.first()
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404


def test_my_tasks_pages_with_a_constant_number_of_queries(
    client, province, plan, django_assert_max_num_queries
):
    for i in range(60):
        services.task_add(
            actor=province.dept_officer,
            plan=plan,
            content=f"Nhiệm vụ số {i}",
            timeframe_text="Quý I/2026",
            lead_unit=province.division,
            coordinating_units=[province.school_a1],
        )
    client.force_login(province.school_a1_head)
    with today(), django_assert_max_num_queries(12):
        response = client.get(reverse("task_mine"))
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == 61


# --- progress ------------------------------------------------------------------------


def test_school_head_records_a_contribution_with_a_pdf(client, province, survey):
    client.force_login(province.school_a1_head)
    page = client.get(reverse("task_detail", args=[survey.pk])).content.decode()
    assert "Trường Tiểu học Xuân Quan (phối hợp)" in page
    response = record(
        client, survey, percent="50", comment="Đã khảo sát 120 phụ huynh.", files=pdf("Biên bản khảo sát.pdf")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã ghi nhận đóng góp của Trường Tiểu học Xuân Quan." in html
    assert "Đã khảo sát 120 phụ huynh." in html and "Biên bản khảo sát.pdf" in html
    assert 'hx-swap-oob="true"' in html  # the contributions card follows
    assert 'name="percent" value="50"' in html  # the fresh form starts from the school's report
    update = ProgressUpdate.objects.get(task=survey)
    assert update.is_contribution and update.unit == province.school_a1
    evidence = update.evidence.get()
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    assert evidence.file.name.endswith(".pdf") and "bien-ban-khao-sat" in evidence.file.name
    survey.refresh_from_db()
    assert (survey.status, survey.percent) == (TaskStatus.NOT_STARTED, 0)  # a contribution


def test_department_officer_records_for_the_lead_and_the_task_changes(client, province, survey):
    client.force_login(province.dept_officer)
    response = record(client, survey, status="done", percent="100", comment="Đã hoàn thành khảo sát.")
    assert "Đã cập nhật tiến độ nhiệm vụ." in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == TaskStatus.DONE and survey.percent == 100
    update = ProgressUpdate.objects.get(task=survey)
    assert not update.is_contribution and update.unit == province.division


def test_without_htmx_the_form_redirects_back_to_the_task(client, province, survey):
    client.force_login(province.dept_officer)
    response = client.post(
        reverse("task_progress", args=[survey.pk]), {"status": "in_progress", "percent": "30"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("task_detail", args=[survey.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Đã cập nhật tiến độ nhiệm vụ." in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # an .exe renamed .pdf
        ("bao-cao.html", b"<!doctype html><script>alert(1)</script>"),
    ],
)
def test_dangerous_files_are_refused_and_nothing_is_saved(client, province, survey, name, content):
    client.force_login(province.school_a1_head)
    response = record(client, survey, comment="Nội dung đã gõ", files=pdf(name, content))
    html = response.content.decode()
    assert "Loại tệp không được phép" in html or "không khớp" in html
    assert "vui lòng chọn lại tệp" in html
    assert "Nội dung đã gõ" in html  # what was typed is kept
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(client, province, survey, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    client.force_login(province.school_a1_head)
    response = record(client, survey, files=pdf(content=PDF + b"0" * 2000))
    html = response.content.decode()
    assert "Tệp vượt quá dung lượng cho phép" in html
    assert "vui lòng chọn lại tệp" in html
    assert not ProgressUpdate.objects.exists()


def test_a_service_refusal_comes_back_next_to_its_field(client, province, survey):
    client.force_login(province.dept_officer)
    response = record(client, survey, percent="140", comment="Giữ nguyên nội dung")
    html = response.content.decode()
    assert "Tiến độ phải là số từ 0 đến 100." in html
    assert "Giữ nguyên nội dung" in html
    assert not ProgressUpdate.objects.exists()


def test_users_who_cannot_report_get_no_form_and_cannot_post(client, province, survey):
    client.force_login(province.viewer)
    page = client.get(reverse("task_detail", args=[survey.pk])).content.decode()
    assert "Cập nhật tiến độ" not in page
    assert record(client, survey).status_code == 403
    assert not ProgressUpdate.objects.exists()


# --- evidence ------------------------------------------------------------------------


@pytest.fixture
def evidence(client, province, survey):
    client.force_login(province.school_a1_head)
    record(client, survey, files=pdf("Biên bản.pdf"))
    client.logout()
    return Evidence.objects.get()


def test_evidence_downloads_as_an_attachment(client, province, evidence):
    for user in (province.school_a1_head, province.office_a_officer, province.dept_officer):
        client.force_login(user)
        response = client.get(reverse("evidence_download", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_evidence_is_404_for_a_sibling_school_and_another_office(client, province, survey, evidence):
    for user in (province.school_a2_head, province.school_b1_head, province.office_b_officer):
        client.force_login(user)
        assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
        page = client.get(reverse("task_detail", args=[survey.pk])).content.decode()
        assert "Biên bản.pdf" not in page  # nor listed in the history
    client.logout()
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 302  # to the login page


def test_task_page_shows_history_contributions_and_rolled_up_progress(client, province, plan, survey):
    from cchc.plans.services_cascade import plan_cascade

    services.progress_record(
        actor=province.school_a1_head,
        task=survey,
        status="in_progress",
        percent=60,
        unit=province.school_a1,
        comment="Đang tổng hợp phiếu.",
    )
    plan_cascade(actor=province.dept_officer, parent=plan, units=[province.school_a1, province.school_a2])
    derived = Task.objects.filter(parent=survey)
    assert derived.count() == 2
    services.progress_record(
        actor=province.school_a1_head,
        task=derived.get(plan__issuer=province.school_a1),
        status="done",
        percent=100,
    )
    client.force_login(province.dept_officer)
    html = client.get(reverse("task_detail", args=[survey.pk])).content.decode()
    assert "Đóng góp của đơn vị phối hợp" in html and "Đang tổng hợp phiếu." in html
    assert "1/2 nhiệm vụ triển khai đã hoàn thành." in html
    assert "Chưa có đơn vị phối hợp nào báo cáo." not in html
