"""The one-stop statistics in the browser: Phòng GD&ĐT Văn Giang's officer opens the
statistics page, picks Quý I/2025 and reads the figures counted by hand in
`cchc/dossiers/tests/test_statistics.py`; opens a school's row, switches to the table by
procedure and sees the trend chart drawn. The department reads its offices. Screenshots
(desktop 1366 px, phone 390 px) go to /work/main/screenshots/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.dossiers.tests.test_statistics import one_stop_quarter

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def total(page, col):
    return page.locator(f"#stats-table tfoot [data-col='{col}']")


def test_the_office_reads_its_quarter(page, phone_page, live_server, province):
    one_stop_quarter(province)

    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/dossiers/statistics/")
    page.get_by_label("Kỳ báo cáo").select_option(label="Quý I/2025")  # submits by itself
    expect(page.locator(".page-lead")).to_contain_text("Quý I/2025")
    expect(page.locator(".page-lead")).to_contain_text("Phòng Giáo dục và Đào tạo Văn Giang")

    # The hand count: 1 carried over, 3 online + 6 at the desk + 1 by post = 11;
    # 3 early, 1 on time, 2 late; 2 within the deadline and 1 overdue; 1 refused, 1 withdrawn.
    expected = {
        "carried_over": "1",
        "received_online": "3",
        "received_desk": "6",
        "received_post": "1",
        "total": "11",
        "resolved_early": "3",
        "resolved_on_time": "1",
        "resolved_late": "2",
        "pending_within": "2",
        "pending_overdue": "1",
        "refused": "1",
        "withdrawn": "1",
        "on_time_rate": "66,7%",
    }
    for col, value in expected.items():
        expect(total(page, col)).to_have_text(value)
    expect(page.locator("[data-stat='resolved'] .stat__value")).to_have_text("6")
    expect(page.locator("[data-stat='online'] .stat__value")).to_have_text("30 %")
    # The chart is drawn from the served Chart.js.
    expect(page.locator("#stats-chart-box canvas")).to_be_visible()
    assert page.evaluate(
        "() => !!window.Chart && !!Chart.getChart(document.querySelector('#stats-chart-box canvas'))"
    )
    shot(page, "dossier-stats-desktop.png")

    # A school's own table, then back, then the table by procedure.
    page.get_by_role("link", name="Trường Tiểu học Xuân Quan").click()
    expect(total(page, "total")).to_have_text("2")
    page.locator("#main nav.breadcrumbs").last.get_by_role(
        "link", name="Phòng Giáo dục và Đào tạo Văn Giang"
    ).click()
    expect(total(page, "total")).to_have_text("11")
    page.get_by_role("link", name="Theo thủ tục").click()
    expect(page.locator("#stats-procedures")).to_contain_text(
        "Chuyển trường đối với học sinh trung học cơ sở"
    )
    expect(total(page, "total")).to_have_text("11")

    # The Excel download.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # On a phone: the same numbers, each labelled.
    log_in(phone_page, live_server, "so.cchc")
    phone_page.goto(f"{live_server.url}/dossiers/statistics/?period=2025-Q1")
    expect(total(phone_page, "total")).to_have_text("13")
    expect(phone_page.locator("#stats-units")).to_contain_text("Phòng Giáo dục và Đào tạo Văn Lâm")
    shot(phone_page, "dossier-stats-phone.png")
    phone_page.screenshot(path=str(SHOTS / "dossier-stats-phone-top.png"))
    phone_page.locator("#stats-table").screenshot(path=str(SHOTS / "dossier-stats-phone-table.png"))
    phone_page.locator("#stats-trend").screenshot(path=str(SHOTS / "dossier-stats-phone-trend.png"))


def test_a_sibling_office_does_not_see_office_a(page, live_server, province):
    one_stop_quarter(province)

    log_in(page, live_server, "vl.cchc")
    page.goto(f"{live_server.url}/dossiers/statistics/?period=2025-Q1")
    expect(total(page, "total")).to_have_text("1")
    options = page.locator("#s-unit option").all_inner_texts()
    assert not any("Văn Giang" in option for option in options)
    response = page.goto(f"{live_server.url}/dossiers/statistics/?unit={province.office_a.pk}&period=2025-Q1")
    assert response.status == 404


def test_figures_of_a_moment_ago_and_computing_them_now(
    page, phone_page, live_server, province, dashboard_cache
):
    """As in production: the figures are served from the cache for a minute. The officer
    sees when they were computed, a new dossier is not counted yet, "Tính lại ngay"
    counts it."""
    from cchc.dossiers.tests.factories import receive, vn

    quarter = one_stop_quarter(province)
    log_in(page, live_server, "vg.cchc")
    url = f"{live_server.url}/dossiers/statistics/?period=2025-Q1"
    page.goto(url)
    expect(total(page, "total")).to_have_text("11")
    expect(page.locator(".measured-at")).to_contain_text("Số liệu tính lúc")

    receive(province.office_a, quarter.procedures.district, at=vn(2025, 3, 20))
    page.goto(url)
    expect(total(page, "total")).to_have_text("11")  # computed a moment ago
    expect(page.locator(".measured-at")).to_contain_text("Số liệu được tính lại sau mỗi 60 giây.")
    shot(page, "dossier-stats-cached-desktop.png")
    page.get_by_role("link", name="Tính lại ngay").click()
    expect(total(page, "total")).to_have_text("12")
    expect(page.get_by_role("link", name="Tính lại ngay")).to_have_count(0)

    log_in(phone_page, live_server, "vg.cchc")
    phone_page.goto(url)
    expect(total(phone_page, "total")).to_have_text("12")
    phone_page.locator(".measured-at").scroll_into_view_if_needed()
    phone_page.screenshot(path=str(SHOTS / "dossier-stats-cached-phone.png"))
