"""The catalogue's Excel page for the system administrator, and the history import page
for the Văn Giang desk officer; the department's reform officer may not edit the
catalogue, and the Văn Lâm desk next door may not import into Văn Giang."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.dossiers.catalogue import catalogue_export
from cchc.dossiers.models import Dossier, Procedure
from cchc.dossiers.views_io import PENDING_KEY, _pending_dir
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user
from cchc.workdays import calendar

from .factories import make_procedure
from .test_catalogue import row as catalogue_row
from .test_catalogue import xlsx as catalogue_xlsx
from .test_history_import import row as history_row
from .test_history_import import xlsx as history_xlsx

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def procedure():
    return make_procedure(code="1.005092", processing_days=5)


def login(client, user):
    client.force_login(user)
    return client


def upload(data: bytes, name="danh-muc.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def notes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the catalogue ---------------------------------------------------------------------
def test_only_the_administrator_opens_the_catalogue_page(client, province, procedure):
    url = reverse("procedure_io")

    assert login(client, province.admin).get(url).status_code == 200
    for user in (province.dept_officer, province.desk_officer, province.office_b_officer):
        assert login(client, user).get(url).status_code == 403
        assert (
            login(client, user).post(url, {"file": upload(catalogue_export([procedure]))}).status_code == 403
        )
    client.logout()
    assert client.get(url).status_code == 302


def test_anyone_signed_in_downloads_the_catalogue(client, province, procedure):
    response = login(client, province.school_a1_staff).get(reverse("procedure_export"))

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="danh-muc-thu-tuc-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=4, column=1).value == "1.005092"


def test_a_clean_catalogue_is_imported_at_once(client, province, procedure):
    response = login(client, province.admin).post(
        reverse("procedure_io"),
        {"file": upload(catalogue_xlsx([catalogue_row("1.000001"), catalogue_row("1.005092")]))},
    )

    assert response.status_code == 302
    assert notes(response) == ["Đã nhập danh mục: 1 thủ tục mới, 1 thủ tục được cập nhật, 0 không đổi."]
    assert Procedure.objects.get(code="1.005092").processing_days == 3


def test_a_catalogue_with_errors_is_shown_back_then_its_valid_rows_imported(client, province):
    data = catalogue_xlsx([catalogue_row("1.000001"), catalogue_row("1.000002", level="Cấp bộ")])
    client = login(client, province.admin)

    shown = client.post(reverse("procedure_io"), {"file": upload(data, "Danh mục 2026 (sửa).xlsx")})

    page = shown.content.decode()
    assert shown.status_code == 200 and not Procedure.objects.exists()
    assert "Tệp “Danh mục 2026 (sửa).xlsx” có lỗi, chưa nhập dòng nào" in page
    assert "Dòng 5: cột “Cấp thực hiện”: không hiểu cấp thực hiện “Cấp bộ”." in page
    assert "Chỉ nhập 1 dòng hợp lệ" in page
    token = next(iter(client.session[PENDING_KEY]))

    done = client.post(reverse("procedure_io"), {"token": token})

    assert done.status_code == 302
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.000001"]
    assert "Đã bỏ qua 1 dòng có lỗi của tệp “Danh mục 2026 (sửa).xlsx”." in notes(done)
    assert not list(_pending_dir().glob("*.xlsx")) and client.session[PENDING_KEY] == {}
    again = client.post(reverse("procedure_io"), {"token": token})
    assert notes(again)[-1] == "Tệp đã tải lên không còn trên máy chủ; hãy chọn lại tệp."


def test_a_file_that_is_not_excel_is_refused_before_reading(client, province):
    response = login(client, province.admin).post(
        reverse("procedure_io"), {"file": upload(b"ma;ten\n1.1;Thu tuc\n", "danh-muc.xlsx")}
    )

    assert response.status_code == 200
    assert "không phải tệp Excel .xlsx thật" in response.content.decode()


# --- the history -------------------------------------------------------------------------
def test_the_desk_officer_opens_the_history_page_with_their_office_and_the_template(client, province):
    client = login(client, province.desk_officer)

    page = client.get(reverse("dossier_history_import"))
    template = client.get(reverse("dossier_history_template"))

    assert page.status_code == 200
    assert 'value="HY-VG"' in page.content.decode()
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["Hồ sơ", "Hướng dẫn"]
    for user in (province.viewer, province.dept_officer, province.school_a1_staff):
        assert login(client, user).get(reverse("dossier_history_import")).status_code == 403
        assert login(client, user).get(reverse("dossier_history_template")).status_code == 403


def test_a_clean_history_file_is_imported_for_the_office(client, province, procedure):
    data = history_xlsx(
        [history_row("VG-1", procedure, "08/10/2025 09:00", resolved="10/10/2025", returned="13/10/2025")]
    )

    response = login(client, province.desk_officer).post(
        reverse("dossier_history_import"), {"unit": "hy-vg", "file": upload(data, "so-1-cua-2025.xlsx")}
    )

    assert response.status_code == 302
    assert notes(response) == ["Đã nhập 1 hồ sơ của Phòng Giáo dục và Đào tạo Văn Giang."]
    dossier = Dossier.objects.get(external_id="VG-1")
    assert dossier.unit == province.office_a and dossier.status == "returned"


def test_the_sibling_desk_cannot_import_into_the_office(client, province, procedure):
    sibling = make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)
    data = history_xlsx([history_row("VG-1", procedure, "08/10/2025 09:00", status="Đang giải quyết")])

    response = login(client, sibling).post(
        reverse("dossier_history_import"), {"unit": "HY-VG", "file": upload(data)}
    )

    assert response.status_code == 200
    assert "Không có đơn vị mã “HY-VG” trong các đơn vị bạn xử lý hồ sơ." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_history_file_with_errors_is_shown_back_then_its_valid_rows_imported(client, province, procedure):
    data = history_xlsx(
        [
            history_row("VG-1", procedure, "08/10/2025 09:00", status="Đang giải quyết"),
            history_row("VG-2", procedure, "08/10/2025 09:00", resolved="07/10/2025", returned="10/10/2025"),
        ]
    )
    client = login(client, province.desk_officer)

    shown = client.post(
        reverse("dossier_history_import"), {"unit": "HY-VG", "file": upload(data, "so-2025.xlsx")}
    )

    page = shown.content.decode()
    assert "Tệp “so-2025.xlsx” có lỗi, chưa nhập dòng nào" in page
    assert "Dòng 3: ngày có kết quả trước ngày tiếp nhận." in page
    assert 'value="HY-VG"' in page and not Dossier.objects.exists()
    token = next(iter(client.session[PENDING_KEY]))

    done = client.post(reverse("dossier_history_import"), {"token": token})

    assert done.status_code == 302
    assert list(Dossier.objects.values_list("external_id", flat=True)) == ["VG-1"]
    assert Dossier.objects.get().events.get(kind="received").data["source"] == "so-2025.xlsx"


# --- the admin -------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.vn", "demo")


def test_the_administrator_edits_a_procedure_with_its_steps_as_lines(client, superuser, procedure):
    from cchc.core.models import AuditEvent

    client = login(client, superuser)
    url = reverse("admin:dossiers_procedure_change", args=[procedure.pk])
    page = client.get(url)
    assert "Tiếp nhận hồ sơ (10%)\nThẩm định hồ sơ (60%)" in page.content.decode()

    form = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "level": procedure.level,
        "is_active": "on",
        "processing_days": 7,
        "cutoff": "",
        "fee": "Không",
        "online_mode": "partial",
        "postal_return": "on",
        "legal_basis": "",
        "result": "",
        "steps_text": "Tiếp nhận (20%)\nThẩm định (80%)",
        "documents_text": "Đơn đề nghị\n\nBản sao căn cước",
        "forms_text": "",
    }
    bad = client.post(url, {**form, "steps_text": "Tiếp nhận (20%)\nThẩm định (70%)"})
    assert bad.status_code == 200 and "phải bằng 100%" in bad.content.decode()

    saved = client.post(url, form)

    assert saved.status_code == 302
    procedure.refresh_from_db()
    assert procedure.steps == [{"name": "Tiếp nhận", "share": 20}, {"name": "Thẩm định", "share": 80}]
    assert procedure.documents == ["Đơn đề nghị", "Bản sao căn cước"] and procedure.processing_days == 7
    change = AuditEvent.objects.get(event="procedure.changed", target_id=str(procedure.pk)).changes
    assert change["processing_days"] == [5, 7]


def test_a_dossier_is_inspected_in_the_admin_not_changed(client, superuser, province, procedure):
    from .factories import receive, vn

    dossier = receive(province.office_a, procedure, at=vn(2025, 10, 8))
    client = login(client, superuser)

    listed = client.get(reverse("admin:dossiers_dossier_changelist"), {"q": dossier.code})
    shown = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))

    assert dossier.code in listed.content.decode()
    assert shown.status_code == 200 and "Tiếp nhận hồ sơ" in shown.content.decode()
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    assert "dossiercounter" not in client.get(reverse("admin:index")).content.decode()
