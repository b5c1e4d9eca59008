"""The desk's life of a dossier, through the services, as an officer lives it."""

import datetime as dt

import pytest

from cchc.core.errors import DomainError, PermissionDenied
from cchc.dossiers import services
from cchc.dossiers.models import DossierEvent, DossierStatus, ProcedureLevel

from .factories import make_procedure, receive, vn

pytestmark = pytest.mark.django_db


def test_a_dossier_lives_through_steps_a_supplement_and_a_late_result(province):
    procedure = make_procedure(processing_days=5)
    desk = province.desk_officer
    # Wednesday 08/10/2025, 09:00, under Decree 118/2025: five working days → Wed 15/10.
    dossier = receive(province.office_a, procedure, actor=desk, at=vn(2025, 10, 8))
    assert dossier.ruleset == "nd118"
    assert dossier.due_at == vn(2025, 10, 15)
    assert dossier.code.startswith("HY-VG-251008-0001-")

    services.dossier_hand_over(
        actor=desk, dossier=dossier, to_handler=province.office_a_officer, at=vn(2025, 10, 8, 14)
    )
    services.dossier_hand_over(actor=desk, dossier=dossier, at=vn(2025, 10, 9, 10))
    # Asked for a missing document on Friday 10/10: 13, 14 and 15/10 are still owed.
    services.dossier_request_supplement(
        actor=desk, dossier=dossier, reason="Thiếu bản sao giấy khai sinh", at=vn(2025, 10, 10, 10)
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT
    with pytest.raises(DomainError) as refused:
        services.dossier_resolve(actor=desk, dossier=dossier, at=vn(2025, 10, 13))
    assert refused.value.code == "invalid_state"

    # Complete on Monday 20/10 09:00 → three working days later, Thursday 23/10 09:00.
    services.dossier_complete_supplement(actor=desk, dossier=dossier, at=vn(2025, 10, 20))
    dossier.refresh_from_db()
    assert dossier.due_at == vn(2025, 10, 23)
    assert dossier.original_due_at == vn(2025, 10, 15)

    letter = services.apology_letter_record(
        actor=desk, dossier=dossier, reason="Chờ xác minh sổ gốc", extra_working_days=2, at=vn(2025, 10, 22)
    )
    assert letter.new_due_at == vn(2025, 10, 27)

    services.dossier_resolve(actor=desk, dossier=dossier, summary="Bản sao văn bằng", at=vn(2025, 10, 24, 15))
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome) == (DossierStatus.RESOLVED, "late")
    services.dossier_return_result(actor=desk, dossier=dossier, method="post", at=vn(2025, 10, 27, 8))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.return_method == "post"

    sheet = list(dossier.steps.order_by("position").values_list("position", "name", "completed_at"))
    assert [row[1] for row in sheet] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Lãnh đạo phê duyệt",
        "Trả kết quả",
    ]
    assert all(row[2] is not None for row in sheet)
    kinds = list(
        DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values_list("kind", flat=True)
    )
    assert kinds == [
        "received",
        "handed_over",
        "handed_over",
        "supplement_requested",
        "supplement_completed",
        "apology_sent",
        "resolved",
        "returned",
    ]


def test_step_deadlines_share_the_legal_time(province):
    procedure = make_procedure(processing_days=10)
    dossier = receive(province.office_a, procedure, at=vn(2025, 10, 8))
    first = dossier.steps.get()
    assert first.due_at == vn(2025, 10, 9)  # 10 % of 10 days = 1 working day
    step = services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2025, 10, 9, 8))
    assert step.due_at == vn(2025, 10, 17)  # cumulative 70 % of 10 days = 7 working days


def test_a_unit_cannot_receive_a_procedure_it_does_not_handle(province):
    provincial = make_procedure(level=ProcedureLevel.PROVINCE)
    with pytest.raises(DomainError) as refused:
        receive(province.office_a, provincial, actor=province.desk_officer, at=vn(2025, 10, 8))
    assert refused.value.code == "procedure_not_handled"
    assert "không giải quyết thủ tục" in refused.value.message
    assert not province.office_a.dossiers.exists()


