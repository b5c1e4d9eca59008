"""Worked examples a one-stop desk officer can check on a wall calendar.

Schedules (see cchc/workdays/tests/test_calendar.py): Tết 2025 25/01–02/02; 30/4–04/05/2025
with Friday 02/05 swapped for Saturday 26/04; Quốc khánh 2025 30/08–02/09; Tết 2026
14/02–22/02. Times are on the Vietnamese clock unless a test says otherwise.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cchc.core.errors import DomainError
from cchc.dossiers import rules
from cchc.dossiers.rules import (
    DECREE_61,
    DECREE_118,
    UNVERIFIED,
    apology_due_by,
    can_extend,
    classify,
    due_at,
    extended_due_at,
    format_dossier_code,
    parse_dossier_code,
    resume_after_supplement,
    ruleset_for,
    supplement_request_due_by,
    transfer_due_by,
)
from cchc.workdays import calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC


def vn(text: str) -> dt.datetime:
    """'2025-01-24 10:00' on the Vietnamese clock."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


# --- which decree -----------------------------------------------------------------------


def test_the_decree_in_force_on_the_day_of_receipt():
    """Decree 118/2025/NĐ-CP in force from 01/07/2025; until then Decree 61/2018/NĐ-CP as
    amended by 107/2021/NĐ-CP (convention 5: the day of receipt decides)."""
    assert ruleset_for(vn("2025-06-30 23:59")) is DECREE_61
    assert ruleset_for(vn("2025-07-01 00:00")) is DECREE_118
    # 17:30 UTC on 30/06 is already 00:30 on 01/07 in Hà Nội.
    assert ruleset_for(dt.datetime(2025, 6, 30, 17, 30, tzinfo=UTC)) is DECREE_118
    assert ruleset_for(vn("2019-03-01 08:00")) is DECREE_61
    assert rules.RULESETS == (DECREE_61, DECREE_118)


