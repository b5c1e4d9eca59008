"""A plan document becomes a plan, in the browser: the department's reform officer
uploads seed 001 (Bến Tre's 2022 CCHC plan), reviews the proposed plan beside the
source, removes a task, corrects an indicator's target, maps the unit names the tree
does not know, and saves; the plan page shows the result. With CCHC_SCREENSHOTS=1 the
review page is also photographed at desktop and phone widths into screenshots/."""

import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cchc.orgs.tests.factories import make_province
from cchc.plans.models import Plan

from .conftest import PHONE, _new_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_001 = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "001_218b573b69746f3c.txt"
OUT = Path(settings.BASE_DIR) / "screenshots"


@pytest.fixture(autouse=True)
def reform_areas():
    """The areas loaded by migration 0002: a transactional test's flush removes them."""
    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


@pytest.fixture
def seed_001(tmp_path):
    if not SEED_001.exists():
        pytest.skip("../shared/seeds không có trên máy này")
    path = tmp_path / "KH CCHC 2022 So GDDT Ben Tre.txt"
    path.write_bytes(SEED_001.read_bytes())
    return path


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    page.get_by_label("Văn bản kế hoạch").set_input_files(str(path))
    page.get_by_role("button", name="Đọc văn bản").click()
    expect(page.get_by_role("heading", name="Soát kế hoạch đọc từ văn bản")).to_be_visible()


def proposed(page, section):
    """The proposed items of a section (not the empty "+ Thêm" form)."""
    return page.locator(f"#{section} > fieldset.intake-item")


def test_seed_001_from_document_to_plan(page, live_server, seed_001):
    t = make_province()
    log_in(page, live_server, "so.cchc")
    upload(page, live_server, seed_001)

    # The source, numbered, and the proposed plan beside it.
    expect(page.locator("#source-lines li").first).to_be_visible()
    expect(page.locator("#source-lines")).to_contain_text("KẾ HOẠCH")
    indicators, tasks = proposed(page, "indicators"), proposed(page, "tasks")
    assert indicators.count() >= 5, "the extractor proposes seed 001's headline indicators"
    assert tasks.count() >= 20, "the extractor proposes seed 001's appendix tasks"
    expect(page.get_by_label("Trích yếu")).to_have_value(
        "Công tác cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo")

    # A task's source-line link brings its line into view, highlighted.
    link = tasks.nth(0).locator("a[data-line]")
    line = link.get_attribute("data-line")
    link.click()
    expect(page.locator(f"#L{line}")).to_have_class("is-current")
    expect(page.locator(f"#L{line}")).to_be_in_viewport()

    # Remove the second task, correct the first indicator's target, add a task by hand.
    removed = tasks.nth(1).get_by_label("Nội dung").input_value()
    tasks.nth(1).get_by_label("bỏ").check()
    indicators.nth(0).get_by_label("Giá trị").fill("99")
    page.get_by_text("+ Thêm nhiệm vụ").click()
    extra = page.locator("#tasks details fieldset")
    extra.get_by_label("Nội dung").fill("Tổ chức hội nghị sơ kết CCHC 6 tháng đầu năm")
    extra.get_by_label("Thời gian thực hiện").fill("Tháng 7/2022")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã lưu bản nháp.")
    expect(proposed(page, "tasks").nth(1).get_by_label("bỏ")).to_be_checked()

    # The names the tree does not know are mapped (the first to Văn phòng Sở), then saved.
    selects = page.locator("#unmatched-units select")
    for i in range(selects.count()):
        selects.nth(i).select_option(label="Văn phòng Sở" if i == 0 else "Không gắn đơn vị")
    kept_tasks = proposed(page, "tasks").count() - 1
    kept_indicators = proposed(page, "indicators").count()
    page.get_by_role("button", name="Tạo kế hoạch").click()

    expect(page.get_by_role("status").first).to_contain_text(
        f"Đã tạo kế hoạch từ văn bản: {kept_indicators} chỉ tiêu, {kept_tasks} nhiệm vụ.")
    expect(page.locator("#indicators")).to_contain_text("99 %")
    expect(page.locator("#tasks")).to_contain_text("Tổ chức hội nghị sơ kết CCHC 6 tháng đầu năm")
    expect(page.locator("#tasks")).not_to_contain_text(removed)
    plan = Plan.objects.get(issuer=t.department)
    assert plan.tasks.count() == kept_tasks and plan.indicators.count() == kept_indicators
    assert plan.tasks.filter(area__isnull=False).count() >= kept_tasks // 2


@pytest.mark.skipif(not os.environ.get("CCHC_SCREENSHOTS"), reason="đặt CCHC_SCREENSHOTS=1 để chụp màn hình")
def test_screenshots_of_the_review_page(browser, page, live_server, seed_001):
    make_province()
    OUT.mkdir(exist_ok=True)
    log_in(page, live_server, "so.cchc")
    upload(page, live_server, seed_001)
    page.screenshot(path=str(OUT / "intake-review-desktop.png"))
    proposed(page, "tasks").nth(2).locator("a[data-line]").click()
    page.wait_for_timeout(800)  # the pane scrolls smoothly
    page.screenshot(path=str(OUT / "intake-review-desktop-source-link.png"))
    proposed(page, "tasks").nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "intake-review-desktop-tasks.png"))
    review_url = page.url

    context, phone = _new_page(browser, PHONE)
    try:
        log_in(phone, live_server, "so.cchc")
        phone.goto(review_url)
        phone.screenshot(path=str(OUT / "intake-review-phone.png"))
        proposed(phone, "indicators").nth(0).scroll_into_view_if_needed()
        phone.screenshot(path=str(OUT / "intake-review-phone-items.png"))
        phone.goto(f"{live_server.url}/plans/intake/")
        phone.screenshot(path=str(OUT / "intake-upload-phone.png"), full_page=True)
    finally:
        context.close()
