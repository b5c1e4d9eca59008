"""A citizen sends a feedback from her phone, with the keyboard only:

Ms Trần Thị Bình wants Phòng GD&ĐT Văn Giang's desk to stop asking parents for papers
the rules do not require. On her phone she opens "Gửi phản ánh, kiến nghị", picks the
kind about officials' conduct (which needs her name), tabs through the unit, topic and
content, forgets her name at first and is told so next to the field — with everything
she typed still there — adds it, attaches a photo of the notice as a small PDF, sends,
reads her code on the receipt, and opens the status page by that code. Screenshots of
the form, the receipt and the status page (phone 390 px, desktop 1366 px) go to
/work/main/screenshots/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.core.tests.seeds import restore_migration_seeds
from cchc.feedback.models import Feedback

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    from django.core.cache import cache

    settings.CCHC_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    restore_migration_seeds()  # a transactional test flushes the seeded kinds
    yield
    cache.clear()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str):
    page.keyboard.press("Tab")
    assert focused_id(page) == element_id


def test_a_citizen_sends_feedback_by_keyboard_on_a_phone(phone_page, live_server, province, tmp_path):
    page = phone_page
    page.goto(f"{live_server.url}/public/procedures/")
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_role("heading", name="Gửi phản ánh, kiến nghị")).to_be_visible()
    shot(page, "feedback-form-phone.png")

    # Kind: arrow keys within the radio group; the conduct kind needs the sender's name.
    page.locator("#id_kind_0").focus()
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "id_kind_1"
    expect(page.locator("#id_kind_1")).to_be_checked()
    expect(page.locator("#sender-required")).to_contain_text("cần ghi họ tên")

    tab_to(page, "id_unit")
    page.locator("#id_unit").select_option(label="Phòng Giáo dục và Đào tạo Văn Giang")
    tab_to(page, "id_topic")
    page.keyboard.type("Bộ phận một cửa yêu cầu giấy tờ ngoài quy định")
    tab_to(page, "id_content")
    page.keyboard.type("Ngày 04/8, cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu <b>không cần thiết</b>.")
    tab_to(page, "id_procedure")
    tab_to(page, "id_sender_name")  # left empty on purpose the first time
    tab_to(page, "id_sender_phone")
    page.keyboard.type("0912 345 678")
    tab_to(page, "id_sender_email")
    tab_to(page, "id_sender_address")
    tab_to(page, "id_attachments")
    tab_to(page, "id_wants_publication")
    page.keyboard.press("Space")
    expect(page.locator("#id_wants_publication")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # Refused: the name is required for this kind; what she typed is still there.
    expect(page.locator("#id_sender_name_error")).to_contain_text("họ tên")
    expect(page.locator("#id_topic")).to_have_value("Bộ phận một cửa yêu cầu giấy tờ ngoài quy định")
    expect(page.locator("#id_sender_phone")).to_have_value("0912 345 678")
    expect(page.locator("#id_kind_1")).to_be_checked()
    expect(page.locator("#id_wants_publication")).to_be_checked()
    assert "id_sender_name_error" in page.locator("#id_sender_name").get_attribute("aria-describedby")
    shot(page, "feedback-form-error-phone.png")

    page.locator("#id_sender_name").focus()
    page.keyboard.type("Trần Thị Bình")
    pdf = tmp_path / "thong-bao.pdf"
    pdf.write_bytes(PDF)
    page.locator("#id_attachments").set_input_files(str(pdf))
    page.locator("#id_attachments").focus()
    tab_to(page, "id_wants_publication")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Phiếu tiếp nhận phản ánh, kiến nghị")).to_be_visible()
    code = page.locator("#feedback-code").inner_text().strip()
    assert re.fullmatch(r"PA-\d{6}-[A-Z0-9]{10}", code)
    feedback = Feedback.objects.get(code=code)
    assert feedback.unit == province.office_a and feedback.sender_name == "Trần Thị Bình"
    assert feedback.attachments.count() == 1 and feedback.wants_publication
    expect(page.get_by_text(feedback.due_at.strftime("%d/%m/%Y"))).to_be_visible()
    shot(page, "feedback-receipt-phone.png")

    # Later she opens the status page and types her code.
    page.get_by_role("link", name="Tra cứu phản ánh").first.click()
    page.get_by_label("Mã phản ánh").fill(code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    expect(page.get_by_text("Đã tiếp nhận").first).to_be_visible()
    expect(page.get_by_text("<b>không cần thiết</b>")).to_have_count(0)  # content is not on the status page
    expect(page.get_by_text("Trần Thị Bình")).to_have_count(0)
    shot(page, "feedback-status-phone.png")

    # The whole page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_desktop_screenshots(page, live_server, province):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/public/feedback/new/")
    shot(page, "feedback-form-desktop.png")
    page.locator("#id_kind_2").check()
    page.locator("#id_topic").fill("Góp ý giờ làm việc <script>alert(1)</script>")
    page.locator("#id_content").fill("Đề nghị mở cửa tiếp nhận vào sáng thứ Bảy.")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_role("heading", name="Phiếu tiếp nhận phản ánh, kiến nghị")).to_be_visible()
    expect(page.get_by_text("Góp ý giờ làm việc <script>alert(1)</script>")).to_be_visible()
    shot(page, "feedback-receipt-desktop.png")
    page.get_by_role("link", name="Xem tình trạng xử lý").click()
    expect(page.get_by_text("Đã tiếp nhận").first).to_be_visible()
    shot(page, "feedback-status-desktop.png")


def test_published_answers_on_a_phone(phone_page, live_server, province):
    from django.utils import timezone

    from cchc.feedback import services
    from cchc.feedback.tests.factories import answer, submit

    officer = province.office_a_officer
    feedback = submit(province.office_a, wants_publication=True, topic="Giờ tiếp nhận hồ sơ tuyển sinh")
    answer(feedback, officer, at=timezone.now(), text="Từ 01/9, bộ phận một cửa tiếp nhận đến 17 giờ.")
    services.feedback_publish(actor=officer, feedback=feedback)
    phone_page.goto(f"{live_server.url}/public/feedback/answers/")
    expect(phone_page.get_by_role("heading", name="Giờ tiếp nhận hồ sơ tuyển sinh")).to_be_visible()
    expect(phone_page.get_by_text("Trần Thị Bình")).to_have_count(0)
    shot(phone_page, "feedback-answers-phone.png")
