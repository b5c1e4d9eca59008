"""The reporting screens as the users live them.

Phòng GD&ĐT Văn Giang asks its schools for a quarterly report (due the 25th of the
quarter's last month), bound to the department's 2026 plan. Trường Tiểu học Xuân Quan
writes and sends it; the office returns it once, then accepts it. Trường THCS Văn Giang
(a sibling school) and Trường Mầm non Lạc Hồng (another office's school) must never see
Xuân Quan's report.
"""

import pytest
from django.urls import reverse

from cchc.metrics.periods import Period
from cchc.plans.tests.factories import make_annual_plan
from cchc.reporting import selectors
from cchc.reporting.models import Report, ReportStatus
from cchc.reporting.tests.factories import QUARTERLY_RULE, at, make_schedule

pytestmark = pytest.mark.django_db

Q1_2026 = Period("quarter", 2026, 1)  # due Wednesday 25/03/2026


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def schedule(province):
    plan = make_annual_plan(province)
    return make_schedule(
        province,
        owner=province.office_a,
        actor=province.office_a_officer,
        plan=plan,
        depth="children",
        rule=QUARTERLY_RULE,
    )


def open_report(client, user, schedule, period=Q1_2026) -> Report:
    client.force_login(user)
    response = client.post(reverse("report_open"), {"schedule": schedule.pk, "period": period.key})
    assert response.status_code == 302, response.content[:500]
    return Report.objects.get(schedule=schedule, unit=user.memberships.first().unit, period_key=period.key)


