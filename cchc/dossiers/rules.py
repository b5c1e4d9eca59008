"""The one-stop desk's time rules for a dossier: appointment, supplement, early/on time/late.

Pure functions (no models): the working days come from `cchc.workdays.calendar` (Labour
Code 2019 art. 112 and the yearly announcements); datetimes must be aware and are returned
in Asia/Ho_Chi_Minh. The verbatim quotes, with their sources, are in docs/law/one-stop.md.

What was verified, and against what
-----------------------------------
* Decree 61/2018/NĐ-CP (in force 21/06/2018) and Circular 01/2018/TT-VPCP (in force
  06/01/2019): read verbatim in the official codification (Bộ pháp điển, đề mục "Công
  nghệ thông tin", Điều 3.3.NĐ.7.x = Điều x of the Decree, 3.3.TT.34.x = Điều x of the
  Circular), in its original 2018 wording. Verified there:
  - art. 17(1)(c): a complete dossier gets a "Giấy tiếp nhận hồ sơ và hẹn ngày trả kết
    quả"; art. 17(3): the dossier code ("Mã số hồ sơ") is written on it;
  - art. 18(2): the desk hands a dossier over "trong ngày làm việc hoặc chuyển vào đầu
    giờ ngày làm việc tiếp theo đối với trường hợp tiếp nhận sau 15 giờ hàng ngày" — a
    cut-off for the hand-over, not for the processing time (`transfer_due_by`);
  - art. 19(4): a dossier found incomplete is returned with the supplement form within
    "không quá 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ", and "Thời hạn giải quyết
    được tính lại từ đầu sau khi nhận đủ hồ sơ" — the clock RESTARTS, it does not pause
    (`resume_after_supplement`, `supplement_request_due_by`);
  - art. 19(9): a dossier that will be late — "trong thời hạn chậm nhất 01 ngày trước
    ngày hết hạn" the agency notifies the desk and sends the apology letter, stating
    "lý do quá hạn, thời gian đề nghị gia hạn trả kết quả"; "Việc hẹn lại ngày trả kết
    quả được thực hiện không quá một lần" (`apology_due_by`, `can_extend`);
  - art. 20(4): returning early is encouraged; art. 26 and Circular art. 19: the dossier
    code V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX (`format_dossier_code`);
  - Circular art. 9: the six forms; art. 13(1): a dossier's total time "ngắn hơn /
    bằng / dài hơn" the allowed time scores 2 / 1 / 0 (early / on time / late).
  Decree 107/2021/NĐ-CP (amending 61) was NOT read: the codified text carries no note
  of it and keeps the 2018 wording ("Hệ thống thông tin một cửa điện tử"), so whether
  107/2021 changed arts. 17–20 or 26 is unverified.
* Circular 03/2025/TT-VPCP (15/09/2025): only its opening was read — it guides "các
  biểu mẫu trong giải quyết thủ tục hành chính; mã số hồ sơ và mã ngành, lĩnh vực …
  quy định tại điểm b, c và h khoản 1 Điều 35 Nghị định số 118/2025/NĐ-CP". Its forms
  01–07 (names from a secondary source) and its dossier-code article were not read.
* Decree 118/2025/NĐ-CP (09/06/2025, in force 01/07/2025) and Decree 367/2025/NĐ-CP
  (amending it): NOT read — no article text was reachable. The Decree 118 ruleset
  therefore carries over Decree 61's verified rules (except the supplement rule, see
  rule 2), each citation marked UNVERIFIED for Decree 118, so that reading the text
  changes data, not code.
* Civil Code 2015 (91/2015/QH13), applying to time limits unless a law provides
  otherwise (art. 145(1)): art. 147(3) "Khi thời hạn bắt đầu bằng một sự kiện thì ngày
  xảy ra sự kiện không được tính mà tính từ ngày tiếp theo liền kề của ngày xảy ra sự
  kiện đó"; art. 148(1) "Khi thời hạn tính bằng ngày thì thời hạn kết thúc tại thời
  điểm kết thúc ngày cuối cùng của thời hạn". Neither decree text read says when the
  processing time starts, so these govern.

The rules
---------
1. Receipt (`due_at`): the day of receipt is not counted (Civil Code art. 147(3)); the
   appointment is `working_days` working days later, at the hour of receipt. A receipt
   on a day off — an online dossier submitted on Saturday — counts as received at 00:00
   of the next working day, the calendar's own convention (`working_start`): Saturday
   +1 → Tuesday. No cut-off hour for the processing time was found in Decree 61 (its
   15:00 is for the hand-over, art. 18(2)); a procedure whose own text has one ("sau 15
   giờ", certified copies) passes `cutoff=dt.time(15)`: a receipt at or after it counts
   as received at 00:00 of the next working day.
2. Supplement request (`resume_after_supplement`): under Decree 61, "restart" — the
   whole processing time again from the complete dossier's receipt, that day not counted
   (art. 19(4), verified). Under Decree 118, UNVERIFIED: "pause" is kept (only the working
   days left after the request's date up to the old appointment, counted from the
   complete dossier) because it gives the earlier appointment, so a dossier is never
   reported on time when either reading would make it late; if Decree 118 re-enacts
   art. 19(4), set `DECREE_118.supplement_mode = "restart"`. The request itself is due
   within 03 working days of receipt (`supplement_request_due_by`, Decree 61 art. 19(4);
   carried over, UNVERIFIED, for Decree 118).
3. Early / on time / late (`classify`): compared by date on the Vietnamese clock, since
   the limit ends at the end of its last day (Civil Code art. 148(1); Circular 01/2018
   art. 13(1) "ngắn hơn / bằng / dài hơn"): before the appointment date → early, on it
   (any hour) → on time, after it → late.
4. Apology letter (`apology_due_by`): "chậm nhất 01 ngày trước ngày hết hạn" (Decree 61
   art. 19(9)) read as: by the end of the last working day before the appointment date
   (the calendar day before it when that is a working day, else the working day before —
   a letter cannot be sent on a day off, and moving the limit forward past the
   appointment would defeat "trước ngày hết hạn"). The new appointment it proposes is
   `extended_due_at`; only one extension (`can_extend`, "không quá một lần").
5. Which decree (`ruleset_for`): the one in force on the date of receipt; a dossier
   received before 01/07/2025 keeps the old rules to the end (transitional provision of
   Decree 118/2025 not read: UNVERIFIED).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from cchc.core.errors import DomainError
from cchc.workdays.calendar import (
    VN_TZ,
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
    working_start,
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

ND61 = "Nghị định 61/2018/NĐ-CP"
TT01 = "Thông tư 01/2018/TT-VPCP"
ND118 = "Nghị định 118/2025/NĐ-CP"
TT03 = "Thông tư 03/2025/TT-VPCP"

# Circular 01/2018/TT-VPCP art. 19(1): "Mã số hồ sơ gồm các ký tự chữ và số, có cấu trúc
# như sau: V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX" — the unit's code (QCVN on identity codes,
# Thông tư 10/2016/TT-BTTTT), the date of receipt (YYMMDD) and the 4-digit sequence number
# of the dossier received that day.
DOSSIER_CODE_2018 = "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX"
UNIT_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")
DOSSIER_CODE_RE = re.compile(
    r"^(?P<unit>[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3})-(?P<day>\d{6})-(?P<seq>\d{4})$"
)

# Verbatim sentences (Decree 61/2018/NĐ-CP and Circular 01/2018/TT-VPCP, original wording,
# as codified in Bộ pháp điển): the source of each verified rule.
QUOTES_2018: dict[str, str] = {
    "receipt": "Trường hợp hồ sơ đầy đủ, chính xác theo quy định, cán bộ, công chức, viên chức "
    "tiếp nhận hồ sơ và lập Giấy tiếp nhận hồ sơ và hẹn ngày trả kết quả.",
    "transfer": "Chuyển ngay hồ sơ tiếp nhận trực tiếp trong ngày làm việc hoặc chuyển vào đầu giờ "
    "ngày làm việc tiếp theo đối với trường hợp tiếp nhận sau 15 giờ hàng ngày.",
    "supplement": "Thời gian thông báo trả lại hồ sơ không quá 03 ngày làm việc kể từ ngày tiếp nhận "
    "hồ sơ, trừ trường hợp pháp luật chuyên ngành có quy định cụ thể về thời gian. Thời hạn "
    "giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ.",
    "apology": "Đối với hồ sơ quá hạn giải quyết, trong thời hạn chậm nhất 01 ngày trước ngày hết "
    "hạn, cơ quan, đơn vị có thẩm quyền giải quyết hồ sơ phải thông báo bằng văn bản cho Bộ phận "
    "Một cửa và gửi văn bản xin lỗi tổ chức, cá nhân, trong đó ghi rõ lý do quá hạn, thời gian "
    "đề nghị gia hạn trả kết quả theo mẫu Phiếu đề nghị gia hạn thời gian giải quyết.",
    "extension": "Việc hẹn lại ngày trả kết quả được thực hiện không quá một lần.",
    "early": "Khuyến khích việc trả kết quả giải quyết thủ tục hành chính trước thời hạn quy định.",
    "classify": "Chỉ số 1: Tổng thời gian giải quyết thủ tục hành chính so với thời gian cho phép "
    "theo quy định của pháp luật … Điểm 2 khi tổng thời gian ngắn hơn so với quy định; Điểm 1 "
    "khi tổng thời gian bằng thời gian quy định; Điểm 0 khi tổng thời gian dài hơn so với quy định.",
    "dossier_code": "Mã số hồ sơ gồm các ký tự chữ và số, có cấu trúc như sau: "
    "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX",
}


@dataclass(frozen=True, eq=False)
class Ruleset:
    """The one-stop rules in force for dossiers received from `in_force_from` to
    `in_force_until` (inclusive; None = still in force), with their sources.

    `citations` says where each rule comes from and whether its text was read (a value
    containing `UNVERIFIED` was not); `quotes` holds the verbatim sentences read."""

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
    # Working days after receipt within which an incomplete dossier must be returned
    # with the supplement form (Decree 61 art. 19(4): 03); None = no general limit.
    supplement_request_working_days: int | None = 3
    # The hand-over cut-off: received at or after it → handed over at the opening of the
    # next working day (Decree 61 art. 18(2): "sau 15 giờ").
    transfer_cutoff: dt.time | None = dt.time(15)
    # How many times the appointment may be moved by an apology letter (art. 19(9)).
    max_extensions: int | None = 1
    dossier_code_format: str = DOSSIER_CODE_2018
    quotes: dict[str, str] = field(default_factory=dict)

    def covers(self, day: dt.date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def is_verified(self, rule: str) -> bool:
        """Whether the citation of `rule` rests on a text that was read."""
        return rule in self.citations and UNVERIFIED not in self.citations[rule]


DECREE_118_FROM = dt.date(2025, 7, 1)

DECREE_61 = Ruleset(
    code="nd61",
    name="Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
    in_force_from=None,
    in_force_until=DECREE_118_FROM - dt.timedelta(days=1),
    decrees=("61/2018/NĐ-CP ngày 23/04/2018", "107/2021/NĐ-CP"),
    circular="01/2018/TT-VPCP ngày 23/11/2018",
    supplement_mode="restart",
    apology_working_days_before=1,
    supplement_request_working_days=3,
    transfer_cutoff=dt.time(15),
    max_extensions=1,
    dossier_code_format=DOSSIER_CODE_2018,
    citations={
        "receipt": f"{CIVIL_CODE_START}; {CIVIL_CODE_END}; {ND61}, Điều 17 khoản 1 điểm c, khoản 3",
        "transfer": f"{ND61}, Điều 18 khoản 2",
        "supplement": f"{ND61}, Điều 19 khoản 4 — thời hạn giải quyết được tính lại từ đầu",
        "classify": f"{CIVIL_CODE_END}; {TT01}, Điều 13 khoản 1; {ND61}, Điều 20 khoản 4",
        "apology": f"{ND61}, Điều 19 khoản 9 — chậm nhất 01 ngày trước ngày hết hạn",
        "extension": f"{ND61}, Điều 19 khoản 9 — hẹn lại không quá một lần",
        "dossier_code": f"{ND61}, Điều 26; {TT01}, Điều 19",
        "forms": f"{TT01}, Điều 9",
        "amendments": f"Nghị định 107/2021/NĐ-CP — các sửa đổi đối với Điều 17–20, 26 ({UNVERIFIED})",
    },
    forms={
        "receipt": f"Mẫu số 01 — Mẫu giấy tiếp nhận hồ sơ và hẹn trả kết quả ({TT01})",
        "supplement": f"Mẫu số 02 — Mẫu phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ({TT01})",
        "refusal": f"Mẫu số 03 — Mẫu phiếu từ chối tiếp nhận giải quyết hồ sơ ({TT01})",
        "apology": f"Mẫu số 04 — Mẫu phiếu xin lỗi và hẹn lại ngày trả kết quả ({TT01})",
        "control_sheet": f"Mẫu số 05 — Mẫu phiếu kiểm soát quá trình giải quyết hồ sơ ({TT01})",
        "register": f"Mẫu số 06 — Mẫu sổ theo dõi hồ sơ ({TT01})",
    },
    quotes=QUOTES_2018,
)

_CARRIED = f"{ND118}: {UNVERIFIED}; theo {ND61}"

DECREE_118 = Ruleset(
    code="nd118",
    name="Nghị định 118/2025/NĐ-CP",
    in_force_from=DECREE_118_FROM,
    in_force_until=None,
    decrees=("118/2025/NĐ-CP ngày 09/06/2025, hiệu lực 01/07/2025", "367/2025/NĐ-CP"),
    circular="03/2025/TT-VPCP",
    supplement_mode="pause",
    apology_working_days_before=1,
    supplement_request_working_days=3,
    transfer_cutoff=dt.time(15),
    max_extensions=1,
    dossier_code_format=DOSSIER_CODE_2018,
    citations={
        "receipt": f"{CIVIL_CODE_START}; {CIVIL_CODE_END} ({_CARRIED}, Điều 17)",
        "transfer": f"{_CARRIED}, Điều 18 khoản 2",
        "supplement": f"Tạm dừng — quy ước thận trọng ({ND118}: {UNVERIFIED}; "
        f"{ND61}, Điều 19 khoản 4 thì tính lại từ đầu)",
        "classify": f"{CIVIL_CODE_END} ({_CARRIED} và {TT01}, Điều 13)",
        "apology": f"Chậm nhất 01 ngày trước ngày hết hạn ({_CARRIED}, Điều 19 khoản 9)",
        "extension": f"Không quá một lần ({_CARRIED}, Điều 19 khoản 9)",
        "dossier_code": f"{TT03} — cấu trúc mã số hồ sơ {UNVERIFIED}; theo {TT01}, Điều 19",
        "forms": f"{TT03}, Phụ lục I (tên mẫu theo nguồn thứ cấp, {UNVERIFIED})",
        "transition": f"{ND118} — quy định chuyển tiếp {UNVERIFIED}",
        "amendments": f"Nghị định 367/2025/NĐ-CP ({UNVERIFIED})",
        "scope_of_circular": f"{TT03}, phạm vi điều chỉnh — hướng dẫn điểm b, c và h khoản 1 Điều 35 {ND118}",
    },
    forms={
        "receipt": f"Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Phụ lục I, {TT03})",
        "supplement": f"Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Phụ lục I, {TT03})",
        "refusal": f"Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (Phụ lục I, {TT03})",
        "apology": f"Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Phụ lục I, {TT03})",
        "stop": f"Mẫu 05 — Thông báo dừng giải quyết hồ sơ (Phụ lục I, {TT03})",
        "control_sheet": f"Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ (Phụ lục I, {TT03})",
        "register": f"Mẫu 07 — Sổ theo dõi hồ sơ (Phụ lục I, {TT03})",
    },
    quotes={},
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
    procedure's `cutoff` hour when it has one (rule 1 of the module docstring; the
    decree's own 15:00 is for the hand-over, see `transfer_due_by`). Received Friday
    24/01/2025 10:00, 5 working days, across Tết (25/01–02/02) → Friday 07/02/2025
    10:00. `ruleset` defaults to `ruleset_for(received_at)`; the computation is the same
    under both decrees.
    """
    local = _local(received_at, "received_at")
    _check_days(working_days)
    _ = ruleset or ruleset_for(local)  # the same computation under both decrees
    if cutoff is not None and is_working_day(local) and local.time() >= cutoff:
        local = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    return add_working_days(local, working_days)


