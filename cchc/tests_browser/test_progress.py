"""A school head records progress with evidence; the department sees it on the dashboard.

    CCHC_SCREENSHOTS=1 pytest cchc/tests_browser/test_progress.py

also writes screenshots of the task pages and the dashboard into screenshots/.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from cchc.orgs.tests.factories import make_province
from cchc.plans import services
from cchc.plans.services_cascade import plan_cascade
from cchc.plans.tests.factories import make_annual_plan

from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURVEY = "Khảo sát, đánh giá mức độ hài lòng của người dân"
# The smallest PDF a reader opens: a header, one empty page, a trailer.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reform_areas():
    """Transactional tests flush the tables after each test, the areas of data migration
    0002 with them: load them again."""
    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


def _province_with_plan():
    t = make_province()
    plan = make_annual_plan(t, year=timezone.localdate().year)
    plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_a, t.school_a1, t.school_a2])
    return t, plan


def test_school_head_records_progress_and_the_department_sees_it(browser, page, live_server, tmp_path):
    t, plan = _province_with_plan()
    evidence = tmp_path / "Biên bản khảo sát.pdf"
    evidence.write_bytes(TINY_PDF)

    log_in(page, live_server, "xq.hieutruong")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Nhiệm vụ").click()
    expect(page.locator("h1")).to_have_text("Nhiệm vụ của đơn vị")
    # The school leads the survey in its own plan and coordinates it in the department's.
    own = page.locator("#task-results tbody tr").filter(has_text="Chủ trì").filter(has_text=SURVEY)
    own.get_by_role("link", name=SURVEY).click()
    expect(page.locator("h1")).to_have_text(SURVEY)

    page.evaluate("window.__sameDocument = true")
    form = page.locator("#progress-form")
    form.get_by_label("Trạng thái").select_option("done")
    form.get_by_label("Tiến độ (%)").fill("100")
    form.get_by_label("Nội dung cập nhật").fill("Đã khảo sát 120 phụ huynh, tổng hợp xong.")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.get_by_role("button", name="Lưu cập nhật").click()

    history = page.locator("#progress-history")
    expect(history).to_contain_text("Đã khảo sát 120 phụ huynh, tổng hợp xong.")
    expect(history.get_by_role("link", name="Biên bản khảo sát.pdf")).to_be_visible()
    expect(page.locator("#task-summary")).to_contain_text("Hoàn thành")
    expect(page.get_by_role("status")).to_contain_text("Đã cập nhật tiến độ nhiệm vụ.")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no reload
    expect(page.locator("#progress-form textarea")).to_have_value("")  # the form is reset

    other = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    officer = other.new_page()
    try:
        log_in(officer, live_server, "so.cchc")
        officer.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
        expect(officer.locator("h1")).to_have_text("Theo dõi thực hiện kế hoạch")
        expect(officer.locator("[data-stat=done] .stat__value")).to_have_text("1")
        row = officer.locator("#by-unit-table tbody tr").filter(
            has_text="Phòng Giáo dục và Đào tạo Văn Giang"
        )
        expect(row.locator("td").nth(1)).to_have_text("1")  # the "Hoàn thành" column
        expect(officer.locator(".chart canvas").first).to_be_visible()  # Chart.js drew
        assert officer.evaluate("typeof window.Chart") == "function"
    finally:
        other.close()


def test_a_refused_file_keeps_what_was_typed(page, live_server, tmp_path):
    t, plan = _province_with_plan()
    fake = tmp_path / "bao-cao.pdf"
    fake.write_bytes(b"MZ" + b"\x00" * 100)  # a program renamed .pdf
    log_in(page, live_server, "xq.hieutruong")
    task = plan.tasks.get(content=SURVEY)
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/")
    form = page.locator("#progress-form")
    form.get_by_label("Nội dung cập nhật").fill("Nội dung không được mất")
    form.locator("input[type=file]").set_input_files(str(fake))
    form.get_by_role("button", name="Lưu cập nhật").click()
    expect(page.locator("#progress-form")).to_contain_text("vui lòng chọn lại tệp")
    expect(page.locator("#progress-form textarea")).to_have_value("Nội dung không được mất")
    expect(page.locator("#progress-history")).to_contain_text("Chưa có cập nhật tiến độ nào.")


# --- screenshots ---------------------------------------------------------------------

OUT = Path(settings.BASE_DIR) / "screenshots"


def _busy_province():
    """Progress here and there, a contribution with evidence, overdue tasks."""
    t, plan = _province_with_plan()
    plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_b, t.school_b1, t.high_school])
    first, survey, review, staffing, _ = t.tasks
    services.progress_record(
        actor=t.dept_officer, task=first, status="done", percent=100, comment="Đã ban hành."
    )
    services.progress_record(
        actor=t.dept_officer,
        task=review,
        status="in_progress",
        percent=60,
        comment="Đã rà soát 45/75 thủ tục; đang hoàn thiện báo cáo.",
    )
    services.progress_record(
        actor=t.school_a1_head,
        task=survey,
        unit=t.school_a1,
        status="in_progress",
        percent=50,
        comment="Đã phát 200 phiếu khảo sát cho phụ huynh, thu về 150 phiếu.",
    )
    for task in plan.derived.get(issuer=t.school_a1).tasks.all()[:1]:
        services.progress_record(actor=t.school_a1_head, task=task, status="done", percent=100)
    for task in plan.derived.get(issuer=t.office_b).tasks.all():
        services.progress_record(actor=t.office_b_officer, task=task, status="in_progress", percent=30)
    return t, plan, survey


@pytest.mark.skipif(not os.environ.get("CCHC_SCREENSHOTS"), reason="đặt CCHC_SCREENSHOTS=1 để chụp màn hình")
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_tasks_and_dashboard(browser, live_server, tmp_path, device):
    t, plan, survey = _busy_province()
    context = browser.new_context(viewport=DESKTOP if device == "desktop" else PHONE, locale="vi-VN")
    page = context.new_page()
    OUT.mkdir(exist_ok=True)

    def shoot(name, *parts):
        page.screenshot(path=str(OUT / f"{device}-{name}.png"), full_page=True)
        for part in parts:  # at full size, to read the details
            page.locator(part).screenshot(path=str(OUT / f"{device}-{name}-{part.strip('#.')}.png"))

    try:
        log_in(page, live_server, "xq.hieutruong")
        page.goto(f"{live_server.url}/plans/tasks/")
        shoot("tasks-mine")
        page.goto(f"{live_server.url}/plans/tasks/{survey.pk}/")
        evidence = tmp_path / "Biên bản khảo sát phụ huynh.pdf"
        evidence.write_bytes(TINY_PDF)
        form = page.locator("#progress-form")
        form.get_by_label("Tiến độ (%)").fill("70")
        form.get_by_label("Nội dung cập nhật").fill("Đã tổng hợp 180 phiếu; gửi kèm biên bản.")
        form.locator("input[type=file]").set_input_files(str(evidence))
        form.get_by_role("button", name="Lưu cập nhật").click()
        expect(page.locator("#progress-history")).to_contain_text("Đã tổng hợp 180 phiếu")
        shoot("task-detail", "#task-summary", "#progress")
        form.get_by_label("Tiến độ (%)").fill("140")
        form.get_by_role("button", name="Lưu cập nhật").click()
        expect(page.locator("#progress-form")).to_contain_text("từ 0 đến 100")
        shoot("task-detail-error", "#progress-form")

        context.clear_cookies()
        log_in(page, live_server, "so.cchc")
        page.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/")
        page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length > 0")
        shoot("dashboard", "#by-area", "#by-unit", "#indicators")
        page.goto(f"{live_server.url}/plans/{plan.pk}/dashboard/?unit={t.office_a.pk}")
        page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length > 0")
        shoot("dashboard-office", "#by-unit")
    finally:
        context.close()
