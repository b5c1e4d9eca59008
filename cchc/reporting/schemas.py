"""The shapes of the reporting API (`cchc/reporting/api.py`): what goes in, what comes out.

Dates are ISO 8601, times aware (Asia/Ho_Chi_Minh). A period is sent as officers write
it ("Quý I/2026", "6 tháng đầu năm 2026") or as its key ("2026-Q1") and comes back as
`{"key", "label", "start", "end"}`. Rates are percentages (0–100), null when no unit is
expected.
"""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from cchc.plans.schemas import ConflictOut, PeriodOut, UnitRefOut, period_out

from .models import DEFAULT_REQUIRED_SECTIONS, Report, ReporterDepth, ReportingSchedule
from .selectors import Completeness

__all__ = ["ConflictOut"]


# --- schedules -------------------------------------------------------------------------
class ScheduleOut(Schema):
    """Một chế độ báo cáo định kỳ: đơn vị nào báo cáo cho đơn vị nào, kỳ nào, hạn nào."""

    id: int
    owner: UnitRefOut = Field(description="Đơn vị nhận báo cáo.")
    name: str
    plan_id: int | None = Field(description="Kế hoạch CCHC mà chế độ báo cáo này theo dõi.")
    rule: dict[str, Any] = Field(description="Quy tắc hạn gửi (xem `cchc.reporting.schedules`).")
    period_kinds: list[str] = Field(description="Loại kỳ: month, quarter, half_year, nine_months, year.")
    reporter_kinds: list[str] = Field(description="Loại đơn vị báo cáo: school, commune_office, …")
    unit_ids: list[int] = Field(description="Đơn vị báo cáo được chỉ định riêng.")
    depth: str = Field(description="`children`: đơn vị trực thuộc trực tiếp; `subtree`: mọi cấp dưới.")
    required_sections: list[str]
    is_active: bool
    version: int

    @staticmethod
    def resolve_unit_ids(obj: ReportingSchedule) -> list[int]:
        return [u.pk for u in obj.units.all()]


class ScheduleIn(Schema):
    owner_id: int = Field(description="Đơn vị nhận báo cáo (cần quyền quản lý kế hoạch ở đơn vị đó).")
    name: str
    preset: str | None = Field(
        None, description="Mẫu quy tắc có sẵn: decree_09_2019, moha_reform_report, seed_000_hoang_mai, …"
    )
    rule: dict[str, Any] | None = Field(None, description="Quy tắc hạn gửi, khi không dùng `preset`.")
    period_kinds: list[str] = Field(default_factory=list, description="Trống: mọi kỳ quy tắc đặt hạn.")
    reporter_kinds: list[str] = Field(default_factory=list)
    unit_ids: list[int] = Field(default_factory=list)
    depth: str = ReporterDepth.SUBTREE
    required_sections: list[str] = Field(default_factory=lambda: list(DEFAULT_REQUIRED_SECTIONS))
    plan_id: int | None = None


class CalendarEntryOut(Schema):
    """Một kỳ báo cáo trong năm: thời gian chốt số liệu và hạn gửi."""

    period: str = Field(description="Mã kỳ, ví dụ 2026-Q1.")
    label: str
    cut_off_start: dt.date
    cut_off_end: dt.date
    due: dt.date = Field(description="Hạn gửi (đã dời khỏi ngày nghỉ theo quy tắc).")
    moved_from: dt.date | None = Field(description="Hạn theo quy tắc, khi đã bị dời do trùng ngày nghỉ.")


# --- reports ---------------------------------------------------------------------------
class ScheduleRefOut(Schema):
    id: int
    name: str


class ReportSummaryOut(Schema):
    """Một báo cáo (không kèm nội dung)."""

    id: int
    schedule: ScheduleRefOut
    unit: UnitRefOut = Field(description="Đơn vị báo cáo.")
    period: PeriodOut
    cut_off_start: dt.date
    cut_off_end: dt.date
    due_date: dt.date
    status: str = Field(description="draft, submitted, returned, accepted.")
    status_label: str
    is_late: bool = Field(description="Lần gửi đầu tiên sau hạn gửi.")
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    version: int = Field(description="Gửi lại khi lưu, gửi: phiên bản cũ bị từ chối (409).")

    @staticmethod
    def resolve_period(obj: Report) -> dict:
        from cchc.metrics.periods import Period

        return period_out(Period.from_key(obj.period_key))

    @staticmethod
    def resolve_status_label(obj: Report) -> str:
        return str(obj.get_status_display())


class ReviewOut(Schema):
    action: str = Field(description="returned, accepted, reopened.")
    comment: str
    reviewer: str | None
    version_number: int | None
    at: dt.datetime

    @staticmethod
    def resolve_reviewer(obj) -> str | None:
        return obj.reviewer.get_full_name() or obj.reviewer.username if obj.reviewer_id else None


