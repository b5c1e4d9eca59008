"""The applicant's personal data at the one-stop desk of Phòng GD&ĐT Văn Giang: in full for
its desk officer, masked for the department's viewer and reform officer (list, page,
Excel export, API), nothing for the sibling office; erased on request from a closed
dossier by the system administrator only, with the statistics unchanged."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.core.privacy import ERASED
from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.dossiers.services_privacy import dossier_personal_data_erase
from cchc.dossiers.statistics import statistics_for
from cchc.metrics.periods import Period
from cchc.metrics.registry import value_for
from cchc.orgs.models import Role
from cchc.orgs.services_tokens import api_token_issue
from cchc.orgs.tests.factories import make_user
from cchc.workdays import calendar
from cchc.workdays.calendar import VN_TZ

from .factories import make_procedure

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Bình"
ID_NUMBER = "033190001234"
PHONE = "0912345678"
EMAIL = "binh.tran@example.vn"
ADDRESS = "Thôn 3, Xuân Quan, xã Văn Giang, tỉnh Hưng Yên"
SECRETS = (NAME, ID_NUMBER, PHONE, EMAIL, "Thôn 3, Xuân Quan")
MASKED = ("Trần T. B.", "******1234", "09******78", "b***@example.vn", "…, xã Văn Giang, tỉnh Hưng Yên")


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def procedure(db):
    return make_procedure(name="Chuyển trường đối với học sinh trung học cơ sở")


@pytest.fixture
def dossier(province, procedure):
    return services.dossier_receive(
        actor=province.desk_officer,
        unit=province.office_a,
        procedure=procedure,
        applicant=services.Applicant(
            name=NAME, id_number=ID_NUMBER, phone=PHONE, email=EMAIL, address=ADDRESS
        ),
        channel="desk",
        subject=f"Chuyển trường cho con của bà {NAME}",
    )


@pytest.fixture
def closed(province, dossier):
    officer = province.desk_officer
    services.dossier_hand_over(actor=officer, dossier=dossier)
    services.dossier_hand_over(actor=officer, dossier=dossier)
    services.dossier_resolve(actor=officer, dossier=dossier, summary=f"Đã cấp giấy cho {NAME}")
    services.dossier_return_result(actor=officer, dossier=dossier, method="desk", note=f"Bà {NAME} nhận")
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def sibling_desk(province):
    return make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def _everything(client, user, dossier) -> str:
    """What `user` gets of the dossier: the list, the page, the Excel export, the API."""
    client.force_login(user)
    parts = [
        client.get(reverse("dossier_queue"), {"who": "unit"}).content.decode(),
        client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode(),
    ]
    export = client.get(reverse("dossier_queue_export"), {"who": "unit", "status": dossier.status})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    parts.append(" | ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c))
    headers = bearer(user)
    parts.append(json.dumps(client.get("/api/dossiers/dossiers", headers=headers).json(), ensure_ascii=False))
    detail = client.get(f"/api/dossiers/dossiers/{dossier.code}", headers=headers)
    parts.append(json.dumps(detail.json(), ensure_ascii=False))
    return "\n".join(parts)


# --- who sees what ---------------------------------------------------------------------


def test_the_desk_officer_of_the_unit_sees_the_applicant_in_full(client, province, dossier):
    seen = _everything(client, province.desk_officer, dossier)
    for value in (NAME, ID_NUMBER, PHONE, EMAIL, ADDRESS):
        assert seen.count(value) >= 3, value  # page, export, API (the list shows the name)
    assert "Thông tin cá nhân được che" not in seen


@pytest.mark.parametrize("who", ["viewer", "dept_officer"])
def test_a_viewer_and_the_parent_units_reform_officer_see_it_masked(client, province, dossier, who):
    seen = _everything(client, getattr(province, who), dossier)
    assert dossier.code in seen
    for value in SECRETS:
        assert value not in seen, value
    assert seen.count("Trần T. B.") >= 5  # list, page, export, API list and detail
    for value in MASKED[1:]:
        assert value in seen, value
    assert "Thông tin cá nhân được che" in seen


def test_the_masked_reader_cannot_find_the_dossier_by_name_nor_download_its_documents(
    client, province, dossier
):
    client.force_login(province.viewer)
    found = client.get(reverse("dossier_queue"), {"who": "unit", "q": "Bình"}).content.decode()
    assert f'data-code="{dossier.code}"' not in found
    by_code = client.get(reverse("dossier_queue"), {"who": "unit", "q": dossier.code}).content.decode()
    assert f'data-code="{dossier.code}"' in by_code
    assert client.get(reverse("dossier_receipt_docx", args=[dossier.pk])).status_code == 403
    assert client.get(reverse("dossier_control_sheet_docx", args=[dossier.pk])).status_code == 403
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("dossier_receipt_docx", args=[dossier.pk]) not in page

    client.force_login(province.desk_officer)
    found = client.get(reverse("dossier_queue"), {"who": "unit", "q": "Bình"}).content.decode()
    assert f'data-code="{dossier.code}"' in found
    assert client.get(reverse("dossier_receipt_docx", args=[dossier.pk])).status_code == 200


def test_the_sibling_office_sees_nothing(client, province, dossier, sibling_desk):
    client.force_login(sibling_desk)
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).status_code == 404
    export = client.get(reverse("dossier_queue_export"), {"who": "unit"})
    assert NAME not in str(list(load_workbook(io.BytesIO(export.content)).active.values))
    assert (
        client.get(f"/api/dossiers/dossiers/{dossier.code}", headers=bearer(sibling_desk)).status_code == 404
    )


# --- erasure ---------------------------------------------------------------------------

METRICS = (
    "dossiers.received",
    "dossiers.on_time_rate",
    "dossiers.online_rate",
    "dossiers.postal_rate",
    "dossiers.digitization_rate",
    "dossiers.average_processing_days",
)


def _figures(province):
    today = timezone.now().astimezone(VN_TZ).date()
    table = statistics_for(province.department, today.replace(month=1, day=1), today)
    period = Period("year", today.year)
    metrics = {key: (value_for(key, province.office_a, period).value) for key in METRICS}
    rows = [(row.label, row.counts) for row in table.by_unit + table.by_procedure]
    return table.total, rows, metrics


def _trail(dossier) -> str:
    rows = AuditEvent.objects.filter(target_id=str(dossier.pk), target_type="dossiers.dossier")
    events = list(dossier.events.values_list("note", "data"))
    texts = [json.dumps([r.changes, r.target_repr], ensure_ascii=False) for r in rows]
    return "\n".join(texts) + json.dumps(events, ensure_ascii=False)


def test_erasing_a_closed_dossier_keeps_the_statistics_and_removes_the_data_everywhere(
    client, province, closed
):
    assert NAME in _trail(closed) and PHONE in _trail(closed)  # the earlier rows kept copies
    before = _figures(province)

    dossier_personal_data_erase(actor=province.admin, dossier=closed, reason=f"Đơn đề nghị của {NAME}")

    assert _figures(province) == before
    dossier = Dossier.objects.get(pk=closed.pk)
    assert dossier.applicant_name == ERASED
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("", "")
    assert (dossier.applicant_email, dossier.applicant_address) == ("", "")
    assert NAME not in dossier.subject and NAME not in dossier.result_summary
    assert (dossier.status, dossier.outcome, dossier.received_at, dossier.resolved_at) == (
        closed.status,
        closed.outcome,
        closed.received_at,
        closed.resolved_at,
    )
    trail = _trail(dossier)
    for value in SECRETS:
        assert value not in trail, value
    erased = AuditEvent.objects.get(target_id=str(dossier.pk), event="dossier.personal_data_erased")
    assert erased.actor == province.admin
    assert set(erased.changes["erased_fields"]) == {
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    }

    client.force_login(province.desk_officer)
    found = client.get(reverse("dossier_queue"), {"who": "unit", "status": "all", "q": "Bình"})
    assert f'data-code="{dossier.code}"' not in found.content.decode()
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert ERASED in page and NAME not in page
    api = client.get(f"/api/dossiers/dossiers/{dossier.code}", headers=bearer(province.desk_officer)).json()
    assert api["applicant"] == {"name": ERASED, "id_number": "", "phone": "", "email": "", "address": ""}


def test_erasing_an_open_dossier_is_refused_and_changes_nothing(province, dossier):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        dossier_personal_data_erase(actor=province.admin, dossier=dossier, reason="Đơn đề nghị")
    assert "đang giải quyết" in refused.value.message
    assert Dossier.objects.get(pk=dossier.pk).applicant_phone == PHONE
    assert AuditEvent.objects.count() == audit_rows


def test_only_the_system_administrator_erases(client, province, closed):
    for user in (province.desk_officer, province.office_a_officer, province.dept_officer):
        with pytest.raises(PermissionDenied):
            dossier_personal_data_erase(actor=user, dossier=closed, reason="Đơn đề nghị")
    with pytest.raises(CommandError):
        call_command(
            "erase_personal_data",
            dossier=closed.code,
            reason="Đơn đề nghị",
            user=province.desk_officer.username,
        )
    assert Dossier.objects.get(pk=closed.pk).applicant_name == NAME

    staff = make_user("nhanvien", province.office_a, Role.ONE_STOP_DESK, is_staff=True)
    staff.user_permissions.add(*_view_dossier_permission())
    client.force_login(staff)
    changelist = client.get(reverse("admin:dossiers_dossier_changelist"))
    assert changelist.status_code == 403  # nor reads the applicants there (core.privacy_admin)


def _view_dossier_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="view_dossier")


def test_the_admin_action_asks_for_confirmation_then_erases(client, province, closed):
    superuser = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    url = reverse("admin:dossiers_dossier_changelist")
    assert "erase_personal_data" in client.get(url).content.decode()
    selected = {"action": "erase_personal_data", "_selected_action": [closed.pk]}

    confirm = client.post(url, selected)
    assert confirm.status_code == 200
    assert "Lý do xóa" in confirm.content.decode()
    assert Dossier.objects.get(pk=closed.pk).applicant_name == NAME  # nothing yet

    done = client.post(url, {**selected, "confirm": "yes", "reason": "Đơn đề nghị ngày 20/11/2026"})
    assert done.status_code == 302
    assert Dossier.objects.get(pk=closed.pk).applicant_name == ERASED


def test_the_command_erases_a_closed_dossier_by_its_code(province, closed):
    out = io.StringIO()
    call_command(
        "erase_personal_data",
        dossier=closed.code,
        reason="Đơn đề nghị ngày 20/11/2026",
        user=province.admin.username,
        stdout=out,
    )
    assert closed.code in out.getvalue()
    assert Dossier.objects.get(pk=closed.pk).applicant_phone == ""
    with pytest.raises(CommandError, match="đã được xóa"):
        call_command(
            "erase_personal_data", dossier=closed.code, reason="Lần hai", user=province.admin.username
        )