class TransferDeadline(NamedTuple):
    """When the desk must hand a dossier over to the deciding agency: during `day`, or at
    the opening of `day` when `at_opening` (received after the cut-off)."""

    day: dt.date
    at_opening: bool


def transfer_due_by(*, received_at: dt.datetime, ruleset: Ruleset | None = None) -> TransferDeadline:
    """The hand-over of a paper dossier received at the desk (Decree 61 art. 18(2)):
    "trong ngày làm việc hoặc chuyển vào đầu giờ ngày làm việc tiếp theo đối với trường
    hợp tiếp nhận sau 15 giờ hàng ngày".

    Received Friday 24/01/2025 14:59 → that day; 15:00 or later → the opening of Monday
    03/02/2025 (after Tết). A receipt on a day off is handed over at the opening of the
    next working day. "Sau 15 giờ" is read as from 15:00 inclusive (the earlier reading).
    """
    local = _local(received_at, "received_at")
    cutoff = (ruleset or ruleset_for(local)).transfer_cutoff
    if is_working_day(local) and (cutoff is None or local.time() < cutoff):
        return TransferDeadline(local.date(), False)
    if not is_working_day(local):
        return TransferDeadline(working_start(local).date(), True)
    return TransferDeadline(next_working_day(local.date()), True)


