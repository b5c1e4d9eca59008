"""Writes of the one-stop desk: receive, hand over, supplement, resolve, refuse, return.

Every service is one transaction: it checks the actor's right through the one scoping
helper, checks the dossier's state (a dossier moves step by step: received → handed over
through the procedure's internal steps → resolved at the last processing step → result
returned; a request for supplementary documents pauses it; refusal and withdrawal end
it), writes the dossier, its control sheet (`DossierStep`) and one `DossierEvent`, and an
audit row. Time rules come from `cchc.dossiers.rules` (the decree in force on the day of
receipt). `at=` lets the API and the history import record what happened earlier; it is
never before the dossier's last event nor in the future.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cchc.core import audit, timing
from cchc.core.errors import DomainError
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ, add_working_days, working_days_between

from . import rules
from .models import (
    ApologyLetter,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierPause,
    DossierStatus,
    DossierStep,
    EventKind,
    OnlineMode,
    Procedure,
    ReturnMethod,
)

# Used when a procedure publishes no internal process: receive at the desk, examine,
# approve, return at the desk (shares of the legal time, in percent).
DEFAULT_STEPS = [
    {"name": "Tiếp nhận hồ sơ", "share": 10},
    {"name": "Thẩm định, xử lý hồ sơ", "share": 60},
    {"name": "Phê duyệt kết quả", "share": 20},
    {"name": "Trả kết quả", "share": 10},
]

# Letters of the random block of a dossier code: no 0/O, 1/I/L, so a code read aloud
# or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_RANDOM_LENGTH = 5
# Leeway for clocks of systems pushing dossiers through the API.
FUTURE_TOLERANCE = timing.FUTURE_TOLERANCE


def steps_of(procedure: Procedure) -> list[dict]:
    return list(procedure.steps) or DEFAULT_STEPS


# --- codes -----------------------------------------------------------------------------


def dossier_code_allocate(*, unit: OrgUnit, day: dt.date) -> str:
    """A new dossier code, unique across the system: ``<unit code>-<yymmdd>-<nnnn>-<XXXXX>``.

    The first three parts are the structure of Circular 01/2018/TT-VPCP art. 19 (the
    receiving unit's code, the date of receipt, the dossier's number among that day's
    receipts; `rules.format_dossier_code`); the fourth is ours.

    The sequence number is the unit's count of dossiers that day, taken by an atomic
    increment of its counter row (row lock on PostgreSQL, the write lock on SQLite), so
    two desks receiving at the same second get different numbers; the random block
    makes codes unguessable, so the public status page cannot be walked through.
    Must run inside the receiving transaction. Of the existing rows, a receipt locks
    only this counter (its inserts take nothing another desk waits for), so receipts
    queue behind each other and never in a cycle: there is no deadlock to retry
    (tests/test_desk_concurrency.py: 50 desks in the same second).
    """
    updated = DossierCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                DossierCounter.objects.create(unit=unit, day=day, last=1)
        except IntegrityError:  # another desk created today's row first
            DossierCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1)
    number = DossierCounter.objects.values_list("last", flat=True).get(unit=unit, day=day)
    return dossier_code(unit_code=unit.code, day=day, number=number)


def dossier_code(*, unit_code: str, day: dt.date, number: int, suffix: str | None = None) -> str:
    """The code's text (see `dossier_code_allocate`); `suffix` defaults to a fresh random
    block (the bulk generator passes its seeded one)."""
    if suffix is None:
        suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return f"{unit_code}-{day:%y%m%d}-{number:04d}-{suffix}"


# --- helpers ---------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timing.now()


def _when(at: dt.datetime | None, *, dossier: Dossier | None = None, field: str = "at") -> dt.datetime:
    """`at` (or now), refused when in the future or before the dossier's last event."""
    if at is None or dossier is None:
        return timing.action_time(at, field=field)
    last = dossier.events.order_by("-at").values_list("at", flat=True).first() or dossier.received_at
    return timing.action_time(
        at,
        last=last,
        before_last_message=_("Thời điểm %(at)s trước bước xử lý gần nhất của hồ sơ (%(last)s)."),
        field=field,
    )


