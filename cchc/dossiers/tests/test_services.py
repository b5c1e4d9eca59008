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
