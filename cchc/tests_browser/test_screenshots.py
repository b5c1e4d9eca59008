"""Screenshots of the main pages at desktop and phone width, for a person to look at.

    CCHC_SCREENSHOTS=1 pytest cchc/tests_browser/test_screenshots.py

writes PNG files into screenshots/ (git-ignored). Skipped unless asked for.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings

from cchc.orgs import services
from cchc.orgs.models import SchoolLevel, UnitKind
from cchc.orgs.tests.factories import make_province, make_unit

from .conftest import DESKTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CCHC_SCREENSHOTS"), reason="đặt CCHC_SCREENSHOTS=1 để chụp màn hình"
    ),
]

OUT = Path(settings.BASE_DIR) / "screenshots"


def _richer_province():
    t = make_province()
    t.admin.first_name, t.admin.last_name = "Minh", "Nguyễn Văn"
    t.admin.is_staff = True
    t.admin.save()
    for i, name in enumerate(
        [
            "Trường Tiểu học và Trung học cơ sở Nghĩa Trụ – điểm trường Long Hưng",
            "Trường Mầm non Hoa Sen xã Phụng Công",
            "Trường Tiểu học Cửu Cao",
        ]
    ):
        make_unit(name, UnitKind.SCHOOL, t.office_a, level=SchoolLevel.PRIMARY, code=f"HY-VG-{i}")
    t.centre = make_unit("Trung tâm GDNN-GDTX huyện Văn Lâm", UnitKind.CENTRE, t.office_b)
    closed = make_unit(
        "Trường Mầm non Tân Quang (cũ)", UnitKind.SCHOOL, t.office_b,
        level=SchoolLevel.PRESCHOOL, opened_on=dt.date(2001, 9, 5),
    )
    services.unit_close(actor=t.admin, unit=closed, closed_on=dt.date(2024, 8, 31))
    services.unit_update(
        actor=t.admin, unit=t.school_a1, address="Xã Xuân Quan, huyện Văn Giang, tỉnh Hưng Yên",
        phone="0221 3931 234", email="thxuanquan@hungyen.edu.vn",
    )
    return t


def _shoot(page, name):
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots(browser, live_server, device):
    t = _richer_province()
    viewport = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        _shoot(page, f"{device}-login")
        page.get_by_label("Tên đăng nhập").fill("so.cchc")
        page.get_by_label("Mật khẩu").fill("sai")
        page.get_by_role("button", name="Đăng nhập").click()
        _shoot(page, f"{device}-login-error")

        log_in(page, live_server, "admin")
        _shoot(page, f"{device}-home")
        if device == "phone":
            page.get_by_role("button", name="Menu").click()
            _shoot(page, f"{device}-menu")
        page.goto(f"{live_server.url}/units/")
        _shoot(page, f"{device}-units")
        page.goto(f"{live_server.url}/units/?q=van+giang&closed=on")
        _shoot(page, f"{device}-units-search")
        page.goto(f"{live_server.url}/units/?closed=on")
        _shoot(page, f"{device}-units-closed")
        page.goto(f"{live_server.url}/units/{t.school_a1.pk}/")
        _shoot(page, f"{device}-unit-detail")
        page.goto(f"{live_server.url}/units/{t.office_a.pk}/")
        _shoot(page, f"{device}-unit-office")
        page.goto(f"{live_server.url}/units/999999/")
        _shoot(page, f"{device}-404")
    finally:
        context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshot_of_the_unit_switcher(browser, live_server, device):
    t = make_province()
    services.membership_grant(actor=None, user=t.office_a_officer, unit=t.school_a1, role="staff")
    context = browser.new_context(viewport=DESKTOP if device == "desktop" else PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        log_in(page, live_server, "vg.cchc")
        if device == "phone":
            page.get_by_role("button", name="Menu").click()
        page.get_by_label("Đơn vị làm việc").select_option(label="Trường Tiểu học Xuân Quan")
        page.get_by_role("button", name="Chuyển").click()
        if device == "phone":
            page.get_by_role("button", name="Menu").click()
        _shoot(page, f"{device}-switched")
    finally:
        context.close()
