"""The one-stop desk over JSON: `/api/dossiers/…` — the procedure catalogue, dossiers,
and the steps of their handling, for the province's one-stop system and other
integrations pushing what happens at their desks.

Reads are scoped by `scope_for(request.auth_user)`: a dossier of a unit outside the
caller's subtrees is a 404 and never appears in a list. Every write calls the one
service the desk's pages call (which checks `Perm.HANDLE_DOSSIERS`, the dossier's state
and the time rules, and writes the audit trail): a caller who may read a dossier but
not handle it gets 403; a refused step gets 400 with the Vietnamese message, its code
and the field. A dossier pushed again with the same `external_id` for the same unit
comes back as it is (200) instead of being received twice.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from cchc.core.api import Pagination, error_responses
from cchc.core.errors import DomainError
from cchc.core.text import fold
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from . import services
from .models import Dossier, Procedure
from .schemas import (
    DossierEventIn,
    DossierFilters,
    DossierIn,
    DossierOut,
    DossierSummaryOut,
    ProcedureFilters,
    ProcedureOut,
)

router = Router(tags=["Một cửa (dossiers)"])


# --- helpers ---------------------------------------------------------------------------
def _dossiers(request) -> QuerySet[Dossier]:
    """The dossiers the caller may read."""
    return scope_for(request.auth_user).filter(
        Dossier.objects.select_related("procedure", "unit"), Perm.VIEW, unit_field="unit"
    )


def _dossier(request, code: str) -> Dossier:
    dossier = (
        _dossiers(request)
        .prefetch_related("steps__unit", "steps__handler", "events__unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def _visible_unit(request, code: str) -> OrgUnit:
    """The unit with this code if the caller sees it; 404 otherwise (never reveals it)."""
    unit = OrgUnit.objects.filter(code=code.strip()).first() if code.strip() else None
    if unit is None or not scope_for(request.auth_user).can(Perm.VIEW, unit):
        raise Http404
    return unit


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code.strip()).first()
    if procedure is None:
        raise DomainError(
            _("Không có thủ tục mã “%(code)s” trong danh mục.") % {"code": code},
            code="unknown_procedure",
            field="procedure",
        )
    return procedure


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


# --- procedures ------------------------------------------------------------------------
@router.get(
    "/procedures", response={200: list[ProcedureOut], **error_responses()}, summary="Danh mục thủ tục"
)
@paginate(Pagination)
def procedure_list(request, filters: Query[ProcedureFilters]) -> QuerySet[Procedure]:
    """Thủ tục hành chính trong danh mục, theo cấp, lĩnh vực và tên."""
    procedures = Procedure.objects.all()
    if filters.q.strip():
        procedures = procedures.filter(name_folded__contains=fold(filters.q))
    if filters.level:
        procedures = procedures.filter(level=filters.level)
    if filters.field.strip():
        procedures = procedures.filter(field__iexact=filters.field.strip())
    if filters.online_mode:
        procedures = procedures.filter(online_mode=filters.online_mode)
    if filters.active is not None:
        procedures = procedures.filter(is_active=filters.active)
    return procedures.order_by("level", "field", "name", "code")


@router.get("/procedures/{code}", response={200: ProcedureOut, **error_responses(404)}, summary="Xem thủ tục")
def procedure_detail(request, code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise Http404
    return procedure


# --- dossiers --------------------------------------------------------------------------
@router.get(
    "/dossiers",
    response={200: list[DossierSummaryOut], **error_responses(404)},
    summary="Danh sách hồ sơ",
)
@paginate(Pagination)
def dossier_list(request, filters: Query[DossierFilters]) -> QuerySet[Dossier]:
    """Hồ sơ của các đơn vị người dùng được xem, mới tiếp nhận trước."""
    dossiers = _dossiers(request)
    if filters.unit.strip():
        unit = _visible_unit(request, filters.unit)
        dossiers = dossiers.filter(unit_path__startswith=unit.path)
    if filters.status:
        dossiers = dossiers.filter(status=filters.status)
    if filters.received_from:
        dossiers = dossiers.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        dossiers = dossiers.filter(received_at__lt=_day_start(filters.received_to + dt.timedelta(days=1)))
    if filters.code.strip():
        dossiers = dossiers.filter(code__startswith=filters.code.strip().upper())
    if filters.external_id.strip():
        dossiers = dossiers.filter(external_id=filters.external_id.strip())
    return dossiers.order_by("-received_at", "-id")


@router.get("/dossiers/{code}", response={200: DossierOut, **error_responses(404)}, summary="Xem hồ sơ")
def dossier_detail(request, code: str) -> Dossier:
    """Hồ sơ với phiếu kiểm soát (các bước xử lý) và lịch sử."""
    return _dossier(request, code)


@router.post(
    "/dossiers",
    response={200: DossierOut, 201: DossierOut, **error_responses(400, 403, 404)},
    summary="Tiếp nhận hồ sơ",
)
def dossier_create(request, payload: DossierIn) -> Status:
    """Tiếp nhận hồ sơ tại đơn vị (cần quyền tiếp nhận, giải quyết hồ sơ ở đơn vị đó) và
    tính ngày hẹn trả. Gửi lại cùng `external_id` cho cùng đơn vị: trả về hồ sơ đã có (200),
    không tạo hồ sơ mới."""
    unit = _visible_unit(request, payload.unit)
    scope_for(request.auth_user).require(Perm.HANDLE_DOSSIERS, unit)
    external_id = payload.external_id.strip()
    if external_id:
        existing = Dossier.objects.filter(unit=unit, external_id=external_id).values_list("code", flat=True)
        if existing:
            return Status(200, _dossier(request, existing[0]))
    procedure = _procedure(payload.procedure)
    applicant = services.Applicant(**payload.applicant.model_dump())
    try:
        with transaction.atomic():
            dossier = services.dossier_receive(
                actor=request.auth_user,
                unit=unit,
                procedure=procedure,
                applicant=applicant,
                channel=payload.channel,
                subject=payload.subject,
                documents=payload.documents,
                received_at=payload.received_at,
                external_id=external_id,
            )
    except IntegrityError:
        # The same push arrived twice at once: the other request received it.
        code = (
            Dossier.objects.filter(unit=unit, external_id=external_id).values_list("code", flat=True).first()
        )
        if not external_id or code is None:
            raise
        return Status(200, _dossier(request, code))
    return Status(201, _dossier(request, dossier.code))


@router.post(
    "/dossiers/{code}/events",
    response={200: DossierOut, **error_responses(400, 403, 404)},
    summary="Ghi nhận một bước xử lý hồ sơ",
)
def dossier_event_add(request, code: str, payload: DossierEventIn) -> Dossier:
    """Chuyển bước, yêu cầu bổ sung, nhận đủ hồ sơ bổ sung, gửi văn bản xin lỗi, có kết
    quả, trả kết quả, từ chối, rút hồ sơ — mỗi loại gọi đúng một nghiệp vụ của bộ phận
    một cửa, với các kiểm tra như trên màn hình (trạng thái, thứ tự thời gian, quyền)."""
    dossier = _dossier(request, code)
    actor, at, kind = request.auth_user, payload.at, payload.kind
    common = {"actor": actor, "dossier": dossier, "at": at}
    if kind == "handed_over":
        to_unit = _visible_unit(request, payload.to_unit) if payload.to_unit.strip() else None
        to_handler = None
        if payload.to_handler.strip():
            to_handler = (
                get_user_model().objects.filter(username=payload.to_handler.strip(), is_active=True).first()
            )
            if to_handler is None:
                raise DomainError(
                    _("Không có người dùng “%(name)s”.") % {"name": payload.to_handler},
                    code="unknown_user",
                    field="to_handler",
                )
        services.dossier_hand_over(to_unit=to_unit, to_handler=to_handler, note=payload.note, **common)
    elif kind == "supplement_requested":
        services.dossier_request_supplement(reason=payload.reason, **common)
    elif kind == "supplement_completed":
        services.dossier_complete_supplement(**common)
    elif kind == "apology_sent":
        services.apology_letter_record(
            reason=payload.reason,
            new_due_at=payload.new_due_at,
            extra_working_days=payload.extra_working_days,
            number=payload.number,
            signer_name=payload.signer_name,
            signer_title=payload.signer_title,
            **common,
        )
    elif kind == "resolved":
        services.dossier_resolve(
            summary=payload.summary, digitized=payload.digitized, signed=payload.signed, **common
        )
    elif kind == "returned":
        services.dossier_return_result(method=payload.method, note=payload.note, **common)
    elif kind == "refused":
        services.dossier_refuse(reason=payload.reason, **common)
    else:  # withdrawn
        services.dossier_withdraw(note=payload.note, **common)
    return _dossier(request, code)
