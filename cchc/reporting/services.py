"""Writes to reporting: each function is one business action, atomic and audited.

Access (cchc.orgs.scoping): a schedule is set up by those holding `Perm.MANAGE_PLANS` on
its owner; a report is drafted by `Perm.UPDATE_PROGRESS` and submitted by
`Perm.SUBMIT_REPORTS` on the reporting unit; it is returned, accepted and reopened by
`Perm.REVIEW_REPORTS` on the schedule's owner (the receiving unit).

A report is never refused for lateness: the deadline of Decree 09/2019/NĐ-CP (chế độ
báo cáo của cơ quan hành chính nhà nước) is recorded — `is_late` — not enforced.
Drafts keep whatever was typed; the checks run on submission. Concurrent review of the
same report is serialised on the row (`select_for_update`): the first decision wins,
the second reviewer is told the report has just been handled.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError
from cchc.core.uploads import check_upload
from cchc.metrics.periods import Period, PeriodKind
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans.models import Comparator

from . import selectors
from .models import (
    CONTENT_FIELDS,
    DEFAULT_REQUIRED_SECTIONS,
    SECTIONS,
    Report,
    ReportAttachment,
    ReporterDepth,
    ReportingSchedule,
    ReportReview,
    ReportStatus,
    ReportVersion,
    ReviewAction,
)


def _schedules():
    # Imported when used: the rule module is a sibling that may be replaced in tests.
    from . import schedules

    return schedules


class EditConflict(DomainError):
    """The report was saved by someone else since this user opened it: nothing is overwritten."""

    def __init__(self, report: Report, changes: dict[str, tuple]):
        super().__init__(
            _("Báo cáo vừa được người khác cập nhật. Hãy xem phần thay đổi và lưu lại."),
            code="conflict",
        )
        self.obj = report
        self.changes = changes


class ReportInvalid(DomainError):
    """The report cannot be submitted yet; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, code="invalid", field=first_field)
        self.errors = errors


def _require(actor, perm: Perm, unit: OrgUnit | None) -> None:
    if actor is None:  # system jobs act without a user
        return
    scope_for(actor).require(perm, unit)


# --- schedules -------------------------------------------------------------------------

SCHEDULE_FIELDS = (
    "name",
    "rule",
    "period_kinds",
    "reporter_kinds",
    "units",
    "depth",
    "required_sections",
    "is_active",
    "plan",
)


def _check_schedule(schedule: ReportingSchedule, units: list[OrgUnit] | None) -> None:
    if not (schedule.name or "").strip():
        raise DomainError(_("Vui lòng nhập tên chế độ báo cáo."), field="name", code="required")
    schedule.name = schedule.name.strip()
    rules = _schedules()
    schedule.rule = rules.validate_rule(schedule.rule)
    covered = rules.covered_kinds(schedule.rule)
    # Without a choice, the schedule reports on every period its rule sets a date for.
    kinds = list(dict.fromkeys(schedule.period_kinds or covered))
    if not kinds:
        raise DomainError(_("Chọn ít nhất một kỳ báo cáo."), field="period_kinds", code="required")
    if any(k not in PeriodKind.values for k in kinds):
        raise DomainError(_("Loại kỳ báo cáo không hợp lệ."), field="period_kinds")
    uncovered = [PeriodKind(k).label for k in kinds if k not in covered]
    if uncovered:
        raise DomainError(
            _("Quy tắc hạn gửi chưa đặt hạn cho kỳ: %(kinds)s.") % {"kinds": ", ".join(map(str, uncovered))},
            field="period_kinds",
        )
    schedule.period_kinds = kinds
    reporters = list(dict.fromkeys(schedule.reporter_kinds or []))
    if any(k not in UnitKind.values for k in reporters):
        raise DomainError(_("Loại đơn vị báo cáo không hợp lệ."), field="reporter_kinds")
    schedule.reporter_kinds = reporters
    if not reporters and not units:
        raise DomainError(
            _("Chọn loại đơn vị báo cáo hoặc chỉ định đơn vị báo cáo."),
            field="reporter_kinds",
            code="required",
        )
    if schedule.depth not in ReporterDepth.values:
        raise DomainError(_("Phạm vi đơn vị báo cáo không hợp lệ."), field="depth")
    if any(s not in SECTIONS for s in schedule.required_sections or []):
        raise DomainError(_("Phần bắt buộc của báo cáo không hợp lệ."), field="required_sections")


