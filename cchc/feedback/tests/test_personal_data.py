"""The sender's personal data of a feedback to Phòng GD&ĐT Văn Giang: in full for its
feedback handlers, masked for the department's viewer and reform officer (page, Excel
export, API), nothing for the sibling office; erased on request from a closed feedback
by the system administrator only, attachments included, with the metrics unchanged."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.errors import DomainError, PermissionDenied
from cchc.core.models import AuditEvent
from cchc.core.privacy import ERASED
from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackAttachment
from cchc.feedback.services_privacy import feedback_personal_data_erase
from cchc.metrics.periods import Period
from cchc.metrics.registry import value_for
from cchc.orgs.services_tokens import api_token_issue
from cchc.workdays.calendar import VN_TZ

from .factories import answer, submit

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Bình"
PHONE = "0912345678"
EMAIL = "binh.tran@example.vn"
ADDRESS = "Thôn 3, Xuân Quan, xã Văn Giang, tỉnh Hưng Yên"
SECRETS = (NAME, PHONE, EMAIL, "Thôn 3, Xuân Quan")
METRICS = (
    "feedback.received",
    "feedback.answered_rate",
    "feedback.answered_on_time_rate",
    "feedback.average_answer_days",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def feedback(province):
    at = timezone.now().astimezone(VN_TZ) - dt.timedelta(days=3)
    pdf = SimpleUploadedFile("Ảnh chụp biên lai.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    return submit(
        province.office_a,
        at=at,
        content=f"Tôi là {NAME}, điện thoại {PHONE}: đề nghị kéo dài giờ tiếp nhận hồ sơ tuyển sinh.",
        sender=services.Sender(name=NAME, phone=PHONE, email=EMAIL, address=ADDRESS),
        attachments=[pdf],
    )


@pytest.fixture
def closed(province, feedback):
    officer = province.office_a_officer
    answer(feedback, officer, at=timezone.now().astimezone(VN_TZ), text=f"Kính gửi bà {NAME}: đã tiếp thu.")
    services.feedback_note_add(actor=officer, feedback=feedback, text=f"Đã gọi {PHONE}.")
    return Feedback.objects.get(pk=feedback.pk)


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


def _everything(client, user, feedback) -> str:
    client.force_login(user)
    parts = [client.get(reverse("feedback_detail", args=[feedback.pk])).content.decode()]
    export = client.get(reverse("feedback_export"), {"status": "all"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    parts.append(" | ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c))
    detail = client.get(f"/api/feedback/{feedback.pk}", headers=bearer(user))
    assert detail.status_code == 200
    parts.append(json.dumps(detail.json(), ensure_ascii=False))
    return "\n".join(parts)


@pytest.mark.parametrize("who", ["office_a_officer", "desk_officer"])
def test_the_units_feedback_handlers_see_the_sender_in_full(client, province, feedback, who):
    seen = _everything(client, getattr(province, who), feedback)
    for value in (NAME, PHONE, EMAIL, ADDRESS):
        assert seen.count(value) >= 2, value  # page and API (the export has name and contact)
    attachment = feedback.attachments.get()
    url = reverse("feedback_attachment", args=[feedback.pk, attachment.pk])
    assert url in seen and client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["viewer", "dept_officer"])
def test_a_viewer_and_the_parent_units_officer_see_it_masked(client, province, feedback, who):
    seen = _everything(client, getattr(province, who), feedback)
    assert feedback.code in seen
    for value in SECRETS:
        assert value not in seen, value
    assert seen.count("Trần T. B.") >= 3  # page (sender and content), export, API
    for value in ("09******78", "b***@example.vn", "…, xã Văn Giang, tỉnh Hưng Yên"):
        assert value in seen, value
    attachment = feedback.attachments.get()
    assert client.get(reverse("feedback_attachment", args=[feedback.pk, attachment.pk])).status_code == 403


def test_the_sibling_office_sees_nothing(client, province, feedback):
    client.force_login(province.office_b_officer)
    assert client.get(reverse("feedback_detail", args=[feedback.pk])).status_code == 404
    headers = bearer(province.office_b_officer)
    assert client.get(f"/api/feedback/{feedback.pk}", headers=headers).status_code == 404


def _metrics(province):
    today = timezone.now().astimezone(VN_TZ).date()
    periods = [Period("year", today.year), Period("month", today.year, today.month)]
    return {
        (key, unit.pk, str(period)): value_for(key, unit, period).value
        for key in METRICS
        for unit in (province.office_a, province.department)
        for period in periods
    }


def _trail(feedback) -> str:
    rows = AuditEvent.objects.filter(target_type="feedback.feedback", target_id=str(feedback.pk))
    texts = [json.dumps([r.changes, r.target_repr], ensure_ascii=False) for r in rows]
    texts += [json.dumps([e.note, e.data], ensure_ascii=False) for e in feedback.events.all()]
    texts += [n.text for n in feedback.notes.all()]
    return "\n".join(texts)


def test_erasing_a_closed_feedback_keeps_the_metrics_and_removes_the_data_everywhere(
    province, closed, django_capture_on_commit_callbacks
):
    assert NAME in _trail(closed)  # the receipt's audit row kept the sender
    stored = Path(closed.attachments.get().file.path)
    assert stored.exists()
    before = _metrics(province)

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        feedback_personal_data_erase(actor=province.admin, feedback=closed, reason="Đơn đề nghị xóa")

    assert _metrics(province) == before
    feedback = Feedback.objects.get(pk=closed.pk)
    assert feedback.sender_name == ERASED
    assert (feedback.sender_phone, feedback.sender_email, feedback.sender_address) == ("", "", "")
    assert NAME not in feedback.content and PHONE not in feedback.content and NAME not in feedback.answer
    assert (feedback.status, feedback.answered_at, feedback.answered_on_time) == (
        closed.status,
        closed.answered_at,
        closed.answered_on_time,
    )
    trail = _trail(feedback)
    for value in SECRETS:
        assert value not in trail, value
    assert not FeedbackAttachment.objects.filter(feedback=feedback).exists()
    assert not stored.exists()
    erased = AuditEvent.objects.get(target_id=str(feedback.pk), event="feedback.personal_data_erased")
    assert erased.actor == province.admin and erased.changes["attachments_deleted"] == 1


def test_erasing_an_open_feedback_is_refused_and_changes_nothing(province, feedback):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        feedback_personal_data_erase(actor=province.admin, feedback=feedback, reason="Đơn đề nghị")
    assert "đang xử lý" in refused.value.message
    assert Feedback.objects.get(pk=feedback.pk).sender_phone == PHONE
    assert feedback.attachments.count() == 1
    assert AuditEvent.objects.count() == audit_rows


def test_only_the_system_administrator_erases(province, closed):
    for user in (province.office_a_officer, province.desk_officer, province.dept_officer):
        with pytest.raises(PermissionDenied):
            feedback_personal_data_erase(actor=user, feedback=closed, reason="Đơn đề nghị")
    with pytest.raises(CommandError):
        call_command(
            "erase_personal_data", feedback=closed.code, reason="Đơn", user=province.office_a_officer.username
        )
    assert Feedback.objects.get(pk=closed.pk).sender_name == NAME


def test_the_admin_action_and_the_command_erase_a_closed_feedback(client, province, closed):
    client.force_login(province.admin)  # the system administrator of the root unit
    province.admin.is_staff = True
    province.admin.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    province.admin.user_permissions.add(*Permission.objects.filter(codename="view_feedback"))
    url = reverse("admin:feedback_feedback_changelist")
    assert "erase_personal_data" in client.get(url).content.decode()
    selected = {"action": "erase_personal_data", "_selected_action": [closed.pk]}
    assert "Lý do xóa" in client.post(url, selected).content.decode()
    client.post(url, {**selected, "confirm": "yes", "reason": "Đơn đề nghị ngày 20/11/2026"})
    assert Feedback.objects.get(pk=closed.pk).sender_name == ERASED

    with pytest.raises(CommandError, match="không còn dữ liệu cá nhân"):
        call_command(
            "erase_personal_data", feedback=closed.code, reason="Lần hai", user=province.admin.username
        )
