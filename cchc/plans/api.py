"""Plans over JSON: `/api/plans/…` — plans, indicators, tasks, progress, cascading.

Every read is scoped by `cchc.plans.selectors` (`plan_get`, `task_get`, `plan_list_for`,
`tasks_for_unit`) and `scope_for(request.auth_user)`: a plan, task or unit the caller may
not see is a 404, never a 403, so its existence is not revealed. Every write calls the
same service as the pages, which checks the permission and writes the audit trail. A
stale `version` on a PATCH is a 409 with the fields someone else changed.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from cchc.core.api import Pagination, error_responses
from cchc.core.errors import DomainError
from cchc.core.uploads import check_upload
from cchc.metrics.periods import Period, PeriodKind, parse_period
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, Scope, scope_for

from . import selectors, services
from .forms_tasks import MAX_FILES, EvidenceUpload
from .models import Indicator, Plan, ProgressUpdate, ReformArea, Task
from .schemas import (
    CascadeIn,
    CascadeOut,
    ConflictOut,
    CoverageOut,
    DashboardOut,
    DeriveIn,
    EntryIn,
    EntryOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatchIn,
    IndicatorValuesOut,
    IndicatorValuesQuery,
    MyTaskFilters,
    PlanCreateIn,
    PlanFilters,
    PlanOut,
    PlanPatchIn,
    PlanStatusIn,
    ProgressFormIn,
    ProgressIn,
    ProgressOut,
    TaskCreateIn,
    TaskFilters,
    TaskOut,
    TaskPatchIn,
    number,
    period_out,
)
from .services_cascade import plan_cascade, plan_derive

router = Router(tags=["Kế hoạch (plans)"])


def with_conflict(*statuses: int) -> dict:
    """`error_responses(...)` plus the 409 of an edit made against a stale version."""
    return {**error_responses(*statuses), 409: ConflictOut}


# --- helpers: input that names other records -------------------------------------------
def _area(key: str | None) -> ReformArea | None:
    if not key:
        return None
    area = ReformArea.objects.filter(key=key).first()
    if area is None:
        raise DomainError(_("Không có lĩnh vực “%(key)s”.") % {"key": key}, field="area", code="unknown_area")
    return area


def _units(scope: Scope, ids) -> list[OrgUnit]:
    return [scope.get_unit(pk) for pk in dict.fromkeys(ids)]


def _default_unit(scope: Scope, plan: Plan) -> OrgUnit:
    """The issuer when the caller sees it, else the caller's own unit below it (a school
    reading the department's plan looks at itself)."""
    if scope.can(Perm.VIEW, plan.issuer):
        return plan.issuer
    return next((m.unit for m in scope.memberships if m.unit.path.startswith(plan.issuer.path)), plan.issuer)


def _indicator(request, indicator_id: int) -> Indicator:
    """An indicator of a plan the caller may see (404 otherwise)."""
    indicator = Indicator.objects.select_related("area").filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    indicator.plan = selectors.plan_get(user=request.auth_user, plan_id=indicator.plan_id)
    return indicator


def _conflict(conflict: services.EditConflict, names: dict[str, str] | None = None) -> Status:
    """409 with each field someone else changed: what the caller sent, what is saved."""
    names = names or {}
    area_keys = {}
    if "area" in conflict.changes:
        area_keys = dict(
            ReformArea.objects.filter(pk__in=[v for v in conflict.changes["area"] if v]).values_list(
                "pk", "key"
            )
        )
    changes = {}
    for name, (yours, current) in conflict.changes.items():
        if name == "area":
            yours, current = area_keys.get(yours), area_keys.get(current)
        changes[names.get(name, name)] = {"yours": yours, "current": current}
    return Status(
        409,
        {
            "code": conflict.code,
            "message": conflict.message,
            "field": None,
            "version": conflict.obj.version,
            "changes": changes,
        },
    )