def _require(actor, unit: OrgUnit) -> None:
    if actor is None:  # system jobs (demo, migrations) act without a user
        return
    scope_for(actor).require(Perm.HANDLE_DOSSIERS, unit)


def _check_handler(handler, unit: OrgUnit) -> None:
    """A dossier is handed only to someone who works at (or above) the unit."""
    if handler is not None and not scope_for(handler).can(Perm.VIEW, unit):
        raise DomainError(
            _("%(user)s không thuộc %(unit)s, không thể nhận xử lý hồ sơ.")
            % {"user": handler.get_full_name() or handler.get_username(), "unit": unit.name},
            code="handler_outside_unit",
            field="to_handler",
        )


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)


def _event(dossier, kind, *, at, actor, unit=None, note="", **data) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit or dossier.unit,
        note=note[:500],
        data=data,
    )


def _require_status(dossier: Dossier, *allowed: str, action: str) -> None:
    if dossier.status not in allowed:
        raise DomainError(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể %(action)s.")
            % {"code": dossier.code, "status": dossier.get_status_display(), "action": action},
            code="invalid_state",
        )


def step_deadlines(*, start: dt.datetime, working_days: int, steps: list[dict]) -> list[dt.datetime]:
    """Each step's deadline from the start of processing: the cumulative share of the
    legal time, rounded up to whole working days; the last step ends on the appointment."""
    deadlines, total, cumulative = [], sum(int(s.get("share", 0)) for s in steps) or 1, 0
    for step in steps:
        cumulative += int(step.get("share", 0))
        days = math.ceil(working_days * cumulative / total - 1e-9)
        deadlines.append(add_working_days(start, days))
    return deadlines


# --- receive ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def dossier_receive(
    *,
    actor,
    unit: OrgUnit,
    procedure: Procedure,
    applicant: Applicant,
    channel: str = Channel.DESK,
    subject: str = "",
    documents: list[str] | None = None,
    handler=None,
    received_at: dt.datetime | None = None,
    external_id: str = "",
) -> Dossier:
    """Receive a dossier and issue its receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả).

    The unit must handle the procedure (its level) and the procedure must be in force;
    an online dossier needs a procedure offered online. The appointment is computed by
    `rules.due_at` under the decree in force on the day of receipt (Decree 61/2018 up to
    30/06/2025, Decree 118/2025 from 01/07/2025), and the first step of the procedure's
    internal process opens with its own deadline.
    """
    _require(actor, unit)
    if not applicant.name.strip():
        raise DomainError(_("Cần nhập họ tên người nộp hồ sơ."), code="required", field="applicant_name")
    if channel not in Channel.values:
        raise DomainError(_("Hình thức nộp hồ sơ không hợp lệ."), code="invalid_channel", field="channel")
    if not procedure.is_active:
        raise DomainError(_("Thủ tục này không còn áp dụng."), code="procedure_inactive", field="procedure")
    if not procedure.handled_by(unit):
        raise DomainError(
            _("%(unit)s không giải quyết thủ tục “%(procedure)s” (thủ tục %(level)s).")
            % {
                "unit": unit.name,
                "procedure": procedure.name,
                "level": procedure.get_level_display().lower(),
            },
            code="procedure_not_handled",
            field="procedure",
        )
    if channel == Channel.ONLINE and procedure.online_mode == OnlineMode.NONE:
        raise DomainError(
            _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."), code="not_online", field="channel"
        )
    _check_handler(handler, unit)
    at = _when(received_at, field="received_at")
    if unit.closed_on is not None and unit.closed_on < at.date():
        raise DomainError(_("Đơn vị đã giải thể, không thể tiếp nhận hồ sơ."), code="unit_closed")
    ruleset = rules.ruleset_for(at)
    due = rules.due_at(
        received_at=at, working_days=procedure.processing_days, ruleset=ruleset, cutoff=procedure.cutoff
    )
    steps = steps_of(procedure)
    with transaction.atomic():
        dossier = Dossier.objects.create(
            code=dossier_code_allocate(unit=unit, day=at.date()),
            procedure=procedure,
            unit=unit,
            unit_path=unit.path,
            channel=channel,
            applicant_name=applicant.name.strip(),
            applicant_id_number=applicant.id_number.strip(),
            applicant_phone=applicant.phone.strip(),
            applicant_email=applicant.email.strip(),
            applicant_address=applicant.address.strip(),
            subject=subject.strip(),
            documents=list(documents or []),
            received_at=at,
            received_by=actor if getattr(actor, "is_authenticated", False) else None,
            ruleset=ruleset.code,
            processing_days=procedure.processing_days,
            original_due_at=due,
            due_at=due,
            handler=handler or (actor if getattr(actor, "is_authenticated", False) else None),
            external_id=external_id,
        )
        deadlines = step_deadlines(start=at, working_days=procedure.processing_days, steps=steps)
        DossierStep.objects.create(
            dossier=dossier,
            position=0,
            name=steps[0]["name"],
            unit=unit,
            handler=dossier.handler,
            started_at=at,
            due_at=min(deadlines[0], due),
        )
        _event(
            dossier,
            EventKind.RECEIVED,
            at=at,
            actor=actor,
            due_at=due.isoformat(),
            channel=channel,
            ruleset=ruleset.code,
        )
        audit.record(actor=actor, obj=dossier, event="dossier.received")
    return dossier


