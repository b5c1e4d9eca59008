"""Periodic reporting over JSON: `/api/reporting/…` — schedules, reports, review,
completeness and consolidation.

Every read goes through `cchc.reporting.selectors` and `scope_for(request.auth_user)`:
a schedule, report or unit the caller may not see is a 404, never a 403. Every write
calls the same service as the pages, which checks the permission (a school asking to
review gets 403) and writes the audit trail. Saving or submitting with a stale
`version` is a 409 with the fields someone else changed; a submission that fails the
checks is a 400 listing every field's error, and nothing is changed.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from cchc.core.api import Pagination, error_responses
from cchc.core.errors import DomainError
from cchc.metrics.periods import parse_period
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import scope_for
from cchc.plans import selectors as plan_selectors
from cchc.plans.schemas import period_out

from . import consolidation, reminders, schedules, selectors, services
from .models import Report, ReportingSchedule
from .schemas import (
    CalendarEntryOut,
    CommentIn,
    CompletenessOut,
    CompletenessQuery,
    ConflictOut,
    ConsolidatedOut,
    ConsolidateIn,
    DraftIn,
    DueOut,
    ReasonIn,
    ReportFilters,
    ReportInvalidOut,
    ReportOpenIn,
    ReportOut,
    ReportSummaryOut,
    ScheduleIn,
    ScheduleOut,
    VersionIn,
    counts_out,
)

router = Router(tags=["Báo cáo định kỳ (reporting)"])


def with_conflict(*statuses: int) -> dict:
    return {**error_responses(*statuses), 409: ConflictOut}


# --- helpers ---------------------------------------------------------------------------
def _schedule(request, schedule_id) -> ReportingSchedule:
    """A schedule the caller may read (its owner's subtree or a duty above it); 404 otherwise."""
    schedule = (
        selectors.schedule_list_for(user=request.auth_user, active_only=False)
        .prefetch_related("units")
        .filter(pk=schedule_id)
        .first()
    )
    if schedule is None:
        raise Http404
    return schedule


def _report(request, report_id: int) -> Report:
    return selectors.report_get_for(user=request.auth_user, pk=report_id)


def _conflict(conflict: services.EditConflict) -> Status:
    return Status(
        409,
        {
            "code": conflict.code,
            "message": conflict.message,
            "field": None,
            "version": conflict.obj.version,
            "changes": {
                name: {"yours": yours, "current": current}
                for name, (yours, current) in conflict.changes.items()
            },
        },
    )


# --- schedules -------------------------------------------------------------------------
@router.get(
    "/schedules", response={200: list[ScheduleOut], **error_responses()}, summary="Danh sách chế độ báo cáo"
)
@paginate(Pagination)
def schedule_list(request, active_only: bool = True) -> QuerySet[ReportingSchedule]:
    """Chế độ báo cáo của các đơn vị người dùng được xem, và của các đơn vị cấp trên mà đơn
    vị của người dùng phải báo cáo."""
    return selectors.schedule_list_for(user=request.auth_user, active_only=active_only).prefetch_related(
        "units"
    )


@router.post(
    "/schedules",
    response={201: ScheduleOut, **error_responses(400, 403, 404)},
    summary="Tạo chế độ báo cáo",
)
def schedule_create(request, payload: ScheduleIn) -> Status:
    """Tạo chế độ báo cáo định kỳ của một đơn vị (cần quyền quản lý kế hoạch ở đơn vị đó).
    Dùng `preset` (mẫu có sẵn) hoặc `rule`."""
    scope = scope_for(request.auth_user)
    owner = scope.get_unit(payload.owner_id)
    if payload.preset:
        rule = schedules.preset(payload.preset)
    elif payload.rule is not None:
        rule = payload.rule
    else:
        raise DomainError(_("Chọn mẫu quy tắc hoặc nhập quy tắc hạn gửi."), field="rule", code="required")
    plan = None
    if payload.plan_id is not None:
        plan = plan_selectors.plan_get(user=request.auth_user, plan_id=payload.plan_id)
    schedule = services.schedule_create(
        actor=request.auth_user,
        owner=owner,
        name=payload.name,
        rule=rule,
        period_kinds=payload.period_kinds,
        reporter_kinds=payload.reporter_kinds,
        units=[scope.get_unit(pk) for pk in dict.fromkeys(payload.unit_ids)],
        depth=payload.depth,
        required_sections=payload.required_sections,
        plan=plan,
    )
    return Status(201, schedule)


@router.get(
    "/schedules/{schedule_id}",
    response={200: ScheduleOut, **error_responses(404)},
    summary="Xem chế độ báo cáo",
)
def schedule_detail(request, schedule_id: int) -> ReportingSchedule:
    return _schedule(request, schedule_id)


@router.get(
    "/schedules/{schedule_id}/calendar",
    response={200: list[CalendarEntryOut], **error_responses(400, 404)},
    summary="Lịch hạn gửi báo cáo trong năm",
)
def schedule_calendar(request, schedule_id: int, year: int) -> list[dict]:
    """Mọi kỳ báo cáo của năm, theo thứ tự hạn gửi, kèm thời gian chốt số liệu."""
    schedule = _schedule(request, schedule_id)
    if not 2000 <= year <= 2100:
        raise DomainError(_("Năm không hợp lệ."), field="year")
    return [e.to_json() for e in schedules.calendar(schedule.rule, schedule.period_kinds or None, year)]


# --- reports ---------------------------------------------------------------------------
@router.get(
    "/reports",
    response={200: list[ReportSummaryOut], **error_responses(400, 404)},
    summary="Danh sách báo cáo",
)
@paginate(Pagination)
def report_list(request, filters: Query[ReportFilters]) -> QuerySet[Report]:
    """Báo cáo của các đơn vị người dùng được xem; `mine=true`: chỉ của đơn vị mình."""
    schedule = _schedule(request, filters.schedule) if filters.schedule is not None else None
    period_key = parse_period(filters.period).key if filters.period.strip() else ""
    reports = selectors.report_list_for(
        user=request.auth_user, schedule=schedule, period_key=period_key, status=filters.status
    )
    if filters.mine:
        units = [m.unit_id for m in scope_for(request.auth_user).memberships]
        reports = reports.filter(unit_id__in=units)
    return reports


@router.get("/reports/due", response={200: list[DueOut], **error_responses()}, summary="Báo cáo cần gửi")
def report_due(request) -> list[dict]:
    """Báo cáo các đơn vị của người dùng cần xử lý: bị trả lại, quá hạn, sắp đến hạn."""
    units = {m.unit_id: m.unit for m in scope_for(request.auth_user).memberships}
    out = []
    for unit in units.values():
        for item in reminders.reminders_for_unit(unit):
            out.append(
                {
                    "unit": unit,
                    "schedule": item.schedule,
                    "period": period_out(item.period),
                    "due_date": item.due_date,
                    "state": item.state,
                    "working_days_left": item.working_days_left,
                    "report_id": item.report.pk if item.report else None,
                }
            )
    return out


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, **error_responses(400, 403, 404)},
    summary="Mở báo cáo của một kỳ",
)
def report_open(request, payload: ReportOpenIn) -> Status:
    """Báo cáo của đơn vị cho kỳ (tạo bản nháp lần đầu; 200 nếu đã có)."""
    schedule = _schedule(request, payload.schedule_id)
    unit = scope_for(request.auth_user).get_unit(payload.unit_id)
    period = parse_period(payload.period)
    existed = Report.objects.filter(schedule=schedule, unit=unit, period_key=period.key).exists()
    report = services.report_get_or_create(
        actor=request.auth_user, schedule=schedule, unit=unit, period=period
    )
    return Status(200 if existed else 201, _report(request, report.pk))


