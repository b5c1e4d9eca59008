"""The desk screens as the desk officer of Phòng GD&ĐT Văn Giang uses them, with the
officers of the sibling office (Văn Lâm) who must see nothing of Văn Giang's dossiers."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierStatus, ProcedureLevel
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user
from cchc.workdays.calendar import VN_TZ, add_working_days

from .factories import make_procedure, receive, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, province):
    client.force_login(province.desk_officer)
    return client


@pytest.fixture
def sibling_desk(province):
    """The desk officer of the sibling office, Văn Lâm."""
    return make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)


@pytest.fixture
def procedure(db):
    return make_procedure(
        name="Chuyển trường đối với học sinh trung học cơ sở",
        documents=["Đơn xin chuyển trường", "Học bạ", "Giấy giới thiệu"],
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _receive_data(procedure, **extra):
    data = {
        "procedure": procedure.pk,
        "channel": "desk",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "033190001234",
        "applicant_phone": "0912345678",
        "applicant_email": "binh@example.vn",
        "applicant_address": "Xuân Quan, Văn Giang",
        "subject": "Chuyển trường cho con",
        "documents": ["Đơn xin chuyển trường", "Học bạ"],
    }
    data.update(extra)
    return data


def _docx_ok(response, name_part):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert name_part in response["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def _to_last_processing_step(dossier, actor):
    services.dossier_hand_over(actor=actor, dossier=dossier)
    services.dossier_hand_over(actor=actor, dossier=dossier)


# --- receive -------------------------------------------------------------------------


def test_receive_form_offers_only_the_procedures_the_office_handles(desk, province, procedure):
    province_level = make_procedure(
        name="Thành lập trường trung học phổ thông", level=ProcedureLevel.PROVINCE
    )
    response = desk.get(reverse("dossier_receive"))
    assert response.status_code == 200
    html = response.content.decode()
    assert procedure.name in html
    assert province_level.name not in html
    assert 'type="hidden" name="unit"' in html  # one desk: the unit is chosen already
    assert "autofocus" in html


def test_procedure_search_without_diacritics_filters_and_refreshes_the_checklist(desk, province, procedure):
    other = make_procedure(name="Công nhận trường tiểu học đạt chuẩn quốc gia", documents=["Tờ trình"])
    response = desk.get(
        reverse("dossier_receive_procedures"), {"procedure_q": "chuyen truong"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert procedure.name in html and other.name not in html
    assert f'value="{procedure.pk}" selected' in html  # the first match is chosen
    assert "Học bạ" in html and 'hx-swap-oob="true"' in html  # and its checklist comes along

    response = desk.get(reverse("dossier_receive_documents"), {"procedure": other.pk})
    assert "Tờ trình" in response.content.decode()


def test_receipt_leads_to_the_dossier_page_with_receipt_and_due_date(desk, province, procedure):
    response = desk.post(
        reverse("dossier_receive"), _receive_data(procedure, handler=province.office_a_officer.pk)
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == reverse("dossier_detail", args=[dossier.pk])
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.documents == ["Đơn xin chuyển trường", "Học bạ"]
    assert dossier.handler == province.office_a_officer
    assert dossier.received_by == province.desk_officer

    page = desk.get(response.url).content.decode()
    assert "In giấy tiếp nhận" in page
    assert reverse("dossier_receipt_docx", args=[dossier.pk]) in page
    assert f"{dossier.due_at.astimezone(VN_TZ):%d/%m/%Y}" in page
    assert "Đã tiếp nhận hồ sơ" in page


def test_a_procedure_the_office_does_not_handle_is_refused_and_the_form_kept(desk, province):
    province_level = make_procedure(
        name="Thành lập trường trung học phổ thông", level=ProcedureLevel.PROVINCE
    )
    response = desk.post(reverse("dossier_receive"), _receive_data(province_level))
    assert response.status_code == 200
    html = response.content.decode()
    assert "không giải quyết thủ tục" in html
    assert 'id="id_procedure_error"' in html
    assert 'value="Trần Thị Bình"' in html and 'value="033190001234"' in html
    assert not Dossier.objects.exists()


def test_receipt_without_the_applicant_name_keeps_what_was_typed(desk, procedure):
    response = desk.post(reverse("dossier_receive"), _receive_data(procedure, applicant_name=""))
    html = response.content.decode()
    assert "Cần nhập họ tên người nộp hồ sơ." in html
    assert 'value="0912345678"' in html
    assert "checked" in html  # the ticked documents stay ticked
    assert not Dossier.objects.exists()


def test_an_online_receipt_of_an_offline_procedure_is_refused_next_to_the_channel(desk, province):
    offline = make_procedure(online_mode="none")
    response = desk.post(reverse("dossier_receive"), _receive_data(offline, channel="online", documents=[]))
    html = response.content.decode()
    assert "chưa cung cấp dịch vụ công trực tuyến" in html
    assert 'id="id_channel_error"' in html


def test_only_desk_roles_may_open_the_receive_form(client, province, sibling_desk):
    client.force_login(province.office_b_officer)  # reform officer: reads, does not receive
    assert client.get(reverse("dossier_receive")).status_code == 403
    client.force_login(sibling_desk)
    html = client.get(reverse("dossier_receive")).content.decode()
    assert "Phòng Giáo dục và Đào tạo Văn Lâm" in html


# --- the queue -----------------------------------------------------------------------


def test_queue_is_sorted_by_deadline_with_overdue_first_and_flags_the_apology(desk, province, procedure):
    desk_officer = province.desk_officer
    recent = receive(province.office_a, procedure, actor=desk_officer, name="Lê Văn Mới")
    old = receive(province.office_a, procedure, actor=desk_officer, at=vn(2026, 10, 1), name="Phạm Thị Cũ")
    html = desk.get(reverse("dossier_queue")).content.decode()
    assert html.index(old.code) < html.index(recent.code)
    assert "Quá hạn" in html and "Cần gửi văn bản xin lỗi" in html
    assert "queue-row--overdue" in html
    assert "Tiếp nhận hồ sơ" in html  # the current step


def test_queue_shows_assigned_and_unassigned_but_not_a_colleagues(desk, province, procedure):
    mine = receive(province.office_a, procedure, actor=province.desk_officer)
    colleague = receive(province.office_a, procedure, actor=None, handler=province.office_a_officer)
    unassigned = receive(province.office_a, procedure, actor=None)
    html = desk.get(reverse("dossier_queue")).content.decode()
    assert mine.code in html and unassigned.code in html and colleague.code not in html
    html = desk.get(reverse("dossier_queue"), {"who": "mine"}).content.decode()
    assert mine.code in html and unassigned.code not in html
    html = desk.get(reverse("dossier_queue"), {"who": "unit"}).content.decode()
    assert colleague.code in html


def test_queue_search_by_code_or_applicant_and_by_status(desk, province, procedure):
    a = receive(province.office_a, procedure, actor=province.desk_officer, name="Nguyễn Văn An")
    b = receive(province.office_a, procedure, actor=province.desk_officer, name="Đỗ Thị Hoa")
    html = desk.get(reverse("dossier_queue"), {"q": "Hoa"}).content.decode()
    assert b.code in html and a.code not in html
    html = desk.get(reverse("dossier_queue"), {"q": a.code[-5:]}, HTTP_HX_REQUEST="true").content.decode()
    assert a.code in html and b.code not in html and "<html" not in html
    services.dossier_request_supplement(actor=province.desk_officer, dossier=a, reason="Thiếu học bạ")
    html = desk.get(reverse("dossier_queue"), {"status": "supplement"}).content.decode()
    assert a.code in html and b.code not in html and "chờ bổ sung" in html


def test_queue_reads_its_rows_in_one_query(desk, province, procedure):
    for _ in range(2):
        receive(province.office_a, procedure, actor=province.desk_officer)
    with CaptureQueriesContext(connection) as few:
        desk.get(reverse("dossier_queue"))
    for _ in range(6):
        receive(province.office_a, procedure, actor=province.desk_officer)
    with CaptureQueriesContext(connection) as many:
        desk.get(reverse("dossier_queue"))
    assert len(many) == len(few)


def test_the_sibling_office_sees_nothing_in_its_queue(client, province, procedure, sibling_desk):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    for user in (sibling_desk, province.office_b_officer):
        client.force_login(user)
        for who in ("", "unit"):
            html = client.get(reverse("dossier_queue"), {"who": who}).content.decode()
            assert dossier.code not in html
            html = client.get(reverse("dossier_queue"), {"who": who, "q": dossier.code}).content.decode()
            assert f'data-code="{dossier.code}"' not in html


# --- the dossier page --------------------------------------------------------------------


def test_dossier_page_shows_facts_control_sheet_history_and_the_actions_of_its_state(
    desk, province, procedure
):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    for text in (
        "Trần" if False else dossier.applicant_name,
        "Phiếu kiểm soát",
        "Quá trình xử lý",
        "Tiếp nhận hồ sơ",
    ):
        assert text in html
    assert 'id="action-hand-over"' in html and 'id="action-supplement"' in html
    assert 'id="action-resolve"' not in html  # not yet at the last processing step
    assert 'id="action-return"' not in html


def test_hand_over_twice_then_resolve_then_return(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    url = lambda action: reverse("dossier_act", args=[dossier.pk, action])  # noqa: E731
    response = desk.post(
        url("hand-over"), {"hand-over-handler": province.office_a_officer.pk, "hand-over-note": "Thẩm định"}
    )
    assert response.status_code == 302
    desk.post(url("hand-over"), {"hand-over-note": ""})
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert 'id="action-hand-over"' not in html and 'id="action-resolve"' in html
    response = desk.post(url("resolve"), {"resolve-summary": "Đồng ý chuyển trường", "resolve-signed": "on"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESOLVED and dossier.result_signed and dossier.outcome == "early"
    desk.post(url("return"), {"return-method": "post"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.return_method == "post"
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Trước hạn" in html and "Hồ sơ đã kết thúc" in html


def test_hand_over_past_the_last_processing_step_is_refused_with_the_note_kept(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    _to_last_processing_step(dossier, province.desk_officer)
    response = desk.post(
        reverse("dossier_act", args=[dossier.pk, "hand-over"]), {"hand-over-note": "Chuyển trả kết quả"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "bước xử lý cuối" in html
    assert 'value="Chuyển trả kết quả"' in html
    dossier.refresh_from_db()
    assert dossier.current_step == 2


def test_resolve_too_early_is_refused_with_the_summary_kept(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    response = desk.post(
        reverse("dossier_act", args=[dossier.pk, "resolve"]),
        {"resolve-summary": "Đồng ý"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "chưa qua bước" in html and "Đồng ý</textarea>" in html
    assert "<html" not in html  # htmx gets the dossier's body only
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS


def test_a_result_without_the_required_file_is_refused_next_to_the_file(desk, province):
    procedure = make_procedure(result_requires_file=True)
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    _to_last_processing_step(dossier, province.desk_officer)
    url = reverse("dossier_act", args=[dossier.pk, "resolve"])
    html = desk.post(url, {"resolve-summary": "Bản sao văn bằng"}).content.decode()
    assert "yêu cầu tệp kết quả đã số hóa" in html and 'id="id_resolve-result_file_error"' in html
    assert "Bản sao văn bằng</textarea>" in html

    script = SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    html = desk.post(url, {"resolve-summary": "Bản sao", "resolve-result_file": script}).content.decode()
    assert "Loại tệp không được phép" in html or "không khớp" in html

    pdf = SimpleUploadedFile(
        "Kết quả.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf"
    )
    response = desk.post(url, {"resolve-summary": "Bản sao", "resolve-result_file": pdf})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.result_digitized and dossier.result_file.name.endswith("ket-qua.pdf")


def test_supplement_moves_the_due_date_shown_on_the_page(desk, province, procedure):
    now = timezone.now()
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    desk.post(reverse("dossier_act", args=[dossier.pk, "supplement"]), {"supplement-reason": "Thiếu học bạ"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Tạm dừng, chờ bổ sung" in html and 'id="action-supplement-complete"' in html
    desk.post(reverse("dossier_act", args=[dossier.pk, "supplement-complete"]), {})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS
    # Asked and completed the same day: the days still owed run again from now.
    expected = add_working_days(now.astimezone(VN_TZ), procedure.processing_days).date()
    assert dossier.due_at.astimezone(VN_TZ).date() == expected
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert f'<span class="due-big" id="dossier-due">{expected:%d/%m/%Y}</span>' in html


def test_a_supplement_request_without_reason_is_refused(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    html = desk.post(
        reverse("dossier_act", args=[dossier.pk, "supplement"]), {"supplement-reason": " "}
    ).content.decode()
    assert "Cần nêu rõ giấy tờ cần bổ sung" in html


def test_an_apology_dated_before_the_appointment_is_refused_with_the_reason_kept(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer, at=vn(2026, 10, 1))
    url = reverse("dossier_act", args=[dossier.pk, "apology"])
    before_receipt = (dossier.received_at - dt.timedelta(days=3)).astimezone(VN_TZ).date()
    html = desk.post(
        url, {"apology-reason": "Chờ xác minh học bạ", "apology-new_due_date": f"{before_receipt:%Y-%m-%d}"}
    ).content.decode()
    assert "Ngày hẹn trả mới phải sau ngày hẹn hiện tại" in html
    assert 'id="id_apology-new_due_date_error"' in html and "Chờ xác minh học bạ</textarea>" in html

    html = desk.post(url, {"apology-reason": "Chờ xác minh học bạ"}).content.decode()
    assert "Cần nhập ngày hẹn trả mới hoặc số ngày làm việc gia hạn." in html

    response = desk.post(
        url,
        {
            "apology-reason": "Chờ xác minh học bạ",
            "apology-extra_working_days": "3",
            "apology-number": "12/XL",
        },
    )
    assert response.status_code == 302
    letter = dossier.apology_letters.get()
    assert letter.new_due_at == add_working_days(dossier.due_at.astimezone(VN_TZ), 3)
    html = desk.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("dossier_apology_docx", args=[letter.pk]) in html
    assert 'id="action-apology"' not in html  # the appointment moves only once
    assert "Cần gửi văn bản xin lỗi" not in html


def test_refuse_and_withdraw(desk, province, procedure):
    refused = receive(province.office_a, procedure, actor=province.desk_officer)
    html = desk.post(
        reverse("dossier_act", args=[refused.pk, "refuse"]), {"refuse-reason": ""}
    ).content.decode()
    assert "Cần nêu rõ lý do từ chối." in html
    desk.post(
        reverse("dossier_act", args=[refused.pk, "refuse"]), {"refuse-reason": "Không thuộc thẩm quyền"}
    )
    refused.refresh_from_db()
    assert refused.status == DossierStatus.REFUSED
    # A second click on a stale page: the state is said, nothing changes.
    html = desk.post(reverse("dossier_act", args=[refused.pk, "withdraw"]), {}).content.decode()
    assert "không thể rút hồ sơ" in html

    withdrawn = receive(province.office_a, procedure, actor=province.desk_officer)
    desk.post(
        reverse("dossier_act", args=[withdrawn.pk, "withdraw"]), {"withdraw-note": "Đơn rút ngày 23/11"}
    )
    withdrawn.refresh_from_db()
    assert withdrawn.status == DossierStatus.WITHDRAWN


def test_an_unknown_action_is_404(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    assert desk.post(reverse("dossier_act", args=[dossier.pk, "delete"]), {}).status_code == 404


def test_a_reader_sees_the_dossier_without_actions_and_may_not_act(client, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    client.force_login(province.dept_officer)  # the department's reform officer: reads its subtree
    html = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert dossier.code in html and 'id="action-hand-over"' not in html and "chỉ có quyền xem" in html
    response = client.post(reverse("dossier_act", args=[dossier.pk, "hand-over"]), {})
    assert response.status_code == 403


def test_the_sibling_office_gets_404_everywhere(client, province, procedure, sibling_desk):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    letter = services.apology_letter_record(
        actor=province.desk_officer, dossier=dossier, reason="Chờ xác minh", extra_working_days=2
    )
    for user in (sibling_desk, province.office_b_officer):
        client.force_login(user)
        for url in (
            reverse("dossier_detail", args=[dossier.pk]),
            reverse("dossier_receipt_docx", args=[dossier.pk]),
            reverse("dossier_control_sheet_docx", args=[dossier.pk]),
            reverse("dossier_apology_docx", args=[letter.pk]),
        ):
            assert client.get(url).status_code == 404, url
        response = client.post(reverse("dossier_act", args=[dossier.pk, "refuse"]), {"refuse-reason": "x"})
        assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS


# --- documents -----------------------------------------------------------------------


def test_receipt_control_sheet_and_apology_letter_as_docx(desk, province, procedure):
    pytest.importorskip("cchc.dossiers.letters")
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    letter = services.apology_letter_record(
        actor=province.desk_officer, dossier=dossier, reason="Chờ xác minh", extra_working_days=2
    )
    _docx_ok(desk.get(reverse("dossier_receipt_docx", args=[dossier.pk])), dossier.code)
    _docx_ok(desk.get(reverse("dossier_control_sheet_docx", args=[dossier.pk])), "phieu-kiem-soat")
    _docx_ok(desk.get(reverse("dossier_apology_docx", args=[letter.pk])), "van-ban-xin-loi")


def test_the_receipt_points_to_the_public_status_page(desk, province, procedure, monkeypatch):
    from cchc.dossiers import letters

    seen = {}

    def fake_receipt(dossier, *, status_url):
        seen["url"] = status_url
        return b"PK"

    monkeypatch.setattr(letters, "receipt_docx", fake_receipt)
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    desk.get(reverse("dossier_receipt_docx", args=[dossier.pk]))
    assert seen["url"] == f"http://testserver/public/status/?code={dossier.code}"


def test_an_officer_of_two_desks_chooses_the_unit_and_the_list_follows(client, province, procedure):
    school_procedure = make_procedure(
        name="Xác nhận học sinh đang học tại trường", level=ProcedureLevel.SCHOOL
    )
    officer = make_user("hai.motcua", province.office_a, Role.ONE_STOP_DESK)
    from cchc.orgs import services as org_services

    org_services.membership_grant(actor=None, user=officer, unit=province.school_a1, role=Role.ONE_STOP_DESK)
    client.force_login(officer)
    html = client.get(reverse("dossier_receive")).content.decode()
    assert '<select name="unit"' in html and "Trường Tiểu học Xuân Quan" in html
    html = client.get(
        reverse("dossier_receive_procedures"), {"unit": province.school_a1.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert school_procedure.name in html and procedure.name not in html
    # Without JavaScript: the unit changed but the office's procedure was kept — refused.
    response = client.post(reverse("dossier_receive"), _receive_data(procedure, unit=province.school_a1.pk))
    assert "không giải quyết thủ tục" in response.content.decode()
    response = client.post(
        reverse("dossier_receive"), _receive_data(school_procedure, unit=province.school_a1.pk)
    )
    assert response.status_code == 302
    assert Dossier.objects.get().unit == province.school_a1


def test_without_javascript_the_checklist_refreshes_without_receiving(desk, procedure):
    response = desk.post(
        reverse("dossier_receive"), {**_receive_data(procedure, documents=[]), "action": "refresh"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Học bạ" in html and 'value="Trần Thị Bình"' in html
    assert not Dossier.objects.exists()


def test_an_htmx_action_returns_the_dossier_body_with_its_new_state(desk, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    response = desk.post(
        reverse("dossier_act", args=[dossier.pk, "hand-over"]), {"hand-over-note": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="dossier"' in html and "Đã chuyển hồ sơ sang bước tiếp theo." in html
    assert "Bước tiếp theo: Lãnh đạo phê duyệt." in html


def test_a_reader_without_a_desk_sees_the_units_dossiers_by_default(client, province, procedure):
    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    client.force_login(province.dept_officer)
    html = client.get(reverse("dossier_queue")).content.decode()
    assert f'data-code="{dossier.code}"' in html and "Tiếp nhận hồ sơ</span>" not in html


def test_the_digitized_result_downloads_for_the_desk_and_not_for_the_sibling(
    client, province, procedure, sibling_desk
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import receive

    dossier = receive(province.office_a, procedure, actor=province.desk_officer)
    _to_last_processing_step(dossier, province.desk_officer)
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.dossier_resolve(actor=province.desk_officer, dossier=dossier, result_file=pdf)
    url = reverse("dossier_result_file", args=[dossier.pk])

    client.force_login(province.desk_officer)
    page = client.get(reverse("dossier_detail", args=[dossier.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]

    client.force_login(sibling_desk)
    assert client.get(url).status_code == 404
