"""A citizen sends a feedback from the portal without signing in, reads the receipt,
follows it by its code; robots, floods, bad files and scripts are refused or escaped,
and nobody learns a feedback without its exact code."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import dumps
from django.utils import timezone

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackKind, FeedbackStatus
from cchc.feedback.tests.factories import answer as answer_feedback
from cchc.feedback.tests.factories import submit, vn
from cchc.portal import antispam, views_feedback
from cchc.portal.forms_feedback import UNKNOWN_UNIT

pytestmark = pytest.mark.django_db

NEW = "/public/feedback/new/"
STATUS = "/public/feedback/status/"
ANSWERS = "/public/feedback/answers/"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.CCHC_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**overrides):
    data = {
        "kind": "suggestion",
        "unit": UNKNOWN_UNIT,
        "topic": "Giờ tiếp nhận hồ sơ tuyển sinh",
        "content": "Đề nghị kéo dài giờ tiếp nhận hồ sơ tuyển sinh lớp 1 đến 17 giờ.",
        "procedure": "",
        "sender_name": "",
        "sender_phone": "",
        "sender_email": "",
        "sender_address": "",
        antispam.TOKEN_FIELD: antispam.form_token(),
        antispam.HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def post(client, data, **extra):
    return client.post(NEW, data, **extra)


def follow_receipt(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_the_form_shows_kinds_units_and_antispam(client, province):
    response = client.get(NEW)
    assert response.status_code == 200
    body = response.content.decode()
    for kind in FeedbackKind.objects.filter(is_active=True):
        assert kind.name in body
    assert "Trả lời trong 10 ngày làm việc." in body
    assert "Cần ghi họ tên và số điện thoại hoặc thư điện tử." in body
    assert "Không rõ đơn vị — Sở GD&amp;ĐT tiếp nhận và chuyển" in body
    assert '<optgroup label="Trường tiểu học">' in body and province.school_a1.name in body
    assert f'name="{antispam.HONEYPOT_FIELD}"' in body and f'name="{antispam.TOKEN_FIELD}"' in body
    assert 'for="id_topic"' in body and 'aria-describedby="id_topic_helptext"' in body
    # the public header links to the feedback pages, the old links still there
    assert 'href="/public/feedback/new/"' in body and 'href="/public/feedback/status/"' in body
    assert 'href="/public/status/"' in body and 'href="/public/procedures/"' in body


def test_happy_path_receipt_then_status(client, province):
    pdf = SimpleUploadedFile("biên lai.pdf", PDF, content_type="application/pdf")
    response = post(
        client,
        form_data(
            unit=str(province.school_a1.pk),
            wants_publication="on",
            attachments=[pdf],
            sender_name="Trần Thị Bình",
            sender_phone="0912 345 678",
        ),
    )
    feedback = Feedback.objects.get()
    assert feedback.unit == province.school_a1 and feedback.wants_publication
    assert feedback.sender_name == "Trần Thị Bình" and feedback.attachments.count() == 1
    receipt = follow_receipt(client, response)
    body = receipt.content.decode()
    assert receipt.status_code == 200
    assert feedback.code in body and feedback.due_at.strftime("%d/%m/%Y") in body
    assert f"/public/feedback/status/?code={feedback.code}" in body
    assert "Trần Thị Bình" not in body
    status = client.get(STATUS, {"code": feedback.code})
    body = status.content.decode()
    assert status.status_code == 200
    assert "Đã tiếp nhận" in body and province.school_a1.name in body and "Giờ tiếp nhận hồ sơ" in body
    assert "Trần Thị Bình" not in body and "0912 345 678" not in body


def test_unknown_unit_goes_to_the_department(client, province):
    follow_receipt(client, post(client, form_data()))
    assert Feedback.objects.get().unit == province.department


def test_receipt_link_cannot_be_forged(client, province):
    feedback = submit(province.office_a)
    assert client.get("/public/feedback/received/", {"t": feedback.code}).status_code == 404
    assert client.get("/public/feedback/received/", {"t": dumps(feedback.code)}).status_code == 404  # no salt
    token = dumps(feedback.code, salt=views_feedback.RECEIPT_SALT)
    assert client.get("/public/feedback/received/", {"t": token}).status_code == 200


@pytest.mark.parametrize(
    ("kind", "fields", "error_field", "message"),
    [
        ("about_conduct", {}, "sender_name", "cần ghi rõ họ tên người gửi"),
        (
            "complaint_about_rules",
            {"sender_name": "Lê Văn C"},
            "sender_phone",
            "cần số điện thoại hoặc thư điện tử",
        ),
    ],
)
def test_sender_fields_required_by_kind(client, province, kind, fields, error_field, message):
    response = post(client, form_data(kind=kind, **fields))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{error_field}_error"' in body
    assert re.search(
        rf'id="id_{error_field}"[^>]*aria-describedby="[^"]*id_{error_field}_error', body
    ) or re.search(rf'aria-describedby="[^"]*id_{error_field}_error[^"]*"[^>]*id="id_{error_field}"', body)
    assert "Giờ tiếp nhận hồ sơ tuyển sinh" in body  # what was typed is kept
    assert not Feedback.objects.exists()


def test_sender_contact_by_email_is_enough(client, province):
    response = post(
        client, form_data(kind="complaint_about_rules", sender_name="Lê Văn C", sender_email="c@example.vn")
    )
    assert response.status_code == 302
    assert Feedback.objects.get().sender_email == "c@example.vn"


def test_anonymous_suggestion_is_accepted(client, province):
    assert post(client, form_data()).status_code == 302
    assert Feedback.objects.get().sender_name == ""


def test_flood_from_one_address_gets_429_with_the_text_kept(client, province):
    for _ in range(5):
        assert post(client, form_data(), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = post(client, form_data(topic="Lần thứ sáu"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "quá nhiều lần" in body and 'value="Lần thứ sáu"' in body
    assert Feedback.objects.count() == 5
    assert post(client, form_data(), REMOTE_ADDR="198.51.100.9").status_code == 302  # another address


def test_honeypot_filled_is_refused_and_text_kept(client, province):
    response = post(client, form_data(**{antispam.HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không gửi được biểu mẫu" in body and 'value="Giờ tiếp nhận hồ sơ tuyển sinh"' in body
    assert not Feedback.objects.exists()


def test_too_fast_is_refused_with_the_wait_message(client, province, settings):
    settings.CCHC_FORM_MIN_SECONDS = 3
    response = post(client, form_data())
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vui lòng đợi vài giây rồi gửi lại" in body
    assert "Đề nghị kéo dài giờ tiếp nhận" in body
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("token", ["", "1700000000000", dumps(1700000000000, salt="other")])
def test_missing_or_forged_token_is_refused(client, province, token):
    response = post(client, form_data(**{antispam.TOKEN_FIELD: token}))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_script_is_shown_as_text_everywhere(client, province):
    response = post(
        client, form_data(topic=SCRIPT, content=SCRIPT, sender_name=SCRIPT, wants_publication="on")
    )
    feedback = Feedback.objects.get()
    assert feedback.topic == SCRIPT  # stored as typed
    pages = [follow_receipt(client, response), client.get(STATUS, {"code": feedback.code})]
    officer = province.dept_officer
    answer_feedback(feedback, officer, at=timezone.now(), text=SCRIPT)
    services.feedback_publish(actor=officer, feedback=feedback)
    pages += [client.get(STATUS, {"code": feedback.code}), client.get(ANSWERS)]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert ESCAPED in body
        assert "<script>alert" not in body


def test_script_in_a_refused_form_is_escaped(client, province):
    response = post(client, form_data(kind="about_conduct", topic=SCRIPT, content=SCRIPT))
    body = response.content.decode()
    assert response.status_code == 400 and ESCAPED in body and "<script>alert" not in body


def test_oversized_file_refused_with_text_kept(client, province, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = post(client, form_data(attachments=[big]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tệp “to.pdf”" in body and "vượt quá dung lượng" in body
    assert "vui lòng chọn lại tệp đính kèm" in body
    assert 'value="Giờ tiếp nhận hồ sơ tuyển sinh"' in body and "Đề nghị kéo dài giờ" in body
    assert not Feedback.objects.exists()


def test_wrong_file_type_refused(client, province):
    exe = SimpleUploadedFile("hoso.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    html = SimpleUploadedFile("trang.html", b"<html><script>x</script></html>")
    response = post(client, form_data(attachments=[exe, html]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Loại tệp không được phép" in body and "hoso.pdf" in body and "trang.html" in body
    assert not Feedback.objects.exists()


def test_too_many_files_refused(client, province):
    files = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)]
    response = post(client, form_data(attachments=files))
    assert response.status_code == 400 and "tối đa 5 tệp" in response.content.decode()


def test_request_too_large_is_refused_before_reading(client, province, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 10
    response = post(client, form_data(content="x" * (2 * 1024 * 1024)))
    assert response.status_code == 413
    assert "Tệp đính kèm quá lớn" in response.content.decode()
    assert not Feedback.objects.exists()


def test_status_only_for_the_exact_code(client, province):
    mine = submit(province.office_a, topic="Phản ánh của tôi")
    theirs = submit(
        province.office_b,
        topic="Phản ánh của người khác",
        sender=services.Sender(name="Nguyễn Văn Khác", phone="0988000111"),
    )
    body = client.get(STATUS, {"code": mine.code.lower()}).content.decode()
    assert "Phản ánh của tôi" in body and "Phản ánh của người khác" not in body
    assert province.office_b.name not in body
    body = client.get(STATUS, {"code": theirs.code}).content.decode()
    assert "Phản ánh của người khác" in body and "Phản ánh của tôi" not in body
    assert "Nguyễn Văn Khác" not in body and "0988000111" not in body
    for wrong in [
        mine.code[:-1],
        mine.code + "X",
        mine.code[:-1] + ("A" if mine.code[-1] != "A" else "B"),
        "PA-",
        "%",
        "' OR 1=1 --",
        "x" * 500,
    ]:
        response = client.get(STATUS, {"code": wrong})
        assert response.status_code == 404, wrong
        body = response.content.decode()
        assert "Không tìm thấy phản ánh" in body and "Phản ánh của" not in body


def test_unknown_and_malformed_codes_look_the_same(client, province):
    submit(province.office_a)
    unknown = client.get(STATUS, {"code": "PA-250804-KKKKKKKKKK"})
    malformed = client.get(STATUS, {"code": "garbage"})
    assert unknown.status_code == malformed.status_code == 404
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.content.decode())  # noqa: E731
    assert strip(unknown) == strip(malformed)


def test_status_lookups_are_rate_limited(client, province):
    for _ in range(10):
        client.get(STATUS, {"code": "PA-250804-KKKKKKKKKK"}, REMOTE_ADDR="203.0.113.8")
    response = client.get(STATUS, {"code": "PA-250804-KKKKKKKKKK"}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()
    assert client.get(STATUS, {"code": "x"}, REMOTE_ADDR="203.0.113.9").status_code == 404


def test_status_shows_answer_or_rejection_never_notes(client, province):
    answered = submit(province.office_a, at=vn(2025, 8, 4))
    officer = province.office_a_officer
    services.feedback_note_add(
        actor=officer, feedback=answered, text="Ghi chú nội bộ bí mật", at=vn(2025, 8, 4, 10)
    )
    answer_feedback(answered, officer, at=vn(2025, 8, 5), text="Trả lời: đã điều chỉnh giờ.")
    body = client.get(STATUS, {"code": answered.code}).content.decode()
    assert "Trả lời: đã điều chỉnh giờ." in body and "Đã trả lời" in body
    assert "Ghi chú nội bộ bí mật" not in body
    assert officer.username not in body
    rejected = submit(province.office_a, at=vn(2025, 8, 4))
    services.feedback_reject(
        actor=officer, feedback=rejected, reason="Nội dung không thuộc thẩm quyền.", at=vn(2025, 8, 5)
    )
    body = client.get(STATUS, {"code": rejected.code}).content.decode()
    assert "Lý do không tiếp nhận xử lý" in body and "Nội dung không thuộc thẩm quyền." in body


def test_answers_list_only_published_without_sender(client, province, django_assert_max_num_queries):
    officer = province.office_a_officer
    for i in range(23):
        feedback = submit(
            province.office_a, at=vn(2025, 8, 4), topic=f"Chủ đề {i:02d}", wants_publication=True
        )
        answer_feedback(feedback, officer, at=vn(2025, 8, 5), text=f"Trả lời {i:02d}")
        services.feedback_publish(actor=officer, feedback=feedback)
    private = submit(province.office_a, at=vn(2025, 8, 4), topic="Chưa công khai")
    answer_feedback(private, officer, at=vn(2025, 8, 5))
    with django_assert_max_num_queries(6):
        response = client.get(ANSWERS)
    body = response.content.decode()
    assert response.status_code == 200
    assert "23 trả lời" in body and "Trang 1/2" in body and "Chưa công khai" not in body
    assert province.office_a.name in body and "Trần Thị Bình" not in body and "0912 345 678" not in body
    assert Feedback.objects.filter(status=FeedbackStatus.PUBLISHED).count() == 23
    page2 = client.get(ANSWERS, {"page": 2}).content.decode()
    assert page2.count('class="proc-item"') == 3


def test_closed_units_are_not_offered_nor_accepted(client, province):
    import datetime as dt

    from cchc.orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=province.school_b1.pk).update(closed_on=dt.date(2020, 1, 1))
    body = client.get(NEW).content.decode()
    assert province.school_b1.name not in body and province.school_a1.name in body
    response = post(client, form_data(unit=str(province.school_b1.pk)))
    assert response.status_code == 400 and not Feedback.objects.exists()
    assert 'id="id_unit_error"' in response.content.decode()


def test_invalid_phone_from_the_service_lands_next_to_the_field(client, province):
    response = post(client, form_data(sender_phone="gọi tôi nhé"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số điện thoại không hợp lệ." in body and 'id="id_sender_phone_error"' in body
    assert 'aria-invalid="true"' in body and 'value="gọi tôi nhé"' in body