def _with_task_count(plan: Plan) -> Plan:
    plan.task_count = plan.tasks.count()
    return plan


# --- plans ---------------------------------------------------------------------------
@router.get("/plans", response={200: list[PlanOut], **error_responses()}, summary="Danh sách kế hoạch")
@paginate(Pagination)
def plan_list(request, filters: Query[PlanFilters]) -> QuerySet[Plan]:
    """Kế hoạch người dùng được xem: của đơn vị mình, đơn vị cấp dưới, và kế hoạch đã ban
    hành của các đơn vị cấp trên."""
    plans = selectors.plan_list_for(
        user=request.auth_user,
        query=filters.q,
        status=filters.status or "",
        kind=filters.kind or "",
        year=filters.year,
    )
    if filters.issuer is not None:
        plans = plans.filter(issuer_id=filters.issuer)
    return plans


@router.post("/plans", response={201: PlanOut, **error_responses(400, 403, 404)}, summary="Tạo kế hoạch")
def plan_create(request, payload: PlanCreateIn) -> Status:
    """Tạo kế hoạch dự thảo của một đơn vị (cần quyền quản lý kế hoạch ở đơn vị đó)."""
    issuer = scope_for(request.auth_user).get_unit(payload.issuer_id)
    implements = [
        selectors.plan_get(user=request.auth_user, plan_id=pk) for pk in dict.fromkeys(payload.implements_ids)
    ]
    plan = services.plan_create(
        actor=request.auth_user,
        issuer=issuer,
        implements=implements,
        **payload.model_dump(exclude={"issuer_id", "implements_ids"}),
    )
    plan.task_count = 0
    return Status(201, plan)


@router.get("/plans/{plan_id}", response={200: PlanOut, **error_responses(404)}, summary="Xem kế hoạch")
def plan_detail(request, plan_id: int) -> Plan:
    """Một kế hoạch (404 nếu không có hoặc người dùng không được xem)."""
    return _with_task_count(selectors.plan_get(user=request.auth_user, plan_id=plan_id))


@router.patch(
    "/plans/{plan_id}", response={200: PlanOut, **with_conflict(400, 403, 404)}, summary="Sửa kế hoạch"
)
def plan_update(request, plan_id: int, payload: PlanPatchIn) -> Plan | Status:
    """Sửa kế hoạch (cần quyền quản lý kế hoạch). Gửi kèm `version` đã đọc: nếu người khác
    đã sửa trước, trả 409 cùng các trường khác nhau và không ghi đè."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    # null clears a text field; the dates and kind that every plan must have are refused.
    for name, value in changes.items():
        if value is None and name != "issued_on":
            if name in {"kind", "period_start", "period_end"}:
                raise DomainError(_("Trường này không được để trống."), field=name, code="required")
            changes[name] = ""
    try:
        plan = services.plan_update(
            actor=request.auth_user, plan=plan, expected_version=payload.version, **changes
        )
    except services.EditConflict as conflict:
        return _conflict(conflict)
    return _with_task_count(plan)


@router.post(
    "/plans/{plan_id}/status",
    response={200: PlanOut, **error_responses(400, 403, 404)},
    summary="Chuyển trạng thái kế hoạch",
)
def plan_set_status(request, plan_id: int, payload: PlanStatusIn) -> Plan:
    """Ban hành, sơ kết, tổng kết kế hoạch (hoặc đưa kế hoạch đã ban hành về dự thảo)."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    plan = services.plan_set_status(
        actor=request.auth_user, plan=plan, status=payload.status, issued_on=payload.issued_on
    )
    return _with_task_count(plan)


# --- indicators ----------------------------------------------------------------------
def _period_or_default(text: str, plan: Plan) -> Period:
    if text.strip():
        return parse_period(text)
    # The plan's year that is running today (or the nearest one).
    year = min(max(timezone.localdate().year, plan.period_start.year), plan.period_end.year)
    return Period(PeriodKind.YEAR, year)


