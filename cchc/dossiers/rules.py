"""The one-stop desk's time rules for a dossier: appointment, supplement, early/on time/late.

Pure functions (no models): the working days come from `cchc.workdays.calendar` (Labour
Code 2019 art. 112 and the yearly announcements); datetimes must be aware and are returned
in Asia/Ho_Chi_Minh.

What was verified, and against what
-----------------------------------
The primary texts of the one-stop decrees were *not* available in the reference corpora
searched for this module (web pages, documentation, public repositories). What could be
checked, from secondary sources quoting them:

* Decree 61/2018/NĐ-CP of 23/04/2018 (one-stop and inter-agency one-stop mechanism) and
  Circular 01/2018/TT-VPCP of 23/11/2018 guiding it — the recitals of provincial decisions
  (Kon Tum 575/QĐ-UBND 2020, Nghệ An 3027/QĐ-UBND 2024). Decree 107/2021/NĐ-CP amends 61.
* Decree 118/2025/NĐ-CP of 09/06/2025 replaces them, in force from 01/07/2025 (procedure
  catalogues and legal-basis tables; Hà Nội moved its online channel to the national portal
  the same day). Decree 367/2025/NĐ-CP amends 118 (not read). Circular 03/2025/TT-VPCP,
  Annex I, has the forms: 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", 02 "Phiếu yêu cầu
  bổ sung, hoàn thiện hồ sơ", 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ", 04 "Văn bản
  xin lỗi và đề nghị gia hạn thời gian giải quyết", 05 "Thông báo dừng giải quyết hồ sơ",
  06 "Phiếu kiểm soát quá trình giải quyết hồ sơ", 07 "Sổ theo dõi hồ sơ".
* Civil Code 2015 (91/2015/QH13), which applies to time limits unless a law provides
  otherwise (art. 145(1)), read on the verbatim quotes of arts. 147–148:
  art. 147(3) "Khi thời hạn bắt đầu bằng một sự kiện thì ngày xảy ra sự kiện không được
  tính mà tính từ ngày tiếp theo liền kề của ngày xảy ra sự kiện đó" — the day of receipt
  is not counted; art. 148(1) "Khi thời hạn tính bằng ngày thì thời hạn kết thúc tại thời
  điểm kết thúc ngày cuối cùng của thời hạn" — the limit ends at the end of its last day;
  art. 148(5) — a last day off moves to the next working day (`effective_deadline`).

No general cut-off hour was found. "Received after 15:00 → next working day" appears only
in procedure-specific texts (certified copies, "chứng thực bản sao"; Hà Nội plan 1811 for
procedure 2.000635): it is a property of the procedure, hence the `cutoff=` argument.

Conventions where the law could not be read (each is a `Ruleset` field, so a verified
reading changes data, not code)
--------------------------------------------------------------------------------------

1. Receipt (`due_at`): the day of receipt is not counted (Civil Code art. 147(3)); the
   appointment is `working_days` working days later, at the hour of receipt (the hour the
   receipt slip prints; it is informative, see 3). A receipt on a day off — an online
   dossier submitted on Saturday — counts as received at 00:00 of the next working day,
   the calendar's own convention (`working_start`): Saturday +1 → Tuesday. No cut-off
   hour unless the procedure has one (`cutoff=dt.time(15)`): then a receipt at or after
   it counts as received at 00:00 of the next working day.
2. Supplement request (`resume_after_supplement`): the clock pauses ("pause", as the
   project glossary says: "yêu cầu bổ sung hồ sơ — pauses the clock"). The working days
   left are those after the request's date up to the appointment; they are counted again
   from the complete dossier's receipt, like a new receipt. "restart" (the whole time
   again from the complete dossier) is implemented for a ruleset that turns out to say so.
   NOT VERIFIED for either decree: recalled for Decree 61/2018 as "the time the agency
   already spent counts in the processing time" (→ pause); unknown for Decree 118/2025.
3. Early / on time / late (`classify`): compared by date on the Vietnamese clock, since
   the limit ends at the end of its last day (Civil Code art. 148(1)): resolved before
   the appointment date → early, on it (any hour) → on time, after it → late.
4. Apology letter (`apology_due_by`): by the end of the working day before the
   appointment date. NOT VERIFIED: recalled as "chậm nhất 01 ngày trước ngày hết hạn" for
   Decree 61/2018; the earlier of the plausible readings is taken, as sending early is
   never wrong. The new appointment it proposes is `extended_due_at`.
5. Which decree (`ruleset_for`): the one in force on the date of receipt; a dossier
   received before 01/07/2025 keeps the old rules to the end (transitional provision of
   Decree 118/2025 not read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from cchc.core.errors import DomainError
from cchc.workdays.calendar import (
    VN_TZ,
    add_working_days,
    is_working_day,
    previous_working_day,
    working_days_between,
)

Outcome = Literal["early", "on_time", "late"]
SupplementMode = Literal["pause", "restart"]

EARLY: Outcome = "early"
ON_TIME: Outcome = "on_time"
LATE: Outcome = "late"

CIVIL_CODE_START = "Bộ luật Dân sự 2015 (91/2015/QH13), Điều 147 khoản 3"
CIVIL_CODE_END = "Bộ luật Dân sự 2015 (91/2015/QH13), Điều 148 khoản 1"
CIVIL_CODE_DAY_OFF = "Bộ luật Dân sự 2015 (91/2015/QH13), Điều 148 khoản 5"
UNVERIFIED = "chưa đối chiếu nguyên văn"


@dataclass(frozen=True, eq=False)
class Ruleset:
    """The one-stop rules in force for dossiers received from `in_force_from` to
    `in_force_until` (inclusive; None = still in force), with their sources."""

    code: str
    name: str
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    decrees: tuple[str, ...]
    circular: str
    supplement_mode: SupplementMode
    apology_working_days_before: int
    citations: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)

    def covers(self, day: dt.date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until
        )


DECREE_118_FROM = dt.date(2025, 7, 1)

DECREE_61 = Ruleset(
    code="nd61",
    name="Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
    in_force_from=None,
    in_force_until=DECREE_118_FROM - dt.timedelta(days=1),
    decrees=("61/2018/NĐ-CP ngày 23/04/2018", "107/2021/NĐ-CP"),
    circular="01/2018/TT-VPCP ngày 23/11/2018",
    supplement_mode="pause",
    apology_working_days_before=1,
    citations={
        "receipt": f"{CIVIL_CODE_START}; {CIVIL_CODE_END} (Nghị định 61/2018: {UNVERIFIED})",
        "supplement": f"Nghị định 61/2018/NĐ-CP — tạm dừng tính thời gian ({UNVERIFIED})",
        "classify": CIVIL_CODE_END,
        "apology": f"Nghị định 61/2018/NĐ-CP, 107/2021/NĐ-CP — trước hạn 01 ngày ({UNVERIFIED})",
    },
    forms={
        "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Thông tư 01/2018/TT-VPCP)",
        "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Thông tư 01/2018/TT-VPCP)",
        "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả (Thông tư 01/2018/TT-VPCP)",
    },
)

DECREE_118 = Ruleset(
    code="nd118",
    name="Nghị định 118/2025/NĐ-CP",
    in_force_from=DECREE_118_FROM,
    in_force_until=None,
    decrees=("118/2025/NĐ-CP ngày 09/06/2025, hiệu lực 01/07/2025", "367/2025/NĐ-CP"),
    circular="03/2025/TT-VPCP",
    supplement_mode="pause",
    apology_working_days_before=1,
    citations={
        "receipt": f"{CIVIL_CODE_START}; {CIVIL_CODE_END} (Nghị định 118/2025: {UNVERIFIED})",
        "supplement": f"Nghị định 118/2025/NĐ-CP — tạm dừng tính thời gian ({UNVERIFIED})",
        "classify": CIVIL_CODE_END,
        "apology": f"Nghị định 118/2025/NĐ-CP — trước hạn 01 ngày ({UNVERIFIED})",
    },
    forms={
        "receipt": "Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Phụ lục I, Thông tư 03/2025/TT-VPCP)",
        "supplement": "Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ "
        "(Phụ lục I, Thông tư 03/2025/TT-VPCP)",
        "apology": "Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết "
        "(Phụ lục I, Thông tư 03/2025/TT-VPCP)",
    },
)

RULESETS: tuple[Ruleset, ...] = (DECREE_61, DECREE_118)


def ruleset_for(received_at: dt.datetime) -> Ruleset:
    """The rules in force on the day of receipt (Vietnamese clock): Decree 61/2018 as
    amended by 107/2021 up to 30/06/2025, Decree 118/2025 from 01/07/2025."""
    day = _local(received_at, "received_at").date()
    for ruleset in RULESETS:
        if ruleset.covers(day):
            return ruleset
    raise DomainError(f"Không có quy định một cửa áp dụng cho ngày {day:%d/%m/%Y}.", code="no_ruleset")


def due_at(
    *,
    received_at: dt.datetime,
    working_days: int,
    ruleset: Ruleset | None = None,
    cutoff: dt.time | None = None,
) -> dt.datetime:
    """The appointment ("ngày hẹn trả kết quả") of a dossier received at `received_at`
    whose procedure takes `working_days` working days.

    The day of receipt is not counted (Civil Code art. 147(3)); a receipt on a day off
    counts from 00:00 of the next working day, and so does a receipt at or after the
    procedure's `cutoff` hour when it has one (convention 1 of the module docstring).
    Received Friday 24/01/2025 10:00, 5 working days, across Tết (25/01–02/02) →
    Friday 07/02/2025 10:00. `ruleset` defaults to `ruleset_for(received_at)`; the
    computation is the same under both decrees (no rule of theirs found to differ).
    """
    local = _local(received_at, "received_at")
    _check_days(working_days)
    _ = ruleset or ruleset_for(local)  # the same computation under both decrees
    if cutoff is not None and is_working_day(local) and local.time() >= cutoff:
        local = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    return add_working_days(local, working_days)


def resume_after_supplement(
    *,
    due_at: dt.datetime,
    requested_at: dt.datetime,
    completed_at: dt.datetime,
    working_days: int,
    ruleset: Ruleset,
) -> dt.datetime:
    """The new appointment once the supplemented dossier is complete.

    `due_at` is the appointment before the request, `requested_at` when the request for
    supplementary documents (form "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ") was made,
    `completed_at` when the complete dossier was received, `working_days` the procedure's
    processing time. Under `ruleset.supplement_mode`:

    * "pause": the working days after the request's date up to the appointment are still
      owed, counted again from `completed_at` as from a receipt. Received Friday
      20/06/2025 10:00 for 5 days, due Friday 27/06; requested Tuesday 24/06 → 3 days
      left (25, 26, 27/06); completed Wednesday 02/07 09:00 → Monday 07/07/2025 09:00.
    * "restart": the whole `working_days` from `completed_at`.
    """
    due = _local(due_at, "due_at")
    requested = _local(requested_at, "requested_at")
    completed = _local(completed_at, "completed_at")
    _check_days(working_days)
    if completed < requested:
        raise DomainError(
            "Thời điểm nhận đủ hồ sơ bổ sung không thể trước thời điểm yêu cầu bổ sung.",
            code="supplement_before_request",
            field="completed_at",
        )
    if ruleset.supplement_mode == "restart":
        remaining = working_days
    else:
        remaining = min(working_days, max(0, working_days_between(requested, due)))
    return add_working_days(completed, remaining)


def classify(*, resolved_at: dt.datetime, due_at: dt.datetime) -> Outcome:
    """Whether a dossier was "trước hạn / đúng hạn / trễ hạn" (resolved at `resolved_at`).

    By date on the Vietnamese clock — the limit ends at the end of the appointment's day
    (Civil Code art. 148(1)): before that date → "early", on it at any hour → "on_time",
    after it → "late". Due Friday 07/02/2025 10:00: resolved 06/02 23:59 → early,
    07/02 16:30 → on time, 08/02 00:00 → late.
    """
    resolved = _local(resolved_at, "resolved_at").date()
    due = _local(due_at, "due_at").date()
    if resolved < due:
        return EARLY
    if resolved == due:
        return ON_TIME
    return LATE


def apology_due_by(*, due_at: dt.datetime, ruleset: Ruleset | None = None) -> dt.datetime:
    """The last moment to send the apology letter for a dossier that will be late.

    The end of the working day `ruleset.apology_working_days_before` (1) working days
    before the appointment date (convention 4 of the module docstring: not verified).
    Due Monday 03/02/2025 (after Tết) → Friday 24/01/2025 23:59:59.999999.
    """
    due = _local(due_at, "due_at")
    days_before = (ruleset or ruleset_for(due)).apology_working_days_before
    day = due.date()
    for _ in range(days_before):
        day = previous_working_day(day)
    return dt.datetime.combine(day, dt.time.max, tzinfo=VN_TZ)


def extended_due_at(*, due_at: dt.datetime, extra_working_days: int) -> dt.datetime:
    """The new appointment proposed in the apology letter: `extra_working_days` working
    days after the old one, same hour."""
    _check_days(extra_working_days)
    return add_working_days(_local(due_at, "due_at"), extra_working_days)


# --- helpers ---------------------------------------------------------------------------


def _local(value: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise DomainError(f"{name}: cần thời điểm có múi giờ.", code="naive_datetime", field=name)
    return value.astimezone(VN_TZ)


def _check_days(n: int) -> None:
    if n < 0:
        raise DomainError("Số ngày làm việc không thể âm.", code="negative_days", field="working_days")