def supplement_request_due_by(
    *, received_at: dt.datetime, ruleset: Ruleset | None = None
) -> dt.datetime | None:
    """The last moment to return an incomplete dossier with the supplement form: the end
    of the 3rd working day after receipt (Decree 61 art. 19(4), "không quá 03 ngày làm
    việc kể từ ngày tiếp nhận hồ sơ"; the day of receipt not counted, Civil Code art.
    147(3)), unless the sector's law sets another time. None when the ruleset has no
    general limit. Received Thursday 23/01/2025 → Tuesday 04/02/2025 23:59:59.999999
    (24/01, then Tết 25/01–02/02, then 03 and 04/02).
    """
    local = _local(received_at, "received_at")
    days = (ruleset or ruleset_for(local)).supplement_request_working_days
    if days is None:
        return None
    last = add_working_days(local, days).date()
    return dt.datetime.combine(last, dt.time.max, tzinfo=VN_TZ)


def resume_after_supplement(
    *,
    due_at: dt.datetime,
    requested_at: dt.datetime,
    completed_at: dt.datetime,
    working_days: int,
    ruleset: Ruleset,
) -> dt.datetime:
    """The new appointment once the complete dossier comes back after a supplement
    request made at `requested_at` on a dossier due `due_at`.

    * "restart" (Decree 61 art. 19(4), "Thời hạn giải quyết được tính lại từ đầu sau khi
      nhận đủ hồ sơ"): the whole `working_days` again from `completed_at`, its day not
      counted. Received Friday 20/06/2025 10:00 for 5 days,
      request Tuesday 24/06, complete Wednesday 02/07 09:00 → Wednesday 09/07/2025 09:00.
    * "pause" (Decree 118, unverified convention, see rule 2): only the working days left
      after the request's date up to the old appointment, counted from `completed_at`.
      Due Tuesday 29/07/2025 (10 days), request Friday 18/07 (7 left), complete Wednesday
      23/07 14:00 → Friday 01/08/2025 14:00.
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
    (Civil Code art. 148(1)); the time taken is "ngắn hơn / bằng / dài hơn" the allowed
    time (Circular 01/2018 art. 13(1)): before that date → "early", on it at any hour →
    "on_time", after it → "late". Due Friday 07/02/2025 10:00: resolved 06/02 23:59 →
    early, 07/02 16:30 → on time, 08/02 00:00 → late.
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

    Decree 61 art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn" — the end of the last
    working day before the appointment date (rule 4 of the module docstring), i.e.
    `ruleset.apology_working_days_before` (1) working days before it. Due Monday
    03/02/2025 (after Tết) → Friday 24/01/2025 23:59:59.999999.
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


def can_extend(*, extensions_so_far: int, ruleset: Ruleset) -> bool:
    """Whether the appointment may be moved again: "Việc hẹn lại ngày trả kết quả được
    thực hiện không quá một lần" (Decree 61 art. 19(9)) — no after the first letter."""
    if extensions_so_far < 0:
        raise DomainError("Số lần gia hạn không thể âm.", code="negative_extensions")
    return ruleset.max_extensions is None or extensions_so_far < ruleset.max_extensions


