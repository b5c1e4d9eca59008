"""A parent answers the school's satisfaction survey on a phone:

Trường Tiểu học Xuân Quan pins up the poster of Phòng GD&ĐT Văn Giang's parents'
survey. Chị Hằng scans the QR code (the PNG served is segno's code of the form's
address), opens the form on her phone, answers by tapping and with the keyboard,
forgets the one required question, sees it marked with every other answer kept, answers
it and is thanked; the counts are in the database. A survey that is over says the day it
ended. Screenshots of the form, the error, the thank-you, the closed page and the poster
at 390 and 1366 px go to /work/main/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import io
import urllib.request
from pathlib import Path

import pytest
import segno
from django.db.models import Count
from playwright.sync_api import expect

from cchc.feedback import surveys
from cchc.feedback.survey_models import SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTemplate
from cchc.feedback.surveys_sync import templates_sync_all

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(autouse=True)
def quick_forms(settings):
    from django.core.cache import cache

    settings.CCHC_FORM_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def shot(page, name, *, view=False):
    """The whole page; with `view`, also what the screen shows (`name-view.png`)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    if view:
        page.screenshot(path=str(SHOTS / name.replace(".png", "-view.png")))


@pytest.fixture
def survey(province):
    if not SurveyTemplate.objects.filter(code="parents-primary").exists():
        templates_sync_all()  # a transactional test flushes the migration's templates
    template = SurveyTemplate.objects.get(code="parents-primary")
    SurveyQuestion.objects.filter(template=template, code="HL1").update(required=True)
    today = surveys.today()
    campaign = surveys.campaign_create(
        actor=province.office_a_officer,
        template=template,
        unit=province.office_a,
        title="Khảo sát sự hài lòng của cha mẹ học sinh tiểu học năm học 2026–2027",
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=25),
    )
    over = surveys.campaign_create(
        actor=province.office_a_officer,
        template=template,
        unit=province.office_a,
        title="Khảo sát sự hài lòng của cha mẹ học sinh học kỳ I",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=30),
    )
    province.link = campaign.links.get(unit=province.school_a1)
    province.over_link = over.links.get(unit=province.school_a1)
    return province


def choice(page, question_code, label):
    fieldset = page.locator("fieldset").filter(has=page.locator(f'input[name="q_{question_code}"]'))
    return fieldset.get_by_label(label, exact=True)


