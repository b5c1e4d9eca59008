"""The main path of the plans module, as one story in the browser:

the department's reform officer creates the annual plan and imports seed 001's task
appendix from Excel, issues it and cascades it to the two district offices and their
schools; a school head records progress with evidence; the department's dashboard
changes; the plan downloads as Word.
"""

import importlib

import pytest
from playwright.sync_api import expect

from cchc.orgs.models import Role, UnitKind
from cchc.orgs.tests.factories import make_province, make_unit, make_user
from cchc.plans.models import Plan
from cchc.plans.tests.test_excel import SEED_001_TASKS, seed_001_file

from .conftest import log_in
from .test_progress import TINY_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def reform_areas():
    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


def log_out(page):
    if page.get_by_role("button", name="Menu").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Đăng xuất").click()


def test_seed_001_plan_from_import_to_dashboard(page, live_server, tmp_path):
    t = make_province()
    for name in ("Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính",
                 "Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin", "Thanh tra Sở"):
        make_unit(name, UnitKind.DIVISION, t.department)
    appendix = tmp_path / "Phu luc KH CCHC 2022.xlsx"
    appendix.write_bytes(seed_001_file())
    evidence = tmp_path / "Kế hoạch tuyên truyền.pdf"
    evidence.write_bytes(TINY_PDF)

    # 1. The plan's header, typed; its appendix, imported.
    log_in(page, live_server, "so.cchc")
    page.goto(f"{live_server.url}/plans/new/")
    page.get_by_label("Ký hiệu").fill("KH-SGD&ĐT")
    page.get_by_label("Địa danh").fill("Bến Tre")
    page.get_by_label("Trích yếu").fill("Công tác cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo")
    page.get_by_label("Thực hiện từ ngày").fill("01/01/2022")
    page.get_by_label("Đến ngày").fill("31/12/2022")
    page.get_by_role("button", name="Tạo kế hoạch dự thảo").click()
    expect(page.locator(".doc-head")).to_contain_text("Số: /KH-SGD&ĐT")
    plan_url = page.url
    page.get_by_role("link", name="Nhập nhiệm vụ từ Excel").click()
    page.locator("input[type=file]").set_input_files(str(appendix))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Đã nhập {SEED_001_TASKS} nhiệm vụ.")
    tasks = page.locator("#tasks")
    expect(tasks).to_contain_text("Xây dựng Kế hoạch tuyên truyền CCHC năm 2022.")
    expect(tasks).to_contain_text("Cải cách tổ chức bộ máy")

    # 2. Issued, then cascaded to the two district offices and every school below.
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(page.locator(".page-lead")).to_contain_text("Đã ban hành")
    page.get_by_role("link", name="Triển khai cho đơn vị cấp dưới").click()
    page.get_by_label("Phòng Giáo dục và Đào tạo Văn Giang").check()
    page.get_by_label("Phòng Giáo dục và Đào tạo Văn Lâm").check()
    page.locator("#id_all_schools").check()
    page.get_by_role("button", name="Tạo kế hoạch dự thảo cho các đơn vị đã chọn").click()
    expect(page.locator(".messages")).to_contain_text("kế hoạch dự thảo cho đơn vị cấp dưới")
    plan = Plan.objects.get(parent__isnull=True, issuer=t.department)
    derived = set(plan.derived.values_list("issuer__code", flat=True))
    assert {"HY-VG", "HY-VL", "HY-VG-TH-XQ", "HY-VG-THCS-VG", "HY-VL-MN-LH"} <= derived

    # The department's dashboard before any progress.
    page.goto(f"{plan_url}dashboard/")
    done_before = int(page.locator("[data-stat=done] .stat__value").inner_text())
    log_out(page)

    # 3. A school head records progress with evidence on a task of the school's own plan
    #    (seed 001 gives the department's "đơn vị trực thuộc", such as the THPT school, work).
    make_user("thptvg.hieutruong", t.high_school, Role.UNIT_HEAD)
    log_in(page, live_server, "thptvg.hieutruong")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Nhiệm vụ").click()
    row = page.locator("#task-results tbody tr").filter(has_text="Chủ trì").first
    row.locator("a[href*='/plans/tasks/']").first.click()
    form = page.locator("#progress-form")
    form.get_by_label("Trạng thái").select_option("done")
    form.get_by_label("Tiến độ (%)").fill("100")
    form.get_by_label("Nội dung cập nhật").fill("Đã hoàn thành, báo cáo gửi Sở; tỷ lệ hài lòng 97%.")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.get_by_role("button", name="Lưu cập nhật").click()
    history = page.locator("#progress-history")
    expect(history).to_contain_text("tỷ lệ hài lòng 97%")
    expect(history.get_by_role("link", name="Kế hoạch tuyên truyền.pdf")).to_be_visible()
    log_out(page)

    # 4. The department's dashboard has changed: one more task done, under that school.
    log_in(page, live_server, "so.cchc")
    page.goto(f"{plan_url}dashboard/")
    expect(page.locator("[data-stat=done] .stat__value")).to_have_text(str(done_before + 1))
    school = page.locator("#by-unit-table tbody tr").filter(has_text="Trường THPT Văn Giang")
    expect(school.locator("td").nth(1)).to_have_text("1")
    expect(page.locator("#indicators")).not_to_contain_text("Đang đo")  # the lazy panel arrived

    # 5. The plan as an official Word document.
    page.goto(plan_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kế hoạch (Word)").click()
    assert download.value.suggested_filename.endswith(".docx")
