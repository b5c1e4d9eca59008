"""The unit tree over JSON: `/api/orgs/…`.

Every read goes through `scope_for(request.auth_user)` (a unit outside the caller's
subtrees is a 404, never a 403, so its existence is not revealed); every write calls the
same service as the pages, which checks the permission and writes the audit trail.
"""

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from cchc.core.api import Pagination, error_responses

from . import selectors, services
from .models import BEGINNING, FOREVER, OrgUnit, SchoolLevel, UnitKind, UnitPlacement
from .scoping import ROLE_PERMS, Perm, scope_for

router = Router(tags=["Đơn vị (orgs)"])


# --- schemas -------------------------------------------------------------------------
class UnitOut(Schema):
    """Một đơn vị trong cây tổ chức (Sở, Phòng, trường học, …)."""

    id: int
    code: str = Field(description="Mã đơn vị (duy nhất).")
    name: str = Field(description="Tên đơn vị.")
    short_name: str = Field(description="Tên viết tắt.")
    kind: UnitKind = Field(description="Loại đơn vị.")
    kind_label: str = Field(description="Tên loại đơn vị bằng tiếng Việt.")
    school_level: str = Field(
        description="Cấp học (chỉ với trường học): preschool, primary, lower_secondary, "
        "upper_secondary, multi_level; rỗng với đơn vị khác."
    )
    parent_id: int | None = Field(description="Đơn vị cấp trên hiện nay (null với đơn vị gốc).")
    depth: int = Field(description="Độ sâu trong cây (0 là đơn vị gốc).")
    opened_on: dt.date | None = Field(description="Ngày thành lập (ISO 8601).")
    closed_on: dt.date | None = Field(
        description="Ngày cuối cùng đơn vị tồn tại, khi đã giải thể hoặc sáp nhập (ISO 8601)."
    )
    is_open: bool = Field(description="Đơn vị còn hoạt động.")
    address: str = Field(description="Địa chỉ.")
    email: str = Field(description="Thư điện tử.")
    phone: str = Field(description="Điện thoại.")

    @staticmethod
    def resolve_kind_label(obj: OrgUnit) -> str:
        return obj.get_kind_display()


class UnitFilters(Schema):
    q: str = Field("", max_length=100, description="Tìm theo tên (không cần gõ dấu) hoặc đúng mã đơn vị.")
    kind: UnitKind | None = Field(None, description="Chỉ lấy đơn vị thuộc loại này.")
    under: int | None = Field(None, description="Chỉ lấy đơn vị thuộc cây của đơn vị có id này.")
    include_closed: bool = Field(False, description="Gồm cả đơn vị đã giải thể, sáp nhập.")


class UnitCreateIn(Schema):
    """Thêm một đơn vị trực thuộc một đơn vị cấp trên."""

    model_config = ConfigDict(extra="forbid")

    parent_id: int = Field(description="Id của đơn vị cấp trên.")
    name: str = Field(min_length=1, max_length=255, description="Tên đơn vị.")
    code: str = Field(min_length=1, max_length=40, description="Mã đơn vị (duy nhất).")
    kind: UnitKind = Field(description="Loại đơn vị.")
    school_level: SchoolLevel | None = Field(
        None, description="Cấp học — bắt buộc với trường học, bỏ trống với đơn vị khác."
    )
    short_name: str = Field("", max_length=80, description="Tên viết tắt.")
    opened_on: dt.date | None = Field(None, description="Ngày thành lập (ISO 8601).")
    address: str = Field("", max_length=255, description="Địa chỉ.")
    email: str = Field("", max_length=254, description="Thư điện tử.")
    phone: str = Field("", max_length=40, description="Điện thoại.")


class UnitPatchIn(Schema):
    """Sửa thông tin mô tả của đơn vị; chỉ các trường gửi lên được thay đổi.

    Vị trí trong cây, mã và loại đơn vị không sửa ở đây (dùng nghiệp vụ sắp xếp đơn vị).
    """

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=255, description="Tên đơn vị.")
    short_name: str | None = Field(None, max_length=80, description="Tên viết tắt.")
    school_level: SchoolLevel | None = Field(None, description="Cấp học (chỉ với trường học).")
    opened_on: dt.date | None = Field(None, description="Ngày thành lập (ISO 8601); null để xóa.")
    address: str | None = Field(None, max_length=255, description="Địa chỉ.")
    email: str | None = Field(None, max_length=254, description="Thư điện tử.")
    phone: str | None = Field(None, max_length=40, description="Điện thoại.")


