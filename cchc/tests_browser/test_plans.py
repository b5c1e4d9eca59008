"""The department types its annual plan, issues and cascades it; office A issues its own
plan; the department sees who has issued — in a real browser.

    CCHC_SCREENSHOTS=1 pytest cchc/tests_browser/test_plans.py

also writes screenshots of the plans pages into screenshots/ (git-ignored).
"""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cchc.orgs.tests.factories import make_province
from cchc.plans import services, services_cascade
from cchc.plans.models import Plan
from cchc.plans.tests.factories import make_annual_plan

from .conftest import DESKTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reform_areas"),
]

OUT = Path(settings.BASE_DIR) / "screenshots"


@pytest.fixture
def reform_areas():
    """The areas loaded by migration 0002: a transactional test's flush removes them."""
    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


def log_out(page):
    if not page.get_by_role("button", name="Đăng xuất").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_department_cascades_and_office_issues_its_plan(page, live_server):
    make_province()
    log_in(page, live_server, "so.cchc")

    # The department's reform officer types the plan's header.
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Kế hoạch").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch cải cách hành chính")
    page.get_by_role("link", name="Tạo kế hoạch").click()
    page.get_by_label("Số", exact=True).fill("20")
    page.get_by_label("Ký hiệu").fill("KH-SGDĐT")
    page.get_by_label("Ngày ban hành").fill("10/01/2026")
    page.get_by_label("Địa danh").fill("Hưng Yên")
    page.get_by_label("Trích yếu").fill("Công tác cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo")
    page.get_by_label("Thực hiện từ ngày").fill("01/01/2026")
    page.get_by_label("Đến ngày").fill("31/12/2026")
    page.get_by_role("button", name="Tạo kế hoạch dự thảo").click()
    expect(page.locator(".doc-head")).to_contain_text("Số: 20/KH-SGDĐT")
    expect(page.locator(".doc-head")).to_contain_text("Hưng Yên, ngày 10 tháng 01 năm 2026")
    expect(page.locator(".page-lead")).to_contain_text("Dự thảo")

    # An indicator and a task led by office A.
    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.get_by_label("Chỉ tiêu", exact=True).fill(
        "Thủ tục hành chính được giải quyết đúng hạn đạt từ 98% trở lên."
    )
    page.get_by_label("Mục tiêu").fill("98")
    page.get_by_label("Lĩnh vực").select_option(label="Cải cách thủ tục hành chính")
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    indicators = page.locator("#indicators")
    expect(indicators).to_contain_text("≥ 98 %")
    expect(indicators).to_contain_text("Cải cách thủ tục hành chính")

    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.get_by_label("Nhóm nhiệm vụ").fill("I. Công tác chỉ đạo, điều hành về CCHC")
    page.get_by_label("Nội dung").fill("Xây dựng và triển khai Kế hoạch CCHC năm 2026 của phòng")
    page.get_by_label("Thời gian thực hiện").fill("Quý I/2026")
    page.get_by_label("Cơ quan chủ trì", exact=True).select_option(
        label="Phòng Giáo dục và Đào tạo Văn Giang"
    )
    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    tasks = page.locator("#tasks")
    expect(tasks).to_contain_text("Hạn: 31/03/2026")
    expect(tasks).to_contain_text("Phòng Giáo dục và Đào tạo Văn Giang")

    # Issue, then cascade to the two district offices.
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã ban hành")
    expect(page.locator(".page-lead")).to_contain_text("Đã ban hành")
    parent_url = page.url

    page.get_by_role("link", name="Triển khai cho đơn vị cấp dưới").click()
    page.get_by_label("Phòng Giáo dục và Đào tạo Văn Giang").check()
    page.get_by_label("Phòng Giáo dục và Đào tạo Văn Lâm").check()
    page.get_by_role("button", name="Tạo kế hoạch dự thảo cho các đơn vị đã chọn").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo 2 kế hoạch dự thảo cho đơn vị cấp dưới.")
    log_out(page)

    # Office A's officer opens the office's draft from the department's plan and issues it.
    log_in(page, live_server, "vg.cchc")
    page.goto(parent_url)
    page.get_by_role("link", name="Mở kế hoạch của đơn vị").click()
    expect(page.locator(".doc-head")).to_contain_text("Phòng Giáo dục và Đào tạo Văn Giang")
    expect(page.locator("#tasks")).to_contain_text("Từ nhiệm vụ cấp trên")
    expect(page.locator("#indicators")).to_contain_text("Từ chỉ tiêu cấp trên (≥ 98 %)")
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_label("Ngày ban hành").fill("20/01/2026")
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(page.locator(".page-lead")).to_contain_text("Đã ban hành")
    log_out(page)

    # The department sees office A issued and office B still drafting.
    log_in(page, live_server, "so.cchc")
    page.goto(parent_url)
    page.get_by_role("link", name="Xem tình hình triển khai").click()
    rows = page.locator("#coverage-units tbody tr")
    expect(rows.filter(has_text="Phòng Giáo dục và Đào tạo Văn Giang")).to_contain_text("Đã ban hành")
    expect(rows.filter(has_text="Phòng Giáo dục và Đào tạo Văn Lâm")).to_contain_text("Dự thảo")
    expect(rows.filter(has_text="Trường THPT Văn Giang")).to_contain_text("Chưa có kế hoạch")


