"""The one-stop desk, as one story in the browser:

The desk officer of Phòng GD&ĐT Văn Giang receives a school-transfer dossier with the
keyboard only, hands it through two steps, asks for a missing document (the clock stops),
records the complete dossier (the appointment moves — asserted to the day), sends the
apology letter when it is clear the dossier will be late, resolves it late and returns
the result; the apology letter comes down as Word; the citizen follows it by its code on
the public status page.

Time: the rules count working days between real dates, so "late" can only happen if
days pass. The story runs on a simulated clock (`django.utils.timezone.now` moved
forward between the desk's working days, Monday 02/11/2026 → Thursday 12/11/2026), and
every state is made by the services through the pages. The alternatives were weaker:
moving `due_at` back in the database shows a dossier the services could never produce
(its steps' deadlines and events disagree with its appointment), and creating the
dossier in the past through the services would skip the very steps the story must show
in the browser. The officer signs in again each day (sessions last 8 hours).

Screenshots of the receive form, the queue and the dossier page (desktop 1366 px and
phone 390 px) go to /work/main/screenshots/.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import make_procedure, receive
from cchc.workdays.calendar import VN_TZ

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _portal_ready() -> bool:
    for name in ("portal:status", "portal_status"):
        try:
            reverse(name)
            return True
        except NoReverseMatch:
            continue
    return False


PORTAL_MISSING = (
    "Trang tra cứu công khai /public/status/ (url portal:status, cchc/portal) chưa có: "
    "bước công dân tra cứu theo mã hồ sơ chờ trang đó."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock(monkeypatch):
    """A clock for the server (same process as live_server): `clock.set(moment)`."""
    real_now = timezone.now
    offset = {"value": dt.timedelta(0)}

    def now():
        return real_now() + offset["value"]

    monkeypatch.setattr(timezone, "now", now)

    class Clock:
        def set(self, moment: dt.datetime) -> None:
            offset["value"] = moment - real_now()

    return Clock()


def vn(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def new_day(page, live_server, clock, moment, username="vg.motcua"):
    clock.set(moment)
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_desk_officer_takes_a_dossier_from_receipt_to_a_late_result(
    page, phone_page, live_server, province, clock
):
    procedure = make_procedure(
        name="Chuyển trường đối với học sinh trung học cơ sở",
        processing_days=5,
        documents=["Đơn xin chuyển trường", "Học bạ bản chính", "Giấy giới thiệu chuyển trường"],
    )
    make_procedure(name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", documents=["Đơn đề nghị"])

    # Monday 02/11/2026, 09:00: the officer receives the dossier, keyboard only.
    new_day(page, live_server, clock, vn(2026, 11, 2))
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Một cửa").click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    search = page.locator("#id_procedure_q")
    expect(search).to_be_focused()  # autofocus
    page.keyboard.type("chuyen truong")
    expect(page.locator("#id_procedure option:checked")).to_have_text(f"{procedure.name} ({procedure.code})")
    expect(page.locator("#documents")).to_contain_text("Học bạ bản chính")
    page.keyboard.press("Enter")  # to the list, not a submission
    expect(page.locator("#id_procedure")).to_be_focused()
    page.keyboard.press("Tab")  # channel: "Trực tiếp" is chosen
    expect(page.locator("#id_channel_0")).to_be_focused()
    for _ in range(3):  # tick the three documents
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    for value in ("Trần Thị Bình", "033190001234", "0912345678", "binh@example.vn", "Xuân Quan, Văn Giang"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    page.keyboard.type("Chuyển trường cho con: Trần Minh Khang, lớp 7")
    shot(page, "dossier-receive-desktop.png")
    page.keyboard.press("Enter")  # Enter submits
    expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    assert dossier.documents == procedure.documents and dossier.applicant_email == "binh@example.vn"
    # Five working days: Monday 09/11/2026 at 09:00.
    expect(page.locator("#dossier-due")).to_have_text("09/11/2026")
    expect(page.get_by_role("link", name="In giấy tiếp nhận")).to_be_visible()
    with page.expect_download() as receipt:
        page.get_by_role("link", name="In giấy tiếp nhận").click()
    assert receipt.value.suggested_filename == f"giay-tiep-nhan-{dossier.code}.docx"

    # Two steps: to the specialist for examination, then to the head for approval.
    hand_over = page.locator("#action-hand-over")
    expect(hand_over).to_contain_text("Bước tiếp theo: Thẩm định hồ sơ")
    hand_over.get_by_label("Người xử lý bước tiếp theo").select_option(label="vg.cchc")
    hand_over.get_by_label("Ghi chú").fill("Đề nghị thẩm định học bạ")
    hand_over.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator("#dossier .alert--success")).to_contain_text("Đã chuyển hồ sơ sang bước tiếp theo")
    expect(page.locator("#dossier .alert--success")).to_be_focused()  # the keyboard follows
    hand_over = page.locator("#action-hand-over")
    expect(hand_over).to_contain_text("Bước tiếp theo: Lãnh đạo phê duyệt")
    hand_over.get_by_label("Người xử lý bước tiếp theo").select_option(label="vg.motcua")
    hand_over.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator("#action-hand-over")).to_have_count(0)  # the last processing step
    expect(page.locator("#action-resolve")).to_be_visible()
    expect(page.locator("#control-sheet tbody tr")).to_have_count(3)

    # Wednesday 04/11, 10:00: two older dossiers wait in the queue too (received through
    # the services on their days): one is late and owes its letter, one is due tomorrow.
    new_day(page, live_server, clock, vn(2026, 11, 4, 10))
    late = receive(
        province.office_a, procedure, actor=province.desk_officer, at=vn(2026, 10, 26), name="Phạm Văn Cường"
    )
    soon = receive(
        province.office_a, procedure, actor=province.desk_officer, at=vn(2026, 10, 29), name="Lê Thị Thu"
    )
    page.goto(f"{live_server.url}/dossiers/")
    rows = page.locator("#queue-results tbody tr")
    expect(rows.first).to_have_attribute("data-code", late.code)  # overdue first
    expect(rows.first).to_contain_text("Quá hạn 2 ngày làm việc")
    expect(rows.first).to_contain_text("Cần gửi văn bản xin lỗi")
    expect(page.locator(f"tr[data-code='{soon.code}']")).to_contain_text("Còn 1 ngày làm việc")
    row = page.locator(f"tr[data-code='{dossier.code}']")
    expect(row).to_contain_text("Còn 3 ngày làm việc")
    page.get_by_label("Tìm mã hồ sơ, người nộp").fill("Trần Thị")
    expect(rows).to_have_count(1)
    page.get_by_label("Tìm mã hồ sơ, người nộp").fill("")
    expect(rows).to_have_count(3)
    shot(page, "dossier-queue-desktop.png")
    row.get_by_role("link", name=dossier.code).click()
    page.locator("#action-supplement").get_by_label("Giấy tờ cần bổ sung, hoàn thiện").fill(
        "Giấy giới thiệu chuyển trường chưa có xác nhận của Phòng GD&ĐT nơi đi."
    )
    page.locator("#action-supplement").get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.locator("#dossier-status")).to_contain_text("Chờ bổ sung hồ sơ")
    expect(page.locator("#dossier")).to_contain_text("Tạm dừng, chờ bổ sung")

    # Friday 06/11, 14:00: complete. Three working days were left after the request
    # (Thu 05, Fri 06, Mon 09/11): they run again from now → Wednesday 11/11/2026.
    new_day(page, live_server, clock, vn(2026, 11, 6, 14))
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    page.locator("#action-supplement-complete").get_by_role("button", name="Ghi nhận đã nhận đủ").click()
    expect(page.locator("#dossier .alert--success")).to_contain_text("Ngày hẹn trả mới: 11/11/2026 14:00")
    expect(page.locator("#dossier-due")).to_have_text("11/11/2026")
    expect(page.locator("#dossier")).to_contain_text("Hẹn ban đầu: 09/11/2026 09:00")

    # Tuesday 10/11: approval will take longer — the apology letter, by the end of today.
    new_day(page, live_server, clock, vn(2026, 11, 10, 9))
    page.goto(f"{live_server.url}/dossiers/")
    expect(page.locator(f"tr[data-code='{dossier.code}']")).to_contain_text("Còn 1 ngày làm việc")
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    apology = page.locator("#action-apology")
    expect(apology).to_contain_text("chậm nhất ngày 10/11/2026")
    apology.get_by_label("Số văn bản").fill("15/XL-PGDĐT")
    apology.get_by_role("button", name="Lập văn bản xin lỗi").click()  # no reason, no date
    apology = page.locator("#action-apology")
    expect(apology.locator(".field__error").first).to_have_text("Cần nêu lý do chậm giải quyết.")
    expect(apology.get_by_label("Lý do chậm giải quyết")).to_be_focused()
    expect(apology.get_by_label("Số văn bản")).to_have_value("15/XL-PGDĐT")  # kept
    shot(page, "dossier-detail-error-desktop.png")
    apology.get_by_label("Lý do chậm giải quyết").fill("Chờ xác minh học bạ với trường nơi đi.")
    apology.get_by_label("Hoặc gia hạn thêm").fill("2")
    apology.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Hùng")
    apology.get_by_label("Chức vụ người ký").fill("Trưởng phòng")
    apology.get_by_role("button", name="Lập văn bản xin lỗi").click()
    expect(page.locator("#dossier")).to_contain_text("Đã xin lỗi, hẹn lại: 13/11/2026")
    expect(page.locator("#action-apology")).to_have_count(0)  # only once
    with page.expect_download() as letter:
        page.get_by_role("link", name="Văn bản xin lỗi số 15/XL-PGDĐT").click()
    assert letter.value.suggested_filename == f"van-ban-xin-loi-{dossier.code}.docx"
    assert Path(letter.value.path()).read_bytes()[:2] == b"PK"

    # Thursday 12/11: one working day past the appointment. Resolved late, returned.
    new_day(page, live_server, clock, vn(2026, 11, 12, 10))
    page.goto(f"{live_server.url}/dossiers/")
    row = page.locator(f"tr[data-code='{dossier.code}']")
    expect(row).to_contain_text("Quá hạn 1 ngày làm việc")
    expect(row).not_to_contain_text("Cần gửi văn bản xin lỗi")  # sent on Tuesday
    expect(row).to_have_class("queue-row--overdue")
    row.get_by_role("link", name=dossier.code).click()
    shot(page, "dossier-detail-desktop.png")
    resolve = page.locator("#action-resolve")
    resolve.get_by_label("Kết quả giải quyết").fill("Đồng ý cho học sinh chuyển trường.")
    resolve.get_by_label("Kết quả đã ký số").check()
    resolve.get_by_role("button", name="Ghi nhận kết quả").click()
    expect(page.locator("#dossier-status")).to_contain_text("Trễ hạn")
    page.locator("#action-return").get_by_label("Tại Bộ phận Một cửa").check()
    page.locator("#action-return").get_by_role("button", name="Trả kết quả").click()
    expect(page.locator("#dossier-status")).to_contain_text("Đã trả kết quả")
    dossier.refresh_from_db()
    assert (dossier.outcome, dossier.status) == ("late", "returned")

    # The phone: the same three pages at 390 px.
    clock.set(vn(2026, 11, 12, 10, 30))
    log_in(phone_page, live_server, "vg.motcua")
    phone_page.goto(f"{live_server.url}/dossiers/receive/")
    phone_page.locator("#id_procedure_q").fill("chuyen truong")
    expect(phone_page.locator("#documents")).to_contain_text("Học bạ bản chính")
    shot(phone_page, "dossier-receive-phone.png")
    phone_page.goto(f"{live_server.url}/dossiers/?who=unit&status=returned")
    expect(phone_page.locator(f"tr[data-code='{dossier.code}']")).to_be_visible()
    shot(phone_page, "dossier-queue-phone.png")
    phone_page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    shot(phone_page, "dossier-detail-phone.png")
    phone_page.screenshot(path=str(SHOTS / "dossier-detail-phone-top.png"))
    phone_page.locator("#control-sheet").scroll_into_view_if_needed()
    phone_page.screenshot(path=str(SHOTS / "dossier-detail-phone-sheet.png"))

    # The citizen follows the dossier by its code (see the test below while the public
    # page is not there).
    if _portal_ready():
        citizen_follows(page, live_server, dossier)


def citizen_follows(page, live_server, dossier):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/status/?code={dossier.code}")
    expect(page.locator("main")).to_contain_text(dossier.code)
    expect(page.locator("main")).to_contain_text("Đã trả kết quả")


@pytest.mark.skipif(not _portal_ready(), reason=PORTAL_MISSING)
def test_citizen_follows_the_dossier_by_its_code(page, live_server, province):
    from cchc.dossiers import services

    desk = province.desk_officer
    dossier = receive(province.office_a, make_procedure(), actor=desk)
    services.dossier_hand_over(actor=desk, dossier=dossier)
    services.dossier_hand_over(actor=desk, dossier=dossier)
    services.dossier_resolve(actor=desk, dossier=dossier, summary="Đồng ý")
    services.dossier_return_result(actor=desk, dossier=dossier)
    citizen_follows(page, live_server, dossier)
