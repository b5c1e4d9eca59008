"""A reader of the department opens the dossier queue of the whole province and sees the
applicants masked ("Trần T. B."), on a desktop and on a phone, while the desk officer of
Phòng GD&ĐT Văn Giang sees the names in full. Screenshots (desktop 1366 px, phone 390 px)
go to /work/main/screenshots/ (git-ignored)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cchc.dossiers import services
from cchc.dossiers.tests.factories import make_procedure

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PEOPLE = [
    ("Trần Thị Bình", "0912345678", "033190001234"),
    ("Nguyễn Văn An", "0987654321", "001203012345"),
    ("Lê Hoàng Minh Châu", "0903111222", "030305009876"),
]


@pytest.fixture
def dossiers(province):
    procedure = make_procedure(name="Chuyển trường đối với học sinh trung học cơ sở")
    return [
        services.dossier_receive(
            actor=province.desk_officer,
            unit=province.office_a,
            procedure=procedure,
            applicant=services.Applicant(
                name=name, phone=phone, id_number=id_number, address="Thôn 3, xã Văn Giang, tỉnh Hưng Yên"
            ),
            channel="desk",
        )
        for name, phone, id_number in PEOPLE
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_reader_sees_the_queue_masked(request, live_server, province, dossiers, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    log_in(page, live_server, province.viewer.username)
    page.goto(f"{live_server.url}/dossiers/?who=unit")
    rows = page.locator("table.table--queue tbody tr")
    expect(rows).to_have_count(3)
    body = page.locator("main").inner_text()
    for name, phone, _id in PEOPLE:
        assert name not in body and phone not in body
    expect(page.get_by_text("Trần T. B.")).to_be_visible()
    expect(page.get_by_text("Lê H. M. C.")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"privacy-queue-masked-{device}.png"), full_page=True)

    page.locator(f'a:has-text("{dossiers[0].code}")').click()
    expect(page.locator("#dossier-applicant")).to_contain_text("Trần T. B.")
    expect(page.locator("#dossier-applicant")).to_contain_text("09******78")
    expect(page.locator("#dossier-applicant")).to_contain_text("Thông tin cá nhân được che")
    expect(page.get_by_text("In giấy tiếp nhận")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"privacy-dossier-masked-{device}.png"), full_page=True)


def test_the_desk_officer_sees_the_names_in_full(page, live_server, province, dossiers):
    log_in(page, live_server, province.desk_officer.username)
    page.goto(f"{live_server.url}/dossiers/?who=unit")
    expect(page.get_by_text("Trần Thị Bình")).to_be_visible()
    expect(page.get_by_text("Trần T. B.")).to_have_count(0)
