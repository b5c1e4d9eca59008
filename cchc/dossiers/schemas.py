"""The shapes of the one-stop desk's API (`cchc/dossiers/api.py`).

Times are ISO 8601 with their offset (Asia/Ho_Chi_Minh when the server writes them); a
time sent without an offset is refused. Procedures and dossiers are named by their
codes; units by their codes (`HY-VG`), as other systems know them.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer

from cchc.core.privacy import personal_data_for_caller
from cchc.plans.schemas import UnitRefOut
from cchc.workdays.calendar import VN_TZ

from .models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierStep,
    OnlineMode,
    Procedure,
    ProcedureLevel,
    ReturnMethod,
)

# Written on the Vietnamese clock ("2025-10-15T09:00:00+07:00"), as the desk reads them.
VnDateTime = Annotated[
    dt.datetime, PlainSerializer(lambda value: value.astimezone(VN_TZ).isoformat(), return_type=str)
]


# --- procedures --------------------------------------------------------------------------
class StepDefOut(Schema):
    name: str = Field(description="Tên bước của quy trình nội bộ.")
    share: int = Field(description="Tỷ lệ thời gian giải quyết dành cho bước (%).")


class ProcedureOut(Schema):
    """Một thủ tục hành chính trong danh mục."""

    code: str = Field(description="Mã thủ tục (mã trên Cơ sở dữ liệu quốc gia về TTHC).")
    name: str
    field: str = Field(description="Lĩnh vực.")
    level: ProcedureLevel = Field(description="Cấp thực hiện: province, district, commune, school.")
    level_label: str
    processing_days: int = Field(description="Thời hạn giải quyết (ngày làm việc).")
    fee: str = Field(description="Phí, lệ phí.")
    online_mode: OnlineMode = Field(description="Dịch vụ công trực tuyến: full, partial, none.")
    online_mode_label: str
    postal_return: bool = Field(description="Có trả kết quả qua bưu chính.")
    result_requires_file: bool = Field(description="Kết quả phải có tệp số hóa.")
    cutoff: dt.time | None = Field(description="Tiếp nhận từ giờ này được tính từ ngày làm việc sau.")
    steps: list[StepDefOut] = Field(description="Quy trình nội bộ (trống: quy trình mặc định).")
    forms: list[str] = Field(description="Mẫu đơn, tờ khai.")
    documents: list[str] = Field(description="Thành phần hồ sơ.")
    legal_basis: str
    result: str = Field(description="Kết quả thực hiện.")
    is_active: bool = Field(description="Đang áp dụng.")

    @staticmethod
    def resolve_level_label(obj: Procedure) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_online_mode_label(obj: Procedure) -> str:
        return obj.get_online_mode_display()


class ProcedureFilters(Schema):
    q: str = Field("", max_length=100, description="Tìm theo mã, tên, lĩnh vực (có hoặc không dấu).")
    level: ProcedureLevel | None = Field(None, description="Chỉ lấy thủ tục của cấp này.")
    field: str = Field("", max_length=200, description="Chỉ lấy thủ tục của lĩnh vực này.")
    online_mode: OnlineMode | None = Field(None, description="Chỉ lấy thủ tục có mức DVCTT này.")
    active: bool | None = Field(
        True, description="true (mặc định): đang áp dụng; false: đã bãi bỏ; bỏ trống: mọi thủ tục."
    )


# --- dossiers ----------------------------------------------------------------------------
class ProcedureRefOut(Schema):
    code: str
    name: str


class ApplicantOut(Schema):
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class DossierSummaryOut(Schema):
    """Một hồ sơ trong danh sách."""

    code: str = Field(description="Mã hồ sơ (in trên giấy tiếp nhận).")
    external_id: str = Field(description="Mã hồ sơ trên hệ thống đã gửi hồ sơ sang (nếu có).")
    procedure: ProcedureRefOut
    unit: UnitRefOut = Field(description="Đơn vị giải quyết.")
    channel: Channel = Field(description="Hình thức nộp: desk, online, post.")
    applicant_name: str
    received_at: VnDateTime
    due_at: VnDateTime = Field(description="Ngày hẹn trả kết quả hiện hành.")
    status: DossierStatus
    status_label: str
    outcome: str = Field(description="early, on_time, late khi đã có kết quả; trống nếu chưa.")
    resolved_at: VnDateTime | None
    returned_at: VnDateTime | None
    closed_at: VnDateTime | None

    @staticmethod
    def resolve_status_label(obj: Dossier) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_applicant_name(obj: Dossier, context) -> str:
        return _person(obj, context).name


def _person(obj: Dossier, context):
    """The applicant as the caller may see them (cchc.core.privacy)."""
    return personal_data_for_caller(obj, context)


class StepOut(Schema):
    """Một dòng của phiếu kiểm soát quá trình giải quyết hồ sơ."""

    position: int
    name: str
    unit: UnitRefOut
    handler: str = Field(description="Tên đăng nhập người xử lý (trống nếu chưa giao).")
    started_at: VnDateTime
    due_at: VnDateTime
    completed_at: VnDateTime | None
    outcome: str = Field(description="early, on_time, late khi bước đã xong.")
    note: str

    @staticmethod
    def resolve_handler(obj: DossierStep) -> str:
        return obj.handler.username if obj.handler_id else ""


class EventOut(Schema):
    at: VnDateTime
    kind: str
    kind_label: str
    unit: str = Field(description="Mã đơn vị nơi diễn ra sự kiện.")
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_kind_label(obj: DossierEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_unit(obj: DossierEvent) -> str:
        return obj.unit.code if obj.unit_id else ""


class DossierOut(DossierSummaryOut):
    """Một hồ sơ với phiếu kiểm soát và lịch sử xử lý."""

    applicant: ApplicantOut
    subject: str
    documents: list[str]
    ruleset: str = Field(description="Quy định áp dụng theo ngày tiếp nhận: nd61, nd118.")
    processing_days: int
    original_due_at: VnDateTime = Field(description="Ngày hẹn trả ghi trên giấy tiếp nhận.")
    current_step: int
    return_method: str
    refusal_reason: str
    result_summary: str
    result_digitized: bool
    steps: list[StepOut]
    events: list[EventOut]

    @staticmethod
    def resolve_applicant(obj: Dossier, context) -> dict:
        person = _person(obj, context)
        return {
            "name": person.name,
            "id_number": person.id_number,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
        }

    # The free texts may repeat the applicant's data: masked like the applicant for a
    # caller who does not handle the dossier (in memory only, nothing is saved).
    @staticmethod
    def resolve_subject(obj: Dossier, context) -> str:
        return _person(obj, context).hide(obj.subject)

    @staticmethod
    def resolve_result_summary(obj: Dossier, context) -> str:
        return _person(obj, context).hide(obj.result_summary)

    @staticmethod
    def resolve_refusal_reason(obj: Dossier, context) -> str:
        return _person(obj, context).hide(obj.refusal_reason)

    @staticmethod
    def resolve_steps(obj: Dossier, context) -> list[DossierStep]:
        person = _person(obj, context)
        steps = sorted(obj.steps.all(), key=lambda s: (s.started_at, s.id))
        for step in steps:
            step.note = person.hide(step.note)
        return steps

    @staticmethod
    def resolve_events(obj: Dossier, context) -> list[DossierEvent]:
        person = _person(obj, context)
        events = sorted(obj.events.all(), key=lambda e: (e.at, e.id))
        for event in events:
            event.note, event.data = person.hide(event.note), person.hide(event.data)
        return events


class DossierFilters(Schema):
    unit: str = Field(
        "", max_length=40, description="Mã đơn vị: hồ sơ của đơn vị đó và các đơn vị trực thuộc."
    )
    status: DossierStatus | None = Field(None, description="Chỉ lấy hồ sơ ở trạng thái này.")
    received_from: dt.date | None = Field(None, description="Tiếp nhận từ ngày (giờ Việt Nam).")
    received_to: dt.date | None = Field(None, description="Tiếp nhận đến hết ngày (giờ Việt Nam).")
    code: str = Field("", max_length=40, description="Mã hồ sơ, hoặc phần đầu của mã (HY-VG-251008).")
    external_id: str = Field("", max_length=80, description="Mã hồ sơ trên hệ thống khác.")


class ApplicantIn(Schema):
    name: str = Field(max_length=200, description="Họ tên người nộp hoặc tên tổ chức.")
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class DossierIn(Schema):
    """Tiếp nhận hồ sơ. Gửi lại cùng `external_id` cho cùng đơn vị trả về hồ sơ đã có (200)."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(max_length=40, description="Mã đơn vị tiếp nhận.")
    procedure: str = Field(max_length=40, description="Mã thủ tục.")
    applicant: ApplicantIn
    channel: Channel = Field(Channel.DESK, description="Hình thức nộp: desk, online, post.")
    received_at: dt.datetime | None = Field(
        None, description="Thời điểm tiếp nhận, có múi giờ (mặc định: bây giờ)."
    )
    external_id: str = Field(
        "", max_length=80, description="Mã hồ sơ trên hệ thống gửi sang, để gửi lại không tạo trùng."
    )
    subject: str = Field("", max_length=500)
    documents: list[str] = Field(default_factory=list, description="Giấy tờ đã nhận.")


