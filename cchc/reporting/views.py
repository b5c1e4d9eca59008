"""Pages of periodic reporting: the reports a unit must send, the report form with its
versions, the review by the receiving unit, and completeness of reporting.

Every read goes through `cchc.reporting.selectors` (scoped: 404 outside the user's
scope); every write through the services, whose DomainError goes back next to its field.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.core.errors import DomainError
from cchc.core.errors import PermissionDenied as DomainForbidden
from cchc.core.uploads import CONTENT_TYPES
from cchc.documents.spreadsheets import workbook_response
from cchc.metrics.periods import Period
from cchc.orgs.middleware import acting_unit_for
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans import selectors as plan_selectors
from cchc.plans.docx_export import DOCX_CONTENT_TYPE
from cchc.plans.models import TaskStatus
from cchc.plans.timeframes import overdue_working_days

from . import exports, selectors, services
from . import schedules as rules
from .consolidation import consolidate
from .forms import SECTION_LABELS, CompletenessForm, ReportForm, ReviewForm, period_or_none
from .models import SECTIONS, Report, ReportAttachment, ReportStatus, ReviewAction
from .reminders import UnitReminder, reminders_for_unit

AWAITING_SHOWN = 50
HISTORY_PERIODS = 8


def _number(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


# --- the reports a unit must send -----------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """A report the unit must act on, with how late it is (for "trễ N ngày làm việc")."""

    reminder: UnitReminder
    days_late: int

    def __getattr__(self, name):
        return getattr(self.reminder, name)


def duties_for(*, unit: OrgUnit | None, today: dt.date) -> list[Duty]:
    """The unit's due, overdue and returned reports (`reminders.reminders_for_unit`)."""
    if unit is None:
        return []
    return [
        Duty(r, overdue_working_days(r.due_date, today) if r.state == "overdue" else 0)
        for r in reminders_for_unit(unit, today=today)
    ]


def awaiting_review_for(*, user) -> list[Report]:
    """Submitted reports the user may review (its units receive them), oldest first."""
    scope = scope_for(user)
    if not scope.has_any(Perm.REVIEW_REPORTS):
        return []
    reports = selectors.report_list_for(user=user, status=ReportStatus.SUBMITTED).filter(
        scope.q(Perm.REVIEW_REPORTS, unit_field="schedule__owner")
    )
    return list(reports.order_by("submitted_at")[:AWAITING_SHOWN])


@login_required
def report_home(request):
    unit = acting_unit_for(request)
    today = timezone.localdate()
    duties = duties_for(unit=unit, today=today)
    context = {
        "unit": unit,
        "today": today,
        "duties": duties,
        "awaiting": awaiting_review_for(user=request.user),
        "recent": list(
            selectors.report_list_for(user=request.user).filter(unit=unit).order_by("-period_key")[:12]
        )
        if unit
        else [],
        "can_completeness": bool(_completeness_schedules(request.user)),
    }
    return render(request, "reporting/report_home.html", context)


@login_required
@require_POST
def report_open(request):
    """Open (first time: create) the acting unit's report for a schedule and period."""
    unit = acting_unit_for(request)
    schedule = (
        selectors.schedule_list_for(user=request.user).filter(pk=request.POST.get("schedule") or 0).first()
    )
    period = period_or_none(request.POST.get("period", ""))
    if unit is None or schedule is None or period is None:
        raise Http404
    try:
        report = services.report_get_or_create(
            actor=request.user, schedule=schedule, unit=unit, period=period
        )
    except DomainForbidden:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("report_home")
    return redirect("report_edit", pk=report.pk)


# --- the report form ---------------------------------------------------------------


def _indicator_rows(report: Report, period: Period, today: dt.date) -> list[dict]:
    """The plan's indicators for the unit: metric-bound values measured now (while the
    report is editable), manual ones as typed in the draft or else as entered in plans."""
    saved = report.indicator_values or {}
    rows, seen = [], set()
    plan = report.schedule.plan
    if plan is not None and report.is_editable:
        for status in plan_selectors.indicator_values(
            plan=plan, unit=report.unit, period=period, today=today
        ):
            indicator = status.indicator
            if indicator.applies_to_kinds and report.unit.kind not in indicator.applies_to_kinds:
                continue
            key = str(indicator.pk)
            old = saved.get(key, {})
            measured = _number(status.value)
            rows.append(
                {
                    "key": key,
                    "label": indicator.text,
                    "target": _number(indicator.target),
                    "comparator": indicator.comparator,
                    "unit": indicator.unit_of_measure,
                    "source": status.source,
                    "value": measured if status.source == "metric" else old.get("value", measured),
                    "comment": old.get("comment", ""),
                }
            )
            seen.add(key)
    for key, entry in saved.items():
        if key not in seen:
            rows.append({"source": "manual", **entry, "key": key, "value": _number(entry.get("value"))})
    return rows


