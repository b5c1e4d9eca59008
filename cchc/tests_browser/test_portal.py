"""The public pages, as a citizen uses them on a phone and at a desk:

Ms Nguyễn Thị Hằng wants a certified copy of her diploma. She searches the catalogue
without diacritics ("cap ban sao"), opens the procedure, and sees what to bring. She
lodges her dossier at Phòng GD&ĐT Văn Giang, gets the receipt, and later follows the
dossier by typing its code; the office has asked her to supplement one document, which
the status page tells her. A mistyped code gets "Không tìm thấy hồ sơ". Screenshots of
the list, the procedure and the status page (desktop 1366 px and phone 390 px) go to
/work/main/screenshots/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.dossiers import services
from cchc.dossiers.models import OnlineMode, ProcedureLevel
from cchc.dossiers.tests.factories import make_procedure, vn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def catalogue():
    copy = make_procedure(
        code="1.005092",
        name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        field="Văn bằng, chứng chỉ",
        level=ProcedureLevel.DISTRICT,
        fee="Không",
        forms=["Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"],
        documents=[
            "Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
            "Bản chính hoặc bản sao có chứng thực căn cước (để đối chiếu)",
        ],
        legal_basis="Nghị định 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính;\n"
        "Thông tư 21/2019/TT-BGDĐT ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ.",
        result="Bản sao văn bằng, chứng chỉ từ sổ gốc",
    )
    make_procedure(
        code="1.004831",
        name="Chuyển trường đối với học sinh trung học cơ sở",
        field="Giáo dục trung học",
        level=ProcedureLevel.DISTRICT,
        online_mode=OnlineMode.PARTIAL,
    )
    make_procedure(
        code="1.006390",
        name="Cho phép trường trung học phổ thông hoạt động giáo dục",
        field="Giáo dục trung học",
        level=ProcedureLevel.PROVINCE,
        processing_days=20,
        online_mode=OnlineMode.NONE,
    )
    return copy


def test_a_citizen_finds_a_procedure_and_follows_her_dossier(page, phone_page, live_server, province):
    t = province
    t.desk_officer.last_name, t.desk_officer.first_name = "Lê Thị", "Bình"
    t.desk_officer.save()
    procedure = catalogue()

    # 1. The catalogue, searched without diacritics.
    page.goto(f"{live_server.url}/public/procedures/")
    expect(page.get_by_role("heading", name="Thủ tục hành chính")).to_be_visible()
    expect(page.locator(".portal-brand__owner")).to_have_text("Sở Giáo dục và Đào tạo Hưng Yên")
    shot(page, "portal-procedures-desktop.png")
    page.get_by_label("Tìm thủ tục").fill("cap ban sao")
    page.get_by_role("button", name="Tìm").click()
    results = page.locator(".proc-item")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc")

    # 2. The procedure's page: what to bring, how long, how much.
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=procedure.name)).to_be_visible()
    expect(page.locator("main")).to_contain_text("5 ngày làm việc")
    expect(page.locator("main")).to_contain_text("Bản chính hoặc bản sao có chứng thực căn cước")
    expect(page.locator("main")).to_contain_text("Nghị định 23/2015/NĐ-CP")
    shot(page, "portal-procedure-desktop.png")

    # 3. She lodges the dossier at the desk; the office asks for one more document.
    dossier = services.dossier_receive(
        actor=t.desk_officer,
        unit=t.office_a,
        procedure=procedure,
        applicant=services.Applicant(name="Nguyễn Thị Hằng", phone="0912345678", address="Xuân Quan"),
        received_at=vn(2025, 8, 4, 9, 0),
    )
    services.dossier_hand_over(actor=t.desk_officer, dossier=dossier, at=vn(2025, 8, 4, 14, 0))
    services.dossier_request_supplement(
        actor=t.desk_officer,
        dossier=dossier,
        reason="Bản sao giấy khai sinh có chứng thực (tên trên bằng khác tên trên căn cước)",
        at=vn(2025, 8, 5, 10, 0),
    )

    # 4. A mistyped code: nothing is revealed.
    page.get_by_role("navigation", name="Trang công khai").get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã hồ sơ").fill(dossier.code[:-1] + ("Z" if dossier.code[-1] != "Z" else "Y"))
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")

    # 5. The right code, typed in lower case as people do.
    page.get_by_label("Mã hồ sơ").fill(dossier.code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    card = page.locator(".status-card")
    expect(card).to_contain_text(dossier.code)
    expect(card).to_contain_text("Hồ sơ cần bổ sung, hoàn thiện")
    expect(card).to_contain_text("Bản sao giấy khai sinh có chứng thực")
    expect(card).to_contain_text("Nguyễn T. H.")
    expect(card).to_contain_text("11/08/2025")
    expect(page.locator(".portal-timeline li")).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("Nguyễn Thị Hằng")
    expect(page.locator("main")).not_to_contain_text("Lê Thị Bình")
    expect(page.locator("main")).not_to_contain_text("0912345678")
    shot(page, "portal-status-desktop.png")

    # 6. On the phone, from the QR code on the receipt.
    phone_page.goto(f"{live_server.url}/public/status/?code={dossier.code}")
    expect(phone_page.locator(".status-card")).to_contain_text("Bản sao giấy khai sinh có chứng thực")
    _fits(phone_page)
    shot(phone_page, "portal-status-phone.png")
    phone_page.goto(f"{live_server.url}/public/procedures/?q=truong")
    expect(phone_page.locator(".proc-item")).to_have_count(2)
    _fits(phone_page)
    shot(phone_page, "portal-procedures-phone.png")
    phone_page.goto(f"{live_server.url}/public/procedures/{procedure.code}/")
    _fits(phone_page)
    shot(phone_page, "portal-procedure-phone.png")


def _fits(page):
    """Nothing wider than the phone's screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