# --- moving through the steps ----------------------------------------------------------


def _current_step(dossier: Dossier) -> DossierStep:
    return dossier.steps.filter(completed_at__isnull=True).order_by("-position").first()


def _planned_deadline(dossier: Dossier, position: int) -> dt.datetime:
    steps = steps_of(dossier.procedure)
    deadlines = step_deadlines(start=dossier.received_at, working_days=dossier.processing_days, steps=steps)
    shift = (
        working_days_between(dossier.original_due_at, dossier.due_at)
        if dossier.due_at > dossier.original_due_at
        else 0
    )
    return min(add_working_days(deadlines[min(position, len(deadlines) - 1)], shift), dossier.due_at)


def _open_step(dossier, *, position: int, at, unit, handler, note="") -> DossierStep:
    steps = steps_of(dossier.procedure)
    return DossierStep.objects.create(
        dossier=dossier,
        position=position,
        name=steps[position]["name"],
        unit=unit,
        handler=handler,
        started_at=at,
        due_at=max(_planned_deadline(dossier, position), at),
        note=note[:500],
    )


def dossier_hand_over(
    *,
    actor,
    dossier: Dossier,
    to_unit: OrgUnit | None = None,
    to_handler=None,
    note: str = "",
    at: dt.datetime | None = None,
) -> DossierStep:
    """Hand the dossier to the next step of the procedure's internal process.

    Only to the next step, never past the last processing step (the last step, the
    return of the result, opens when the dossier is resolved), and only while the dossier
    is in progress: a paused dossier waits for its supplement.
    """
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.IN_PROGRESS, action=_("chuyển bước"))
        steps = steps_of(dossier.procedure)
        if dossier.current_step + 1 >= len(steps) - 1:
            raise DomainError(
                _(
                    "Hồ sơ đang ở bước xử lý cuối (%(step)s): bước tiếp theo là trả kết quả, "
                    "hãy ghi nhận kết quả giải quyết."
                )
                % {"step": steps[dossier.current_step]["name"]},
                code="step_skipped",
            )
        _check_handler(to_handler, to_unit or dossier.unit)
        when = _when(at, dossier=dossier)
        current = _current_step(dossier)
        if current is not None:
            current.completed_at = when
            current.save(update_fields=["completed_at"])
        dossier.current_step += 1
        dossier.handler = to_handler
        dossier.save(update_fields=["current_step", "handler", "updated_at"])
        step = _open_step(
            dossier,
            position=dossier.current_step,
            at=when,
            unit=to_unit or dossier.unit,
            handler=to_handler,
            note=note,
        )
        _event(
            dossier,
            EventKind.HANDED_OVER,
            at=when,
            actor=actor,
            unit=step.unit,
            note=note,
            step=step.name,
            position=step.position,
            handler=getattr(to_handler, "get_full_name", lambda: "")() or getattr(to_handler, "username", ""),
        )
        audit.record(
            actor=actor,
            obj=dossier,
            event="dossier.handed_over",
            changes={"step": [step.position - 1, step.position]},
        )
    return step