def test_online_receipt_needs_an_online_procedure(province):
    offline = make_procedure(online_mode="none")
    with pytest.raises(DomainError) as refused:
        receive(province.office_a, offline, at=vn(2025, 10, 8), channel="online")
    assert refused.value.field == "channel"


def test_a_sibling_units_desk_cannot_touch_the_dossier(province):
    from cchc.orgs.models import Role
    from cchc.orgs.tests.factories import make_user

    procedure = make_procedure()
    dossier = receive(province.office_a, procedure, at=vn(2025, 10, 8))
    other_desk = make_user("vl.motcua", province.office_b, Role.ONE_STOP_DESK)
    with pytest.raises(PermissionDenied):
        services.dossier_hand_over(actor=other_desk, dossier=dossier, at=vn(2025, 10, 8, 10))
    with pytest.raises(PermissionDenied):
        receive(province.office_a, procedure, actor=other_desk, at=vn(2025, 10, 8))
    assert dossier.steps.count() == 1


def test_dates_before_the_last_event_or_in_the_future_are_refused(province):
    dossier = receive(province.office_a, make_procedure(), at=vn(2025, 10, 8, 9))
    with pytest.raises(DomainError) as refused:
        services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2025, 10, 7, 16))
    assert refused.value.code == "date_before_last_event"
    with pytest.raises(DomainError) as refused:
        services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2099, 1, 5))
    assert refused.value.code == "future_date"
    dossier.refresh_from_db()
    assert dossier.current_step == 0


def test_no_step_is_skipped(province):
    dossier = receive(province.office_a, make_procedure(), at=vn(2025, 10, 8, 9))
    with pytest.raises(DomainError) as refused:
        services.dossier_resolve(actor=None, dossier=dossier, at=vn(2025, 10, 8, 10))
    assert refused.value.code == "step_skipped"
    services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2025, 10, 8, 10))
    services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2025, 10, 8, 11))
    with pytest.raises(DomainError) as refused:  # the next step is the return of the result
        services.dossier_hand_over(actor=None, dossier=dossier, at=vn(2025, 10, 8, 12))
    assert refused.value.code == "step_skipped"
    with pytest.raises(DomainError) as refused:
        services.dossier_return_result(actor=None, dossier=dossier, at=vn(2025, 10, 8, 12))
    assert refused.value.code == "invalid_state"


def test_a_result_without_the_required_file_is_refused(province):
    from django.core.files.uploadedfile import SimpleUploadedFile

    procedure = make_procedure(
        result_requires_file=True,
        steps=[{"name": "Giải quyết", "share": 90}, {"name": "Trả kết quả", "share": 10}],
    )
    dossier = receive(province.office_a, procedure, at=vn(2025, 10, 8, 9))
    with pytest.raises(DomainError) as refused:
        services.dossier_resolve(actor=None, dossier=dossier, at=vn(2025, 10, 9))
    assert refused.value.field == "result_file"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.dossier_resolve(actor=None, dossier=dossier, result_file=pdf, signed=True, at=vn(2025, 10, 9))
    dossier.refresh_from_db()
    assert dossier.outcome == "early" and dossier.result_digitized and dossier.result_signed


def test_refusal_needs_a_reason_and_closes_the_control_sheet(province):
    dossier = receive(province.office_a, make_procedure(), at=vn(2025, 10, 8, 9))
    with pytest.raises(DomainError):
        services.dossier_refuse(actor=None, dossier=dossier, reason="  ", at=vn(2025, 10, 9))
    services.dossier_refuse(actor=None, dossier=dossier, reason="Không thuộc thẩm quyền", at=vn(2025, 10, 9))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REFUSED and dossier.closed_at == vn(2025, 10, 9)
    assert not dossier.steps.filter(completed_at__isnull=True).exists()