def _task_counts(report: Report, today: dt.date) -> dict:
    """The unit's tasks in the schedule's plan (its own and derived plans), by status."""
    if report.task_snapshot or report.schedule.plan is None:
        return report.task_snapshot if isinstance(report.task_snapshot, dict) else {}
    open_ = Q(status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])
    return (
        plan_selectors.cascade_tasks(report.schedule.plan, report.unit)
        .exclude(status=TaskStatus.CANCELLED)
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            in_progress=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS)),
            not_started=Count("pk", filter=Q(status=TaskStatus.NOT_STARTED)),
            overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
        )
    )


def _initial(report: Report, rows: list[dict], today: dt.date) -> dict:
    initial = {"expected_version": report.version, "comments": report.comments}
    initial.update({name: getattr(report, name) for name in SECTIONS})
    initial.update({f"task_{k}": v for k, v in _task_counts(report, today).items()})
    for index, row in enumerate(rows):
        initial[f"ind{index}_value"] = row.get("value", "")
        initial[f"ind{index}_comment"] = row.get("comment", "")
    return initial


def _report_form(report, rows, *, user, data=None, files=None, initial=None):
    scope = scope_for(user)
    return ReportForm(
        data,
        files,
        initial=initial,
        indicator_rows=rows,
        required_sections=report.schedule.required_sections or [],
        readonly=not (report.is_editable and scope.can(Perm.UPDATE_PROGRESS, report.unit)),
    )


def _report_context(request, report: Report, form: ReportForm, **extra) -> dict:
    scope = scope_for(request.user)
    today = timezone.localdate()
    last_review = report.reviews.order_by("-at", "-id").select_related("reviewer").first()
    editable = report.is_editable and scope.can(Perm.UPDATE_PROGRESS, report.unit)
    return {
        "report": report,
        "period": Period.from_key(report.period_key),
        "form": form,
        "today": today,
        "days_late": overdue_working_days(report.due_date, today) if report.first_submitted_at is None else 0,
        "editable": editable,
        "can_submit": editable and scope.can(Perm.SUBMIT_REPORTS, report.unit),
        "can_review": scope.can(Perm.REVIEW_REPORTS, report.schedule.owner),
        "last_review": last_review,
        "versions": list(report.versions.order_by("-number").select_related("submitted_by")),
        "attachments": list(report.attachments.order_by("created_at")),
        "can_consolidate": editable and _owns_schedules(report.unit),
        **extra,
    }