@transaction.atomic
def schedule_create(
    *,
    actor,
    owner: OrgUnit,
    name: str,
    rule: dict,
    period_kinds: Iterable[str] = (),
    reporter_kinds: Iterable[str] = (),
    units: Iterable[OrgUnit] = (),
    depth: str = ReporterDepth.SUBTREE,
    required_sections: Iterable[str] | None = None,
    plan=None,
    is_active: bool = True,
) -> ReportingSchedule:
    """A reporting duty of `owner`'s lower units (chế độ báo cáo định kỳ)."""
    _require(actor, Perm.MANAGE_PLANS, owner)
    units = list(units)
    schedule = ReportingSchedule(
        owner=owner,
        plan=plan,
        name=name,
        rule=rule,
        period_kinds=list(period_kinds),
        reporter_kinds=list(reporter_kinds),
        depth=depth,
        required_sections=list(
            DEFAULT_REQUIRED_SECTIONS if required_sections is None else required_sections
        ),
        is_active=is_active,
    )
    _check_schedule(schedule, units)
    schedule.save()
    if units:
        schedule.units.set(units)
    audit.record(
        actor=actor,
        obj=schedule,
        event="reporting_schedule.created",
        after={**audit.snapshot(schedule), "units": [u.pk for u in units]},
    )
    return schedule


@transaction.atomic
def schedule_update(
    *, actor, schedule: ReportingSchedule, expected_version: int | None = None, **changes
) -> ReportingSchedule:
    """Edit a schedule. Reports already opened keep the due date they were given."""
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    current = ReportingSchedule.objects.select_for_update().select_related("owner").get(pk=schedule.pk)
    _require(actor, Perm.MANAGE_PLANS, current.owner)
    if expected_version is not None and current.version != expected_version:
        raise DomainError(
            _("Chế độ báo cáo vừa được người khác cập nhật. Vui lòng tải lại trang."),
            code="conflict",
        )
    before = {**audit.snapshot(current), "units": list(current.units.values_list("pk", flat=True))}
    units = changes.pop("units", None)
    for name, value in changes.items():
        setattr(current, name, value)
    units = list(units) if units is not None else list(current.units.all())
    _check_schedule(current, units)
    current.version += 1
    current.save()
    current.units.set(units)
    audit.record(
        actor=actor,
        obj=current,
        event="reporting_schedule.updated",
        before=before,
        after={**audit.snapshot(current), "units": [u.pk for u in units]},
    )
    return current


# --- reports: drafting and submitting ----------------------------------------------------


@transaction.atomic
def report_get_or_create(*, actor, schedule: ReportingSchedule, unit: OrgUnit, period: Period) -> Report:
    """The unit's report for the period, opened as a draft the first time.

    Only a unit the schedule expects for that period (it existed then and stood under
    the owner, see `selectors`) may open one. The cut-off and due date are computed from
    the schedule's rule now and kept with the report.
    """
    _require(actor, Perm.UPDATE_PROGRESS, unit)
    existing = Report.objects.filter(schedule=schedule, unit=unit, period_key=period.key).first()
    if existing is not None:
        return existing
    if not schedule.is_active:
        raise DomainError(_("Chế độ báo cáo này không còn áp dụng."), code="inactive")
    rules = _schedules()
    if period.kind not in schedule.period_kinds or not rules.covers(schedule.rule, period):
        raise DomainError(
            _("Chế độ báo cáo này không có kỳ “%(period)s”.") % {"period": period.label},
            field="period",
        )
    if not selectors.is_expected(schedule, unit, period):
        raise DomainError(
            _("Đơn vị “%(unit)s” không thuộc diện báo cáo kỳ %(period)s theo chế độ này.")
            % {"unit": unit.name, "period": period.label},
            code="not_expected",
        )
    cut_off_start, cut_off_end = rules.cut_off(schedule.rule, period)
    report, created = Report.objects.get_or_create(
        schedule=schedule,
        unit=unit,
        period_key=period.key,
        defaults={
            "cut_off_start": cut_off_start,
            "cut_off_end": cut_off_end,
            "due_date": rules.due_date(schedule.rule, period),
        },
    )
    if created:
        audit.record(actor=actor, obj=report, event="report.opened")
    return report


