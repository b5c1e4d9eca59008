"""An officer handles a feedback: route, assign, note, answer, publish — or reject; every
skipped step is refused in Vietnamese, and every transition is kept."""

import pytest

from cchc.core.audit import history_for
from cchc.core.errors import DomainError, PermissionDenied
from cchc.feedback import services
from cchc.feedback.models import FeedbackEvent, FeedbackStatus
from cchc.feedback.selectors import notes_for

from .factories import submit, vn

pytestmark = pytest.mark.django_db


def test_a_feedback_lives_from_receipt_to_published_answer(province):
    t = province
    feedback = submit(t.department, at=vn(2026, 3, 2, 8), wants_publication=True)
    # The department's reform office sends it to the district office responsible.
    services.feedback_route(
        actor=t.dept_officer,
        feedback=feedback,
        to_unit=t.office_a,
        note="Thuộc thẩm quyền Phòng",
        at=vn(2026, 3, 2, 9),
    )
    feedback.refresh_from_db()
    assert (feedback.unit, feedback.unit_path) == (t.office_a, t.office_a.path)
    assert feedback.due_at == vn(2026, 3, 16, 8)  # the deadline does not move

    services.feedback_assign(
        actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer, at=vn(2026, 3, 2, 10)
    )
    services.feedback_note_add(
        actor=t.office_a_officer, feedback=feedback, text="Đã liên hệ nhà trường xác minh.", at=vn(2026, 3, 3)
    )
    services.feedback_answer(
        actor=t.office_a_officer,
        feedback=feedback,
        answer="Nhà trường đã điều chỉnh.",
        at=vn(2026, 3, 16, 17),
    )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    assert feedback.answered_on_time is True  # on the due day, at any hour
    assert feedback.closed_at == vn(2026, 3, 16, 17)
    services.feedback_publish(actor=t.office_a_officer, feedback=feedback, at=vn(2026, 3, 17))
    feedback.refresh_from_db()
    assert (feedback.status, feedback.published_at) == (FeedbackStatus.PUBLISHED, vn(2026, 3, 17))
    with pytest.raises(DomainError) as error:
        services.feedback_publish(actor=t.office_a_officer, feedback=feedback)
    assert error.value.code == "invalid_state" and "đã được công khai" in error.value.message

    kinds = list(FeedbackEvent.objects.filter(feedback=feedback).values_list("kind", flat=True))
    assert kinds == ["received", "routed", "assigned", "answered", "published"]
    assert [n.text for n in notes_for(feedback)] == ["Đã liên hệ nhà trường xác minh."]
    events = set(history_for(feedback).values_list("event", flat=True))
    assert {"feedback.routed", "feedback.assigned", "feedback.answered", "feedback.published"} <= events


def test_an_answer_after_the_due_day_is_late(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2, 8))
    services.feedback_assign(
        actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer, at=vn(2026, 3, 2, 9)
    )
    services.feedback_answer(
        actor=t.office_a_officer, feedback=feedback, answer="Trả lời", at=vn(2026, 3, 17, 8)
    )
    feedback.refresh_from_db()
    assert feedback.answered_on_time is False


def test_an_unassigned_feedback_cannot_be_answered(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2))
    with pytest.raises(DomainError) as error:
        services.feedback_answer(actor=t.office_a_officer, feedback=feedback, answer="Trả lời")
    assert error.value.code == "step_skipped"
    assert "chưa được phân công" in error.value.message


def test_an_unanswered_feedback_cannot_be_published(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2), wants_publication=True)
    for _step in range(2):
        with pytest.raises(DomainError) as error:
            services.feedback_publish(actor=t.office_a_officer, feedback=feedback)
        assert error.value.code == "step_skipped"
        assert "chưa được trả lời" in error.value.message
        services.feedback_assign(actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer)


def test_an_answer_is_published_only_with_the_sender_s_consent(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2), wants_publication=False)
    services.feedback_assign(actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer)
    services.feedback_answer(actor=t.office_a_officer, feedback=feedback, answer="Trả lời")
    with pytest.raises(DomainError) as error:
        services.feedback_publish(actor=t.office_a_officer, feedback=feedback)
    assert error.value.code == "no_consent"
    assert "không đồng ý công khai" in error.value.message


def test_an_answered_feedback_is_not_reassigned_rerouted_rejected_or_answered_again(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2))
    services.feedback_assign(actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer)
    services.feedback_answer(actor=t.office_a_officer, feedback=feedback, answer="Trả lời")
    attempts = [
        lambda: services.feedback_assign(
            actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer
        ),
        lambda: services.feedback_route(actor=t.dept_officer, feedback=feedback, to_unit=t.office_b),
        lambda: services.feedback_reject(actor=t.office_a_officer, feedback=feedback, reason="Trùng"),
        lambda: services.feedback_answer(actor=t.office_a_officer, feedback=feedback, answer="Lần hai"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "invalid_state"
        assert "đã được trả lời" in error.value.message


def test_a_rejected_feedback_needs_a_reason_and_then_stays_closed(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2))
    with pytest.raises(DomainError) as error:
        services.feedback_reject(actor=t.office_a_officer, feedback=feedback, reason=" ")
    assert error.value.field == "reason"
    services.feedback_reject(
        actor=t.office_a_officer,
        feedback=feedback,
        reason="Nội dung là khiếu nại, đề nghị gửi theo Luật Khiếu nại.",
        at=vn(2026, 3, 3),
    )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.REJECTED and feedback.closed_at == vn(2026, 3, 3)
    for attempt in (
        lambda: services.feedback_assign(
            actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer
        ),
        lambda: services.feedback_answer(actor=t.office_a_officer, feedback=feedback, answer="x"),
        lambda: services.feedback_publish(actor=t.office_a_officer, feedback=feedback),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert "từ chối" in error.value.message


def test_a_past_time_before_the_last_event_is_refused(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2, 10))
    with pytest.raises(DomainError) as error:
        services.feedback_assign(
            actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer, at=vn(2026, 3, 2, 9)
        )
    assert error.value.code == "date_before_last_event"


def test_routing_needs_the_right_over_both_units(province):
    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        services.feedback_route(actor=t.office_a_officer, feedback=feedback, to_unit=t.office_b)
    services.feedback_assign(actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer)
    services.feedback_route(actor=t.dept_officer, feedback=feedback, to_unit=t.office_b)
    feedback.refresh_from_db()
    # The new unit assigns its own officer.
    assert (feedback.unit, feedback.status, feedback.officer) == (t.office_b, FeedbackStatus.RECEIVED, None)
