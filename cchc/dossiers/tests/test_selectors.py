"""The desk's reads: who sees which dossier in the queue, and how a dossier stands
against its appointment (working days, overdue, the apology letter owed)."""

import pytest

from cchc.dossiers import selectors, services
from cchc.dossiers.models import ProcedureLevel
from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_user

from .factories import make_procedure, receive, vn

pytestmark = pytest.mark.django_db


def _codes(queryset):
    return {d.code for d in queryset}


def test_default_queue_is_mine_plus_my_units_unassigned(province):
    procedure = make_procedure()
    desk = province.desk_officer
    mine = receive(province.office_a, procedure, actor=desk)
    unassigned = receive(province.office_a, procedure, actor=None)
    colleagues = receive(province.office_a, procedure, actor=None, handler=province.office_a_officer)
    school = receive(province.school_a1, make_procedure(level=ProcedureLevel.SCHOOL), actor=None)
    sibling = receive(province.office_b, procedure, actor=None)

    assert _codes(selectors.dossier_queue_for(user=desk)) == {mine.code, unassigned.code}
    assert _codes(selectors.dossier_queue_for(user=desk, who="mine")) == {mine.code}
    # "Toàn đơn vị": everything the officer may read, the schools under the office too.
    assert _codes(selectors.dossier_queue_for(user=desk, who="unit")) == {
        mine.code,
        unassigned.code,
        colleagues.code,
        school.code,
    }
    sibling_desk = make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)
    for who in ("", "mine", "unit"):
        assert mine.code not in _codes(selectors.dossier_queue_for(user=sibling_desk, who=who))
    assert _codes(selectors.dossier_queue_for(user=sibling_desk)) == {sibling.code}


def test_queue_leaves_closed_dossiers_out_unless_asked(province):
    procedure = make_procedure()
    desk = province.desk_officer
    open_ = receive(province.office_a, procedure, actor=desk)
    refused = receive(province.office_a, procedure, actor=desk)
    services.dossier_refuse(actor=desk, dossier=refused, reason="Không thuộc thẩm quyền")
    assert _codes(selectors.dossier_queue_for(user=desk)) == {open_.code}
    # A refused dossier has no handler any more: it shows in the unit's view.
    assert _codes(selectors.dossier_queue_for(user=desk, who="unit", status="refused")) == {refused.code}


def test_procedures_for_a_district_office_by_level_and_folded_words(province):
    copy = make_procedure(name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc")
    transfer = make_procedure(name="Chuyển trường đối với học sinh trung học cơ sở")
    make_procedure(name="Cấp bản sao bằng tốt nghiệp THPT", level=ProcedureLevel.PROVINCE)
    make_procedure(name="Cấp bản sao cũ", is_active=False)
    assert set(selectors.procedures_for_unit(unit=province.office_a)) == {copy, transfer}
    assert list(selectors.procedures_for_unit(unit=province.office_a, q="BAN SAO van bang")) == [copy]
    assert list(selectors.procedures_for_unit(unit=province.office_a, q="chuyển trường")) == [transfer]
    assert not selectors.procedures_for_unit(unit=None).exists()


def test_deadline_counts_working_days_and_owes_the_apology(province):
    procedure = make_procedure(processing_days=5)
    desk = province.desk_officer
    # Received Monday 02/11/2026 09:00 → due Monday 09/11/2026 09:00.
    dossier = receive(province.office_a, procedure, actor=desk, at=vn(2026, 11, 2))
    assert dossier.due_at == vn(2026, 11, 9)

    calm = selectors.deadline_for(dossier, now=vn(2026, 11, 3), has_apology=False)
    assert (calm.days_left, calm.overdue, calm.urgent, calm.apology_needed) == (4, False, False, False)
    assert calm.tone == "neutral"
    # Friday 06/11: one working day left (Monday) — amber; the letter is due by Friday's end.
    friday = selectors.deadline_for(dossier, now=vn(2026, 11, 6, 10), has_apology=False)
    assert (friday.days_left, friday.urgent, friday.apology_needed) == (1, True, False)
    assert friday.apology_due_by.date().isoformat() == "2026-11-06"
    # Monday 09/11, due today: still on time, but the apology letter is owed now.
    monday = selectors.deadline_for(dossier, now=vn(2026, 11, 9, 8), has_apology=False)
    assert (monday.days_left, monday.overdue, monday.urgent, monday.apology_needed) == (0, False, True, True)
    # Wednesday 11/11: two working days late, red.
    late = selectors.deadline_for(dossier, now=vn(2026, 11, 11), has_apology=False)
    assert (late.overdue, late.days_overdue, late.tone) == (True, 2, "danger")
    assert not selectors.deadline_for(dossier, now=vn(2026, 11, 11), has_apology=True).apology_needed


def test_a_paused_dossier_is_neither_overdue_nor_owes_a_letter(province):
    procedure = make_procedure(processing_days=5)
    desk = province.desk_officer
    dossier = receive(province.office_a, procedure, actor=desk, at=vn(2026, 10, 1))
    services.dossier_request_supplement(
        actor=desk, dossier=dossier, reason="Thiếu học bạ", at=vn(2026, 10, 2)
    )
    dossier.refresh_from_db()
    deadline = selectors.deadline_for(dossier, now=vn(2026, 11, 20))
    assert deadline.paused and not deadline.overdue and not deadline.apology_needed
    assert deadline.days_left is None


def test_the_queue_annotates_whether_a_letter_was_sent(province):
    procedure = make_procedure()
    desk = province.desk_officer
    dossier = receive(province.office_a, procedure, actor=desk, at=vn(2026, 10, 1))
    assert selectors.dossier_queue_for(user=desk).get().has_apology is False
    services.apology_letter_record(actor=desk, dossier=dossier, reason="Chờ xác minh", extra_working_days=2)
    assert selectors.dossier_queue_for(user=desk).get().has_apology is True


def test_handlers_are_the_people_of_the_unit(province):
    handlers = set(selectors.handlers_for(province.office_a))
    assert {province.desk_officer, province.office_a_officer} <= handlers
    assert province.office_b_officer not in handlers
