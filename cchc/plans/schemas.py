"""The shapes of the plans API (`cchc/plans/api.py`): what goes in, what comes out.

Dates are ISO 8601. Every number is a JSON number: targets, values, numerators and
denominators are stored with at most two decimals, progress percentages are integers.
Reform areas are named by their stable key (`procedures`, `digital_government`, …).
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from cchc.orgs.models import OrgUnit, UnitKind

from .models import (
    Comparator,
    Evidence,
    Indicator,
    Plan,
    PlanKind,
    PlanStatus,
    ProgressUpdate,
    Task,
    TaskStatus,
)


def number(value: Decimal | float | int | None) -> float | int | None:
    """A stored decimal as a JSON number: 98 rather than 98.0 when it is whole."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


# --- shared --------------------------------------------------------------------------
class UnitRefOut(Schema):
    """Một đơn vị được nhắc tới (đơn vị ban hành, chủ trì, phối hợp)."""

    id: int
    code: str = Field(description="Mã đơn vị.")
    name: str = Field(description="Tên đơn vị.")


class PeriodOut(Schema):
    """Kỳ báo cáo."""

    key: str = Field(description="Mã kỳ: 2026-Q1, 2026-H1, 2026-9M, 2026-M03, 2026.")
    label: str = Field(description="Tên kỳ bằng tiếng Việt, ví dụ “Quý I/2026”.")
    start: dt.date = Field(description="Ngày đầu kỳ (ISO 8601).")
    end: dt.date = Field(description="Ngày cuối kỳ (ISO 8601).")


class ConflictChangeOut(Schema):
    yours: Any = Field(description="Giá trị bạn gửi lên.")
    current: Any = Field(description="Giá trị đang lưu (do người khác vừa cập nhật).")


def _area_key(obj) -> str | None:
    return obj.area.key if obj.area_id else None


def _area_name(obj) -> str | None:
    return obj.area.name if obj.area_id else None


# --- plans ---------------------------------------------------------------------------
class PlanOut(Schema):
    """Một kế hoạch CCHC."""

    id: int
    issuer: UnitRefOut = Field(description="Đơn vị ban hành.")
    number: str = Field(description="Số văn bản.")
    symbol: str = Field(description="Ký hiệu văn bản, ví dụ KH-SGDĐT.")
    reference: str = Field(description="Số, ký hiệu như trên văn bản, ví dụ “251/KH-PGD&ĐT”.")
    issued_on: dt.date | None = Field(description="Ngày ban hành (ISO 8601).")
    place: str = Field(description="Địa danh.")
    title: str = Field(description="Trích yếu.")
    kind: PlanKind = Field(description="Loại kế hoạch: phase, annual, thematic, emulation.")
    kind_label: str = Field(description="Tên loại kế hoạch bằng tiếng Việt.")
    period_start: dt.date = Field(description="Thực hiện từ ngày (ISO 8601).")
    period_end: dt.date = Field(description="Đến ngày (ISO 8601).")
    status: PlanStatus = Field(description="Trạng thái: draft, issued, mid_term_review, closed.")
    status_label: str = Field(description="Tên trạng thái bằng tiếng Việt.")
    implements_text: str = Field(description="Căn cứ, thực hiện các văn bản ngoài hệ thống.")
    purposes: str = Field(description="Mục đích.")
    requirements: str = Field(description="Yêu cầu.")
    parent_id: int | None = Field(description="Kế hoạch cấp trên mà kế hoạch này triển khai.")
    root_id: int | None = Field(description="Kế hoạch gốc của chuỗi triển khai (null: chính nó).")
    task_count: int | None = Field(None, description="Số nhiệm vụ của kế hoạch.")
    version: int = Field(description="Phiên bản; gửi lại khi sửa để phát hiện sửa đồng thời.")

    @staticmethod
    def resolve_kind_label(obj: Plan) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Plan) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_task_count(obj: Plan) -> int | None:
        return getattr(obj, "task_count", None)