class ReportOut(ReportSummaryOut):
    """Một báo cáo với nội dung và các lần xử lý."""

    indicator_values: dict[str, Any] = Field(description="Số liệu chỉ tiêu theo khóa.")
    task_snapshot: Any
    results: str = Field(description="Kết quả đạt được theo từng lĩnh vực.")
    limitations: str = Field(description="Tồn tại, hạn chế và nguyên nhân.")
    next_tasks: str = Field(description="Nhiệm vụ trọng tâm kỳ tới.")
    proposals: str = Field(description="Đề xuất, kiến nghị.")
    comments: str
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_reviews(obj: Report) -> list:
        return list(obj.reviews.select_related("reviewer"))


class ReportFilters(Schema):
    schedule: int | None = Field(None, description="Mã chế độ báo cáo.")
    period: str = Field("", description="Kỳ, ví dụ “Quý I/2026” hoặc 2026-Q1.")
    status: str = Field("", description="draft, submitted, returned, accepted.")
    mine: bool = Field(False, description="Chỉ báo cáo của các đơn vị người dùng trực tiếp công tác.")


class ReportOpenIn(Schema):
    schedule_id: int
    unit_id: int
    period: str = Field(description="Kỳ báo cáo, ví dụ “Quý I/2026” hoặc 2026-Q1.")


class DraftIn(Schema):
    """Nội dung cần lưu (bỏ qua trường không đổi) và `version` đã đọc."""

    version: int
    indicator_values: dict[str, dict[str, Any]] | None = None
    task_snapshot: Any = None
    results: str | None = None
    limitations: str | None = None
    next_tasks: str | None = None
    proposals: str | None = None
    comments: str | None = None


class VersionIn(Schema):
    version: int


class CommentIn(Schema):
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class ReportInvalidOut(Schema):
    """Báo cáo chưa gửi được: lỗi của từng trường."""

    code: str = Field(description="`invalid` khi nội dung chưa đủ; mã lỗi khác khi yêu cầu không đọc được.")
    message: str = Field(description="Lỗi đầu tiên, bằng tiếng Việt.")
    field: str | None
    # Absent when the request itself is unreadable (bad JSON): then it is the plain ErrorOut.
    errors: dict[str, str] = Field(default_factory=dict,
                                   description="Trường → thông báo, ví dụ `indicator_values.on_time.value`.")


class DueOut(Schema):
    """Một báo cáo đơn vị cần xử lý: sắp đến hạn (due), quá hạn (overdue), bị trả lại (returned)."""

    unit: UnitRefOut
    schedule: ScheduleRefOut
    period: PeriodOut
    due_date: dt.date
    state: str
    working_days_left: int
    report_id: int | None


# --- completeness and consolidation ------------------------------------------------------
class CompletenessQuery(Schema):
    schedule: int
    period: str = Field(description="Kỳ, ví dụ “Quý I/2026”.")
    unit: int | None = Field(None, description="Đơn vị xem (mặc định: đơn vị nhận báo cáo).")


class ReportCountsOut(Schema):
    expected: int = Field(description="Số đơn vị phải báo cáo.")
    submitted: int
    on_time: int
    late: int
    missing: int
    accepted: int
    drafts: int = Field(description="Đang soạn, chưa gửi.")
    completeness_rate: float | None = Field(description="Tỷ lệ đã gửi (%).")
    timeliness_rate: float | None = Field(description="Tỷ lệ gửi đúng hạn (%).")
    acceptance_rate: float | None


def counts_out(c: Completeness) -> dict:
    return {
        "expected": c.expected,
        "submitted": c.submitted,
        "on_time": c.on_time,
        "late": c.late,
        "missing": c.missing,
        "accepted": c.accepted,
        "drafts": c.drafts,
        "completeness_rate": c.completeness_rate,
        "timeliness_rate": c.timeliness_rate,
        "acceptance_rate": c.acceptance_rate,
    }


class CompletenessRowOut(Schema):
    unit: UnitRefOut
    counts: ReportCountsOut


class CompletenessOut(Schema):
    """Tình hình gửi báo cáo dưới một đơn vị, theo từng đơn vị trực thuộc."""

    unit: UnitRefOut
    period: PeriodOut
    total: ReportCountsOut
    own: ReportCountsOut = Field(description="Báo cáo của chính đơn vị đang xem (nếu thuộc diện báo cáo).")
    rows: list[CompletenessRowOut]


class ConsolidateIn(Schema):
    schedule_id: int
    unit_id: int = Field(description="Đơn vị tổng hợp báo cáo từ các đơn vị trực thuộc.")
    period: str


class IndicatorRowOut(Schema):
    key: str
    label: str
    unit: str
    value: str | None
    numerator: str | None
    denominator: str | None
    source: str = Field(description="metric, sum, hoặc manual (để cán bộ tự điền).")
    comment: str


class ConsolidatedOut(Schema):
    """Dự thảo báo cáo tổng hợp đã lưu, kèm các đơn vị đã và chưa báo cáo."""

    report: ReportOut
    indicators: list[IndicatorRowOut]
    reported: list[UnitRefOut]
    missing: list[UnitRefOut]
