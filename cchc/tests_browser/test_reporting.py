"""Periodic reporting, as one story in the browser:

Phòng GD&ĐT Văn Giang asks its schools for a quarterly report bound to the department's
plan. Trường Tiểu học Xuân Quan opens its report (pre-filled from its data), types a
percentage of 140 and is told so next to the field, corrects it and sends; the office
returns it once with a comment, the school resubmits, the office accepts. The office
consolidates its own report for the department from its schools'; the department sees
completeness and timeliness and downloads the office's report as Word.
Screenshots of the report form and the completeness page (desktop and phone) go to
/work/main/screenshots/.
"""

import importlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.plans.tests.factories import make_annual_plan
from cchc.reporting.models import Report, ReportStatus
from cchc.reporting.tests.factories import QUARTERLY_RULE, make_schedule

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reform_areas():
    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


def log_out(page):
    if page.get_by_role("button", name="Menu").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_quarterly_report_from_school_to_department(page, phone_page, live_server, province):
    t = province
    plan = make_annual_plan(t)
    schedule = make_schedule(
        t, owner=t.office_a, actor=t.office_a_officer, plan=plan, depth="children", rule=QUARTERLY_RULE
    )
    make_schedule(t, reporter_kinds=("district_office",), depth="children", plan=plan)

    # 1. The school opens its report from the reports page: pre-filled from its data.
    log_in(page, live_server, "xq.hieutruong")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Báo cáo").click()
    duty = page.locator("#duties .duty").filter(has_text=schedule.name).first
    duty.get_by_role("button", name="Lập báo cáo").click()
    form = page.locator("#report-form")
    expect(form).to_contain_text("Thủ tục hành chính (TTHC) được giải quyết đúng hạn")
    expect(page.locator("#id_ind1_value")).to_be_disabled()  # measured from the plan's tasks
    expect(page.locator("#id_task_total")).not_to_have_value("")
    report_url = page.url

    # 2. 140% is refused next to the field; what was typed stays.
    page.locator("#id_ind0_value").fill("140")
    page.locator("#id_ind1_comment").fill("Chưa có nhiệm vụ đến hạn trong quý.")
    page.get_by_label("1. Kết quả đạt được").fill(
        "Cải cách TTHC: 100% hồ sơ tuyển sinh đầu cấp nhận trực tuyến."
    )
    page.get_by_label("2. Tồn tại, hạn chế").fill("Một số phụ huynh chưa quen nộp hồ sơ trực tuyến.")
    page.get_by_label("3. Nhiệm vụ trọng tâm").fill("Tiếp tục số hóa hồ sơ học sinh.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#indicator-0 .field__error")).to_contain_text("không thể là 140%")
    expect(page.get_by_label("2. Tồn tại, hạn chế")).to_have_value(
        "Một số phụ huynh chưa quen nộp hồ sơ trực tuyến."
    )
    shot(page, "reporting-form-error-desktop.png")
    page.locator("#id_ind0_value").fill("99")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo")
    log_out(page)

    # 3. The office returns it once.
    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/reports/")
    page.locator("#awaiting").get_by_role("link", name="Xem và xử lý").first.click()
    page.get_by_label("Trả lại để chỉnh sửa").check()
    page.get_by_label("Ý kiến, nội dung cần chỉnh sửa").fill("Bổ sung số hồ sơ tuyển sinh trực tuyến.")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã trả lại báo cáo")
    log_out(page)

    # 4. The school sees it on its home page, corrects and resubmits.
    log_in(page, live_server, "xq.hieutruong")
    expect(page.locator("#reports-due")).to_contain_text("Bị trả lại")
    page.locator("#reports-due").get_by_role("link", name="Chỉnh sửa và gửi lại").click()
    expect(page.locator("#review-comment")).to_contain_text("Bổ sung số hồ sơ tuyển sinh trực tuyến.")
    page.get_by_label("1. Kết quả đạt được").fill(
        "Cải cách TTHC: 100% hồ sơ trực tuyến; 312 hồ sơ tuyển sinh."
    )
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo")
    expect(page.locator("#versions")).to_contain_text("Lần 2")
    shot(page, "reporting-form-desktop.png")
    log_out(page)

    # 5. The office accepts, then consolidates its own report for the department.
    log_in(page, live_server, "vg.cchc")
    page.goto(f"{report_url}review/")
    page.get_by_label("Tiếp nhận báo cáo").check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo")
    report = Report.objects.get(schedule=schedule, unit=t.school_a1)
    assert report.status == ReportStatus.ACCEPTED and report.versions.count() == 2
    page.goto(f"{live_server.url}/reports/")
    page.locator("#duties .duty").first.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_role("button", name="Tổng hợp từ đơn vị cấp dưới").click()
    expect(page.locator(".messages")).to_contain_text("Đã tổng hợp từ báo cáo của 1/2 đơn vị cấp dưới")
    expect(page.get_by_label("1. Kết quả đạt được")).to_contain_text("312 hồ sơ tuyển sinh")
    office_report_url = page.url
    log_out(page)

    # 6. The department: completeness and timeliness, and the office's report as Word.
    log_in(page, live_server, "so.cchc")
    page.goto(f"{live_server.url}/reports/completeness/?schedule={schedule.pk}&period={report.period_key}")
    expect(page.locator("[data-stat=expected] .stat__value")).to_have_text("2")
    expect(page.locator("[data-stat=submitted] .stat__value")).to_have_text("1")
    expect(page.locator("[data-stat=submitted]")).to_contain_text("Tỷ lệ đầy đủ 50,0%")
    expect(page.locator("[data-stat=on_time]")).to_contain_text("Tỷ lệ đúng hạn")
    expect(page.locator("#missing")).to_contain_text("Trường THCS Văn Giang")
    expect(page.locator("#by-unit canvas")).to_be_visible()
    shot(page, "reporting-completeness-desktop.png")
    page.goto(office_report_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    assert download.value.suggested_filename.endswith(".docx")

    # Phone: the same pages at 390 px.
    log_in(phone_page, live_server, "so.cchc")
    phone_page.goto(
        f"{live_server.url}/reports/completeness/?schedule={schedule.pk}&period={report.period_key}"
    )
    expect(phone_page.locator("[data-stat=expected]")).to_be_visible()
    shot(phone_page, "reporting-completeness-phone.png")
    log_out(phone_page)
    log_in(phone_page, live_server, "thcsvg.hieutruong")  # the school that has not sent yet
    expect(phone_page.locator("#reports-due")).to_contain_text(schedule.name)
    phone_page.locator("#reports-due .duty").filter(has_text=schedule.name).first.get_by_role(
        "button", name="Lập báo cáo"
    ).click()
    expect(phone_page.get_by_role("button", name="Gửi báo cáo")).to_be_visible()
    shot(phone_page, "reporting-form-phone.png")
