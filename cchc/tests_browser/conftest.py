"""Browser tests: Playwright's sync API driving Debian's Chromium against live_server.

Run with `pytest cchc/tests_browser` (or `-m browser`); without Chromium they skip.
Playwright never downloads a browser here: it launches /usr/bin/chromium.
"""

import os

import pytest

from conftest import chromium_path

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the tests (factories) would otherwise refuse to run "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = (
    "Chromium không có: cài bằng `apt-get install -y chromium` để chạy kiểm thử trình duyệt"
)
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("CCHC_REQUIRE_BROWSER") and any("browser" in i.keywords for i in items):
        raise pytest.UsageError("CCHC_REQUIRE_BROWSER is set but Chromium is not installed.")
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


def log_in(page, live_server, username, password="demo"):
    """Sign in through the real login page, as a user would."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