@router.get(
    "/plans/{plan_id}/indicators",
    response={200: IndicatorValuesOut, **error_responses(400, 404)},
    summary="Chỉ tiêu và kết quả",
)
def indicator_list(request, plan_id: int, params: Query[IndicatorValuesQuery]) -> dict:
    """Các chỉ tiêu của kế hoạch với giá trị hiện tại và tình trạng (đạt, có nguy cơ…) của
    một đơn vị (cùng các đơn vị cấp dưới) trong một kỳ."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    scope = scope_for(request.auth_user)
    unit = scope.get_unit(params.unit) if params.unit is not None else _default_unit(scope, plan)
    period = _period_or_default(params.period, plan)
    statuses = selectors.indicator_values(plan=plan, unit=unit, period=period)
    return {
        "unit": unit,
        "period": period_out(period),
        "items": [
            {
                "indicator": s.indicator,
                "value": number(s.value),
                "numerator": number(s.numerator),
                "denominator": number(s.denominator),
                "status": s.status,
                "status_label": s.label,
                "source": s.source,
            }
            for s in statuses
        ],
    }


@router.post(
    "/plans/{plan_id}/indicators",
    response={201: IndicatorOut, **error_responses(400, 403, 404)},
    summary="Thêm chỉ tiêu",
)
def indicator_add(request, plan_id: int, payload: IndicatorIn) -> Status:
    """Thêm chỉ tiêu vào kế hoạch (cần quyền quản lý kế hoạch)."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id, perm=Perm.MANAGE_PLANS)
    indicator = services.indicator_add(
        actor=request.auth_user,
        plan=plan,
        area=_area(payload.area),
        **payload.model_dump(exclude={"area"}),
    )
    return Status(201, indicator)