class PlanFilters(Schema):
    q: str = Field(
        "", max_length=100, description="Tìm theo trích yếu, số, ký hiệu hoặc tên đơn vị ban hành."
    )
    status: PlanStatus | None = Field(None, description="Chỉ lấy kế hoạch ở trạng thái này.")
    kind: PlanKind | None = Field(None, description="Chỉ lấy loại kế hoạch này.")
    year: int | None = Field(
        None, ge=1900, le=9998, description="Chỉ lấy kế hoạch có hiệu lực trong năm này."
    )
    # Bounded to the database's ids: a larger one reached SQLite as an OverflowError (500).
    issuer: int | None = Field(None, ge=1, le=2**63 - 1,
                               description="Chỉ lấy kế hoạch của đơn vị ban hành có id này.")


class PlanCreateIn(Schema):
    """Tạo kế hoạch mới (ở trạng thái dự thảo)."""

    model_config = ConfigDict(extra="forbid")

    issuer_id: int = Field(description="Id đơn vị ban hành.")
    title: str = Field(max_length=500, description="Trích yếu.")
    kind: PlanKind = Field(description="Loại kế hoạch.")
    period_start: dt.date = Field(description="Thực hiện từ ngày (ISO 8601).")
    period_end: dt.date = Field(description="Đến ngày (ISO 8601).")
    number: str = Field("", max_length=20, description="Số văn bản.")
    symbol: str = Field("", max_length=60, description="Ký hiệu văn bản.")
    issued_on: dt.date | None = Field(None, description="Ngày ban hành (ISO 8601).")
    place: str = Field("", max_length=80, description="Địa danh.")
    implements_text: str = Field("", description="Căn cứ, thực hiện các văn bản ngoài hệ thống.")
    purposes: str = Field("", description="Mục đích.")
    requirements: str = Field("", description="Yêu cầu.")
    implements_ids: list[int] = Field(
        default_factory=list, description="Id các kế hoạch trong hệ thống mà kế hoạch này thực hiện."
    )


