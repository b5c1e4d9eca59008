"""A reform officer and a school head use the unit tree in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from cchc.orgs.tests.factories import make_province

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_department_officer_searches_the_tree_without_diacritics(page, live_server):
    make_province()
    log_in(page, live_server, "so.cchc")
    expect(page.locator("h1")).to_contain_text("Xin chào")

    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Đơn vị").click()
    expect(page.locator("h1")).to_have_text("Cây đơn vị")
    results = page.locator("#unit-results")
    expect(results).to_contain_text("Trường Mầm non Lạc Hồng")

    page.get_by_label("Tìm đơn vị").fill("van giang")
    # htmx swaps the rows in place after the 300 ms debounce; the URL follows.
    expect(results).not_to_contain_text("Trường Mầm non Lạc Hồng")
    expect(results).to_contain_text("Phòng Giáo dục và Đào tạo Văn Giang")
    expect(results).to_contain_text("Trường THCS Văn Giang")
    expect(results).to_contain_text("Trường THPT Văn Giang")
    expect(page).to_have_url(re.compile(r"/units/\?.*q=van(\+|%20)giang"))
    assert page.locator("h1").count() == 1  # a partial, not a page inside the page

    page.get_by_role("link", name="Trường THCS Văn Giang").click()
    expect(page.locator("h1")).to_have_text("Trường THCS Văn Giang")
    expect(page.get_by_role("navigation", name="Vị trí trong cây đơn vị")).to_contain_text(
        "Phòng Giáo dục và Đào tạo Văn Giang"
    )


def test_school_head_sees_only_their_school(page, live_server):
    make_province()
    log_in(page, live_server, "xq.hieutruong")
    expect(page.locator(".account")).to_contain_text("Trường Tiểu học Xuân Quan")
    page.goto(f"{live_server.url}/units/")
    rows = page.locator("#unit-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trường Tiểu học Xuân Quan")

    page.get_by_label("Tìm đơn vị").fill("van giang")
    expect(page.locator("#unit-results")).to_contain_text("Không tìm thấy đơn vị nào.")


def test_wrong_password_shows_the_message(page, live_server):
    make_province()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("so.cchc")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("so.cchc")


def test_phone_menu_button_opens_the_navigation(phone_page, live_server):
    page = phone_page
    make_province()
    log_in(page, live_server, "so.cchc")
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Chức năng")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    nav.get_by_role("link", name="Đơn vị").click()
    expect(page.locator("h1")).to_have_text("Cây đơn vị")

    # Escape closes the menu again and gives the focus back to the button.
    menu.click()
    expect(nav).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()


def test_logout_through_the_header(page, live_server):
    make_province()
    log_in(page, live_server, "so.cchc")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("h1")).to_have_text("Đăng nhập")
