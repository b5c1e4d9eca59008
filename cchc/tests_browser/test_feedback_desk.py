"""The feedback desk, as one story in the browser:

The reform officer of Phòng GD&ĐT Văn Giang opens the feedback queue, sees the overdue
feedback first (received six weeks ago, past its ten working days), assigns it to
themself, adds an internal note, answers it and publishes the answer (the sender
agreed). The feedback is received through the service in the past (`received_at` may be
earlier than now, never later), so no clock needs moving.

Screenshots of the queue and the feedback page (desktop 1366 px and phone 390 px) go to
/work/main/screenshots/.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackKind, FeedbackStatus
from cchc.workdays import calendar
from cchc.workdays.calendar import VN_TZ

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def _kind() -> FeedbackKind:
    # A transactional test flushes the kinds seeded by the migration: put one back.
    kind, _created = FeedbackKind.objects.get_or_create(
        code="suggestion", defaults={"name": "Kiến nghị, đề xuất", "deadline_days": 10}
    )
    return kind


def _submit(unit, *, days_ago: int, topic: str, content: str, wants_publication: bool = False):
    return services.feedback_submit(
        kind=_kind(),
        unit=unit,
        topic=topic,
        content=content,
        sender=services.Sender(name="Trần Thị Bình", phone="0912 345 678"),
        wants_publication=wants_publication,
        received_at=timezone.now().astimezone(VN_TZ) - dt.timedelta(days=days_ago),
    )


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_officer_answers_and_publishes_an_overdue_feedback(page, phone_page, live_server, province):
    t = province
    fresh = _submit(
        t.office_a, days_ago=1, topic="Giờ tiếp nhận hồ sơ tuyển sinh", content="Kéo dài giờ tiếp nhận."
    )
    late = _submit(
        t.office_a,
        days_ago=42,
        topic="Chậm trả học bạ khi chuyển trường",
        content="Con tôi chuyển trường đã 3 tuần chưa nhận được học bạ. <b>Đề nghị</b> xem xét.",
        wants_publication=True,
    )

    log_in(page, live_server, "vg.cchc")
    page.goto(f"{live_server.url}/feedback/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-code", late.code)
    expect(rows.first).to_contain_text("Quá hạn")
    expect(page.locator(f"tr[data-code='{fresh.code}']")).to_contain_text("Còn")
    expect(page.locator("#feedback-summary")).to_contain_text("Số phản ánh, kiến nghị tiếp nhận")
    shot(page, "feedback-queue-desktop.png")

    page.locator(f"tr[data-code='{late.code}'] a.queue-code").click()
    expect(page.locator("h1")).to_contain_text(late.code)
    expect(page.locator("#feedback-content")).to_contain_text("<b>Đề nghị</b>")  # shown as text
    shot(page, "feedback-detail-desktop.png")

    # Assign to themself (the officer is chosen by default).
    page.locator("#action-assign").get_by_role("button", name="Phân công").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã phân công")
    expect(page.locator("#feedback-status")).to_contain_text("Đang xử lý")

    page.get_by_label("Nội dung ghi chú").fill("Đã liên hệ trường THCS Văn Giang để xác minh.")
    page.get_by_role("button", name="Thêm ghi chú").click()
    expect(page.locator("#notes")).to_contain_text("Đã liên hệ trường THCS Văn Giang")

    page.get_by_label("Nội dung trả lời").fill("Nhà trường đã trả học bạ cho gia đình ngày hôm nay.")
    page.get_by_role("button", name="Ghi nhận trả lời").click()
    expect(page.locator("#feedback-status")).to_contain_text("Đã trả lời")
    expect(page.locator("#feedback-status")).to_contain_text("Trả lời quá hạn")

    page.get_by_role("button", name="Công khai trên cổng thông tin").click()
    expect(page.locator("#feedback-status")).to_contain_text("Đã công khai trả lời")
    expect(page.locator("#history")).to_contain_text("Công khai nội dung trả lời")
    late.refresh_from_db()
    assert late.status == FeedbackStatus.PUBLISHED and late.officer == t.office_a_officer
    shot(page, "feedback-detail-done-desktop.png")

    # A refusal comes back next to its form, the disclosure open, what was typed kept.
    page.goto(f"{live_server.url}/feedback/{fresh.pk}/")
    page.get_by_text("Chuyển đơn vị khác hoặc không tiếp nhận xử lý").click()
    page.get_by_role("button", name="Từ chối phản ánh").click()
    expect(page.locator("#action-reject")).to_contain_text("Cần nêu rõ lý do không tiếp nhận xử lý.")
    expect(page.locator("#action-reject")).to_be_in_viewport()
    shot(page, "feedback-detail-refused-desktop.png")

    # The phone: the queue and an open feedback's page.
    log_in(phone_page, live_server, "vg.cchc")
    phone_page.goto(f"{live_server.url}/feedback/?status=all")
    expect(phone_page.locator(f"tr[data-code='{late.code}']")).to_be_visible()
    shot(phone_page, "feedback-queue-phone.png")
    phone_page.goto(f"{live_server.url}/feedback/{fresh.pk}/")
    expect(phone_page.locator("#action-assign")).to_be_visible()
    shot(phone_page, "feedback-detail-phone.png")
    assert Feedback.objects.filter(status=FeedbackStatus.RECEIVED).count() == 1