@router.patch(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **error_responses(400, 403, 404)},
    summary="Sửa chỉ tiêu",
)
def indicator_update(request, indicator_id: int, payload: IndicatorPatchIn) -> Indicator:
    """Sửa chỉ tiêu (cần quyền quản lý kế hoạch); chỉ tiêu triển khai không được thấp hơn cấp trên."""
    indicator = _indicator(request, indicator_id)
    changes = payload.model_dump(exclude_unset=True)
    if "area" in changes:
        changes["area"] = _area(changes["area"])
    for name in ("text", "metric_key"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "applies_to_kinds" in changes:
        changes["applies_to_kinds"] = list(changes["applies_to_kinds"] or [])
    if changes.get("comparator", "") is None or changes.get("unit_of_measure", "") is None:
        raise DomainError(_("Trường này không được để trống."), code="required")
    return services.indicator_update(actor=request.auth_user, indicator=indicator, **changes)


@router.post(
    "/indicators/{indicator_id}/entries",
    response={201: EntryOut, **error_responses(400, 403, 404)},
    summary="Nhập số liệu chỉ tiêu",
)
def indicator_entry_set(request, indicator_id: int, payload: EntryIn) -> Status:
    """Nhập (hoặc sửa) giá trị của một chỉ tiêu nhập tay cho một đơn vị trong một kỳ."""
    indicator = _indicator(request, indicator_id)
    unit = (
        scope_for(request.auth_user).get_unit(payload.unit_id)
        if payload.unit_id is not None
        else indicator.plan.issuer
    )
    period = parse_period(payload.period)
    entry = services.indicator_entry_set(
        actor=request.auth_user,
        indicator=indicator,
        unit=unit,
        period_key=period.key,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        comment=payload.comment.strip(),
    )
    return Status(201, entry)


# --- tasks ---------------------------------------------------------------------------
def _task_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("lead_unit", "area").prefetch_related("coordinating_units")


@router.get(
    "/plans/{plan_id}/tasks",
    response={200: list[TaskOut], **error_responses(400, 404)},
    summary="Nhiệm vụ của kế hoạch",
)
@paginate(Pagination)
def task_list(request, plan_id: int, filters: Query[TaskFilters]) -> QuerySet[Task]:
    """Các nhiệm vụ của kế hoạch theo thứ tự trong văn bản."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    tasks = plan.tasks.order_by("order", "pk")
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.area:
        tasks = tasks.filter(area=_area(filters.area))
    return _task_rows(tasks)


@router.post(
    "/plans/{plan_id}/tasks",
    response={201: TaskOut, **error_responses(400, 403, 404)},
    summary="Thêm nhiệm vụ",
)
def task_add(request, plan_id: int, payload: TaskCreateIn) -> Status:
    """Thêm nhiệm vụ (cần quyền quản lý kế hoạch). Thời gian thực hiện được đọc từ chữ;
    cơ quan chủ trì, phối hợp theo id hoặc đọc từ chữ như trong văn bản."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id, perm=Perm.MANAGE_PLANS)
    scope = scope_for(request.auth_user)
    task = services.task_add(
        actor=request.auth_user,
        plan=plan,
        lead_unit=scope.get_unit(payload.lead_unit_id) if payload.lead_unit_id is not None else None,
        coordinating_units=(
            _units(scope, payload.coordinating_unit_ids)
            if payload.coordinating_unit_ids is not None
            else None
        ),
        area=_area(payload.area),
        **payload.model_dump(exclude={"lead_unit_id", "coordinating_unit_ids", "area"}),
    )
    return Status(201, task)


@router.get(
    "/tasks/mine",
    response={200: list[TaskOut], **error_responses(400, 404)},
    summary="Nhiệm vụ của đơn vị",
)
@paginate(Pagination)
def task_list_for_unit(request, filters: Query[MyTaskFilters]) -> QuerySet[Task]:
    """Nhiệm vụ đơn vị chủ trì hoặc phối hợp, trong các kế hoạch người dùng được xem;
    lọc theo lĩnh vực, trạng thái, hạn (quá hạn, đến hạn trong tháng)."""
    scope = scope_for(request.auth_user)
    if filters.unit is not None:
        unit = scope.get_unit(filters.unit)
    elif scope.memberships:
        unit = scope.memberships[0].unit
    else:
        raise DomainError(_("Vui lòng chọn đơn vị."), field="unit", code="required")
    area = _area(filters.area)
    tasks = selectors.tasks_for_unit(
        user=request.auth_user,
        unit=unit,
        area_id=area.pk if area else None,
        status=filters.status or "",
        due=filters.due or "",
    )
    return tasks.prefetch_related("coordinating_units")


@router.get("/tasks/{task_id}", response={200: TaskOut, **error_responses(404)}, summary="Xem nhiệm vụ")
def task_detail(request, task_id: int) -> Task:
    """Một nhiệm vụ (404 nếu không có hoặc người dùng không được xem kế hoạch của nó)."""
    return selectors.task_get(user=request.auth_user, task_id=task_id)


@router.patch(
    "/tasks/{task_id}", response={200: TaskOut, **with_conflict(400, 403, 404)}, summary="Sửa nhiệm vụ"
)
def task_update(request, task_id: int, payload: TaskPatchIn) -> Task | Status:
    """Sửa nhiệm vụ (cần quyền quản lý kế hoạch). Gửi kèm `version` đã đọc: nếu người khác
    đã sửa trước, trả 409 cùng các trường khác nhau (`yours`, `current`) và không ghi đè."""
    task = selectors.task_get(user=request.auth_user, task_id=task_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "lead_unit_id" in changes:
        lead = changes.pop("lead_unit_id")
        changes["lead_unit"] = scope_for(request.auth_user).get_unit(lead) if lead is not None else None
    if "area" in changes:
        changes["area"] = _area(changes["area"])
    changes = {
        name: "" if value is None and name not in {"lead_unit", "area"} else value
        for name, value in changes.items()
    }
    try:
        task = services.task_update(
            actor=request.auth_user, task=task, expected_version=payload.version, **changes
        )
    except services.EditConflict as conflict:
        return _conflict(conflict, names={"lead_unit": "lead_unit_id"})
    return task


# --- progress ------------------------------------------------------------------------
@router.get(
    "/tasks/{task_id}/progress",
    response={200: list[ProgressOut], **error_responses(404)},
    summary="Lịch sử tiến độ",
)
@paginate(Pagination)
def progress_list(request, task_id: int) -> QuerySet[ProgressUpdate]:
    """Các lần cập nhật tiến độ của nhiệm vụ, mới trước, kèm tài liệu kiểm chứng."""
    task = selectors.task_get(user=request.auth_user, task_id=task_id)
    return (
        task.updates.select_related("unit", "author")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )


@router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut, **error_responses(400, 403, 404)},
    summary="Cập nhật tiến độ",
)
def progress_record(request, task_id: int, payload: ProgressIn) -> Status:
    """Báo cáo tiến độ: đơn vị chủ trì cập nhật trạng thái và % của nhiệm vụ; đơn vị phối
    hợp ghi phần đóng góp của mình. Gửi kèm tài liệu kiểm chứng: dùng `…/progress/files`."""
    return _record_progress(request, task_id, payload)