# --- supplement ------------------------------------------------------------------------


def dossier_request_supplement(
    *, actor, dossier: Dossier, reason: str, at: dt.datetime | None = None
) -> DossierPause:
    """Ask the applicant for supplementary documents (phiếu yêu cầu bổ sung, hoàn thiện
    hồ sơ): the clock stops until the complete dossier is received (see
    `rules.resume_after_supplement` for how it restarts under each decree)."""
    if not reason.strip():
        raise DomainError(_("Cần nêu rõ giấy tờ cần bổ sung, hoàn thiện."), code="required", field="reason")
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.IN_PROGRESS, action=_("yêu cầu bổ sung"))
        when = _when(at, dossier=dossier)
        pause = DossierPause.objects.create(
            dossier=dossier,
            requested_at=when,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason.strip(),
            due_at_before=dossier.due_at,
        )
        dossier.status = DossierStatus.SUPPLEMENT
        dossier.save(update_fields=["status", "updated_at"])
        _event(dossier, EventKind.SUPPLEMENT_REQUESTED, at=when, actor=actor, note=reason.strip())
        audit.record(actor=actor, obj=dossier, event="dossier.supplement_requested")
    return pause


def dossier_complete_supplement(*, actor, dossier: Dossier, at: dt.datetime | None = None) -> Dossier:
    """The applicant has completed the dossier: the clock restarts and the appointment
    moves by the rule in force on the day of receipt; the current step's deadline moves
    by as many working days."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.SUPPLEMENT, action=_("ghi nhận hồ sơ bổ sung"))
        pause = dossier.pauses.get(completed_at__isnull=True)
        when = _when(at, dossier=dossier)
        ruleset = _ruleset(dossier)
        new_due = rules.resume_after_supplement(
            due_at=pause.due_at_before,
            requested_at=pause.requested_at,
            completed_at=when,
            working_days=dossier.processing_days,
            ruleset=ruleset,
        )
        pause.completed_at, pause.due_at_after = when, new_due
        pause.save(update_fields=["completed_at", "due_at_after"])
        old_due = dossier.due_at
        dossier.due_at, dossier.status = new_due, DossierStatus.IN_PROGRESS
        dossier.save(update_fields=["due_at", "status", "updated_at"])
        current = _current_step(dossier)
        if current is not None:
            current.due_at = max(_planned_deadline(dossier, current.position), when)
            current.save(update_fields=["due_at"])
        _event(
            dossier,
            EventKind.SUPPLEMENT_COMPLETED,
            at=when,
            actor=actor,
            due_at=new_due.isoformat(),
            previous_due_at=old_due.isoformat(),
        )
        audit.record(
            actor=actor,
            obj=dossier,
            event="dossier.supplement_completed",
            changes={"due_at": [old_due.isoformat(), new_due.isoformat()]},
        )
    return dossier


def _ruleset(dossier: Dossier) -> rules.Ruleset:
    for ruleset in rules.RULESETS:
        if ruleset.code == dossier.ruleset:
            return ruleset
    return rules.ruleset_for(dossier.received_at)


# --- apology ---------------------------------------------------------------------------


def apology_letter_record(
    *,
    actor,
    dossier: Dossier,
    reason: str,
    new_due_at: dt.datetime | None = None,
    extra_working_days: int | None = None,
    number: str = "",
    signer_name: str = "",
    signer_title: str = "",
    at: dt.datetime | None = None,
) -> ApologyLetter:
    """Record the letter of apology and new appointment sent to the applicant of a
    dossier that will be late (the letter itself is `letters.apology_letter_docx`).

    The new appointment is given, or `extra_working_days` after the current one; it
    must be after the current appointment, and it is moved at most once ("Việc hẹn lại
    ngày trả kết quả được thực hiện không quá một lần", Decree 61/2018 art. 19(9);
    `rules.can_extend`). The appointment the dossier is measured
    against does not move: a dossier resolved by the new date is still late.
    """
    if not reason.strip():
        raise DomainError(_("Cần nêu lý do chậm giải quyết."), code="required", field="reason")
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(
            dossier, DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT, action=_("gửi văn bản xin lỗi")
        )
        when = _when(at, dossier=dossier)
        ruleset = _ruleset(dossier)
        if not rules.can_extend(extensions_so_far=dossier.apology_letters.count(), ruleset=ruleset):
            raise DomainError(
                _("Hồ sơ đã được hẹn lại ngày trả một lần; quy định chỉ cho phép hẹn lại không quá một lần."),
                code="extension_limit",
            )
        if new_due_at is None:
            if not extra_working_days or extra_working_days < 1:
                raise DomainError(_("Cần nhập ngày hẹn trả mới."), code="required", field="new_due_at")
            new_due_at = rules.extended_due_at(due_at=dossier.due_at, extra_working_days=extra_working_days)
        new_due_at = new_due_at.astimezone(VN_TZ)
        if new_due_at.date() <= dossier.due_at.astimezone(VN_TZ).date():
            raise DomainError(
                _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại (%(due)s).")
                % {"due": f"{dossier.due_at.astimezone(VN_TZ):%d/%m/%Y}"},
                code="new_due_not_later",
                field="new_due_at",
            )
        letter = ApologyLetter.objects.create(
            dossier=dossier,
            number=number.strip(),
            reason=reason.strip(),
            new_due_at=new_due_at,
            signer_name=signer_name.strip(),
            signer_title=signer_title.strip(),
            created_at=when,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            sent_at=when,
        )
        _event(
            dossier,
            EventKind.APOLOGY_SENT,
            at=when,
            actor=actor,
            note=reason.strip(),
            new_due_at=new_due_at.isoformat(),
        )
        audit.record(actor=actor, obj=dossier, event="dossier.apology_sent")
    return letter


# --- end of processing -----------------------------------------------------------------


def dossier_resolve(
    *,
    actor,
    dossier: Dossier,
    summary: str = "",
    result_file=None,
    digitized: bool | None = None,
    signed: bool = False,
    at: dt.datetime | None = None,
) -> Dossier:
    """Record the result: early, on time or late against the appointment in force
    (`rules.classify`, by date). Only from the last processing step (a dossier does not
    skip its examination), with the digitized result where the procedure requires one.
    The last step, the return of the result, opens at the desk."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.IN_PROGRESS, action=_("ghi nhận kết quả"))
        steps = steps_of(dossier.procedure)
        last_processing = max(0, len(steps) - 2)
        if dossier.current_step < last_processing:
            raise DomainError(
                _("Hồ sơ mới ở bước “%(step)s”, chưa qua bước “%(needed)s”: không thể ghi nhận kết quả.")
                % {"step": steps[dossier.current_step]["name"], "needed": steps[last_processing]["name"]},
                code="step_skipped",
            )
        if dossier.procedure.result_requires_file and not result_file:
            raise DomainError(
                _("Thủ tục này yêu cầu tệp kết quả đã số hóa."),
                code="result_file_required",
                field="result_file",
            )
        when = _when(at, dossier=dossier)
        outcome = rules.classify(resolved_at=when, due_at=dossier.due_at)
        current = _current_step(dossier)
        if current is not None:
            current.completed_at = when
            current.save(update_fields=["completed_at"])
        dossier.status = DossierStatus.RESOLVED
        dossier.resolved_at = dossier.closed_at = when
        dossier.outcome = outcome
        dossier.result_summary = summary.strip()[:500]
        if result_file:
            dossier.result_file = result_file
        dossier.result_digitized = bool(result_file) if digitized is None else digitized
        dossier.result_signed = signed
        dossier.current_step = len(steps) - 1
        dossier.save()
        if len(steps) > 1:
            _open_step(dossier, position=len(steps) - 1, at=when, unit=dossier.unit, handler=None)
        _event(dossier, EventKind.RESOLVED, at=when, actor=actor, note=summary.strip(), outcome=outcome)
        audit.record(actor=actor, obj=dossier, event="dossier.resolved", changes={"outcome": ["", outcome]})
    return dossier


