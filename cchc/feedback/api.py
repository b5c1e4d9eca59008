"""Feedback and petitions over JSON: `/api/feedback/…` — the officers' list, one
feedback with its history (and, for those who handle it, the internal notes), and the
steps of its handling: assign, answer, publish, reject, route, note.

Reads are scoped by `scope_for(request.auth_user)`: a feedback of a unit outside the
caller's subtrees is a 404 and never appears in a list. Every write calls the one
service the officers' pages call (which checks `Perm.HANDLE_FEEDBACK`, the feedback's
state and the time rules, and writes the audit trail): a caller who may read a
feedback but not handle it gets 403; a refused step gets 400 with the Vietnamese
message, its code and the field.
"""

import datetime as dt
from typing import Annotated

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import PlainSerializer

from cchc.core.api import Pagination, error_responses
from cchc.core.errors import DomainError
from cchc.core.privacy import personal_data_for_caller, personal_data_of
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans.schemas import UnitRefOut
from cchc.workdays.calendar import VN_TZ

from . import selectors, services
from .models import Feedback, FeedbackKind, FeedbackStatus

router = Router(tags=["Phản ánh, kiến nghị (feedback)"])

VnDateTime = Annotated[
    dt.datetime, PlainSerializer(lambda value: value.astimezone(VN_TZ).isoformat(), return_type=str)
]


# --- schemas ---------------------------------------------------------------------------
class KindOut(Schema):
    """Một loại phản ánh, kiến nghị với thời hạn trả lời."""

    code: str
    name: str
    description: str
    deadline_days: int = Field(description="Thời hạn trả lời (ngày làm việc).")
    sender_name_required: bool
    sender_contact_required: bool
    is_active: bool


class UserRefOut(Schema):
    username: str
    name: str


def _user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}


class FeedbackSummaryOut(Schema):
    """Một phản ánh, kiến nghị trong danh sách."""

    id: int
    code: str = Field(description="Mã tiếp nhận (PA-yymmdd-…).")
    kind: str = Field(description="Mã loại phản ánh.")
    topic: str
    unit: UnitRefOut = Field(description="Đơn vị đang xử lý.")
    status: FeedbackStatus
    status_label: str
    officer: UserRefOut | None = Field(description="Cán bộ được phân công.")
    received_at: VnDateTime
    due_at: VnDateTime = Field(description="Hạn trả lời.")
    overdue: bool = Field(description="Đang mở và đã quá ngày hạn trả lời.")
    escalated: bool = Field(description="Đã chuyển cấp trên do quá hạn.")
    escalated_from: UnitRefOut | None

    @staticmethod
    def resolve_kind(obj: Feedback) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_topic(obj: Feedback, context) -> str:
        return _sender(obj, context).hide(obj.topic)

    @staticmethod
    def resolve_status_label(obj: Feedback) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_officer(obj: Feedback):
        return _user_ref(obj.officer)

    @staticmethod
    def resolve_overdue(obj: Feedback) -> bool:
        return services.is_overdue(obj)

    @staticmethod
    def resolve_escalated_from(obj: Feedback):
        return obj.escalated_from if obj.escalated else None


class FeedbackEventOut(Schema):
    at: VnDateTime
    kind: str
    label: str
    actor: UserRefOut | None
    unit: UnitRefOut | None
    note: str