def test_each_ruleset_carries_its_citations_and_forms():
    """Circular 01/2018/TT-VPCP art. 9 (forms 01–06, verified); Circular 03/2025/TT-VPCP
    Annex I (forms 01–07, names from a secondary source)."""
    assert "118/2025/NĐ-CP" in DECREE_118.decrees[0] and "01/07/2025" in DECREE_118.decrees[0]
    assert DECREE_118.circular == "03/2025/TT-VPCP"
    assert DECREE_118.forms["receipt"].startswith("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    assert DECREE_118.forms["apology"].startswith("Mẫu 04 — Văn bản xin lỗi")
    assert DECREE_118.forms["control_sheet"].startswith("Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ")
    assert DECREE_61.circular.startswith("01/2018/TT-VPCP")
    assert DECREE_61.forms["apology"].startswith("Mẫu số 04 — Mẫu phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert DECREE_61.forms["control_sheet"].startswith("Mẫu số 05 — Mẫu phiếu kiểm soát")
    for ruleset in rules.RULESETS:
        assert {"receipt", "supplement", "classify", "apology", "extension", "dossier_code"} <= set(
            ruleset.citations
        )
        assert "Điều 148 khoản 1" in ruleset.citations["classify"]


def test_verified_and_unverified_citations():
    """Decree 61/2018 arts. 18(2), 19(4), 19(9), 26 and Circular 01/2018 arts. 13, 19 were
    read verbatim; nothing of Decree 118/2025 beyond the title was, so every rule carried
    over to it says so."""
    for rule in ("receipt", "transfer", "supplement", "classify", "apology", "extension", "dossier_code"):
        assert DECREE_61.is_verified(rule), rule
        assert not DECREE_118.is_verified(rule), rule
    assert "Điều 19 khoản 4" in DECREE_61.citations["supplement"]
    assert "Điều 19 khoản 9" in DECREE_61.citations["apology"]
    assert "tính lại từ đầu" in DECREE_61.quotes["supplement"]
    assert "chậm nhất 01 ngày trước ngày hết hạn" in DECREE_61.quotes["apology"]
    assert "không quá một lần" in DECREE_61.quotes["extension"]
    assert "sau 15 giờ" in DECREE_61.quotes["transfer"]
    assert UNVERIFIED in DECREE_118.citations["transition"]
    assert not DECREE_61.is_verified("amendments")  # Decree 107/2021 itself not read


# --- the appointment --------------------------------------------------------------------


@pytest.mark.django_db
def test_received_friday_before_tet_2025_five_working_days():
    """Civil Code art. 147(3): the day of receipt is not counted. Friday 24/01/2025 10:00
    + 5 working days over Tết (25/01–02/02) → 03, 04, 05, 06, 07/02 → Friday 07/02 10:00."""
    assert due_at(received_at=vn("2025-01-24 10:00"), working_days=5) == vn("2025-02-07 10:00")


@pytest.mark.django_db
def test_received_on_saturday_counts_as_received_monday():
    """Convention 1 (calendar `working_start`): an online dossier submitted Saturday
    08/03/2025 is received at 00:00 on Monday 10/03; 3 days → 11, 12, 13/03."""
    assert due_at(received_at=vn("2025-03-08 14:00"), working_days=3) == vn("2025-03-13 00:00")
    # The first Saturday of Tết: counting starts Monday 03/02/2025.
    assert due_at(received_at=vn("2025-01-25 09:00"), working_days=1) == vn("2025-02-04 00:00")


@pytest.mark.django_db
def test_no_cut_off_hour_unless_the_procedure_sets_one():
    """Decree 61/2018 art. 18(2)'s "sau 15 giờ" is for the hand-over, not the processing
    time: a receipt at 16:30 counts like one at 08:00. A procedure whose own text has "sau
    15 giờ" (certified copies) passes `cutoff`."""
    assert due_at(received_at=vn("2025-03-11 16:30"), working_days=1) == vn("2025-03-12 16:30")
    assert due_at(received_at=vn("2025-03-11 14:59"), working_days=1, cutoff=dt.time(15)) == vn(
        "2025-03-12 14:59"
    )
    assert due_at(received_at=vn("2025-03-11 15:00"), working_days=1, cutoff=dt.time(15)) == vn(
        "2025-03-13 00:00"
    )
    # After the cut-off on the Friday before Tết: received Monday 03/02 → Tuesday 04/02.
    assert due_at(received_at=vn("2025-01-24 15:30"), working_days=1, cutoff=dt.time(15)) == vn(
        "2025-02-04 00:00"
    )
    assert due_at(received_at=vn("2025-01-24 15:30"), working_days=1) == vn("2025-02-03 15:30")


@pytest.mark.django_db
def test_across_tet_2026():
    """Civil Code art. 147(3); Tết Bính Ngọ 14/02–22/02/2026 (Công văn 9859/VPCP-KGVX)."""
    assert due_at(received_at=vn("2026-02-13 09:00"), working_days=3) == vn("2026-02-25 09:00")
    assert due_at(received_at=vn("2026-02-12 09:00"), working_days=2) == vn("2026-02-23 09:00")


@pytest.mark.django_db
def test_across_30_4_and_1_5_2025_with_the_swapped_friday():
    """Thông báo 6150/TB-BLĐTBXH: Saturday 26/04/2025 worked, 30/04–04/05 off (Friday 02/05
    swapped)."""
    assert due_at(received_at=vn("2025-04-25 10:00"), working_days=3) == vn("2025-04-29 10:00")
    assert due_at(received_at=vn("2025-04-29 10:00"), working_days=2) == vn("2025-05-06 10:00")


@pytest.mark.django_db
def test_across_national_day_2025():
    """Quốc khánh 2025: Saturday 30/08 to Tuesday 02/09 off."""
    assert due_at(received_at=vn("2025-08-29 10:00"), working_days=1) == vn("2025-09-03 10:00")


@pytest.mark.django_db
def test_zero_days_and_utc_input():
    """A same-day procedure (0 days) is due the day of receipt; an aware UTC moment is read
    on the Vietnamese clock (03:00 UTC = 10:00 in Hà Nội)."""
    assert due_at(received_at=vn("2025-03-11 10:00"), working_days=0) == vn("2025-03-11 10:00")
    result = due_at(received_at=dt.datetime(2025, 1, 24, 3, 0, tzinfo=UTC), working_days=5)
    assert result == vn("2025-02-07 10:00") and result.tzinfo == VN


def test_bad_input_is_refused_in_vietnamese():
    with pytest.raises(DomainError) as naive:
        due_at(received_at=dt.datetime(2025, 1, 24, 10), working_days=5)
    assert naive.value.code == "naive_datetime"
    with pytest.raises(DomainError) as negative:
        due_at(received_at=vn("2025-01-24 10:00"), working_days=-1)
    assert negative.value.code == "negative_days"


# --- supplement requests ----------------------------------------------------------------


@pytest.mark.django_db
def test_supplement_under_decree_61_restarts_the_clock():
    """Decree 61/2018 art. 19(4): "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ
    hồ sơ". Received Friday 20/06/2025 10:00 for 5 days → due Friday 27/06. Request Tuesday
    24/06; complete dossier Wednesday 02/07 09:00 — after 01/07, still under Decree 61 (the
    day of receipt decides) — → 5 days again: 03, 04, 07, 08, 09/07."""
    received = vn("2025-06-20 10:00")
    ruleset = ruleset_for(received)
    assert ruleset is DECREE_61 and ruleset.supplement_mode == "restart"
    due = due_at(received_at=received, working_days=5)
    assert due == vn("2025-06-27 10:00")
    new_due = resume_after_supplement(
        due_at=due,
        requested_at=vn("2025-06-24 15:00"),
        completed_at=vn("2025-07-02 09:00"),
        working_days=5,
        ruleset=ruleset,
    )
    assert new_due == vn("2025-07-09 09:00")


@pytest.mark.django_db
def test_supplement_under_decree_118_pauses_the_clock_unverified():
    """Decree 118/2025 (text not read; rule 2: "pause", the earlier appointment): received
    Tuesday 15/07/2025 10:00 for 10 days → Tuesday 29/07. Request Friday 18/07 (16, 17, 18
    used; 7 left). Complete Wednesday 23/07 14:00 → 24, 25, 28, 29, 30, 31/07, 01/08."""
    received = vn("2025-07-15 10:00")
    ruleset = ruleset_for(received)
    assert ruleset is DECREE_118 and ruleset.supplement_mode == "pause"
    assert not ruleset.is_verified("supplement")
    due = due_at(received_at=received, working_days=10)
    assert due == vn("2025-07-29 10:00")
    new_due = resume_after_supplement(
        due_at=due,
        requested_at=vn("2025-07-18 11:00"),
        completed_at=vn("2025-07-23 14:00"),
        working_days=10,
        ruleset=ruleset,
    )
    assert new_due == vn("2025-08-01 14:00")
    # Were Decree 118 to restart like Decree 61: 10 days again → Wednesday 06/08.
    restart = rules.Ruleset(**{**DECREE_118.__dict__, "supplement_mode": "restart"})
    assert resume_after_supplement(
        due_at=due,
        requested_at=vn("2025-07-18 11:00"),
        completed_at=vn("2025-07-23 14:00"),
        working_days=10,
        ruleset=restart,
    ) == vn("2025-08-06 14:00")


@pytest.mark.django_db
def test_supplement_completed_across_tet_2026():
    """Across Tết Bính Ngọ (14/02–22/02/2026), a 3-day procedure due Wednesday 11/02/2026,
    request Monday 09/02 (10, 11/02 left), complete dossier Friday 13/02 15:00. Pause
    (Decree 118 convention): 2 days → 23, 24/02. Restart (Decree 61 art. 19(4)): 3 days →
    23, 24, 25/02."""
    kwargs = {
        "due_at": vn("2026-02-11 10:00"),
        "requested_at": vn("2026-02-09 10:00"),
        "completed_at": vn("2026-02-13 15:00"),
        "working_days": 3,
    }
    assert resume_after_supplement(**kwargs, ruleset=DECREE_118) == vn("2026-02-24 15:00")
    assert resume_after_supplement(**kwargs, ruleset=DECREE_61) == vn("2026-02-25 15:00")


@pytest.mark.django_db
def test_pause_counts_only_the_days_left():
    """The "pause" mechanics (Decree 118 convention): due Tuesday 29/07/2025,
    request Friday 18/07 (16, 17, 18 used; 7 left), complete Wednesday 23/07 14:00 → 24,
    25, 28, 29, 30, 31/07, 01/08."""
    pause = DECREE_118
    new_due = resume_after_supplement(
        due_at=vn("2025-07-29 10:00"),
        requested_at=vn("2025-07-18 11:00"),
        completed_at=vn("2025-07-23 14:00"),
        working_days=10,
        ruleset=pause,
    )
    assert new_due == vn("2025-08-01 14:00")
    # Pause: a request on the appointment day leaves 0 days — due the day it comes back.
    assert resume_after_supplement(
        due_at=vn("2025-03-14 10:00"),
        requested_at=vn("2025-03-14 09:00"),
        completed_at=vn("2025-03-18 08:30"),
        working_days=3,
        ruleset=pause,
    ) == vn("2025-03-18 08:30")


@pytest.mark.django_db
def test_the_supplement_request_is_due_within_three_working_days():
    """Decree 61/2018 art. 19(4): "không quá 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ".
    Received Thursday 23/01/2025 → 24/01, Tết 25/01–02/02, 03/02, 04/02 → end of Tuesday
    04/02/2025. Received Friday 13/02/2026 (Tết 2026) → 23, 24, 25/02."""
    assert supplement_request_due_by(received_at=vn("2025-01-23 09:00")) == dt.datetime.combine(
        dt.date(2025, 2, 4), dt.time.max, tzinfo=VN
    )
    assert supplement_request_due_by(received_at=vn("2026-02-13 16:00")).date() == dt.date(2026, 2, 25)
    # Received on Saturday 08/03/2025: counts from Monday 10/03 → 11, 12, 13/03.
    assert supplement_request_due_by(received_at=vn("2025-03-08 10:00")).date() == dt.date(2025, 3, 13)
    no_limit = rules.Ruleset(**{**DECREE_61.__dict__, "supplement_request_working_days": None})
    assert supplement_request_due_by(received_at=vn("2025-01-23 09:00"), ruleset=no_limit) is None


def test_a_completion_before_the_request_is_refused():
    with pytest.raises(DomainError) as error:
        resume_after_supplement(
            due_at=vn("2025-03-14 10:00"),
            requested_at=vn("2025-03-12 09:00"),
            completed_at=vn("2025-03-11 09:00"),
            working_days=3,
            ruleset=DECREE_61,
        )
    assert error.value.code == "supplement_before_request"


# --- early / on time / late -------------------------------------------------------------


def test_classify_at_the_exact_boundaries():
    """Civil Code art. 148(1): a limit in days ends at the end of its last day, so the
    appointment day counts whole (convention 3). Due Friday 07/02/2025 10:00."""
    due = vn("2025-02-07 10:00")
    assert classify(resolved_at=vn("2025-02-06 23:59:59"), due_at=due) == "early"
    assert classify(resolved_at=vn("2025-02-07 00:00"), due_at=due) == "on_time"
    assert classify(resolved_at=vn("2025-02-07 10:00"), due_at=due) == "on_time"
    assert classify(resolved_at=vn("2025-02-07 23:59:59.999999"), due_at=due) == "on_time"
    assert classify(resolved_at=vn("2025-02-08 00:00"), due_at=due) == "late"
    # 17:00 UTC on 07/02 is 00:00 on 08/02 in Hà Nội: late.
    assert classify(resolved_at=dt.datetime(2025, 2, 7, 17, 0, tzinfo=UTC), due_at=due) == "late"
    assert classify(resolved_at=dt.datetime(2025, 2, 7, 16, 59, tzinfo=UTC), due_at=due) == "on_time"


# --- apology letter ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_apology_is_due_the_working_day_before_the_appointment():
    """Decree 61/2018 art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn" — by the end of
    the last working day before the appointment date (rule 4)."""
    assert apology_due_by(due_at=vn("2025-02-07 10:00")) == dt.datetime.combine(
        dt.date(2025, 2, 6), dt.time.max, tzinfo=VN
    )
    # Due Monday 03/02/2025, right after Tết: the apology leaves by Friday 24/01.
    assert apology_due_by(due_at=vn("2025-02-03 00:00")).date() == dt.date(2025, 1, 24)
    # Due Monday 05/05/2025 (after 30/4–04/05): by Tuesday 29/04.
    assert apology_due_by(due_at=vn("2025-05-05 10:00"), ruleset=DECREE_61).date() == dt.date(2025, 4, 29)


@pytest.mark.django_db
def test_the_new_appointment_of_the_apology_letter():
    """Form 04 proposes an extension: 3 more working days from Friday 29/08/2025 across
    Quốc khánh → 03, 04, 05/09."""
    assert extended_due_at(due_at=vn("2025-08-29 10:00"), extra_working_days=3) == vn("2025-09-05 10:00")


@pytest.mark.django_db
def test_the_apology_across_tet_2026_and_a_weekend():
    """Due Monday 23/02/2026, the first working day after Tết (14/02–22/02): the apology
    leaves by Friday 13/02. Due Monday 09/03/2026: by Friday 06/03 (the Sunday before is
    off)."""
    assert apology_due_by(due_at=vn("2026-02-23 10:00")).date() == dt.date(2026, 2, 13)
    assert apology_due_by(due_at=vn("2026-03-09 10:00")).date() == dt.date(2026, 3, 6)


def test_the_appointment_is_moved_only_once():
    """Decree 61/2018 art. 19(9): "Việc hẹn lại ngày trả kết quả được thực hiện không quá
    một lần"."""
    assert can_extend(extensions_so_far=0, ruleset=DECREE_61) is True
    assert can_extend(extensions_so_far=1, ruleset=DECREE_61) is False
    assert can_extend(extensions_so_far=1, ruleset=DECREE_118) is False
    with pytest.raises(DomainError):
        can_extend(extensions_so_far=-1, ruleset=DECREE_61)


# --- hand-over ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_hand_over_after_15_00_moves_to_the_next_working_day():
    """Decree 61/2018 art. 18(2): hand over "trong ngày làm việc hoặc chuyển vào đầu giờ
    ngày làm việc tiếp theo đối với trường hợp tiếp nhận sau 15 giờ hàng ngày"."""
    assert transfer_due_by(received_at=vn("2025-01-24 14:59")) == (dt.date(2025, 1, 24), False)
    # Friday before Tết 2025 at 15:00: the opening of Monday 03/02.
    assert transfer_due_by(received_at=vn("2025-01-24 15:00")) == (dt.date(2025, 2, 3), True)
    # Friday before Tết 2026 at 16:00: the opening of Monday 23/02/2026.
    assert transfer_due_by(received_at=vn("2026-02-13 16:00")) == (dt.date(2026, 2, 23), True)
    # An online dossier on Sunday 09/03/2025: the opening of Monday 10/03.
    assert transfer_due_by(received_at=vn("2025-03-09 09:00")) == (dt.date(2025, 3, 10), True)


# --- dossier code -------------------------------------------------------------------------


def test_the_dossier_code_structure():
    """Circular 01/2018/TT-VPCP art. 19: V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX — unit code,
    date of receipt (Vietnamese clock), 4-digit number of the day."""
    assert DECREE_61.dossier_code_format == "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX"
    code = format_dossier_code(unit_code="000.00.12.H12", received_at=vn("2025-01-24 10:00"), sequence=7)
    assert code == "000.00.12.H12-250124-0007"
    assert parse_dossier_code(code) == ("000.00.12.H12", dt.date(2025, 1, 24), 7)
    # 18:30 UTC on 31/12/2025 is already 01/01/2026 in Hà Nội.
    late = dt.datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    assert format_dossier_code(unit_code="000.00.12.H12", received_at=late, sequence=9999).endswith(
        "-260101-9999"
    )
    for bad in ({"unit_code": "H12"}, {"sequence": 0}, {"sequence": 10000}):
        kwargs = {"unit_code": "000.00.12.H12", "received_at": vn("2025-01-24 10:00"), "sequence": 1, **bad}
        with pytest.raises(DomainError):
            format_dossier_code(**kwargs)
    with pytest.raises(DomainError):
        parse_dossier_code("000.00.12.H12-250124-7")
