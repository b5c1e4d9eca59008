"""Who sees and handles which feedback: the unit, the units above it, never a sibling."""

import pytest
from django.http import Http404

from cchc.core.errors import DomainError, PermissionDenied
from cchc.feedback import services
from cchc.feedback.selectors import feedback_get_for, feedback_queue_for

from .factories import submit, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(province):
    return submit(province.office_a, at=vn(2026, 3, 2))


def test_the_unit_and_the_department_see_it_in_their_queues(province, feedback):
    assert list(feedback_queue_for(user=province.office_a_officer)) == [feedback]
    assert list(feedback_queue_for(user=province.dept_officer)) == [feedback]
    assert feedback_get_for(user=province.office_a_officer, pk=feedback.pk) == feedback


def test_a_sibling_unit_s_officer_cannot_see_it(province, feedback):
    outsider = province.office_b_officer
    assert list(feedback_queue_for(user=outsider)) == []
    with pytest.raises(Http404):
        feedback_get_for(user=outsider, pk=feedback.pk)


def test_a_sibling_unit_s_officer_cannot_handle_it(province, feedback):
    outsider = province.office_b_officer
    with pytest.raises(PermissionDenied):
        services.feedback_assign(actor=outsider, feedback=feedback, officer=outsider)
    with pytest.raises(PermissionDenied):
        services.feedback_note_add(actor=outsider, feedback=feedback, text="Xem giúp")
    with pytest.raises(PermissionDenied):
        services.feedback_reject(actor=outsider, feedback=feedback, reason="Không thuộc thẩm quyền")
    services.feedback_assign(
        actor=province.office_a_officer, feedback=feedback, officer=province.office_a_officer
    )
    with pytest.raises(PermissionDenied):
        services.feedback_answer(actor=outsider, feedback=feedback, answer="Trả lời")


def test_it_is_not_assigned_to_someone_outside_the_unit_or_without_the_right(province, feedback):
    for officer in (province.office_b_officer, province.school_a1_staff):
        with pytest.raises(DomainError) as error:
            services.feedback_assign(actor=province.office_a_officer, feedback=feedback, officer=officer)
        assert error.value.code == "officer_outside_unit"


def test_the_queue_shows_mine_and_the_earliest_deadline_first(province):
    early = submit(province.office_a, at=vn(2026, 3, 2))
    late = submit(province.office_a, at=vn(2026, 3, 9))
    services.feedback_assign(
        actor=province.office_a_officer, feedback=late, officer=province.office_a_officer
    )
    assert list(feedback_queue_for(user=province.office_a_officer)) == [early, late]
    assert list(feedback_queue_for(user=province.office_a_officer, mine=True)) == [late]


def test_the_code_holder_reads_the_status_and_answer_but_no_internal_detail(province):
    from cchc.feedback.selectors import feedback_public_view, published_answers

    t = province
    feedback = submit(t.office_a, at=vn(2026, 3, 2), wants_publication=True)
    services.feedback_assign(
        actor=t.office_a_officer, feedback=feedback, officer=t.office_a_officer, at=vn(2026, 3, 2, 10)
    )
    services.feedback_note_add(
        actor=t.office_a_officer, feedback=feedback, text="Nội bộ: phụ huynh hay phản ánh"
    )
    view = feedback_public_view(code=feedback.code)
    assert (view.status, view.answer, view.answered_at) == ("assigned", "", None)
    assert [e.label for e in view.events] == ["Tiếp nhận phản ánh, kiến nghị", "Phân công xử lý"]
    assert "Nội bộ" not in repr(view) and "vg.cchc" not in repr(view) and "Trần Thị Bình" not in repr(view)

    services.feedback_answer(
        actor=t.office_a_officer, feedback=feedback, answer="Đã điều chỉnh.", at=vn(2026, 3, 5)
    )
    assert feedback_public_view(code=feedback.code).answer == "Đã điều chỉnh."
    assert list(published_answers()) == []
    services.feedback_publish(actor=t.office_a_officer, feedback=feedback, at=vn(2026, 3, 6))
    assert list(published_answers(unit=t.department)) == [feedback]
    assert list(published_answers(unit=t.office_b)) == []