EventKindIn = Literal[
    "handed_over",
    "supplement_requested",
    "supplement_completed",
    "apology_sent",
    "resolved",
    "returned",
    "refused",
    "withdrawn",
]


class DossierEventIn(Schema):
    """Một bước xử lý hồ sơ. Các trường dùng theo `kind`:

    - handed_over: `to_unit` (mã đơn vị), `to_handler` (tên đăng nhập), `note`;
    - supplement_requested: `reason`; supplement_completed: —;
    - apology_sent: `reason`, `new_due_at` hoặc `extra_working_days`, `number`, `signer_name`, `signer_title`;
    - resolved: `summary`, `digitized`, `signed`;
    - returned: `method` (desk, post, online), `note`;
    - refused: `reason`; withdrawn: `note`.
    """

    model_config = ConfigDict(extra="forbid")

    kind: EventKindIn
    at: dt.datetime | None = Field(None, description="Thời điểm, có múi giờ (mặc định: bây giờ).")
    note: str = Field("", max_length=500)
    reason: str = Field("", max_length=2000)
    to_unit: str = Field("", max_length=40)
    to_handler: str = Field("", max_length=150)
    new_due_at: dt.datetime | None = None
    extra_working_days: int | None = Field(None, ge=1, le=365)
    number: str = Field("", max_length=40)
    signer_name: str = Field("", max_length=200)
    signer_title: str = Field("", max_length=200)
    summary: str = Field("", max_length=500)
    digitized: bool | None = None
    signed: bool = False
    method: ReturnMethod = ReturnMethod.DESK