@router.get("/reports/{report_id}", response={200: ReportOut, **error_responses(404)}, summary="Xem báo cáo")
def report_detail(request, report_id: int) -> Report:
    return _report(request, report_id)


@router.patch(
    "/reports/{report_id}",
    response={200: ReportOut, **with_conflict(400, 403, 404)},
    summary="Lưu bản nháp báo cáo",
)
def report_save_draft(request, report_id: int, payload: DraftIn) -> Report | Status:
    """Lưu nội dung đã nhập, kể cả chưa đầy đủ (chỉ kiểm tra khi gửi). Gửi kèm `version`
    đã đọc: nếu người khác đã lưu trước, trả 409 cùng các trường khác nhau."""
    report = _report(request, report_id)
    content = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        services.report_save_draft(
            actor=request.auth_user, report=report, expected_version=payload.version, **content
        )
    except services.EditConflict as conflict:
        return _conflict(conflict)
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportOut, 400: ReportInvalidOut, **with_conflict(403, 404)},
    summary="Gửi báo cáo",
)
def report_submit(request, report_id: int, payload: VersionIn) -> Report | Status:
    """Gửi báo cáo cho đơn vị nhận. Nếu chưa đủ nội dung (phần bắt buộc, tỷ lệ 0–100%,
    chỉ tiêu chưa đạt không có giải trình), trả 400 với lỗi của từng trường; báo cáo
    giữ nguyên. Gửi sau hạn vẫn được nhận và ghi nhận là trễ hạn."""
    report = _report(request, report_id)
    try:
        services.report_submit(actor=request.auth_user, report=report, expected_version=payload.version)
    except services.EditConflict as conflict:
        return _conflict(conflict)
    except services.ReportInvalid as invalid:
        return Status(
            400,
            {
                "code": invalid.code,
                "message": invalid.message,
                "field": invalid.field,
                "errors": invalid.errors,
            },
        )
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **error_responses(400, 403, 404)},
    summary="Trả lại báo cáo",
)
def report_return(request, report_id: int, payload: CommentIn) -> Report:
    """Trả báo cáo đã gửi về đơn vị, nêu nội dung cần chỉnh sửa (đơn vị nhận báo cáo)."""
    services.report_return(
        actor=request.auth_user, report=_report(request, report_id), comment=payload.comment
    )
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/accept",
    response={200: ReportOut, **error_responses(400, 403, 404)},
    summary="Tiếp nhận báo cáo",
)
def report_accept(request, report_id: int, payload: CommentIn) -> Report:
    services.report_accept(
        actor=request.auth_user, report=_report(request, report_id), comment=payload.comment
    )
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/reopen",
    response={200: ReportOut, **error_responses(400, 403, 404)},
    summary="Mở lại báo cáo đã tiếp nhận",
)
def report_reopen(request, report_id: int, payload: ReasonIn) -> Report:
    services.report_reopen(actor=request.auth_user, report=_report(request, report_id), reason=payload.reason)
    return _report(request, report_id)