class PlacementOut(Schema):
    """Một giai đoạn đơn vị trực thuộc một đơn vị cấp trên."""

    parent_id: int | None = Field(description="Đơn vị cấp trên trong giai đoạn này.")
    parent_name: str | None = Field(description="Tên đơn vị cấp trên.")
    valid_from: dt.date | None = Field(description="Từ ngày (null: từ khi thành lập).")
    valid_to: dt.date | None = Field(description="Đến hết ngày (null: đến nay).")

    @staticmethod
    def resolve_parent_name(obj: UnitPlacement) -> str | None:
        return obj.parent.name if obj.parent else None

    @staticmethod
    def resolve_valid_from(obj: UnitPlacement) -> dt.date | None:
        return None if obj.valid_from == BEGINNING else obj.valid_from

    @staticmethod
    def resolve_valid_to(obj: UnitPlacement) -> dt.date | None:
        return None if obj.valid_to == FOREVER else obj.valid_to


class SuccessionOut(Schema):
    """Một quan hệ kế thừa do sắp xếp đơn vị (sáp nhập, chia tách, chuyển giao)."""

    unit_id: int = Field(description="Đơn vị ở đầu kia của quan hệ.")
    unit_code: str
    unit_name: str
    kind: str = Field(description="merged_into, split_into hoặc taken_over_by.")
    kind_label: str
    effective_on: dt.date = Field(description="Có hiệu lực từ ngày (ISO 8601).")
    decision: str = Field(description="Số, ký hiệu quyết định.")


class UnitHistoryOut(Schema):
    unit: UnitOut
    placements: list[PlacementOut] = Field(description="Các giai đoạn trực thuộc, cũ trước.")
    predecessors: list[SuccessionOut] = Field(
        description="Các đơn vị đã sáp nhập vào / chia tách thành đơn vị này."
    )
    successors: list[SuccessionOut] = Field(description="Các đơn vị tiếp nhận nhiệm vụ của đơn vị này.")


class MergeIn(Schema):
    """Sáp nhập các đơn vị vào một đơn vị tiếp nhận."""

    model_config = ConfigDict(extra="forbid")

    predecessor_ids: list[int] = Field(min_length=1, description="Id các đơn vị được sáp nhập.")
    successor_id: int = Field(description="Id đơn vị tiếp nhận.")
    effective_on: dt.date = Field(
        description="Ngày có hiệu lực (ISO 8601); các đơn vị được sáp nhập kết thúc hôm trước."
    )
    decision: str = Field("", max_length=200, description="Số, ký hiệu quyết định.")


class MergeOut(Schema):
    successor: UnitOut
    predecessors: list[UnitOut] = Field(description="Các đơn vị đã sáp nhập (nay đã đóng).")


class MembershipOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    role: str = Field(description="Vai trò: viewer, staff, one_stop_desk, reform_officer, …")
    role_label: str = Field(description="Tên vai trò bằng tiếng Việt.")
    title: str = Field(description="Chức vụ.")
    permissions: list[str] = Field(description="Các quyền vai trò này có trong cây của đơn vị.")


class MeOut(Schema):
    """Người dùng đang gọi API, vai trò và quyền của họ."""

    id: int
    username: str
    full_name: str
    email: str
    is_global: bool = Field(description="Quản trị toàn hệ thống: thấy và quản lý mọi đơn vị.")
    memberships: list[MembershipOut]
    permissions: list[str] = Field(description="Mọi quyền người dùng có ở ít nhất một đơn vị.")


# --- reads ---------------------------------------------------------------------------
@router.get("/units", response={200: list[UnitOut], **error_responses(404)}, summary="Danh sách đơn vị")
@paginate(Pagination)
def unit_list(request, filters: Query[UnitFilters]) -> QuerySet[OrgUnit]:
    """Danh sách đơn vị người dùng được xem, lọc theo tên, loại, cây đơn vị."""
    under = scope_for(request.auth_user).get_unit(filters.under) if filters.under is not None else None
    return selectors.unit_list_for(
        user=request.auth_user,
        query=filters.q,
        kind=filters.kind or "",
        under=under,
        include_closed=filters.include_closed,
    )


@router.get("/units/{unit_id}", response={200: UnitOut, **error_responses(404)}, summary="Xem một đơn vị")
def unit_detail(request, unit_id: int) -> OrgUnit:
    """Một đơn vị (404 nếu không có hoặc người dùng không được xem)."""
    return scope_for(request.auth_user).get_unit(unit_id)


@router.get(
    "/units/{unit_id}/children",
    response={200: list[UnitOut], **error_responses(404)},
    summary="Đơn vị trực thuộc",
)
@paginate(Pagination)
def unit_children(request, unit_id: int, include_closed: bool = False) -> QuerySet[OrgUnit]:
    """Các đơn vị trực thuộc trực tiếp."""
    unit = scope_for(request.auth_user).get_unit(unit_id)
    return selectors.unit_list_for(user=request.auth_user, under=unit, include_closed=include_closed).filter(
        parent=unit
    )