def test_a_parent_answers_the_survey_on_her_phone(survey, live_server, phone_page, browser):
    page = phone_page
    form_url = f"{live_server.url}/public/survey/{survey.link.token}/"

    # The poster's QR code is segno's code of exactly the form's address.
    with urllib.request.urlopen(f"{form_url}qr.png") as response:  # noqa: S310 — the test server
        served = response.read()
    expected = io.BytesIO()
    segno.make(form_url, error="m", micro=False).save(expected, kind="png", scale=8, border=2)
    assert served == expected.getvalue()

    page.goto(form_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("cha mẹ học sinh tiểu học")
    expect(page.get_by_text("Trường Tiểu học Xuân Quan").first).to_be_visible()
    # On a phone the five levels are stacked, each a big target.
    box = choice(page, "TC1", "Rất hài lòng").locator("xpath=..").bounding_box()
    assert box["width"] > 300 and box["height"] >= 44
    shot(page, "survey-form-phone.png", view=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    choice(page, "TC1", "Rất hài lòng").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "survey-form-phone-scale-view.png"))

    choice(page, "TT1", "Lớp 2").click()  # a tap
    choice(page, "TT2", "Họp cha mẹ học sinh").check()
    choice(page, "TT2", "Nhóm tin nhắn của lớp").check()
    # The keyboard: focus the first level of TC1, arrows move the choice.
    choice(page, "TC1", "Rất không hài lòng").focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(choice(page, "TC1", "Hài lòng")).to_be_checked()
    choice(page, "CS2", "Bình thường").click()
    page.get_by_label("Ý kiến, đề xuất khác của Ông/Bà.").fill("Đề nghị thêm giờ đón trẻ buổi chiều.")
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()

    # HL1 is required: the error is named and linked; everything chosen is kept.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Chưa gửi được phiếu khảo sát")
    expect(alert).to_be_focused()
    hl1 = page.locator("fieldset").filter(has=page.locator('input[name="q_HL1"]'))
    expect(hl1).to_have_attribute("aria-describedby", "err_q_HL1")
    expect(page.locator("#err_q_HL1")).to_contain_text("Vui lòng chọn một phương án")
    expect(choice(page, "TT1", "Lớp 2")).to_be_checked()
    expect(choice(page, "TT2", "Họp cha mẹ học sinh")).to_be_checked()
    expect(choice(page, "TT2", "Nhóm tin nhắn của lớp")).to_be_checked()
    expect(choice(page, "TC1", "Hài lòng")).to_be_checked()
    expect(page.get_by_label("Ý kiến, đề xuất khác của Ông/Bà.")).to_have_value(
        "Đề nghị thêm giờ đón trẻ buổi chiều."
    )
    shot(page, "survey-form-error-phone.png", view=True)
    alert.get_by_role("link").first.click()
    expect(choice(page, "HL1", "Rất không hài lòng")).to_be_focused()
    choice(page, "HL1", "Rất hài lòng").click()
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()

    expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã tham gia khảo sát")).to_be_visible()
    assert page.url == f"{form_url}thanks/"
    shot(page, "survey-thanks-phone.png")

    response = SurveyResponse.objects.get()
    assert response.unit == survey.school_a1 and response.channel == "link"
    counts = dict(
        SurveyAnswer.objects.filter(campaign=survey.link.campaign, unit_path__startswith=survey.office_a.path)
        .exclude(option=None)
        .values_list("question__code")
        .annotate(n=Count("id"))
    )
    assert counts == {"TT1": 1, "TT2": 2, "TC1": 1, "CS2": 1, "HL1": 1}
    assert SurveyAnswer.objects.get(question__code="HL1").option.code == "5"
    assert SurveyAnswer.objects.get(question__code="DX2").text == "Đề nghị thêm giờ đón trẻ buổi chiều."

    # The survey that is over says when it ended.
    over = page.goto(f"{live_server.url}/public/survey/{survey.over_link.token}/")
    assert over.status == 410
    ended = (surveys.today() - dt.timedelta(days=30)).strftime("%d/%m/%Y")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đợt khảo sát đã kết thúc")
    expect(page.get_by_text(ended)).to_be_visible()
    shot(page, "survey-closed-phone.png")

    page.goto(f"{form_url}poster/")
    expect(page.get_by_text(form_url, exact=True)).to_be_visible()
    shot(page, "survey-poster-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_pages_at_a_desk(survey, live_server, browser):
    """The same pages at 1366 px: the scale's five levels in one row."""
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    form_url = f"{live_server.url}/public/survey/{survey.link.token}/"
    page.goto(form_url)
    boxes = [
        choice(page, "TC1", label).locator("xpath=..").bounding_box()
        for label in ("Rất không hài lòng", "Rất hài lòng")
    ]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"]
    shot(page, "survey-form-desktop.png", view=True)
    choice(page, "TC1", "Rất hài lòng").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "survey-form-desktop-scale-view.png"))
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shot(page, "survey-form-error-desktop.png", view=True)
    choice(page, "HL1", "Hài lòng").click()
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã tham gia khảo sát")).to_be_visible()
    shot(page, "survey-thanks-desktop.png")
    page.goto(f"{live_server.url}/public/survey/{survey.over_link.token}/")
    shot(page, "survey-closed-desktop.png")
    page.goto(f"{form_url}poster/")
    shot(page, "survey-poster-desktop.png")
    page.emulate_media(media="print")
    shot(page, "survey-poster-print.png")
    context.close()