@login_required
def report_edit(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    period = Period.from_key(report.period_key)
    today = timezone.localdate()
    rows = _indicator_rows(report, period, today)
    if request.method != "POST":
        form = _report_form(report, rows, user=request.user, initial=_initial(report, rows, today))
        return render(request, "reporting/report_form.html", _report_context(request, report, form))

    if not scope_for(request.user).can(Perm.UPDATE_PROGRESS, report.unit):
        raise PermissionDenied
    submit = request.POST.get("action") == "submit"
    form = _report_form(report, rows, user=request.user, data=request.POST, files=request.FILES)
    conflict = None
    if form.is_valid():
        try:
            # Saved first: whatever the submission check says, nothing typed is lost.
            report = services.report_save_draft(
                actor=request.user,
                report=report,
                expected_version=form.cleaned_data["expected_version"],
                **form.content(),
            )
            for uploaded in form.uploads():
                services.report_attach(actor=request.user, report=report, uploaded_file=uploaded)
            if submit:
                report = services.report_submit(
                    actor=request.user, report=report, expected_version=report.version
                )
        except services.ReportInvalid as error:
            form = _rebound(report, rows, request)
            form.add_service_errors(error.errors)
        except services.EditConflict as error:
            conflict = error
            form = _rebound(error.obj, rows, request)
            form.add_error(None, error.message)
        except DomainForbidden:
            raise PermissionDenied from None
        except DomainError as error:
            form = _rebound(report, rows, request)
            form.add_error(form.field_for(error.field), error.message)
        else:
            if submit:
                message = (
                    _("Đã gửi báo cáo. Báo cáo được ghi nhận là gửi trễ hạn.")
                    if report.is_late
                    else _("Đã gửi báo cáo đúng hạn.")
                )
            else:
                message = _("Đã lưu nháp.")
            messages.success(request, message)
            return redirect("report_edit", pk=report.pk)
    report.refresh_from_db()
    context = _report_context(request, report, form, conflict=_conflict_rows(conflict))
    return render(request, "reporting/report_form.html", context, status=200)


def _rebound(report: Report, rows, request) -> ReportForm:
    """The typed form again, valid against the report's current version (the draft was
    just saved, or someone else's save is now the one to build on)."""
    data = request.POST.copy()
    data["expected_version"] = str(Report.objects.values_list("version", flat=True).get(pk=report.pk))
    form = _report_form(report, rows, user=request.user, data=data)
    form.is_valid()
    if request.FILES:
        form.add_error("files", str(_reselect()))
    return form


def _reselect():
    from cchc.plans.forms_tasks import RESELECT_FILES

    return RESELECT_FILES


def _conflict_rows(conflict) -> list[dict]:
    if conflict is None:
        return []
    labels = {
        **SECTION_LABELS,
        "comments": _("Ý kiến khác"),
        "indicator_values": _("Số liệu chỉ tiêu"),
        "task_snapshot": _("Tình hình thực hiện nhiệm vụ"),
    }
    return [
        {"label": labels.get(name, name), "theirs": theirs}
        for name, (_mine, theirs) in conflict.changes.items()
    ]


@login_required
def report_attachment(request, pk: int):
    attachment = ReportAttachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    selectors.report_get_for(user=request.user, pk=attachment.report_id)  # 404 outside the scope
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = attachment.content_type if attachment.content_type in CONTENT_TYPES.values() else None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- versions ------------------------------------------------------------------------


def _word_diff(before: str, after: str) -> tuple[list, list]:
    """Two lists of (changed, text) pieces, word by word, for a side-by-side view."""
    old, new = (before or "").split(" "), (after or "").split(" ")
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append((tag != "equal", " ".join(old[i1:i2])))
        if j2 > j1:
            right.append((tag != "equal", " ".join(new[j1:j2])))
    return left, right


def _indicator_changes(before: dict, after: dict) -> list[dict]:
    before, after = before or {}, after or {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key, {}), after.get(key, {})
        if (old.get("value"), old.get("comment")) != (new.get("value"), new.get("comment")):
            changes.append({"label": new.get("label") or old.get("label") or key, "old": old, "new": new})
    return changes


@login_required
def report_versions(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    versions = {v.number: v for v in report.versions.select_related("submitted_by").order_by("number")}
    numbers = sorted(versions)

    def pick(name, default):
        try:
            number = int(request.GET.get(name, default))
        except (TypeError, ValueError):
            number = default
        return versions.get(number)

    older = pick("a", numbers[-2] if len(numbers) > 1 else 0)
    newer = pick("b", numbers[-1] if numbers else 0)
    sections, indicators = [], []
    if older and newer:
        diff = selectors.version_diff(older, newer)
        labels = {**SECTION_LABELS, "comments": _("Ý kiến khác")}
        for name in (*SECTIONS, "comments"):
            if name in diff:
                left, right = _word_diff(*diff[name])
                sections.append({"label": labels[name], "left": left, "right": right})
        if "indicator_values" in diff:
            indicators = _indicator_changes(*diff["indicator_values"])
    context = {
        "report": report,
        "period": Period.from_key(report.period_key),
        "versions": [versions[n] for n in reversed(numbers)],
        "older": older,
        "newer": newer,
        "sections": sections,
        "indicators": indicators,
        "tasks_changed": bool(
            older and newer and older.content.get("task_snapshot") != newer.content.get("task_snapshot")
        ),
    }
    return render(request, "reporting/report_versions.html", context)


# --- review --------------------------------------------------------------------------


def _review_actions(report: Report) -> list[str]:
    if report.status == ReportStatus.SUBMITTED:
        return ["accept", "return"]
    if report.status == ReportStatus.ACCEPTED:
        return ["reopen"]
    return []


REVIEW_DONE = {
    "accept": gettext_lazy("Đã tiếp nhận báo cáo."),
    "return": gettext_lazy("Đã trả lại báo cáo cho đơn vị chỉnh sửa."),
    "reopen": gettext_lazy("Đã mở lại báo cáo để đơn vị chỉnh sửa."),
}


@login_required
def report_review(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    if not scope_for(request.user).can(Perm.REVIEW_REPORTS, report.schedule.owner):
        raise PermissionDenied
    actions = _review_actions(report)
    if request.method == "POST":
        # The actions of the page as loaded: a click after another reviewer's decision
        # reaches the service, which says what happened.
        form = ReviewForm(request.POST, actions=["accept", "return", "reopen"])
        if form.is_valid():
            action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
            service = {
                "accept": lambda: services.report_accept(actor=request.user, report=report, comment=comment),
                "return": lambda: services.report_return(actor=request.user, report=report, comment=comment),
                "reopen": lambda: services.report_reopen(actor=request.user, report=report, reason=comment),
            }[action]
            try:
                service()
            except DomainForbidden:
                raise PermissionDenied from None
            except DomainError as error:
                field = "comment" if error.field in ("comment", "reason") else None
                form.add_error(field, error.message)
            else:
                messages.success(request, str(REVIEW_DONE[action]))
                return redirect("report_review", pk=report.pk)
        form.fields["action"].choices = [c for c in ReviewForm.ACTIONS if c[0] in actions] or form.fields[
            "action"
        ].choices
        report.refresh_from_db()
    else:
        form = ReviewForm(actions=actions)
    context = {
        "report": report,
        "period": Period.from_key(report.period_key),
        "form": form,
        "actions": actions,
        "reviews": list(report.reviews.select_related("reviewer").order_by("-at", "-id")),
        "versions": list(report.versions.order_by("-number")),
        "attachments": list(report.attachments.order_by("created_at")),
        "section_rows": [(SECTION_LABELS[n], getattr(report, n)) for n in SECTIONS],
        "indicator_rows": list((report.indicator_values or {}).values()),
        "ReviewAction": ReviewAction,
    }
    return render(request, "reporting/report_review.html", context)


# --- completeness ------------------------------------------------------------------


def _completeness_schedules(user) -> list:
    """Schedules whose completeness the user may read: owned by a unit in the user's scope."""
    scope = scope_for(user)
    return [s for s in selectors.schedule_list_for(user=user) if scope.can(Perm.VIEW, s.owner)]


def _periods_for(schedule, today: dt.date) -> list[Period]:
    try:
        entries = [
            e
            for year in (today.year - 1, today.year, today.year + 1)
            for e in rules.calendar(schedule.rule, schedule.period_kinds, year)
        ]
    except DomainError:
        return []
    periods = [e.period for e in entries if e.period.start <= today]
    return sorted(dict.fromkeys(periods), key=lambda p: (p.end, -p.days))


COMPLETENESS_SERIES = (
    ("done", gettext_lazy("Gửi đúng hạn")),
    ("in_progress", gettext_lazy("Gửi trễ hạn")),
    ("not_started", gettext_lazy("Đang soạn, chưa gửi")),
    ("overdue", gettext_lazy("Chưa gửi")),
)


def _chart_stack(counts) -> dict:
    return {
        "done": counts.on_time,
        "in_progress": counts.late,
        "not_started": counts.drafts,
        "overdue": counts.missing - counts.drafts,
    }


def _rate(value) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


@login_required
def report_completeness(request):
    today = timezone.localdate()
    schedules = _completeness_schedules(request.user)
    form = CompletenessForm(request.GET or None, schedules=schedules, periods_for=_periods_for)
    values = form.values(today)
    schedule, period = values["schedule"], values["period"]
    context = {"form": form, "schedule": schedule, "period": period, "today": today, "schedules": schedules}
    if schedule is None or period is None:
        return render(request, "reporting/completeness.html", context)
    unit = schedule.owner
    if values["unit_id"]:
        unit = scope_for(request.user).get_unit(values["unit_id"])  # 404 outside the scope
        if not unit.path.startswith(schedule.owner.path):
            raise Http404
    try:
        table = selectors.completeness_for(user=request.user, schedule=schedule, period=period, unit=unit)
        missing = list(
            selectors.missing_units(user=request.user, schedule=schedule, period=period, unit=unit)[:200]
        )
    except DomainForbidden:
        raise Http404 from None
    under_path = selectors.path_in(unit, period)
    shown = [p for p in values["periods"] if p.end <= period.end][-HISTORY_PERIODS:]
    history = [
        {"period": p, "counts": selectors.completeness_counts(schedule, p, under_path=under_path)}
        for p in shown
    ]
    rows = [{"unit": child, "counts": counts} for child, counts in table.rows if counts.expected]
    if table.own.expected:
        rows.insert(0, {"unit": unit, "counts": table.own, "own": True})
    chart_rows = rows[:25]
    charts = {
        "units": {
            "labels": [r["unit"].name for r in chart_rows],
            "series": [
                {
                    "key": key,
                    "label": str(label),
                    "data": [_chart_stack(r["counts"])[key] for r in chart_rows],
                }
                for key, label in COMPLETENESS_SERIES
            ],
        },
        "history": {
            "labels": [h["period"].label for h in history],
            "series": [
                {"key": key, "label": str(label), "data": [_chart_stack(h["counts"])[key] for h in history]}
                for key, label in COMPLETENESS_SERIES
            ],
        },
    }
    try:
        calendar = rules.calendar(schedule.rule, schedule.period_kinds, period.year)
    except DomainError:
        calendar = []
    drill_path = [
        u
        for u in OrgUnit.objects.filter(
            pk__in=[*unit.ancestor_ids, unit.pk], path__startswith=schedule.owner.path
        )
        .only("id", "name", "path", "depth")
        .order_by("depth")
    ]
    context.update(
        {
            "unit": unit,
            "table": table,
            "total": table.total,
            "rates": {
                "completeness": _rate(table.total.completeness_rate),
                "timeliness": _rate(table.total.timeliness_rate),
                "acceptance": _rate(table.total.acceptance_rate),
            },
            "rows": rows,
            "missing": missing,
            "history": history,
            "charts": charts,
            "calendar": calendar,
            "drill_path": drill_path,
            "calendar_export_url": _calendar_export_url(schedule, period.year),
        }
    )
    return render(request, "reporting/completeness.html", context)


def _calendar_export_url(schedule, year: int) -> str:
    return reverse("report_calendar_xlsx", args=[schedule.pk]) + f"?year={year}"


# --- consolidation and downloads (cchc.reporting.consolidation, .exports) -----------------


def _owns_schedules(unit: OrgUnit) -> bool:
    return unit.reporting_schedules.filter(is_active=True).exists()


@login_required
@require_POST
def report_consolidate(request, pk: int):
    """Pre-fill a unit's own report from what its lower units sent (the draft is replaced)."""
    report = selectors.report_get_for(user=request.user, pk=pk)
    try:
        result = consolidate(
            actor=request.user,
            schedule=report.schedule,
            unit=report.unit,
            period=Period.from_key(report.period_key),
        )
    except DomainForbidden:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        reported = sum(1 for c in result.children if c.reported)
        messages.success(
            request,
            _("Đã tổng hợp từ báo cáo của %(n)d/%(total)d đơn vị cấp dưới; vui lòng rà soát trước khi gửi.")
            % {"n": reported, "total": len(result.children)},
        )
    return redirect("report_edit", pk=report.pk)


def _filename(report: Report, extension: str) -> str:
    return f"bao-cao-{report.unit.code or report.unit.pk}-{report.period_key}.{extension}"


@login_required
def report_docx(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    response = HttpResponse(exports.consolidated_docx(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(report, "docx")
    )
    return response


@login_required
def report_xlsx(request, pk: int):
    report = selectors.report_get_for(user=request.user, pk=pk)
    return workbook_response(exports.consolidated_xlsx(report), _filename(report, "xlsx"))


@login_required
def report_calendar_xlsx(request, pk: int):
    schedule = next((s for s in _completeness_schedules(request.user) if s.pk == pk), None)
    if schedule is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        workbook = exports.schedule_calendar_xlsx(schedule, year)
    except (ValueError, DomainError):
        raise Http404 from None
    return workbook_response(workbook, f"lich-bao-cao-{schedule.pk}-{year}.xlsx")