def test_codes_continue_the_days_sequence(province):
    procedure = make_procedure()
    first = receive(province.office_a, procedure, at=vn(2025, 10, 8, 9))
    second = receive(province.office_a, procedure, at=vn(2025, 10, 8, 9))
    other_day = receive(province.office_a, procedure, at=vn(2025, 10, 9, 9))
    assert first.code.split("-")[-2:][0] == "0001"
    assert second.code.split("-")[-2] == "0002"
    assert other_day.code.split("-")[-2] == "0001"
    assert len({first.code[-5:], second.code[-5:], other_day.code[-5:]}) >= 2  # random blocks


def test_received_across_tet_2026_and_a_weekend(province):
    # Thursday 12/02/2026 10:00; Tết off 14–22/02/2026 (see cchc.workdays): Fri 13/02,
    # Mon 23/02, Tue 24/02 are the three working days.
    dossier = receive(province.office_a, make_procedure(processing_days=3), at=vn(2026, 2, 12, 10))
    assert dossier.due_at == vn(2026, 2, 24, 10)
    # Received online on Saturday 07/03/2026: counted from Monday 09/03 → 2 days → Wed 11/03 00:00.
    weekend = receive(
        province.office_a, make_procedure(processing_days=2), at=vn(2026, 3, 7, 21), channel="online"
    )
    assert weekend.due_at.astimezone(weekend.due_at.tzinfo).date() == dt.date(2026, 3, 11)


def test_restructuring_hands_open_dossiers_to_the_successor_and_moves_paths(province):
    from cchc.orgs import services as orgs
    from cchc.orgs.models import UnitKind
    from cchc.orgs.tests.factories import make_unit

    procedure = make_procedure(level=ProcedureLevel.DISTRICT)
    open_one = receive(province.office_a, procedure, at=vn(2025, 6, 20, 9))
    closed_one = receive(province.office_a, procedure, at=vn(2025, 6, 20, 10))
    services.dossier_refuse(actor=None, dossier=closed_one, reason="Hồ sơ không hợp lệ", at=vn(2025, 6, 23))
    commune = make_unit("Phòng Văn hóa – Xã hội xã Văn Giang", UnitKind.COMMUNE_OFFICE, province.department)
    orgs.units_merge(
        actor=None, predecessors=[province.office_a], successor=commune, effective_on=dt.date(2025, 7, 1)
    )

    open_one.refresh_from_db()
    closed_one.refresh_from_db()
    assert (open_one.unit, open_one.unit_path) == (commune, commune.path)
    assert closed_one.unit == province.office_a  # the record stays with who decided it
    assert open_one.events.filter(kind="handed_over", data__restructuring=True).exists()

    orgs.unit_move(actor=None, unit=commune, new_parent=province.division, effective_on=dt.date(2025, 8, 1))
    open_one.refresh_from_db()
    commune.refresh_from_db()
    assert open_one.unit_path == commune.path


def test_the_appointment_is_moved_at_most_once(province):
    dossier = receive(province.office_a, make_procedure(), at=vn(2025, 10, 8, 9))
    services.apology_letter_record(
        actor=None, dossier=dossier, reason="Chờ xác minh", extra_working_days=2, at=vn(2025, 10, 14)
    )
    with pytest.raises(DomainError) as refused:
        services.apology_letter_record(
            actor=None, dossier=dossier, reason="Lần nữa", extra_working_days=2, at=vn(2025, 10, 16)
        )
    assert refused.value.code == "extension_limit"
    assert dossier.apology_letters.count() == 1


def test_a_dossier_is_handed_only_to_someone_of_the_unit(province):
    dossier = receive(province.office_a, make_procedure(), at=vn(2025, 10, 8, 9))
    with pytest.raises(DomainError) as refused:
        services.dossier_hand_over(
            actor=None, dossier=dossier, to_handler=province.office_b_officer, at=vn(2025, 10, 8, 10)
        )
    assert refused.value.code == "handler_outside_unit"
    step = services.dossier_hand_over(
        actor=None, dossier=dossier, to_handler=province.office_a_officer, at=vn(2025, 10, 8, 10)
    )
    assert step.handler == province.office_a_officer