@router.post(
    "/tasks/{task_id}/progress/files",
    response={201: ProgressOut, **error_responses(400, 403, 404)},
    summary="Cập nhật tiến độ kèm tài liệu kiểm chứng",
)
def progress_record_with_files(
    request, task_id: int, payload: Form[ProgressFormIn], files: File[list[UploadedFile]]
) -> Status:
    """Như cập nhật tiến độ, gửi dạng `multipart/form-data` với một hoặc nhiều tệp `files`
    (PDF, Word, Excel, OpenDocument, ảnh PNG/JPG). Tệp được kiểm tra theo nội dung thật;
    một tệp bị từ chối thì không ghi gì cả."""
    if len(files) > MAX_FILES:
        raise DomainError(
            _("Mỗi lần chỉ gửi tối đa %(n)d tệp.") % {"n": MAX_FILES}, field="files", code="too_many"
        )
    task = selectors.task_get(user=request.auth_user, task_id=task_id)
    uploads = []
    for uploaded in files:
        try:
            uploaded.upload_info = check_upload(uploaded)
        except DomainError as refused:
            # Name the file: among several, the sender must know which one was refused.
            raise DomainError(
                f"{uploaded.name}: {refused.message}", code=refused.code, field="files"
            ) from None
        uploads.append(EvidenceUpload.from_uploaded(uploaded))
    return _record_progress(request, task_id, payload, task=task, files=uploads)


def _record_progress(request, task_id: int, payload, *, task: Task | None = None, files=()) -> Status:
    task = task or selectors.task_get(user=request.auth_user, task_id=task_id)
    unit = scope_for(request.auth_user).get_unit(payload.unit_id) if payload.unit_id is not None else None
    update = services.progress_record(
        actor=request.auth_user,
        task=task,
        status=payload.status,
        percent=payload.percent,
        comment=payload.comment,
        unit=unit,
        files=files,
    )
    return Status(201, update)


# --- cascading -----------------------------------------------------------------------
@router.post(
    "/plans/{plan_id}/cascade",
    response={201: CascadeOut, **error_responses(400, 403, 404)},
    summary="Triển khai xuống đơn vị cấp dưới",
)
def plan_cascade_to_units(request, plan_id: int, payload: CascadeIn) -> Status:
    """Mỗi đơn vị cấp dưới được chọn nhận một kế hoạch dự thảo với các chỉ tiêu, nhiệm vụ
    liên quan đến mình; đơn vị đã có kế hoạch triển khai thì bỏ qua."""
    parent = selectors.plan_get(user=request.auth_user, plan_id=plan_id, perm=Perm.MANAGE_PLANS)
    units = _units(scope_for(request.auth_user), payload.unit_ids)
    plans = plan_cascade(actor=request.auth_user, parent=parent, units=units)
    return Status(201, {"created": plans})


