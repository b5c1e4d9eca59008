"""Writes of feedback and petitions: submit, route, assign, note, answer, publish, reject,
escalate.

Every service is one transaction: it checks the actor's right through the one scoping
helper (`Perm.HANDLE_FEEDBACK` on the unit responsible), checks the feedback's state — a
feedback moves received → assigned → answered → published, or is rejected while open;
a transition that skips a state is refused — writes the feedback, one `FeedbackEvent` and
an audit row. `at=` lets imports record what happened earlier; it is never before the
feedback's last event nor in the future. What the sender typed is stored as typed (HTML
included, never stripped or rendered): the templates escape it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit, timing
from cchc.core.errors import DomainError
from cchc.core.uploads import check_upload
from cchc.dossiers.services import CODE_ALPHABET
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ, add_working_days

from .models import (
    OPEN_STATUSES,
    EventKind,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackKind,
    FeedbackNote,
    FeedbackStatus,
)

CODE_PREFIX = "PA"
# 31^10 ≈ 8·10^14 codes a day: a feedback cannot be found by guessing its code.
CODE_RANDOM_LENGTH = 10
FUTURE_TOLERANCE = timing.FUTURE_TOLERANCE
ATTACHMENT_KINDS = ("pdf", "docx", "doc", "png", "jpg")
MAX_ATTACHMENTS = 5
_PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")


# --- helpers ---------------------------------------------------------------------------


def feedback_code(*, day: dt.date, suffix: str | None = None) -> str:
    """The public receipt code: ``PA-<yymmdd>-<10 random letters>`` (no 0/O, 1/I/L,
    as the dossiers' codes, so a code read aloud or copied from paper is not mistaken)."""
    if suffix is None:
        suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return f"{CODE_PREFIX}-{day:%y%m%d}-{suffix}"


def due_at_for(*, received_at: dt.datetime, kind: FeedbackKind) -> dt.datetime:
    """The deadline: `kind.deadline_days` working days after receipt on the working-day
    calendar (a feedback received on a day off counts from the next working day)."""
    return add_working_days(received_at.astimezone(VN_TZ), kind.deadline_days)


def is_overdue(feedback: Feedback, *, now: dt.datetime | None = None) -> bool:
    """Past its deadline: today is after the due date (the whole due day is in time)."""
    now = (now or timezone.now()).astimezone(VN_TZ)
    return feedback.is_open and now.date() > feedback.due_at.astimezone(VN_TZ).date()


def _now() -> dt.datetime:
    return timing.now()


def _when(at: dt.datetime | None, *, feedback: Feedback | None = None, field: str = "at") -> dt.datetime:
    """`at` (or now), refused when in the future or before the feedback's last event."""
    if at is None or feedback is None:
        return timing.action_time(at, field=field)
    last = feedback.events.order_by("-at").values_list("at", flat=True).first() or feedback.received_at
    return timing.action_time(
        at,
        last=last,
        before_last_message=_("Thời điểm %(at)s trước bước xử lý gần nhất của phản ánh (%(last)s)."),
        field=field,
    )


def _require(actor, unit: OrgUnit) -> None:
    if actor is None:  # system jobs (escalation, demo, imports) act without a user
        return
    scope_for(actor).require(Perm.HANDLE_FEEDBACK, unit)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _lock(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("unit", "kind").get(pk=feedback.pk)


def _event(feedback, kind, *, at, actor, unit=None, note="", **data) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        feedback=feedback,
        kind=kind,
        at=at,
        actor=_user(actor),
        unit=unit or feedback.unit,
        note=note[:500],
        data=data,
    )


def _refuse_state(feedback: Feedback, action: str) -> DomainError:
    """The message for a transition the feedback's state does not allow, naming the
    step it would skip where there is one."""
    status = feedback.status
    if status == FeedbackStatus.RECEIVED and action in ("answer",):
        message = _("Phản ánh %(code)s chưa được phân công cán bộ xử lý, chưa thể trả lời.")
    elif status in OPEN_STATUSES and action == "publish":
        message = _("Phản ánh %(code)s chưa được trả lời, chưa thể công khai nội dung trả lời.")
    elif status == FeedbackStatus.PUBLISHED and action == "publish":
        message = _("Nội dung trả lời phản ánh %(code)s đã được công khai.")
    elif status in (FeedbackStatus.ANSWERED, FeedbackStatus.PUBLISHED):
        message = _("Phản ánh %(code)s đã được trả lời, không thể %(action)s.")
    elif status == FeedbackStatus.REJECTED:
        message = _("Phản ánh %(code)s đã bị từ chối tiếp nhận xử lý, không thể %(action)s.")
    else:
        message = _("Phản ánh %(code)s đang ở trạng thái “%(status)s”, không thể %(action)s.")
    labels = {
        "route": _("chuyển đơn vị xử lý"),
        "assign": _("phân công xử lý"),
        "answer": _("trả lời"),
        "publish": _("công khai"),
        "reject": _("từ chối"),
        "note": _("thêm ghi chú"),
    }
    return DomainError(
        message
        % {
            "code": feedback.code,
            "status": feedback.get_status_display(),
            "action": labels.get(action, action),
        },
        code="step_skipped" if status in OPEN_STATUSES else "invalid_state",
    )


def _require_status(feedback: Feedback, *allowed: str, action: str) -> None:
    if feedback.status not in allowed:
        raise _refuse_state(feedback, action)


# --- submit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _check_sender(sender: Sender, kind: FeedbackKind) -> Sender:
    sender = Sender(
        name=sender.name.strip(),
        phone=sender.phone.strip(),
        email=sender.email.strip(),
        address=sender.address.strip(),
    )
    if kind.sender_name_required and not sender.name:
        raise DomainError(
            _("Loại phản ánh “%(kind)s” cần ghi rõ họ tên người gửi.") % {"kind": kind.name},
            code="required",
            field="sender_name",
        )
    if kind.sender_contact_required and not (sender.phone or sender.email):
        raise DomainError(
            _("Loại phản ánh “%(kind)s” cần số điện thoại hoặc thư điện tử để cơ quan trả lời.")
            % {"kind": kind.name},
            code="required",
            field="sender_phone",
        )
    if sender.phone and not (_PHONE.match(sender.phone) and sum(c.isdigit() for c in sender.phone) >= 8):
        raise DomainError(_("Số điện thoại không hợp lệ."), code="invalid_phone", field="sender_phone")
    if sender.email:
        try:
            validate_email(sender.email)
        except ValidationError:
            raise DomainError(
                _("Địa chỉ thư điện tử không hợp lệ."), code="invalid_email", field="sender_email"
            ) from None
    if len(sender.name) > 200 or len(sender.address) > 300:
        raise DomainError(_("Họ tên hoặc địa chỉ quá dài."), code="too_long", field="sender_name")
    return sender


def feedback_submit(
    *,
    kind: FeedbackKind,
    unit: OrgUnit,
    topic: str,
    content: str,
    sender: Sender | None = None,
    procedure=None,
    wants_publication: bool = False,
    attachments: list | None = None,
    received_at: dt.datetime | None = None,
) -> Feedback:
    """Receive a feedback from the public form (no account, no actor).

    The kind must be in force and the unit must exist; the sender's name and a phone or
    e-mail are required only when the kind requires them. The deadline is the kind's
    working days on the calendar (`due_at_for`). Attachments are checked by their bytes
    (`check_upload`: PDF, Word, PNG/JPG, size limit), all before anything is written.
    """
    sender = _check_sender(sender or Sender(), kind)
    if not kind.is_active:
        raise DomainError(_("Loại phản ánh này không còn áp dụng."), code="kind_inactive", field="kind")
    topic, content = topic.strip(), content.strip()
    if not topic:
        raise DomainError(_("Cần nhập chủ đề phản ánh, kiến nghị."), code="required", field="topic")
    if len(topic) > 300:
        raise DomainError(_("Chủ đề không được dài quá 300 ký tự."), code="too_long", field="topic")
    if not content:
        raise DomainError(_("Cần nhập nội dung phản ánh, kiến nghị."), code="required", field="content")
    attachments = list(attachments or [])
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(
            _("Chỉ được gửi tối đa %(n)s tệp đính kèm.") % {"n": MAX_ATTACHMENTS},
            code="too_many_files",
            field="attachments",
        )
    checked = [(f, check_upload(f, allowed=ATTACHMENT_KINDS)) for f in attachments]
    at = _when(received_at, field="received_at")
    if unit.closed_on is not None and unit.closed_on < at.date():
        raise DomainError(_("Đơn vị đã giải thể, không thể nhận phản ánh."), code="unit_closed", field="unit")
    due = due_at_for(received_at=at, kind=kind)
    with transaction.atomic():
        feedback = _create_with_code(
            kind=kind,
            topic=topic,
            unit=unit,
            unit_path=unit.path,
            procedure=procedure,
            sender_name=sender.name,
            sender_phone=sender.phone,
            sender_email=sender.email,
            sender_address=sender.address,
            content=content,
            wants_publication=wants_publication,
            received_at=at,
            deadline_days=kind.deadline_days,
            due_at=due,
        )
        for uploaded, info in checked:
            original = (getattr(uploaded, "name", "") or info.safe_name)[:255]
            uploaded.name = info.safe_name  # never the sender's name on our disk
            FeedbackAttachment.objects.create(
                feedback=feedback,
                file=uploaded,
                original_name=original,
                content_type=info.content_type,
                size=info.size,
                sha256=info.sha256,
                uploaded_at=at,
            )
        _event(
            feedback, EventKind.RECEIVED, at=at, actor=None, due_at=due.isoformat(), feedback_kind=kind.code
        )
        audit.record(actor=None, obj=feedback, event="feedback.received")
    return feedback


def _create_with_code(**fields) -> Feedback:
    day = fields["received_at"].date()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Feedback.objects.create(code=feedback_code(day=day), **fields)
        except IntegrityError:  # the same random code twice: draw again
            continue
    raise DomainError(_("Không cấp được mã phản ánh, vui lòng gửi lại."), code="code_exhausted")


# --- routing and assignment ------------------------------------------------------------


def feedback_route(
    *, actor, feedback: Feedback, to_unit: OrgUnit, note: str = "", at: dt.datetime | None = None
) -> Feedback:
    """The reform office sends the feedback to the unit responsible for it (Decree
    20/2008, as amended: a feedback outside the receiving agency's competence goes to the
    competent one). Only while open and not yet assigned to an officer there; the actor
    must handle feedback both where it is and where it goes. The deadline does not move."""
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        _require(actor, to_unit)
        _require_status(feedback, FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED, action="route")
        if to_unit.pk == feedback.unit_id:
            raise DomainError(
                _("Phản ánh đã thuộc %(unit)s.") % {"unit": to_unit.name}, code="same_unit", field="to_unit"
            )
        if to_unit.closed_on is not None:
            raise DomainError(_("Đơn vị đã giải thể."), code="unit_closed", field="to_unit")
        when = _when(at, feedback=feedback)
        before = audit.snapshot(feedback, ["unit", "status", "officer"])
        from_unit = feedback.unit
        feedback.unit, feedback.unit_path = to_unit, to_unit.path
        feedback.status, feedback.officer = FeedbackStatus.RECEIVED, None
        feedback.save(update_fields=["unit", "unit_path", "status", "officer", "updated_at"])
        _event(
            feedback,
            EventKind.ROUTED,
            at=when,
            actor=actor,
            unit=to_unit,
            note=note.strip(),
            from_unit=from_unit.pk,
            from_unit_name=from_unit.name,
        )
        audit.record(
            actor=actor,
            obj=feedback,
            event="feedback.routed",
            before=before,
            after=audit.snapshot(feedback, ["unit", "status", "officer"]),
        )
    return feedback


def feedback_assign(*, actor, feedback: Feedback, officer, at: dt.datetime | None = None) -> Feedback:
    """Assign the feedback to an officer who handles feedback in its unit (or above it);
    reassigning an open feedback to another officer is allowed."""
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        _require_status(feedback, FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED, action="assign")
        if officer is None or not scope_for(officer).can(Perm.HANDLE_FEEDBACK, feedback.unit):
            raise DomainError(
                _("%(user)s không xử lý phản ánh của %(unit)s.")
                % {"user": _name(officer) if officer else "—", "unit": feedback.unit.name},
                code="officer_outside_unit",
                field="officer",
            )
        when = _when(at, feedback=feedback)
        previous = feedback.officer_id
        feedback.officer, feedback.status = officer, FeedbackStatus.ASSIGNED
        feedback.save(update_fields=["officer", "status", "updated_at"])
        _event(
            feedback,
            EventKind.ASSIGNED,
            at=when,
            actor=actor,
            officer=officer.pk,
            officer_name=_name(officer),
        )
        audit.record(
            actor=actor, obj=feedback, event="feedback.assigned", changes={"officer": [previous, officer.pk]}
        )
    return feedback


def feedback_note_add(*, actor, feedback: Feedback, text: str, at: dt.datetime | None = None) -> FeedbackNote:
    """An internal note by an officer of the unit (any state: notes may follow an answer)."""
    if not text.strip():
        raise DomainError(_("Cần nhập nội dung ghi chú."), code="required", field="text")
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        when = _when(at)
        note = FeedbackNote.objects.create(feedback=feedback, author=_user(actor), at=when, text=text.strip())
        audit.record(
            actor=actor, obj=feedback, event="feedback.note_added", changes={"note": [None, note.pk]}
        )
    return note


# --- answer, publish, reject -----------------------------------------------------------


def feedback_answer(*, actor, feedback: Feedback, answer: str, at: dt.datetime | None = None) -> Feedback:
    """Record the answer sent to the sender. Only once the feedback is assigned (it does
    not skip its handling); on time when answered on or before the due date."""
    if not answer.strip():
        raise DomainError(_("Cần nhập nội dung trả lời."), code="required", field="answer")
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        _require_status(feedback, FeedbackStatus.ASSIGNED, action="answer")
        when = _when(at, feedback=feedback)
        on_time = when.date() <= feedback.due_at.astimezone(VN_TZ).date()
        feedback.status = FeedbackStatus.ANSWERED
        feedback.answer = answer.strip()
        feedback.answered_at = feedback.closed_at = when
        feedback.answered_by = _user(actor)
        feedback.answered_on_time = on_time
        feedback.save(
            update_fields=[
                "status",
                "answer",
                "answered_at",
                "closed_at",
                "answered_by",
                "answered_on_time",
                "updated_at",
            ]
        )
        _event(feedback, EventKind.ANSWERED, at=when, actor=actor, on_time=on_time)
        audit.record(
            actor=actor, obj=feedback, event="feedback.answered", changes={"status": ["assigned", "answered"]}
        )
    return feedback


def feedback_publish(*, actor, feedback: Feedback, at: dt.datetime | None = None) -> Feedback:
    """Publish the answer on the portal — only when the sender agreed to it."""
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        _require_status(feedback, FeedbackStatus.ANSWERED, action="publish")
        if not feedback.wants_publication:
            raise DomainError(
                _("Người gửi không đồng ý công khai, không thể công khai nội dung trả lời."),
                code="no_consent",
            )
        when = _when(at, feedback=feedback)
        feedback.status, feedback.published_at = FeedbackStatus.PUBLISHED, when
        feedback.save(update_fields=["status", "published_at", "updated_at"])
        _event(feedback, EventKind.PUBLISHED, at=when, actor=actor)
        audit.record(
            actor=actor,
            obj=feedback,
            event="feedback.published",
            changes={"status": ["answered", "published"]},
        )
    return feedback


def feedback_reject(*, actor, feedback: Feedback, reason: str, at: dt.datetime | None = None) -> Feedback:
    """Decline to handle the feedback, with the reason given to the sender (e.g. a
    complaint or denunciation, which Decree 20/2008 art. 1 leaves to their own laws, or
    a message that does not meet the requirements). Only while open."""
    if not reason.strip():
        raise DomainError(_("Cần nêu rõ lý do không tiếp nhận xử lý."), code="required", field="reason")
    with transaction.atomic():
        feedback = _lock(feedback)
        _require(actor, feedback.unit)
        _require_status(feedback, *OPEN_STATUSES, action="reject")
        when = _when(at, feedback=feedback)
        previous = feedback.status
        feedback.status, feedback.rejection_reason, feedback.closed_at = (
            FeedbackStatus.REJECTED,
            reason.strip(),
            when,
        )
        feedback.save(update_fields=["status", "rejection_reason", "closed_at", "updated_at"])
        _event(feedback, EventKind.REJECTED, at=when, actor=actor, note=reason.strip())
        audit.record(
            actor=actor, obj=feedback, event="feedback.rejected", changes={"status": [previous, "rejected"]}
        )
    return feedback


# --- escalation ------------------------------------------------------------------------


def feedback_escalate_overdue(*, at: dt.datetime | None = None) -> int:
    """The parent unit takes over every open feedback whose due date has passed without
    an answer (run daily by `cchc escalate_feedback`; the system acts, no actor).

    Overdue means the due day is over (`is_overdue`). The feedback moves to the parent
    (`unit`, `unit_path`), goes back to "received" for the parent to assign, and is
    marked escalated once: running the job again, or the next day, changes nothing (a
    feedback already escalated is the parent's, which answers for it; its deadline does
    not move, so it stays late). A unit without an open parent keeps its feedback.
    Returns how many were escalated.
    """
    when = _when(at)
    today_start = dt.datetime.combine(when.date(), dt.time.min, tzinfo=VN_TZ)
    with transaction.atomic():
        rows = list(
            Feedback.objects.select_for_update(of=("self",))
            .filter(
                closed_at__isnull=True,
                escalated=False,
                due_at__lt=today_start,
                received_at__lte=when,
                unit__parent__isnull=False,
                unit__parent__closed_on__isnull=True,
            )
            .select_related("unit", "unit__parent")
            .order_by("pk")
        )
        if not rows:
            return 0
        # One UPDATE per source unit (same parent, same source): a few per run.
        by_unit: dict[int, list[Feedback]] = defaultdict(list)
        for feedback in rows:
            by_unit[feedback.unit_id].append(feedback)
        events = []
        for items in by_unit.values():
            source, parent = items[0].unit, items[0].unit.parent
            Feedback.objects.filter(pk__in=[f.pk for f in items]).update(
                unit=parent,
                unit_path=parent.path,
                escalated=True,
                escalated_to=parent,
                escalated_from=source,
                escalated_at=when,
                status=FeedbackStatus.RECEIVED,
                officer=None,
                updated_at=timezone.now(),
            )
            for feedback in items:
                events.append(
                    FeedbackEvent(
                        feedback=feedback,
                        kind=EventKind.ESCALATED,
                        at=max(when, feedback.received_at),
                        unit=parent,
                        note=_("Quá hạn trả lời, chuyển %(unit)s xử lý") % {"unit": parent.name},
                        data={
                            "from_unit": source.pk,
                            "from_unit_name": source.name,
                            "due_at": feedback.due_at.isoformat(),
                        },
                    )
                )
                feedback._audit_changes = {"unit": [source.pk, parent.pk], "escalated": [False, True]}
        FeedbackEvent.objects.bulk_create(events)
        audit.record_bulk(actor=None, objs=rows, event="feedback.escalated", action="action")
    return len(rows)