class NoteOut(Schema):
    at: VnDateTime
    author: UserRefOut | None
    text: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class FeedbackOut(FeedbackSummaryOut):
    """Một phản ánh, kiến nghị với người gửi, nội dung, trả lời và lịch sử xử lý. Ghi chú
    nội bộ chỉ có khi người gọi được xử lý phản ánh này (mảng rỗng nếu không)."""

    sender_name: str
    sender_phone: str
    sender_email: str
    sender_address: str
    content: str
    wants_publication: bool = Field(description="Người gửi đồng ý công khai nội dung trả lời.")
    answer: str
    answered_at: VnDateTime | None
    answered_on_time: bool | None
    published_at: VnDateTime | None
    rejection_reason: str
    attachments: list[AttachmentOut]
    events: list[FeedbackEventOut]
    notes: list[NoteOut]

    @staticmethod
    def resolve_attachments(obj: Feedback) -> list[dict]:
        return obj.attachments_out

    # The sender as the caller may see them: masked unless they handle this feedback
    # (cchc.core.privacy); masked too when the caller is unknown.
    @staticmethod
    def resolve_sender_name(obj: Feedback, context) -> str:
        return _sender(obj, context).name

    @staticmethod
    def resolve_sender_phone(obj: Feedback, context) -> str:
        return _sender(obj, context).phone

    @staticmethod
    def resolve_sender_email(obj: Feedback, context) -> str:
        return _sender(obj, context).email

    @staticmethod
    def resolve_sender_address(obj: Feedback, context) -> str:
        return _sender(obj, context).address

    @staticmethod
    def resolve_content(obj: Feedback, context) -> str:
        return _sender(obj, context).hide(obj.content)

    @staticmethod
    def resolve_answer(obj: Feedback, context) -> str:
        return _sender(obj, context).hide(obj.answer)

    @staticmethod
    def resolve_rejection_reason(obj: Feedback, context) -> str:
        return _sender(obj, context).hide(obj.rejection_reason)

    @staticmethod
    def resolve_events(obj: Feedback) -> list[dict]:
        return obj.events_out

    @staticmethod
    def resolve_notes(obj: Feedback) -> list[dict]:
        return obj.notes_out


def _sender(obj: Feedback, context):
    """The sender as the caller may see them (cchc.core.privacy)."""
    return personal_data_for_caller(obj, context)


class FeedbackFilters(Schema):
    status: FeedbackStatus | None = Field(None, description="Chỉ lấy phản ánh ở trạng thái này.")
    unit: str = Field(
        "", max_length=40, description="Mã đơn vị: phản ánh của đơn vị đó và các đơn vị trực thuộc."
    )
    received_since: dt.date | None = Field(None, description="Tiếp nhận từ ngày (giờ Việt Nam).")


class AssignIn(Schema):
    officer: str = Field(max_length=150, description="Tên đăng nhập của cán bộ xử lý.")
    at: dt.datetime | None = Field(None, description="Thời điểm phân công (mặc định: bây giờ).")


class AnswerIn(Schema):
    answer: str = Field(max_length=20000)
    at: dt.datetime | None = None


class PublishIn(Schema):
    at: dt.datetime | None = None


class RejectIn(Schema):
    reason: str = Field(max_length=2000)
    at: dt.datetime | None = None


class RouteIn(Schema):
    to_unit: str = Field(max_length=40, description="Mã đơn vị nhận phản ánh.")
    note: str = Field("", max_length=500)
    at: dt.datetime | None = None


class NoteIn(Schema):
    text: str = Field(max_length=5000)


# --- helpers ---------------------------------------------------------------------------
def _feedback(request) -> QuerySet[Feedback]:
    return scope_for(request.auth_user).filter(
        Feedback.objects.select_related("kind", "unit", "officer", "escalated_from"), Perm.VIEW
    )


def _one(request, feedback_id: int) -> Feedback:
    feedback = _feedback(request).filter(pk=feedback_id).first()
    if feedback is None:
        raise Http404
    return feedback


def _visible_unit(request, code: str) -> OrgUnit:
    """The unit with this code if the caller sees it; 404 otherwise (never reveals it)."""
    unit = OrgUnit.objects.filter(code=code.strip()).first() if code.strip() else None
    if unit is None or not scope_for(request.auth_user).can(Perm.VIEW, unit):
        raise Http404
    return unit