def test_office_derives_with_a_tightened_target(page, live_server):
    t = make_province()
    plan = make_annual_plan(t)
    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Xây dựng kế hoạch của đơn vị").click()
    expect(page.locator("h1")).to_have_text("Xây dựng kế hoạch của đơn vị")
    target = page.locator(f"#id_target_{t.ind_on_time.pk}")
    target.fill("90")
    page.get_by_role("button", name="Tạo kế hoạch dự thảo của đơn vị").click()
    expect(page.get_by_role("alert")).to_contain_text("không được thấp hơn chỉ tiêu cấp trên")
    expect(target).to_have_value("90")
    target.fill("99")
    page.get_by_role("button", name="Tạo kế hoạch dự thảo của đơn vị").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo kế hoạch dự thảo của đơn vị")
    expect(page.locator("#indicators")).to_contain_text("≥ 99 %")
    assert Plan.objects.filter(parent=plan, issuer=t.office_a).exists()


# --- screenshots ------------------------------------------------------------------------


def _shoot(page, name):
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    # Long pages also in parts a person can read at full size.
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    for part, top in enumerate(range(0, height, 1400)[1:4], start=2):
        clip = {"x": 0, "y": top, "width": width, "height": min(1400, height - top)}
        page.screenshot(path=str(OUT / f"{name}-part{part}.png"), full_page=True, clip=clip)
    if height > 1400:
        clip = {"x": 0, "y": 0, "width": width, "height": 1400}
        page.screenshot(path=str(OUT / f"{name}-part1.png"), full_page=True, clip=clip)


@pytest.mark.skipif(not os.environ.get("CCHC_SCREENSHOTS"), reason="đặt CCHC_SCREENSHOTS=1 để chụp màn hình")
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_the_plans_pages(browser, live_server, device):
    t = make_province()
    plan = make_annual_plan(t)
    plan.number = "20"
    plan.save(update_fields=["number"])
    services.indicator_entry_set(
        actor=t.dept_officer, indicator=t.ind_on_time, unit=t.department, period_key="2026", value="96,5"
    )
    services.indicator_entry_set(
        actor=t.dept_officer, indicator=t.ind_email, unit=t.department, period_key="2026", value=100
    )
    services_cascade.plan_cascade(actor=t.dept_officer, parent=plan, units=[t.office_a, t.office_b])
    office_plan = Plan.objects.get(parent=plan, issuer=t.office_a)
    services.plan_set_status(actor=t.office_a_officer, plan=office_plan, status="issued")
    services.plan_create(
        actor=t.office_b_officer,
        issuer=t.office_b,
        kind="thematic",
        number="251",
        symbol="KH-PGD&ĐT",
        title="Kế hoạch nâng cao Chỉ số hài lòng (SIPAS) năm 2026",
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    context = browser.new_context(viewport=DESKTOP if device == "desktop" else PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        log_in(page, live_server, "so.cchc")
        page.goto(f"{live_server.url}/plans/")
        _shoot(page, f"{device}-plans-list")
        page.goto(f"{live_server.url}/plans/{plan.pk}/?period=2026")
        _shoot(page, f"{device}-plan-detail")
        page.goto(f"{live_server.url}/plans/{plan.pk}/cascade/")
        _shoot(page, f"{device}-plan-cascade")
        page.goto(f"{live_server.url}/plans/{plan.pk}/coverage/")
        _shoot(page, f"{device}-plan-coverage")
        page.goto(f"{live_server.url}/plans/{plan.pk}/tasks/{t.tasks[0].pk}/edit/")
        _shoot(page, f"{device}-plan-task-edit")
        log_out(page)
        log_in(page, live_server, "vl.cchc")
        page.goto(f"{live_server.url}/plans/{plan.pk}/")
        page.goto(f"{live_server.url}/plans/{Plan.objects.get(parent=plan, issuer=t.office_b).pk}/")
        _shoot(page, f"{device}-plan-derived")
    finally:
        context.close()