class PlanPatchIn(Schema):
    """Sửa kế hoạch; chỉ các trường gửi lên được thay đổi."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="Phiên bản đã đọc; khác phiên bản đang lưu thì trả lỗi 409.")
    title: str | None = Field(None, max_length=500, description="Trích yếu.")
    kind: PlanKind | None = Field(None, description="Loại kế hoạch.")
    period_start: dt.date | None = Field(None, description="Thực hiện từ ngày (ISO 8601).")
    period_end: dt.date | None = Field(None, description="Đến ngày (ISO 8601).")
    number: str | None = Field(None, max_length=20, description="Số văn bản.")
    symbol: str | None = Field(None, max_length=60, description="Ký hiệu văn bản.")
    issued_on: dt.date | None = Field(None, description="Ngày ban hành (ISO 8601); null để xóa.")
    place: str | None = Field(None, max_length=80, description="Địa danh.")
    implements_text: str | None = Field(None, description="Căn cứ, thực hiện các văn bản ngoài hệ thống.")
    purposes: str | None = Field(None, description="Mục đích.")
    requirements: str | None = Field(None, description="Yêu cầu.")


class PlanStatusIn(Schema):
    """Chuyển trạng thái: dự thảo → ban hành → sơ kết → tổng kết."""

    model_config = ConfigDict(extra="forbid")

    status: PlanStatus = Field(description="Trạng thái mới.")
    issued_on: dt.date | None = Field(None, description="Ngày ban hành, khi chuyển sang “Đã ban hành”.")


class ConflictOut(Schema):
    """Bản ghi vừa được người khác sửa: không ghi đè, trả về phần khác nhau."""

    code: str = Field(description="Luôn là `conflict`.")
    message: str = Field(description="Thông báo bằng tiếng Việt.")
    field: str | None = None
    version: int = Field(description="Phiên bản đang lưu; đọc lại rồi gửi với phiên bản này.")
    changes: dict[str, ConflictChangeOut] = Field(
        description="Với mỗi trường khác nhau: giá trị bạn gửi (`yours`) và giá trị đang lưu (`current`)."
    )


# --- indicators ----------------------------------------------------------------------
class IndicatorOut(Schema):
    """Một chỉ tiêu, ví dụ “TTHC giải quyết đúng hạn đạt từ 98% trở lên” (≥ 98 %)."""

    id: int
    plan_id: int
    parent_id: int | None = Field(description="Chỉ tiêu cấp trên mà chỉ tiêu này triển khai.")
    area: str | None = Field(description="Mã lĩnh vực CCHC.")
    area_name: str | None = Field(description="Tên lĩnh vực CCHC.")
    text: str = Field(description="Nội dung chỉ tiêu.")
    comparator: Comparator = Field(description="Phép so sánh với mục tiêu: >=, >, <=, <, =.")
    target: float | int = Field(description="Giá trị mục tiêu.")
    unit_of_measure: str = Field(description="Đơn vị tính, ví dụ “%”.")
    baseline: float | int | None = Field(description="Giá trị nền.")
    applies_to_kinds: list[str] = Field(description="Loại đơn vị áp dụng (rỗng: mọi đơn vị).")
    metric_key: str = Field(description="Đo tự động từ chỉ số này; rỗng: nhập tay theo kỳ.")
    is_manual: bool = Field(description="Chỉ tiêu nhập số liệu bằng tay.")
    order: int

    @staticmethod
    def resolve_area(obj: Indicator) -> str | None:
        return _area_key(obj)

    @staticmethod
    def resolve_area_name(obj: Indicator) -> str | None:
        return _area_name(obj)

    @staticmethod
    def resolve_target(obj: Indicator):
        return number(obj.target)

    @staticmethod
    def resolve_baseline(obj: Indicator):
        return number(obj.baseline)


class IndicatorValueOut(Schema):
    indicator: IndicatorOut
    value: float | int | None = Field(description="Giá trị hiện tại trong kỳ (null: chưa có số liệu).")
    numerator: float | int | None = Field(description="Tử số, nếu có.")
    denominator: float | int | None = Field(description="Mẫu số, nếu có.")
    status: Literal["achieved", "on_track", "at_risk", "missed", "no_data"] = Field(
        description="Tình trạng tính từ giá trị và mục tiêu: achieved (đạt), on_track (đúng tiến độ), "
        "at_risk (có nguy cơ không đạt), missed (không đạt), no_data (chưa có số liệu)."
    )
    status_label: str = Field(description="Tình trạng bằng tiếng Việt.")
    source: Literal["metric", "manual"] = Field(description="metric: đo tự động; manual: nhập tay.")


class IndicatorValuesOut(Schema):
    """Các chỉ tiêu của kế hoạch với giá trị của một đơn vị trong một kỳ."""

    unit: UnitRefOut
    period: PeriodOut
    items: list[IndicatorValueOut]


class IndicatorValuesQuery(Schema):
    unit: int | None = Field(None, description="Id đơn vị (mặc định: đơn vị ban hành, hoặc đơn vị của bạn).")
    period: str = Field(
        "",
        max_length=60,
        description="Kỳ: mã (2026-Q1, 2026-H1, 2026) hoặc như văn bản (“Quý I/2026”, "
        "“6 tháng đầu năm 2026”); mặc định cả năm của kế hoạch.",
    )


class IndicatorIn(Schema):
    """Thêm chỉ tiêu vào kế hoạch."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="Nội dung chỉ tiêu.")
    target: Decimal = Field(max_digits=14, decimal_places=2, description="Giá trị mục tiêu.")
    comparator: Comparator = Field(Comparator.GTE, description="Phép so sánh: >=, >, <=, <, =.")
    unit_of_measure: str = Field("%", min_length=1, max_length=30, description="Đơn vị tính.")
    area: str | None = Field(None, max_length=40, description="Mã lĩnh vực CCHC.")
    baseline: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Giá trị nền.")
    metric_key: str = Field("", max_length=80, description="Mã chỉ số đo tự động (rỗng: nhập tay).")
    applies_to_kinds: list[UnitKind] = Field(
        default_factory=list, description="Loại đơn vị áp dụng (rỗng: mọi đơn vị)."
    )