@router.post(
    "/plans/{plan_id}/derive",
    response={201: PlanOut, **error_responses(400, 403, 404)},
    summary="Xây dựng kế hoạch từ kế hoạch cấp trên",
)
def plan_derive_for_unit(request, plan_id: int, payload: DeriveIn) -> Status:
    """Một đơn vị xây dựng kế hoạch dự thảo của mình từ kế hoạch cấp trên đã ban hành, với
    các chỉ tiêu, nhiệm vụ được chọn và mục tiêu riêng (không thấp hơn cấp trên)."""
    parent = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    unit = scope_for(request.auth_user).get_unit(payload.unit_id)
    plan = plan_derive(
        actor=request.auth_user,
        parent=parent,
        unit=unit,
        indicator_ids=payload.indicator_ids,
        task_ids=payload.task_ids,
        targets=payload.targets,
    )
    return Status(201, _with_task_count(plan))


@router.get(
    "/plans/{plan_id}/coverage",
    response={200: CoverageOut, **error_responses(404)},
    summary="Tình hình triển khai",
)
def plan_coverage(request, plan_id: int) -> dict:
    """Đơn vị cấp dưới nào đã có kế hoạch triển khai, ở trạng thái nào; chỉ tiêu, nhiệm vụ
    nào chưa có kế hoạch cấp dưới đã ban hành nào nhận. Chỉ liệt kê đơn vị bạn được xem."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    scope = scope_for(request.auth_user)
    coverage = selectors.plan_coverage(plan=plan)
    return {
        "units": [
            {"unit": row["unit"], "plan_id": row["plan"].pk if row["plan"] else None, "status": row["status"]}
            for row in coverage.units
            if scope.can(Perm.VIEW, row["unit"])
        ],
        "uncovered_tasks": [{"id": t.pk, "text": t.content} for t in coverage.uncovered_tasks],
        "uncovered_indicators": [{"id": i.pk, "text": i.text} for i in coverage.uncovered_indicators],
    }


def _counts(row: dict) -> dict:
    percent = row["percent"]
    return {
        "total": row["total"],
        "done": row["done"],
        "in_progress": row["in_progress"],
        "overdue": row["overdue"],
        "percent": round(float(percent), 1) if percent is not None else None,
    }


@router.get(
    "/plans/{plan_id}/dashboard",
    response={200: DashboardOut, **error_responses(404)},
    summary="Bảng theo dõi tiến độ",
)
def plan_dashboard(request, plan_id: int, unit: int | None = None) -> dict:
    """Tiến độ trên toàn chuỗi triển khai kế hoạch, trong phạm vi một đơn vị (mặc định: đơn
    vị ban hành, hoặc đơn vị của bạn): tổng số, theo lĩnh vực, theo đơn vị cấp dưới, quá hạn."""
    plan = selectors.plan_get(user=request.auth_user, plan_id=plan_id)
    scope = scope_for(request.auth_user)
    scope_unit = scope.get_unit(unit) if unit is not None else _default_unit(scope, plan)
    dashboard = selectors.plan_dashboard(user=request.auth_user, plan=plan, unit=scope_unit)
    area_keys = dict(
        ReformArea.objects.filter(
            pk__in=[r["area_id"] for r in dashboard.by_area if r["area_id"]]
        ).values_list("pk", "key")
    )
    return {
        "unit": scope_unit,
        "today": dashboard.today,
        "totals": _counts(dashboard.totals),
        "by_area": [
            {**_counts(r), "area": area_keys.get(r["area_id"]), "area_name": r["area__name"]}
            for r in dashboard.by_area
        ],
        "by_unit": [{**_counts(r), "unit": r["unit"]} for r in dashboard.by_unit],
        "overdue": dashboard.overdue,
    }