# --- completeness and consolidation ------------------------------------------------------
@router.get(
    "/completeness",
    response={200: CompletenessOut, **error_responses(400, 403, 404)},
    summary="Tình hình gửi báo cáo",
)
def completeness(request, params: Query[CompletenessQuery]) -> dict:
    """Số đơn vị phải báo cáo, đã gửi, đúng hạn, trễ hạn, chưa gửi, đã tiếp nhận dưới một
    đơn vị, theo từng đơn vị trực thuộc."""
    schedule = _schedule(request, params.schedule)
    period = parse_period(params.period)
    unit = scope_for(request.auth_user).get_unit(params.unit) if params.unit is not None else None
    table = selectors.completeness_for(user=request.auth_user, schedule=schedule, period=period, unit=unit)
    return {
        "unit": table.unit,
        "period": period_out(table.period),
        "total": counts_out(table.total),
        "own": counts_out(table.own),
        "rows": [{"unit": child, "counts": counts_out(counts)} for child, counts in table.rows],
    }


@router.post(
    "/consolidate",
    response={200: ConsolidatedOut, **error_responses(400, 403, 404)},
    summary="Tổng hợp báo cáo từ các đơn vị trực thuộc",
)
def consolidate(request, payload: ConsolidateIn) -> dict:
    """Điền sẵn báo cáo của đơn vị từ các báo cáo đã gửi của đơn vị trực thuộc: số liệu
    cộng tử số, mẫu số (không lấy trung bình tỷ lệ), nội dung gom theo từng phần. Lưu
    thành bản nháp để cán bộ chỉnh sửa trước khi gửi."""
    schedule = _schedule(request, payload.schedule_id)
    unit: OrgUnit = scope_for(request.auth_user).get_unit(payload.unit_id)
    period = parse_period(payload.period)
    result = consolidation.consolidate(actor=request.auth_user, schedule=schedule, unit=unit, period=period)
    return {
        "report": _report(request, result.report.pk),
        "indicators": [{**row.to_entry(), "key": row.key, "unit": row.unit} for row in result.indicators],
        "reported": [c.unit for c in result.children if c.reported],
        "missing": result.missing,
    }
