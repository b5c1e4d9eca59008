"""The plan's downloads (Excel appendix, Word plan) and the appendix import page, for the
department's reform officer, a school head below who reads the plan, and the officer of
a sibling district office who must not see the office's plan."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.plans import services
from cchc.plans.excel import TASK_HEADER
from cchc.plans.models import PlanKind
from cchc.plans.tests.factories import make_annual_plan
from cchc.plans.views_io import PENDING_KEY, _pending_dir

from .test_excel import GOOD_ROW, xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(province):
    return make_annual_plan(province)  # issued: the schools below read it


@pytest.fixture
def office_plan(province):
    t = province
    return services.plan_create(
        actor=t.office_a_officer, issuer=t.office_a, kind=PlanKind.ANNUAL, symbol="KH-PGDĐT",
        title="Cải cách hành chính năm 2026 của Phòng GD&ĐT Văn Giang",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
    )


def login(client, user):
    client.force_login(user)
    return client


def filename_of(response) -> str:
    """The download's name as the browser reads it (RFC 6266 `filename*` for Vietnamese)."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload(rows, name="phu-luc.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows), content_type=XLSX)


# --- downloads ---------------------------------------------------------------------------


def test_the_officer_downloads_the_appendix_as_excel(client, province, plan):
    response = login(client, province.dept_officer).get(reverse("plan_tasks_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert filename_of(response) == "Phụ lục nhiệm vụ - Kế hoạch KH-SGDĐT (2026).xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[3]] == TASK_HEADER
    assert sheet["B5"].value == "Xây dựng và triển khai Kế hoạch CCHC năm 2026"


def test_the_officer_downloads_the_plan_as_word(client, province, plan):
    response = login(client, province.dept_officer).get(reverse("plan_docx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert filename_of(response) == "Kế hoạch KH-SGDĐT (2026).docx"  # not numbered yet
    document = Document(io.BytesIO(response.content))
    assert "KẾ HOẠCH" in [p.text for p in document.paragraphs]

    services.plan_update(actor=province.dept_officer, plan=plan, number="251")
    response = client.get(reverse("plan_docx", args=[plan.pk]))
    assert filename_of(response) == "Kế hoạch số 251-KH-SGDĐT (2026).docx"


def test_a_school_below_reads_the_issued_plan_files(client, province, plan):
    login(client, province.school_a1_head)
    assert client.get(reverse("plan_tasks_xlsx", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plan_docx", args=[plan.pk])).status_code == 200


def test_a_sibling_office_sees_nothing_of_the_offices_plan(client, province, office_plan):
    login(client, province.office_b_officer)
    for name in ("plan_tasks_xlsx", "plan_docx", "plan_tasks_import"):
        assert client.get(reverse(name, args=[office_plan.pk])).status_code == 404
    assert client.get(reverse("plan_tasks_xlsx", args=[999999])).status_code == 404


def test_downloads_need_a_login(client, plan):
    response = client.get(reverse("plan_docx", args=[plan.pk]))
    assert response.status_code == 302 and "login" in response.url


# --- import ------------------------------------------------------------------------------


def test_a_school_head_or_a_viewer_cannot_import(client, province, plan):
    for user in (province.school_a1_head, province.viewer):
        login(client, user)
        assert client.get(reverse("plan_tasks_import", args=[plan.pk])).status_code == 403
        response = client.post(reverse("plan_tasks_import", args=[plan.pk]),
                               {"file": upload([TASK_HEADER, GOOD_ROW])})
        assert response.status_code == 403
    assert plan.tasks.count() == 5


def test_a_clean_file_is_imported_and_the_plan_page_says_so(client, province, office_plan):
    login(client, province.office_a_officer)
    page = client.get(reverse("plan_tasks_import", args=[office_plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'accept=".xlsx"' in html
    assert reverse("plan_tasks_xlsx", args=[office_plan.pk]) in html

    rows = [TASK_HEADER, GOOD_ROW[:4] + ["Phòng Giáo dục và Đào tạo", "Các nhà trường", ""]]
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"file": upload(rows)})
    assert (response.status_code, response.url) == (302, f"/plans/{office_plan.pk}/")
    assert messages_of(response) == ["Đã nhập 1 nhiệm vụ."]
    assert office_plan.tasks.get().lead_unit == province.office_a


def test_a_file_with_problems_lists_them_and_imports_nothing(client, province, office_plan):
    login(client, province.office_a_officer)
    rows = [TASK_HEADER, GOOD_ROW[:4] + ["Phòng Giáo dục và Đào tạo", "", ""],
            ["2", "Kiểm tra CCHC", "Báo cáo", "31/02/2026", "Phòng XYZ", "", ""]]
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"file": upload(rows)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dòng 3, cột D: không hiểu thời gian “31/02/2026”." in html
    assert "Dòng 3, cột E: không tìm thấy đơn vị “Phòng XYZ”." in html
    assert "Sửa tệp rồi tải lại" in html
    assert "Chỉ nhập 1 dòng hợp lệ" in html
    assert not office_plan.tasks.exists()
    (token,) = client.session[PENDING_KEY]
    kept = _pending_dir() / f"{token}.xlsx"
    assert kept.exists()

    # The user confirms: the same file, kept on the server, gives its valid row only.
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"token": token})
    assert (response.status_code, response.url) == (302, f"/plans/{office_plan.pk}/")
    assert messages_of(response) == ["Đã nhập 1 nhiệm vụ.", "Đã bỏ qua 1 nhiệm vụ có lỗi trong tệp."]
    assert [task.content for task in office_plan.tasks.all()] == [GOOD_ROW[1]]
    assert not kept.exists() and client.session[PENDING_KEY] == {}

    # Used once: posting the token again imports nothing more.
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"token": token}, follow=True)
    assert "hãy chọn lại tệp" in response.content.decode()
    assert office_plan.tasks.count() == 1


def test_a_token_from_another_plan_or_forged_is_refused(client, province, office_plan, plan):
    login(client, province.office_a_officer)
    for token in ("../../settings", "x" * 40):
        response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"token": token},
                               follow=True)
        assert "hãy chọn lại tệp" in response.content.decode()
    assert not office_plan.tasks.exists()


def test_an_xlsx_that_is_something_else_gets_a_clear_message(client, province, office_plan):
    login(client, province.office_a_officer)
    fake = SimpleUploadedFile("phu-luc.xlsx", b"STT;Noi dung\n1;abc\n", content_type=XLSX)
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"file": fake})
    assert response.status_code == 200
    html = response.content.decode()
    assert "không phải tệp Excel .xlsx thật" in html
    other = SimpleUploadedFile("phu-luc.docx", b"PK\x03\x04", content_type=XLSX)
    response = client.post(reverse("plan_tasks_import", args=[office_plan.pk]), {"file": other})
    assert "Loại tệp không được phép. Chỉ nhận: Excel." in response.content.decode()
    assert not office_plan.tasks.exists()


def test_a_closed_plan_refuses_imports_with_a_message(client, province, plan):
    t = province
    services.plan_set_status(actor=t.dept_officer, plan=plan, status="closed")
    login(client, t.dept_officer)
    response = client.post(reverse("plan_tasks_import", args=[plan.pk]),
                           {"file": upload([TASK_HEADER, GOOD_ROW])})
    assert response.status_code == 200
    assert "không nhập thêm nhiệm vụ được" in response.content.decode()
    assert plan.tasks.count() == 5