def form_payload(client, report, **changes) -> dict:
    """What the page's form holds (pre-filled), with the user's changes."""
    form = client.get(reverse("report_edit", args=[report.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled or name == "files":
            continue
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data.update(
        results="Cải cách TTHC: 100% hồ sơ tuyển sinh đầu cấp nhận trực tuyến.",
        limitations="Một số phụ huynh chưa quen nộp hồ sơ trực tuyến.",
        next_tasks="Tiếp tục số hóa hồ sơ học sinh.",
        ind0_value="99",
        ind1_comment="Chưa có nhiệm vụ đến hạn trong quý.",
    )
    data.update(changes)
    return data


def submit(client, report, **changes):
    data = form_payload(client, report, **changes)
    return client.post(reverse("report_edit", args=[report.pk]), {**data, "action": "submit"})


def test_the_school_form_is_pre_filled_from_its_plan(client, province, schedule, monkeypatch):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    response = client.get(reverse("report_edit", args=[report.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thủ tục hành chính (TTHC) được giải quyết đúng hạn" in page
    assert "100% nhiệm vụ CCHC hoàn thành đúng hạn." in page
    assert "thư điện tử công vụ" not in page  # not an indicator for schools
    form = response.context["form"]
    assert form.fields["ind1_value"].disabled  # metric-bound: measured, not typed
    assert not form.fields["ind0_value"].disabled
    assert form.initial["task_total"] is not None  # from the plan's progress
    assert "Lưu nháp" in page and "Gửi báo cáo" in page


def test_a_percentage_of_140_is_refused_next_to_the_field_and_the_draft_keeps_it(
    client, province, schedule, monkeypatch
):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    response = submit(client, report, ind0_value="140")
    assert response.status_code == 200
    form = response.context["form"]
    assert "không thể là 140%" in " ".join(form.errors["ind0_value"])
    assert 'value="140"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert next(iter(report.indicator_values.values()))["value"] == "140"
    assert report.results.startswith("Cải cách TTHC")
    # The form came back on the saved version: fixing the value now sends it.
    data = {k: v for k, v in form.data.items()}
    data["ind0_value"] = "99"
    response = client.post(reverse("report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_draft_saves_anything_and_a_missed_target_needs_a_comment_on_submit(
    client, province, schedule, monkeypatch
):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    data = form_payload(client, report, ind0_value="90", results="")
    response = client.post(reverse("report_edit", args=[report.pk]), {**data, "action": "save"})
    assert response.status_code == 302
    response = submit(client, report, ind0_value="90")
    assert "chưa đạt mục tiêu" in " ".join(response.context["form"].errors["ind0_comment"])


def test_a_late_submission_is_accepted_and_marked(client, province, schedule, monkeypatch):
    at(monkeypatch, "2026-03-30 10:00")  # due 25/03
    report = open_report(client, province.school_a1_head, schedule)
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "Đã quá hạn gửi 3 ngày làm việc" in page
    response = submit(client, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_late and report.status == ReportStatus.SUBMITTED
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "Gửi trễ hạn" in page


def test_returned_then_resubmitted_then_accepted_through_the_pages(client, province, schedule, monkeypatch):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    assert submit(client, report).status_code == 302

    client.force_login(province.office_a_officer)
    assert report.pk in [r.pk for r in client.get(reverse("report_home")).context["awaiting"]]
    review = reverse("report_review", args=[report.pk])
    response = client.post(review, {"action": "return", "comment": ""})
    assert "Vui lòng nêu nội dung cần chỉnh sửa" in " ".join(response.context["form"].errors["comment"])
    response = client.post(review, {"action": "return", "comment": "Bổ sung số liệu tuyển sinh trực tuyến."})
    assert response.status_code == 302

    client.force_login(province.school_a1_head)
    page = client.get(reverse("report_edit", args=[report.pk])).content.decode()
    assert "Bổ sung số liệu tuyển sinh trực tuyến." in page
    assert "Gửi lại báo cáo" in page
    home = client.get(reverse("home")).content.decode()
    assert "Báo cáo cần gửi" in home and "Bị trả lại" in home
    response = submit(client, report, results="Cải cách TTHC: 100% hồ sơ trực tuyến; 312 hồ sơ tuyển sinh.")
    assert response.status_code == 302
    compare = client.get(reverse("report_versions", args=[report.pk]) + "?a=1&b=2")
    assert "312" in compare.content.decode()
    assert len(compare.context["sections"]) == 1

    client.force_login(province.office_a_officer)
    assert client.post(review, {"action": "accept", "comment": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.versions.count() == 2
    # Reopened with a reason.
    response = client.post(review, {"action": "reopen", "comment": ""})
    assert "lý do mở lại" in " ".join(response.context["form"].errors["comment"])
    assert client.post(review, {"action": "reopen", "comment": "Sai số liệu quý."}).status_code == 302


def test_the_second_reviewer_sees_the_first_decision(client, province, schedule, monkeypatch):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    submit(client, report)
    client.force_login(province.office_a_officer)
    review = reverse("report_review", args=[report.pk])
    client.post(review, {"action": "accept"})
    client.force_login(province.dept_officer)  # reviews what office A receives, too
    response = client.post(review, {"action": "return", "comment": "Thiếu số liệu."})
    assert response.status_code == 200
    assert "vừa được người khác xử lý" in response.content.decode()


def test_a_sibling_school_sees_nothing_and_a_school_cannot_review(client, province, schedule, monkeypatch):
    at(monkeypatch, "2026-03-20 09:00")
    report = open_report(client, province.school_a1_head, schedule)
    for user in (province.school_a2_head, province.school_b1_head):
        client.force_login(user)
        for name in ("report_edit", "report_versions", "report_review"):
            assert client.get(reverse(name, args=[report.pk])).status_code == 404
    client.force_login(province.school_a1_head)
    assert client.get(reverse("report_review", args=[report.pk])).status_code == 403
    assert client.post(reverse("report_review", args=[report.pk]), {"action": "accept"}).status_code == 403


def test_completeness_shows_the_selectors_numbers_in_bounded_queries(
    client, province, schedule, monkeypatch, django_assert_max_num_queries
):
    at(monkeypatch, "2026-03-30 09:00")
    on_time = open_report(client, province.school_a1_head, schedule)
    client.force_login(province.school_a1_head)
    at(monkeypatch, "2026-03-20 09:00")
    submit(client, on_time)
    at(monkeypatch, "2026-03-30 09:00")
    open_report(client, province.school_a2_head, schedule)  # opened, never sent

    client.force_login(province.dept_officer)
    url = reverse("report_completeness") + f"?schedule={schedule.pk}&period={Q1_2026.key}"
    with django_assert_max_num_queries(40):
        response = client.get(url)
    expected = selectors.completeness_for(user=province.dept_officer, schedule=schedule, period=Q1_2026)
    total = response.context["total"]
    assert total == expected.total
    assert (total.expected, total.submitted, total.on_time) == (2, 1, 1)
    page = response.content.decode()
    assert "Tỷ lệ đầy đủ 50,0%" in page and "Tỷ lệ đúng hạn 50,0%" in page
    assert [u.name for u in response.context["missing"]] == ["Trường THCS Văn Giang"]
    assert "Lịch hạn gửi báo cáo năm 2026" in page and "25/03/2026" in page
    # The same page with many more schools costs no more queries.
    from cchc.orgs.models import UnitKind
    from cchc.orgs.tests.factories import bulk_units

    bulk_units(province.office_a, UnitKind.SCHOOL, 30)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.context["total"].expected == 32
    # A school cannot read completeness of its office's schedule.
    client.force_login(province.school_a1_head)
    response = client.get(url)
    assert "total" not in response.context


def test_completeness_opened_from_the_menu_without_a_query_shows_a_schedule(client, province, schedule):
    # Found by the load test (bench/load): the bare URL answered 500.
    client.force_login(province.dept_officer)
    response = client.get(reverse("report_completeness"))
    assert response.status_code == 200
    assert response.context["schedule"] == schedule


def test_the_office_consolidates_its_schools_and_the_department_downloads_it(
    client, province, schedule, monkeypatch
):
    at(monkeypatch, "2026-03-20 09:00")
    school_report = open_report(client, province.school_a1_head, schedule)
    submit(client, school_report)
    upward = make_schedule(
        province, reporter_kinds=("district_office",), depth="children", plan=schedule.plan
    )
    office_report = open_report(client, province.office_a_officer, upward)
    page = client.get(reverse("report_edit", args=[office_report.pk])).content.decode()
    assert "Tổng hợp từ đơn vị cấp dưới" in page
    response = client.post(reverse("report_consolidate", args=[office_report.pk]), follow=True)
    assert "Đã tổng hợp từ báo cáo của 1/2 đơn vị cấp dưới" in response.content.decode()
    office_report.refresh_from_db()
    assert "312" in office_report.results or "Cải cách TTHC" in office_report.results

    client.force_login(province.dept_officer)
    response = client.get(reverse("report_docx", args=[office_report.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(province.school_b1_head)
    assert client.get(reverse("report_docx", args=[office_report.pk])).status_code == 404


def test_the_calendar_downloads_as_excel(client, province, schedule):
    client.force_login(province.office_a_officer)
    response = client.get(reverse("report_calendar_xlsx", args=[schedule.pk]) + "?year=2026")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(province.school_b1_head)
    assert client.get(reverse("report_calendar_xlsx", args=[schedule.pk])).status_code == 404