@router.get(
    "/units/{unit_id}/history",
    response={200: UnitHistoryOut, **error_responses(404)},
    summary="Lịch sử đơn vị",
)
def unit_history(request, unit_id: int) -> dict:
    """Lịch sử đơn vị: các giai đoạn trực thuộc và các lần sắp xếp (sáp nhập, chia tách)."""
    unit = scope_for(request.auth_user).get_unit(unit_id)
    placements = unit.placements.select_related("parent").order_by("valid_from")
    predecessions = unit.predecessions.select_related("predecessor").order_by("effective_on")
    successions = unit.successions.select_related("successor").order_by("effective_on")
    return {
        "unit": unit,
        "placements": list(placements),
        "predecessors": [_succession(s, s.predecessor) for s in predecessions],
        "successors": [_succession(s, s.successor) for s in successions],
    }


def _succession(succession, other: OrgUnit) -> dict:
    return {
        "unit_id": other.pk,
        "unit_code": other.code,
        "unit_name": other.name,
        "kind": succession.kind,
        "kind_label": succession.get_kind_display(),
        "effective_on": succession.effective_on,
        "decision": succession.decision,
    }


@router.get("/me", response={200: MeOut, **error_responses()}, summary="Người dùng hiện tại")
def me(request) -> dict:
    """Người dùng đang gọi API, các vai trò theo đơn vị và quyền tương ứng."""
    user = request.auth_user
    scope = scope_for(user)
    memberships = [
        {
            "unit_id": m.unit_id,
            "unit_code": m.unit.code,
            "unit_name": m.unit.name,
            "role": m.role,
            "role_label": m.get_role_display(),
            "title": m.title,
            "permissions": sorted(ROLE_PERMS[m.role]),
        }
        for m in scope.memberships
    ]
    permissions = (
        sorted(Perm) if scope.is_global else sorted({p for m in memberships for p in m["permissions"]})
    )
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "email": user.email,
        "is_global": scope.is_global,
        "memberships": memberships,
        "permissions": permissions,
    }


# --- writes --------------------------------------------------------------------------
@router.post("/units", response={201: UnitOut, **error_responses(400, 403, 404)}, summary="Thêm đơn vị")
def unit_create(request, payload: UnitCreateIn) -> Status:
    """Thêm đơn vị trực thuộc (cần quyền quản lý đơn vị ở đơn vị cấp trên)."""
    parent = scope_for(request.auth_user).get_unit(payload.parent_id)
    unit = services.unit_create(
        actor=request.auth_user,
        parent=parent,
        name=payload.name,
        code=payload.code,
        kind=payload.kind,
        school_level=payload.school_level or "",
        short_name=payload.short_name,
        opened_on=payload.opened_on,
        address=payload.address,
        email=payload.email,
        phone=payload.phone,
    )
    return Status(201, unit)


@router.patch(
    "/units/{unit_id}",
    response={200: UnitOut, **error_responses(400, 403, 404)},
    summary="Sửa thông tin đơn vị",
)
def unit_update(request, unit_id: int, payload: UnitPatchIn) -> OrgUnit:
    """Sửa thông tin đơn vị (cần quyền quản lý đơn vị)."""
    unit = scope_for(request.auth_user).get_unit(unit_id)
    # null clears a text field; only the founding date is really nullable.
    changes = {
        name: ("" if value is None and name != "opened_on" else value)
        for name, value in payload.model_dump(exclude_unset=True).items()
    }
    return services.unit_update(actor=request.auth_user, unit=unit, **changes)


@router.post(
    "/restructurings/merge",
    response={200: MergeOut, **error_responses(400, 403, 404)},
    summary="Sáp nhập đơn vị",
)
def units_merge(request, payload: MergeIn) -> dict:
    """Sáp nhập đơn vị: các đơn vị được sáp nhập đóng lại, đơn vị trực thuộc và vai trò
    chuyển sang đơn vị tiếp nhận (cần quyền quản lý đơn vị ở tất cả các đơn vị)."""
    scope = scope_for(request.auth_user)
    predecessors = [scope.get_unit(pk) for pk in dict.fromkeys(payload.predecessor_ids)]
    successor = scope.get_unit(payload.successor_id)
    services.units_merge(
        actor=request.auth_user,
        predecessors=predecessors,
        successor=successor,
        effective_on=payload.effective_on,
        decision=payload.decision,
    )
    for unit in [successor, *predecessors]:
        unit.refresh_from_db()
    return {"successor": successor, "predecessors": predecessors}