def _out(request, feedback: Feedback) -> Feedback:
    """The full shape of one feedback: events always, notes for those who handle it."""
    can_handle = scope_for(request.auth_user).can(Perm.HANDLE_FEEDBACK, feedback.unit)
    person = personal_data_of(feedback, user=request.auth_user)  # free texts masked like the sender
    feedback.events_out = [
        {
            "at": e.at,
            "kind": e.kind,
            "label": e.get_kind_display(),
            "actor": _user_ref(e.actor),
            "unit": e.unit,
            "note": person.hide(e.note),
        }
        for e in selectors.events_for(feedback)
    ]
    feedback.notes_out = (
        [
            {"at": n.at, "author": _user_ref(n.author), "text": person.hide(n.text)}
            for n in selectors.notes_for(feedback)
        ]
        if can_handle
        else []
    )
    feedback.attachments_out = [
        {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
        for a in feedback.attachments.all()
    ]
    return feedback


# --- endpoints -------------------------------------------------------------------------
@router.get("/kinds", response={200: list[KindOut], **error_responses()}, summary="Loại phản ánh")
def kind_list(request) -> QuerySet[FeedbackKind]:
    """Các loại phản ánh, kiến nghị và thời hạn trả lời của từng loại."""
    return FeedbackKind.objects.order_by("position", "name")


@router.get(
    "/", response={200: list[FeedbackSummaryOut], **error_responses(404)}, summary="Danh sách phản ánh"
)
@paginate(Pagination)
def feedback_list(request, filters: Query[FeedbackFilters]) -> QuerySet[Feedback]:
    """Phản ánh, kiến nghị của các đơn vị người dùng được xem, hạn trả lời sớm nhất trước."""
    feedback = _feedback(request)
    if filters.unit.strip():
        unit = _visible_unit(request, filters.unit)
        feedback = feedback.filter(unit_path__startswith=unit.path)
    if filters.status:
        feedback = feedback.filter(status=filters.status)
    feedback = selectors.feedback_search(feedback, received_since=filters.received_since)
    return feedback.order_by("due_at", "pk")


@router.get("/{feedback_id}", response={200: FeedbackOut, **error_responses(404)}, summary="Xem phản ánh")
def feedback_detail(request, feedback_id: int):
    """Phản ánh với người gửi, nội dung, trả lời, lịch sử xử lý (và ghi chú nội bộ)."""
    return _out(request, _one(request, feedback_id))


def _officer(username: str):
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise DomainError(
            _("Không có người dùng “%(name)s”.") % {"name": username}, code="unknown_user", field="officer"
        )
    return user


WRITE = {200: FeedbackOut, **error_responses(400, 403, 404)}


@router.post("/{feedback_id}/assign", response=WRITE, summary="Phân công xử lý")
def feedback_assign(request, feedback_id: int, payload: AssignIn):
    feedback = _one(request, feedback_id)
    services.feedback_assign(
        actor=request.auth_user, feedback=feedback, officer=_officer(payload.officer), at=payload.at
    )
    return _out(request, _one(request, feedback_id))


@router.post("/{feedback_id}/answer", response=WRITE, summary="Trả lời phản ánh")
def feedback_answer(request, feedback_id: int, payload: AnswerIn):
    feedback = _one(request, feedback_id)
    services.feedback_answer(actor=request.auth_user, feedback=feedback, answer=payload.answer, at=payload.at)
    return _out(request, _one(request, feedback_id))


@router.post("/{feedback_id}/publish", response=WRITE, summary="Công khai nội dung trả lời")
def feedback_publish(request, feedback_id: int, payload: PublishIn | None = None):
    feedback = _one(request, feedback_id)
    services.feedback_publish(actor=request.auth_user, feedback=feedback, at=payload.at if payload else None)
    return _out(request, _one(request, feedback_id))


@router.post("/{feedback_id}/reject", response=WRITE, summary="Không tiếp nhận xử lý")
def feedback_reject(request, feedback_id: int, payload: RejectIn):
    feedback = _one(request, feedback_id)
    services.feedback_reject(actor=request.auth_user, feedback=feedback, reason=payload.reason, at=payload.at)
    return _out(request, _one(request, feedback_id))


@router.post("/{feedback_id}/route", response=WRITE, summary="Chuyển đơn vị xử lý")
def feedback_route(request, feedback_id: int, payload: RouteIn):
    feedback = _one(request, feedback_id)
    to_unit = _visible_unit(request, payload.to_unit)
    services.feedback_route(
        actor=request.auth_user, feedback=feedback, to_unit=to_unit, note=payload.note, at=payload.at
    )
    return _out(request, _one(request, feedback_id))


@router.post(
    "/{feedback_id}/notes",
    response={201: FeedbackOut, **error_responses(400, 403, 404)},
    summary="Thêm ghi chú nội bộ",
)
def feedback_note_add(request, feedback_id: int, payload: NoteIn):
    feedback = _one(request, feedback_id)
    services.feedback_note_add(actor=request.auth_user, feedback=feedback, text=payload.text)
    return Status(201, _out(request, _one(request, feedback_id)))