class IndicatorPatchIn(Schema):
    """Sửa chỉ tiêu; chỉ các trường gửi lên được thay đổi."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Nội dung chỉ tiêu.")
    target: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Giá trị mục tiêu.")
    comparator: Comparator | None = Field(None, description="Phép so sánh.")
    unit_of_measure: str | None = Field(None, min_length=1, max_length=30, description="Đơn vị tính.")
    area: str | None = Field(None, max_length=40, description="Mã lĩnh vực CCHC; null để bỏ.")
    baseline: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Giá trị nền.")
    metric_key: str | None = Field(None, max_length=80, description="Mã chỉ số đo tự động; rỗng: nhập tay.")
    applies_to_kinds: list[UnitKind] | None = Field(None, description="Loại đơn vị áp dụng.")


class EntryIn(Schema):
    """Số liệu nhập tay của một chỉ tiêu cho một đơn vị trong một kỳ."""

    model_config = ConfigDict(extra="forbid")

    period: str = Field(
        min_length=1, max_length=60, description="Kỳ: mã (2026-Q1) hoặc như văn bản (“Quý I/2026”)."
    )
    value: Decimal = Field(max_digits=14, decimal_places=2, description="Giá trị.")
    unit_id: int | None = Field(None, description="Id đơn vị (mặc định: đơn vị ban hành kế hoạch).")
    numerator: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Tử số.")
    denominator: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Mẫu số.")
    comment: str = Field("", max_length=2000, description="Ghi chú.")


class EntryOut(Schema):
    id: int
    indicator_id: int
    unit: UnitRefOut
    period: PeriodOut
    value: float | int
    numerator: float | int | None
    denominator: float | int | None
    comment: str
    updated_at: dt.datetime = Field(description="Thời điểm cập nhật (ISO 8601).")

    @staticmethod
    def resolve_period(obj) -> dict:
        from cchc.metrics.periods import Period

        return period_out(Period.from_key(obj.period_key))

    @staticmethod
    def resolve_value(obj):
        return number(obj.value)

    @staticmethod
    def resolve_numerator(obj):
        return number(obj.numerator)

    @staticmethod
    def resolve_denominator(obj):
        return number(obj.denominator)


def period_out(period) -> dict:
    return {"key": period.key, "label": period.label, "start": period.start, "end": period.end}


# --- tasks ---------------------------------------------------------------------------
class TaskOut(Schema):
    """Một nhiệm vụ của kế hoạch."""

    id: int
    plan_id: int
    root_plan_id: int = Field(description="Kế hoạch gốc của chuỗi triển khai.")
    parent_id: int | None = Field(description="Nhiệm vụ cấp trên mà nhiệm vụ này triển khai.")
    area: str | None = Field(description="Mã lĩnh vực CCHC.")
    area_name: str | None = Field(description="Tên lĩnh vực CCHC.")
    group: str = Field(description="Nhóm nhiệm vụ, ví dụ “I. Công tác chỉ đạo, điều hành”.")
    number: str = Field(description="Số thứ tự như trong văn bản.")
    content: str = Field(description="Nội dung nhiệm vụ.")
    deliverable: str = Field(description="Kết quả, sản phẩm.")
    timeframe_text: str = Field(description="Thời gian thực hiện như văn bản, ví dụ “Quý IV/2026”.")
    timeframe_kind: str = Field(description="once, recurring, ongoing, conditional, unknown.")
    timeframe_kind_label: str
    due_date: dt.date | None = Field(description="Hạn hoàn thành (ISO 8601).")
    due_dates: list[dt.date] = Field(description="Các hạn của nhiệm vụ định kỳ.")
    condition: str = Field(description="Sự kiện mà thời hạn phụ thuộc.")
    lead_unit: UnitRefOut | None = Field(description="Cơ quan chủ trì.")
    lead_text: str = Field(description="Cơ quan chủ trì như văn bản.")
    coordinating_units: list[UnitRefOut] = Field(description="Cơ quan phối hợp.")
    coordinating_text: str = Field(description="Cơ quan phối hợp như văn bản.")
    note: str = Field(description="Ghi chú.")
    order: int
    status: TaskStatus = Field(description="not_started, in_progress, done, cancelled.")
    status_label: str
    percent: int = Field(description="Tiến độ (%).")
    completed_on: dt.date | None = Field(description="Ngày hoàn thành (ISO 8601).")
    version: int = Field(description="Phiên bản; gửi lại khi sửa để phát hiện sửa đồng thời.")

    @staticmethod
    def resolve_area(obj: Task) -> str | None:
        return _area_key(obj)

    @staticmethod
    def resolve_area_name(obj: Task) -> str | None:
        return _area_name(obj)

    @staticmethod
    def resolve_timeframe_kind_label(obj: Task) -> str:
        return obj.get_timeframe_kind_display()

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_coordinating_units(obj: Task) -> list[OrgUnit]:
        return list(obj.coordinating_units.all())


class TaskFilters(Schema):
    status: TaskStatus | None = Field(None, description="Chỉ lấy nhiệm vụ ở trạng thái này.")
    area: str | None = Field(None, max_length=40, description="Chỉ lấy nhiệm vụ thuộc lĩnh vực này (mã).")


class MyTaskFilters(TaskFilters):
    unit: int | None = Field(None, description="Id đơn vị (mặc định: đơn vị đầu tiên của bạn).")
    due: Literal["overdue", "this_month"] | None = Field(
        None, description="overdue: đã quá hạn; this_month: đến hạn trong tháng này."
    )


class TaskCreateIn(Schema):
    """Thêm nhiệm vụ; thời gian thực hiện được đọc từ chữ (“Quý IV/2026”, “Thường xuyên”)."""

    model_config = ConfigDict(extra="forbid")

    content: str = Field(description="Nội dung nhiệm vụ.")
    deliverable: str = Field("", max_length=500, description="Kết quả, sản phẩm.")
    timeframe_text: str = Field("", max_length=200, description="Thời gian thực hiện như văn bản.")
    lead_unit_id: int | None = Field(None, description="Id cơ quan chủ trì (mặc định: đọc từ `lead_text`).")
    lead_text: str = Field("", max_length=300, description="Cơ quan chủ trì như văn bản.")
    coordinating_unit_ids: list[int] | None = Field(
        None, description="Id các cơ quan phối hợp (mặc định: đọc từ `coordinating_text`)."
    )
    coordinating_text: str = Field("", max_length=500, description="Cơ quan phối hợp như văn bản.")
    note: str = Field("", max_length=500, description="Ghi chú.")
    group: str = Field("", max_length=300, description="Nhóm nhiệm vụ.")
    area: str | None = Field(None, max_length=40, description="Mã lĩnh vực CCHC.")
    number: str = Field("", max_length=10, description="Số thứ tự như trong văn bản.")


class TaskPatchIn(Schema):
    """Sửa nhiệm vụ; chỉ các trường gửi lên được thay đổi."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="Phiên bản đã đọc; khác phiên bản đang lưu thì trả lỗi 409.")
    content: str | None = Field(None, description="Nội dung nhiệm vụ.")
    deliverable: str | None = Field(None, max_length=500, description="Kết quả, sản phẩm.")
    timeframe_text: str | None = Field(None, max_length=200, description="Thời gian thực hiện như văn bản.")
    lead_unit_id: int | None = Field(None, description="Id cơ quan chủ trì.")
    lead_text: str | None = Field(None, max_length=300, description="Cơ quan chủ trì như văn bản.")
    coordinating_text: str | None = Field(
        None, max_length=500, description="Cơ quan phối hợp như văn bản (đọc lại danh sách đơn vị)."
    )
    note: str | None = Field(None, max_length=500, description="Ghi chú.")
    group: str | None = Field(None, max_length=300, description="Nhóm nhiệm vụ.")
    area: str | None = Field(None, max_length=40, description="Mã lĩnh vực CCHC; null để bỏ.")
    number: str | None = Field(None, max_length=10, description="Số thứ tự.")