def format_dossier_code(*, unit_code: str, received_at: dt.datetime, sequence: int) -> str:
    """The dossier code "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX" (Circular 01/2018 art. 19;
    Decree 61 art. 26): the receiving unit's identity code, the date of receipt on the
    Vietnamese clock and the dossier's 4-digit number among that day's receipts.
    `unit_code` "000.00.12.H12", received 24/01/2025, 7th → "000.00.12.H12-250124-0007".
    """
    if not UNIT_CODE_RE.match(unit_code or ""):
        raise DomainError(
            "Mã đơn vị phải có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2 (ví dụ 000.00.12.H12).",
            code="invalid_unit_code",
            field="unit_code",
        )
    if not 1 <= sequence <= 9999:
        raise DomainError(
            "Số thứ tự hồ sơ trong ngày phải từ 0001 đến 9999.", code="invalid_sequence", field="sequence"
        )
    day = _local(received_at, "received_at").date()
    return f"{unit_code}-{day:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> tuple[str, dt.date, int]:
    """(unit code, date of receipt, sequence) of a code made by `format_dossier_code`."""
    match = DOSSIER_CODE_RE.match(code or "")
    if match is None:
        raise DomainError("Mã số hồ sơ không đúng cấu trúc.", code="invalid_dossier_code", field="code")
    day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    return match["unit"], day, int(match["seq"])


# --- helpers ---------------------------------------------------------------------------


def _local(value: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise DomainError(f"{name}: cần thời điểm có múi giờ.", code="naive_datetime", field=name)
    return value.astimezone(VN_TZ)


def _check_days(n: int) -> None:
    if n < 0:
        raise DomainError("Số ngày làm việc không thể âm.", code="negative_days", field="working_days")