def _type_check(content: dict) -> dict:
    """Drafts accept anything of the right shape; the values are checked on submission."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    clean = {}
    for name, value in content.items():
        if name == "indicator_values":
            value = value or {}
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise DomainError(_("Số liệu chỉ tiêu không đúng định dạng."), field=name)
            value = {str(k): v for k, v in value.items()}
        elif name == "task_snapshot":
            value = value or {}
            if not isinstance(value, dict | list):
                raise DomainError(_("Tình hình thực hiện nhiệm vụ không đúng định dạng."), field=name)
        else:
            value = "" if value is None else value
            if not isinstance(value, str):
                raise DomainError(_("Nội dung phải là văn bản."), field=name)
        clean[name] = value
    return clean


def _is_filled(report: Report) -> bool:
    return any(getattr(report, name) for name in CONTENT_FIELDS)


def _locked_report(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("schedule__owner", "unit").get(
        pk=report.pk
    )


def _check_version(current: Report, expected_version: int, typed: dict) -> None:
    if current.version != expected_version:
        changed = {
            name: (value, getattr(current, name))
            for name, value in typed.items()
            if value != getattr(current, name)
        }
        raise EditConflict(current, changed)


def _refuse_not_editable(report: Report) -> None:
    if report.status == ReportStatus.SUBMITTED:
        raise DomainError(
            _("Báo cáo đã gửi, đang chờ đơn vị nhận báo cáo xử lý; không thể sửa."), code="not_editable"
        )
    if report.status == ReportStatus.ACCEPTED:
        raise DomainError(_("Báo cáo đã được tiếp nhận; không thể sửa."), code="not_editable")


@transaction.atomic
def report_save_draft(*, actor, report: Report, expected_version: int, **content) -> Report:
    """Keep what the unit typed, as typed (a draft may be incomplete or even wrong)."""
    typed = _type_check(content)
    current = _locked_report(report)
    _require(actor, Perm.UPDATE_PROGRESS, current.unit)
    _check_version(current, expected_version, typed)
    _refuse_not_editable(current)
    before = audit.snapshot(current)
    for name, value in typed.items():
        setattr(current, name, value)
    current.is_filled = _is_filled(current)
    current.version += 1
    current.save(update_fields=[*typed, "is_filled", "version", "updated_at"])
    audit.record(actor=actor, obj=current, event="report.draft_saved", before=before)
    return current


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    return Decimal(str(value).strip().replace(",", "."))


def _meets(value: Decimal, comparator: str, target: Decimal) -> bool:
    return {
        Comparator.GTE: value >= target,
        Comparator.GT: value > target,
        Comparator.LTE: value <= target,
        Comparator.LT: value < target,
        Comparator.EQ: value == target,
    }.get(comparator, value >= target)


def _validate_for_submission(report: Report) -> dict[str, str]:
    errors: dict[str, str] = {}
    required = report.schedule.required_sections or []
    messages = {
        "results": _("Vui lòng nêu kết quả đạt được theo từng lĩnh vực cải cách hành chính."),
        "limitations": _("Vui lòng nêu tồn tại, hạn chế và nguyên nhân."),
        "next_tasks": _("Vui lòng nêu nhiệm vụ trọng tâm kỳ tới."),
        "proposals": _("Vui lòng nêu đề xuất, kiến nghị."),
    }
    for name in SECTIONS:
        if name in required and not getattr(report, name).strip():
            errors[name] = messages[name]
    for key, entry in report.indicator_values.items():
        label = entry.get("label") or key
        prefix = f"indicator_values.{key}"
        try:
            value = _number(entry.get("value"))
        except InvalidOperation:
            errors[f"{prefix}.value"] = _("Chỉ tiêu “%(label)s”: “%(v)s” không phải là số.") % {
                "label": label,
                "v": entry.get("value"),
            }
            continue
        comment = str(entry.get("comment") or "").strip()
        if value is None:
            if not comment:
                errors[f"{prefix}.comment"] = _(
                    "Chỉ tiêu “%(label)s” chưa có số liệu: vui lòng nhập số liệu hoặc ghi rõ lý do."
                ) % {"label": label}
            continue
        if entry.get("unit", "%") == "%" and not Decimal(0) <= value <= Decimal(100):
            errors[f"{prefix}.value"] = _(
                "Chỉ tiêu “%(label)s”: tỷ lệ phải từ 0 đến 100%%, không thể là %(v)s%%."
            ) % {"label": label, "v": entry.get("value")}
            continue
        try:
            target = _number(entry.get("target"))
        except InvalidOperation:
            target = None
        if target is not None and not comment and not _meets(value, entry.get("comparator", ">="), target):
            errors[f"{prefix}.comment"] = _(
                "Chỉ tiêu “%(label)s” chưa đạt mục tiêu (%(v)s/%(t)s): vui lòng ghi rõ nguyên nhân."
            ) % {"label": label, "v": entry.get("value"), "t": entry.get("target")}
    return errors


@transaction.atomic
def report_submit(*, actor, report: Report, expected_version: int) -> Report:
    """Send the report to the receiving unit and freeze this version.

    Checked now (not while drafting): the schedule's required sections are written,
    percentages lie in 0–100, and an indicator that misses its target (or has no value)
    carries a comment. Lateness never blocks a submission (Decree 09/2019/NĐ-CP asks for
    the report, late or not): the first submission after the due date marks it late.

    The time recorded is the moment of this call. Two submissions of the same report (a
    double click, two officers) queue on the report's row: the second finds it sent and
    is told so. A submission locks only its own report, so on a deadline day units never
    wait on each other (tests/test_deadline_concurrency.py: 500 schools in one minute).
    """
    current = _locked_report(report)
    _require(actor, Perm.SUBMIT_REPORTS, current.unit)
    _check_version(current, expected_version, {})
    _refuse_not_editable(current)
    errors = _validate_for_submission(current)
    if errors:
        raise ReportInvalid(errors)
    before = audit.snapshot(current)
    now = timezone.now()
    if current.first_submitted_at is None:
        current.first_submitted_at = now
        current.is_late = timezone.localdate(now) > current.due_date
    current.submitted_at = now
    current.status = ReportStatus.SUBMITTED
    current.version += 1
    current.save(
        update_fields=["first_submitted_at", "is_late", "submitted_at", "status", "version", "updated_at"]
    )
    number = current.versions.count() + 1
    ReportVersion.objects.create(
        report=current,
        number=number,
        content=audit._plain(current.content()),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_at=now,
    )
    audit.record(
        actor=actor,
        obj=current,
        event="report.submitted",
        before=before,
        after={**audit.snapshot(current), "version_number": number},
    )
    return current


@transaction.atomic
def report_attach(*, actor, report: Report, uploaded_file) -> ReportAttachment:
    """Attach a file to an editable report, after checking what the file really is."""
    current = _locked_report(report)
    _require(actor, Perm.UPDATE_PROGRESS, current.unit)
    _refuse_not_editable(current)
    info = check_upload(uploaded_file)
    attachment = ReportAttachment(
        report=current,
        original_name=(getattr(uploaded_file, "name", "") or info.safe_name)[:255],
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(f"{current.pk}-{info.safe_name}", uploaded_file, save=False)
    attachment.save()
    audit.record(actor=actor, obj=attachment, event="report.attachment_added")
    return attachment


# --- reports: review -------------------------------------------------------------------


def _review(
    *, actor, report: Report, action: str, allowed_from: str, comment: str, event: str
) -> Report:
    current = _locked_report(report)
    _require(actor, Perm.REVIEW_REPORTS, current.schedule.owner)
    if current.status != allowed_from:
        # Another reviewer acted between this reviewer's page load and this click.
        raise DomainError(
            _("Báo cáo vừa được người khác xử lý (hiện ở trạng thái “%(status)s”). Vui lòng tải lại trang.")
            % {"status": current.get_status_display()},
            code="conflict",
        )
    before = audit.snapshot(current)
    if action == ReviewAction.ACCEPTED:
        current.status = ReportStatus.ACCEPTED
        current.accepted_at = timezone.now()
    else:  # returned, or reopened after acceptance: back to the unit for correction
        current.status = ReportStatus.RETURNED
        current.accepted_at = None
    current.version += 1
    current.save(update_fields=["status", "accepted_at", "version", "updated_at"])
    latest = current.versions.order_by("-number").values_list("number", flat=True).first()
    ReportReview.objects.create(
        report=current,
        action=action,
        comment=comment,
        reviewer=actor if getattr(actor, "is_authenticated", False) else None,
        version_number=latest,
    )
    audit.record(
        actor=actor,
        obj=current,
        event=event,
        before=before,
        after={**audit.snapshot(current), "comment": comment},
    )
    return current


def report_return(*, actor, report: Report, comment: str) -> Report:
    """Send a submitted report back to its unit with what to correct (comment required)."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Vui lòng nêu nội dung cần chỉnh sửa khi trả lại báo cáo."), field="comment", code="required"
        )
    with transaction.atomic():
        return _review(
            actor=actor,
            report=report,
            action=ReviewAction.RETURNED,
            allowed_from=ReportStatus.SUBMITTED,
            comment=comment,
            event="report.returned",
        )


def report_accept(*, actor, report: Report, comment: str = "") -> Report:
    """Accept a submitted report: it is locked until reopened."""
    with transaction.atomic():
        return _review(
            actor=actor,
            report=report,
            action=ReviewAction.ACCEPTED,
            allowed_from=ReportStatus.SUBMITTED,
            comment=(comment or "").strip(),
            event="report.accepted",
        )


def report_reopen(*, actor, report: Report, reason: str) -> Report:
    """Unlock an accepted report so its unit can correct and resubmit it (reason required).

    The first submission's time, and so its timeliness, stays as it was.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Vui lòng nêu lý do mở lại báo cáo."), field="reason", code="required")
    with transaction.atomic():
        return _review(
            actor=actor,
            report=report,
            action=ReviewAction.REOPENED,
            allowed_from=ReportStatus.ACCEPTED,
            comment=reason,
            event="report.reopened",
        )