class EvidenceOut(Schema):
    """Một tài liệu kiểm chứng."""

    id: int
    original_name: str = Field(description="Tên tệp như khi gửi lên.")
    content_type: str = Field(description="Loại nội dung, xác định từ chính nội dung tệp.")
    size: int = Field(description="Dung lượng (byte).")
    sha256: str = Field(description="Mã băm SHA-256 của nội dung.")

    @staticmethod
    def resolve_size(obj: Evidence) -> int:
        return obj.size


class ProgressOut(Schema):
    """Một lần cập nhật tiến độ."""

    id: int
    task_id: int
    unit: UnitRefOut = Field(description="Đơn vị báo cáo.")
    author: str | None = Field(description="Người cập nhật (tên đăng nhập).")
    is_contribution: bool = Field(description="Đóng góp của đơn vị phối hợp (không đổi tiến độ nhiệm vụ).")
    status: TaskStatus
    status_label: str
    percent: int = Field(description="Tiến độ (%).")
    comment: str = Field(description="Nội dung cập nhật.")
    reported_on: dt.date = Field(description="Ngày cập nhật (ISO 8601).")
    evidence: list[EvidenceOut] = Field(description="Tài liệu kiểm chứng.")

    @staticmethod
    def resolve_author(obj: ProgressUpdate) -> str | None:
        return obj.author.get_username() if obj.author_id else None

    @staticmethod
    def resolve_status_label(obj: ProgressUpdate) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_evidence(obj: ProgressUpdate) -> list[Evidence]:
        return list(obj.evidence.all())


