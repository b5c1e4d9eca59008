"""A citizen sends feedback from the public form: deadline, sender rules, attachments."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.audit import history_for
from cchc.core.errors import DomainError
from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackKind, FeedbackStatus
from cchc.feedback.selectors import feedback_get_public

from .factories import kind, submit, vn

pytestmark = pytest.mark.django_db


def test_the_seeded_kinds_take_ten_working_days_and_say_what_they_require():
    kinds = {k.code: k for k in FeedbackKind.objects.all()}
    assert set(kinds) == {"complaint_about_rules", "about_conduct", "suggestion"}
    assert {k.deadline_days for k in kinds.values()} == {10}
    assert kinds["complaint_about_rules"].sender_name_required
    assert kinds["complaint_about_rules"].sender_contact_required
    assert not kinds["suggestion"].sender_name_required
    # Decree 20/2008 art. 5(1), 7(1)(d): feedback on an officer's conduct names its sender and a contact.
    assert kinds["about_conduct"].sender_name_required and kinds["about_conduct"].sender_contact_required
    assert "20/2008" in kinds["complaint_about_rules"].legal_basis


def test_a_feedback_sent_before_tet_2026_is_due_after_the_nine_days_off(province):
    # Thursday 12/02/2026 10:00: Fri 13/02 counts, 14–22/02 are Tết, then 23/02 … 05/03.
    feedback = submit(province.school_a1, at=vn(2026, 2, 12, 10))
    assert feedback.due_at == vn(2026, 3, 5, 10)
    assert feedback.deadline_days == 10
    assert feedback.status == FeedbackStatus.RECEIVED
    assert feedback.unit_path == province.school_a1.path
    assert feedback.events.get().kind == "received"
    assert history_for(feedback).filter(event="feedback.received").exists()


def test_a_feedback_sent_on_a_saturday_counts_from_monday(province):
    # Saturday 07/03/2026 → counted from Monday 09/03 00:00; ten working days → Mon 23/03.
    feedback = submit(province.office_a, at=vn(2026, 3, 7, 15))
    assert feedback.due_at == vn(2026, 3, 23, 0)


def test_a_kind_s_own_deadline_is_used(province):
    FeedbackKind.objects.filter(code="suggestion").update(deadline_days=3)
    # Friday 16/01/2026 + 3 working days → Wednesday 21/01.
    assert submit(province.office_a, at=vn(2026, 1, 16)).due_at == vn(2026, 1, 21)


def test_the_receipt_code_is_random_and_finds_only_its_own_feedback(province):
    first = submit(province.office_a, at=vn(2026, 3, 2))
    second = submit(province.office_a, at=vn(2026, 3, 2))
    assert re.fullmatch(r"PA-260302-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}", first.code)
    assert first.code != second.code
    assert feedback_get_public(code=first.code.lower()).pk == first.pk
    from django.http import Http404

    with pytest.raises(Http404):
        feedback_get_public(code=first.code[:-1] + ("A" if first.code[-1] != "A" else "B"))


def test_feedback_on_rules_needs_a_name_and_a_contact(province):
    with pytest.raises(DomainError) as error:
        submit(province.office_a, kind_code="complaint_about_rules", sender=services.Sender())
    assert error.value.field == "sender_name"
    with pytest.raises(DomainError) as error:
        submit(province.office_a, kind_code="complaint_about_rules", sender=services.Sender(name="Lê Văn C"))
    assert error.value.field == "sender_phone"
    assert "điện thoại hoặc thư điện tử" in error.value.message
    feedback = submit(
        province.office_a,
        kind_code="complaint_about_rules",
        sender=services.Sender(name="Lê Văn C", email="levanc@example.vn"),
    )
    assert feedback.sender_email == "levanc@example.vn"


def test_a_suggestion_may_be_anonymous_but_a_given_contact_must_be_valid(province):
    feedback = submit(province.office_a, sender=services.Sender())
    assert (feedback.sender_name, feedback.sender_phone) == ("", "")
    with pytest.raises(DomainError) as error:
        submit(province.office_a, sender=services.Sender(email="not-an-address"))
    assert error.value.code == "invalid_email"
    with pytest.raises(DomainError) as error:
        submit(province.office_a, sender=services.Sender(phone="gọi tôi"))
    assert error.value.code == "invalid_phone"


def test_empty_topic_or_content_is_refused_with_its_field(province):
    with pytest.raises(DomainError) as error:
        submit(province.office_a, topic="  ")
    assert error.value.field == "topic"
    with pytest.raises(DomainError) as error:
        submit(province.office_a, content="")
    assert error.value.field == "content"
    assert Feedback.objects.count() == 0


def test_script_injection_is_stored_as_text_exactly_as_typed(province):
    script = '<script>alert("xss")</script><img src=x onerror=alert(1)> Trường thu tiền sai quy định'
    feedback = submit(
        province.school_a1,
        topic="<b>Thu</b> tiền học thêm",
        content=script,
        sender=services.Sender(name="<i>Phụ huynh</i>"),
    )
    feedback.refresh_from_db()
    assert feedback.content == script
    assert feedback.topic == "<b>Thu</b> tiền học thêm"
    assert feedback.sender_name == "<i>Phụ huynh</i>"


def test_attachments_are_checked_by_their_bytes(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("Ảnh chụp biên lai.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    feedback = submit(province.office_a, attachments=[pdf])
    attachment = feedback.attachments.get()
    assert attachment.original_name == "Ảnh chụp biên lai.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf") and "anh-chup-bien-lai" in attachment.file.name

    page = SimpleUploadedFile("bien-lai.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError) as error:
        submit(province.office_a, attachments=[page])
    assert error.value.code in {"type_not_allowed", "content_mismatch"}
    big = SimpleUploadedFile("to.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    settings.CCHC_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError) as error:
        submit(province.office_a, attachments=[big])
    assert error.value.code == "too_large"
    assert Feedback.objects.count() == 1


def test_an_inactive_kind_or_a_closed_unit_receives_nothing(province):
    FeedbackKind.objects.filter(code="suggestion").update(is_active=False)
    with pytest.raises(DomainError) as error:
        submit(province.office_a, at=vn(2026, 3, 2))
    assert error.value.code == "kind_inactive"
    assert kind("about_conduct").is_active


def test_a_feedback_may_name_the_procedure_it_is_about(province):
    from cchc.dossiers.tests.factories import make_procedure

    procedure = make_procedure()
    feedback = submit(province.office_a, procedure=procedure, kind_code="complaint_about_rules")
    assert feedback.procedure == procedure
    assert list(procedure.feedback.all()) == [feedback]


def test_a_time_in_the_future_or_a_dissolved_unit_is_refused(province):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(DomainError) as error:
        submit(province.office_a, at=timezone.now() + dt.timedelta(days=1))
    assert error.value.code == "future_date"
    province.office_b.closed_on = dt.date(2025, 6, 30)
    province.office_b.save(update_fields=["closed_on"])
    with pytest.raises(DomainError) as error:
        submit(province.office_b, at=vn(2026, 3, 2))
    assert error.value.code == "unit_closed"