def dossier_return_result(
    *, actor, dossier: Dossier, method: str = ReturnMethod.DESK, note: str = "", at: dt.datetime | None = None
) -> Dossier:
    """Hand the result to the applicant at the desk, by post (when the procedure allows
    it) or online; closes the control sheet."""
    if method not in ReturnMethod.values:
        raise DomainError(_("Hình thức trả kết quả không hợp lệ."), code="invalid_method", field="method")
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.RESOLVED, action=_("trả kết quả"))
        if method == ReturnMethod.POST and not dossier.procedure.postal_return:
            raise DomainError(
                _("Thủ tục này không trả kết quả qua bưu chính."), code="post_not_allowed", field="method"
            )
        when = _when(at, dossier=dossier)
        current = _current_step(dossier)
        if current is not None:
            current.completed_at = when
            current.save(update_fields=["completed_at"])
        dossier.status = DossierStatus.RETURNED
        dossier.return_method, dossier.returned_at = method, when
        dossier.save(update_fields=["status", "return_method", "returned_at", "updated_at"])
        _event(dossier, EventKind.RETURNED, at=when, actor=actor, note=note, method=method)
        audit.record(actor=actor, obj=dossier, event="dossier.returned")
    return dossier


def _close(dossier: Dossier, *, when, status: str) -> None:
    dossier.steps.filter(completed_at__isnull=True).update(completed_at=when)
    dossier.pauses.filter(completed_at__isnull=True).update(completed_at=when)
    dossier.status = status
    dossier.closed_at = when
    dossier.handler = None