class ProgressIn(Schema):
    """Báo cáo tiến độ của đơn vị chủ trì (hoặc đóng góp của đơn vị phối hợp)."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus = Field(description="Trạng thái: not_started, in_progress, done, cancelled.")
    percent: int = Field(description="Tiến độ (%), từ 0 đến 100; “done” luôn là 100.")
    comment: str = Field("", max_length=5000, description="Nội dung cập nhật.")
    unit_id: int | None = Field(
        None, description="Id đơn vị báo cáo (mặc định: cơ quan chủ trì); đơn vị phối hợp ghi đóng góp."
    )


class ProgressFormIn(Schema):
    """Các trường của cập nhật tiến độ khi gửi dạng `multipart/form-data` kèm tệp."""

    status: TaskStatus = Field(description="Trạng thái: not_started, in_progress, done, cancelled.")
    percent: int = Field(description="Tiến độ (%), từ 0 đến 100; “done” luôn là 100.")
    comment: str = Field("", max_length=5000, description="Nội dung cập nhật.")
    unit_id: int | None = Field(None, description="Id đơn vị báo cáo (mặc định: cơ quan chủ trì).")


# --- cascading and dashboards ----------------------------------------------------------
class CascadeIn(Schema):
    """Triển khai kế hoạch xuống các đơn vị cấp dưới (mỗi đơn vị nhận một dự thảo)."""

    model_config = ConfigDict(extra="forbid")

    unit_ids: list[int] = Field(min_length=1, description="Id các đơn vị cấp dưới.")


class DerivedPlanOut(Schema):
    """Một kế hoạch triển khai vừa tạo."""

    id: int
    issuer: UnitRefOut
    title: str
    status: PlanStatus
    parent_id: int | None


class CascadeOut(Schema):
    created: list[DerivedPlanOut] = Field(
        description="Các kế hoạch dự thảo vừa tạo; đơn vị đã có kế hoạch triển khai thì bỏ qua."
    )


class DeriveIn(Schema):
    """Một đơn vị xây dựng kế hoạch của mình từ kế hoạch cấp trên."""

    model_config = ConfigDict(extra="forbid")

    unit_id: int = Field(description="Id đơn vị xây dựng kế hoạch.")
    indicator_ids: list[int] | None = Field(
        None, description="Id các chỉ tiêu cấp trên được chọn (mặc định: các chỉ tiêu áp dụng cho đơn vị)."
    )
    task_ids: list[int] | None = Field(
        None, description="Id các nhiệm vụ cấp trên được chọn (mặc định: nhiệm vụ nêu tên đơn vị)."
    )
    targets: dict[int, Decimal] = Field(
        default_factory=dict,
        description="Mục tiêu của đơn vị theo id chỉ tiêu cấp trên (chỉ được cao hơn, không thấp hơn).",
    )


class CoverageUnitOut(Schema):
    unit: UnitRefOut
    plan_id: int | None = Field(description="Kế hoạch triển khai của đơn vị (null: chưa có).")
    status: PlanStatus | None = Field(description="Trạng thái kế hoạch triển khai.")


class CoverageItemOut(Schema):
    id: int
    text: str = Field(description="Nội dung chỉ tiêu hoặc nhiệm vụ.")


class CoverageOut(Schema):
    """Đơn vị cấp dưới nào đã ban hành kế hoạch triển khai; nội dung nào chưa ai nhận."""

    units: list[CoverageUnitOut] = Field(description="Các đơn vị cấp dưới bạn được xem.")
    uncovered_tasks: list[CoverageItemOut] = Field(description="Nhiệm vụ chưa có kế hoạch cấp dưới nào nhận.")
    uncovered_indicators: list[CoverageItemOut] = Field(
        description="Chỉ tiêu chưa có kế hoạch cấp dưới nào nhận."
    )


class CountsOut(Schema):
    total: int = Field(description="Số nhiệm vụ.")
    done: int = Field(description="Số nhiệm vụ đã hoàn thành.")
    in_progress: int = Field(description="Số nhiệm vụ đang thực hiện.")
    overdue: int = Field(description="Số nhiệm vụ quá hạn.")
    percent: float | None = Field(description="Tiến độ bình quân (%), một chữ số thập phân.")


class AreaCountsOut(CountsOut):
    area: str | None = Field(description="Mã lĩnh vực (null: chưa phân lĩnh vực).")
    area_name: str | None


class UnitCountsOut(CountsOut):
    unit: UnitRefOut = Field(description="Đơn vị cấp dưới trực tiếp (gồm cả các đơn vị thuộc nó).")


class OverdueTaskOut(Schema):
    id: int
    plan_id: int
    content: str
    lead_unit: UnitRefOut | None
    due_date: dt.date | None
    status: TaskStatus
    percent: int


class DashboardOut(Schema):
    """Tiến độ thực hiện trên toàn chuỗi triển khai kế hoạch, trong phạm vi một đơn vị."""

    unit: UnitRefOut = Field(description="Đơn vị được tổng hợp (cùng các đơn vị cấp dưới).")
    today: dt.date
    totals: CountsOut
    by_area: list[AreaCountsOut]
    by_unit: list[UnitCountsOut]
    overdue: list[OverdueTaskOut] = Field(description="Các nhiệm vụ quá hạn (tối đa 20, hạn sớm trước).")
