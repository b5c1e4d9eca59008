"""The daily job: a feedback not answered by its due day goes to the parent unit."""

import pytest
from django.core.management import call_command

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackEvent, FeedbackStatus
from cchc.feedback.selectors import feedback_get_for, feedback_queue_for

from .factories import submit, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(province):
    # Received Thursday 12/02/2026 10:00 at the primary school: due Thursday 05/03/2026.
    feedback = submit(province.school_a1, at=vn(2026, 2, 12, 10))
    services.feedback_assign(
        actor=province.school_a1_head, feedback=feedback, officer=province.school_a1_head, at=vn(2026, 2, 13)
    )
    return feedback


def test_nothing_moves_on_the_due_day(province, late):
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 5, 23, 59)) == 0
    late.refresh_from_db()
    assert (late.unit, late.escalated) == (province.school_a1, False)


def test_the_district_office_takes_over_the_day_after(province, late):
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 6, 0, 30)) == 1
    late.refresh_from_db()
    assert (late.unit, late.unit_path) == (province.office_a, province.office_a.path)
    assert (late.escalated, late.escalated_to, late.escalated_from) == (
        True,
        province.office_a,
        province.school_a1,
    )
    assert (late.status, late.officer) == (FeedbackStatus.RECEIVED, None)
    assert late.due_at == vn(2026, 3, 5, 10)  # still late when answered
    event = FeedbackEvent.objects.get(feedback=late, kind="escalated")
    assert event.unit == province.office_a and event.data["from_unit"] == province.school_a1.pk

    # The office assigns and answers it; the answer is late.
    office = province.office_a_officer
    assert list(feedback_queue_for(user=office)) == [late]
    services.feedback_assign(actor=office, feedback=late, officer=office, at=vn(2026, 3, 6, 9))
    services.feedback_answer(actor=office, feedback=late, answer="Phòng GD&ĐT trả lời", at=vn(2026, 3, 9))
    late.refresh_from_db()
    assert late.answered_on_time is False


def test_escalation_is_idempotent(province, late):
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 6, 1)) == 1
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 6, 2)) == 0
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 20)) == 0
    late.refresh_from_db()
    assert late.unit == province.office_a
    assert FeedbackEvent.objects.filter(feedback=late, kind="escalated").count() == 1


def test_answered_and_rejected_feedback_never_escalates(province, late):
    rejected = submit(province.school_a1, at=vn(2026, 2, 12, 10))
    services.feedback_reject(
        actor=province.school_a1_head, feedback=rejected, reason="Trùng lặp", at=vn(2026, 2, 13)
    )
    services.feedback_answer(
        actor=province.school_a1_head, feedback=late, answer="Đã trả lời", at=vn(2026, 3, 4)
    )
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 10)) == 0


def test_the_school_no_longer_handles_it_once_escalated(province, late):
    services.feedback_escalate_overdue(at=vn(2026, 3, 6, 1))
    from cchc.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.feedback_assign(
            actor=province.school_a1_head, feedback=late, officer=province.school_a1_head
        )
    from django.http import Http404

    with pytest.raises(Http404):
        feedback_get_for(user=province.school_a1_head, pk=late.pk)


def test_the_department_keeps_its_own_overdue_feedback(province):
    # The department has no parent: nothing to escalate to.
    submit(province.department, at=vn(2026, 2, 12, 10))
    assert services.feedback_escalate_overdue(at=vn(2026, 3, 10)) == 0


def test_the_command_escalates_what_is_overdue_now(province, late, capsys):
    call_command("escalate_feedback")
    assert "1 phản ánh" in capsys.readouterr().out
    assert Feedback.objects.get(pk=late.pk).unit == province.office_a
    call_command("escalate_feedback")
    assert "0 phản ánh" in capsys.readouterr().out