def dossier_refuse(*, actor, dossier: Dossier, reason: str, at: dt.datetime | None = None) -> Dossier:
    """Refuse the dossier with the reason given to the applicant (phiếu từ chối)."""
    if not reason.strip():
        raise DomainError(_("Cần nêu rõ lý do từ chối."), code="required", field="reason")
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT, action=_("từ chối"))
        when = _when(at, dossier=dossier)
        _close(dossier, when=when, status=DossierStatus.REFUSED)
        dossier.refusal_reason = reason.strip()
        dossier.save(update_fields=["status", "closed_at", "handler", "refusal_reason", "updated_at"])
        _event(dossier, EventKind.REFUSED, at=when, actor=actor, note=reason.strip())
        audit.record(actor=actor, obj=dossier, event="dossier.refused")
    return dossier


def dossier_withdraw(*, actor, dossier: Dossier, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, dossier.unit)
        _require_status(dossier, DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT, action=_("rút hồ sơ"))
        when = _when(at, dossier=dossier)
        _close(dossier, when=when, status=DossierStatus.WITHDRAWN)
        dossier.save(update_fields=["status", "closed_at", "handler", "updated_at"])
        _event(dossier, EventKind.WITHDRAWN, at=when, actor=actor, note=note)
        audit.record(actor=actor, obj=dossier, event="dossier.withdrawn")
    return dossier
