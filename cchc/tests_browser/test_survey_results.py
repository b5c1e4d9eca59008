"""Survey results in the browser: Phòng GD&ĐT Văn Giang's officer opens the campaign of
the hand-computed fixture (cchc/feedback/tests/test_survey_results_data.py), reads the
overall index 73/132 = 55,30 %, drills into a school (74,11 %), sees the option charts
drawn and downloads the Excel results. Screenshots (1366 px, 390 px) in /work/main/screenshots/.
"""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cchc.feedback.tests.test_survey_results_data import build

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_office_reads_its_campaign_and_drills_into_a_school(page, phone_page, live_server, province):
    _template, campaign, _previous = build(province)

    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/surveys/")
    page.get_by_role("link", name=campaign.title, exact=True).click()
    expect(page.locator("#survey-overall")).to_have_text("55,30 %")
    expect(page.locator("[data-stat='respondents'] .stat__value")).to_have_text("12")
    expect(page.locator("#survey-formula")).to_contain_text("trung bình cộng chỉ số các tiêu chí")
    expect(page.locator("#survey-index-table tr[data-question='Q1']")).to_contain_text("54,55 %")
    expect(page.locator("#survey-ranking")).to_contain_text("74,11 %")
    expect(page.locator("#survey-not-enough-units")).to_contain_text("Chưa đủ số phiếu (4/5)")
    # The option charts and the periods chart are drawn by the served Chart.js.
    chart = "document.querySelector('[data-survey-chart=\"survey-q-M\"] canvas')"
    assert page.evaluate(f"() => !!window.Chart && !!Chart.getChart({chart})")
    assert page.evaluate("() => !!Chart.getChart(document.querySelector('#survey-period-chart canvas'))")
    shot(page, "survey-campaign-desktop.png")
    for section in ("survey-results", "survey-options"):
        page.locator(f"#{section}").screenshot(path=str(SHOTS / f"{section}-desktop.png"))

    # The Excel results.
    with page.expect_download() as info:
        page.locator("#survey-export-results").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = [r for r in book.worksheets[0].iter_rows(min_row=6, values_only=True) if r[0]]
    assert rows[0][4] == 55.3 and rows[1][4] == 74.11

    # Drill into the school from the ranking; back through the trail.
    page.locator("#survey-ranking").get_by_role("link", name="Trường Tiểu học Xuân Quan").click()
    expect(page.locator("#survey-overall")).to_have_text("74,11 %")
    expect(page.locator("[data-stat='respondents'] .stat__value")).to_have_text("8")
    page.locator("#survey-trail").get_by_role("link", name="Phòng Giáo dục và Đào tạo Văn Giang").click()
    expect(page.locator("#survey-overall")).to_have_text("55,30 %")
    # The unit picker goes to the other school.
    page.get_by_label("Xem kết quả của đơn vị").select_option(
        label="\u00a0\u00a0Trường THCS Văn Giang"
    )  # submits
    expect(page.locator("#survey-overall")).to_have_text("18,75 %")
    expect(page.locator("#survey-not-enough")).to_contain_text("Chưa đủ số phiếu (4/5)")

    log_in(phone_page, live_server, "vg.cchc")
    phone_page.goto(f"{live_server.url}/surveys/{campaign.pk}/")
    expect(phone_page.locator("#survey-overall")).to_have_text("55,30 %")
    shot(phone_page, "survey-campaign-phone.png")
    for section in ("survey-results", "survey-comparison", "survey-links", "survey-periods"):
        phone_page.locator(f"#{section}").screenshot(path=str(SHOTS / f"{section}-phone.png"))
    phone_page.goto(f"{live_server.url}/surveys/")
    shot(phone_page, "survey-list-phone.png")
    page.goto(f"{live_server.url}/surveys/")
    shot(page, "survey-list-desktop.png")
