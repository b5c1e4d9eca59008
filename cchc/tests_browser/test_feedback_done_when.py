"""Issue 7's story end to end: a citizen's feedback answered late, escalated, published.

Ms Trần Thị Bình sends feedback about Phòng GD&ĐT Văn Giang from her phone and agrees
that the answer may be published. The office assigns it but lets its ten working days
pass: three weeks later the daily job (`cchc escalate_feedback`) hands it to the
department, and her status page says so. The department's reform officer finds it in
the queue marked as escalated, takes it, answers — late — and publishes the answer.
Back on her phone she types her code and reads the answer; it is also on the public
list of answers.

Three weeks cannot pass in a test: after she sends it, the test moves the feedback's
time of receipt (and its deadline, computed again by the same rule) three weeks back,
which is what the database would hold had she sent it then.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cchc.core.tests.seeds import restore_migration_seeds
from cchc.feedback.models import EventKind, Feedback, FeedbackStatus
from cchc.feedback.services import due_at_for, feedback_assign
from cchc.workdays import calendar
from cchc.workdays.calendar import VN_TZ

from .conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Phòng đã chấn chỉnh Bộ phận một cửa; từ nay không yêu cầu bản sao sổ hộ khẩu."


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    from django.core.cache import cache

    settings.CCHC_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    calendar.clear_cache()
    restore_migration_seeds()  # a transactional test flushes the seeded kinds
    yield
    cache.clear()
    calendar.clear_cache()


def _three_weeks_ago(feedback: Feedback) -> Feedback:
    received = (feedback.received_at - dt.timedelta(days=21)).astimezone(VN_TZ)
    Feedback.objects.filter(pk=feedback.pk).update(
        received_at=received, due_at=due_at_for(received_at=received, kind=feedback.kind)
    )
    feedback.events.filter(kind=EventKind.RECEIVED).update(at=received)
    return Feedback.objects.get(pk=feedback.pk)


def test_feedback_sent_from_a_phone_escalates_when_late_and_its_published_answer_is_read_by_code(
    phone_page, page, live_server, province
):
    t = province
    citizen = phone_page

    # The citizen sends the feedback from her phone.
    citizen.goto(f"{live_server.url}/public/feedback/new/")
    citizen.get_by_label("Phản ánh về hành vi, thái độ của cán bộ, công chức, viên chức").check()
    citizen.locator("#id_unit").select_option(label="Phòng Giáo dục và Đào tạo Văn Giang")
    citizen.locator("#id_topic").fill("Yêu cầu nộp giấy tờ ngoài quy định")
    citizen.locator("#id_content").fill("Cán bộ yêu cầu nộp bản sao sổ hộ khẩu <script>alert(1)</script>.")
    citizen.locator("#id_sender_name").fill("Trần Thị Bình")
    citizen.locator("#id_sender_phone").fill("0912 345 678")
    citizen.locator("#id_wants_publication").check()
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(citizen.get_by_role("heading", name="Phiếu tiếp nhận phản ánh, kiến nghị")).to_be_visible()
    code = citizen.locator("#feedback-code").inner_text().strip()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    feedback = Feedback.objects.get(code=code)
    assert feedback.unit == t.office_a and feedback.content.endswith("<script>alert(1)</script>.")

    # The office takes it the next day, then lets the deadline pass.
    feedback = _three_weeks_ago(feedback)
    feedback_assign(
        actor=t.office_a_officer,
        feedback=feedback,
        officer=t.office_a_officer,
        at=feedback.received_at + dt.timedelta(days=1),
    )
    call_command("escalate_feedback")
    feedback.refresh_from_db()
    assert feedback.escalated and feedback.unit == t.department and feedback.status == FeedbackStatus.RECEIVED

    # Her status page says the department now handles it.
    citizen.goto(f"{live_server.url}/public/feedback/status/?code={code}")
    expect(citizen.get_by_text("Quá hạn, chuyển cấp trên xử lý").first).to_be_visible()
    expect(citizen.get_by_text(t.department.name).first).to_be_visible()

    # The office no longer has it; the department's reform officer takes it and answers late.
    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/feedback/")
    expect(page.locator(f"tr[data-code='{code}']")).to_have_count(0)
    page.context.clear_cookies()
    log_in(page, live_server, "so.cchc")
    page.goto(f"{live_server.url}/feedback/")
    row = page.locator(f"tr[data-code='{code}']")
    expect(row).to_contain_text("Quá hạn")
    expect(row).to_contain_text(t.office_a.name)  # escalated from the office
    row.locator("a.queue-code").click()
    page.locator("#action-assign").get_by_role("button", name="Phân công").click()
    expect(page.locator("#feedback-status")).to_contain_text("Đang xử lý")
    page.get_by_label("Nội dung trả lời").fill(ANSWER)
    page.get_by_role("button", name="Ghi nhận trả lời").click()
    expect(page.locator("#feedback-status")).to_contain_text("Trả lời quá hạn")
    page.get_by_role("button", name="Công khai trên cổng thông tin").click()
    expect(page.locator("#feedback-status")).to_contain_text("Đã công khai trả lời")

    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PUBLISHED and feedback.answered_on_time is False
    assert feedback.answered_by == t.dept_officer

    # She reads the published answer by her code, on her phone.
    citizen.goto(f"{live_server.url}/public/feedback/status/")
    citizen.get_by_label("Mã phản ánh").fill(code)
    citizen.keyboard.press("Enter")
    expect(citizen.get_by_role("heading", name=code)).to_be_visible()
    expect(citizen.get_by_text(ANSWER)).to_be_visible()
    expect(citizen.get_by_text("Trần Thị Bình")).to_have_count(0)  # never the sender's details
    citizen.goto(f"{live_server.url}/public/feedback/answers/")
    expect(citizen.get_by_text(ANSWER)).to_be_visible()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
