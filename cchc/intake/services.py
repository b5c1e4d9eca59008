"""Writes of the plan intake: a document becomes a draft, the user corrects it, the
draft becomes a plan.

Nothing enters `plans` until `draft_save`, and then all of it at once: the plan, its
kept indicators and its kept tasks, each through the plans services (so each is
validated and audited as if typed by hand), in one transaction — a failure on any item
leaves no plan behind. The unit names a task gives that match no unit of the tree are
listed before saving (`unmatched_unit_names`) for the user to map, so that no task is
silently given to the issuer.

Access: the draft's owner, holding `Perm.MANAGE_PLANS` on the unit that will issue the
plan (a plan is written by those who manage the issuer's plans).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError, PermissionDenied
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans import services as plan_services
from cchc.plans.models import Comparator, Plan, PlanKind, ReformArea
from cchc.plans.unit_refs import UnitReferenceResolver

from .document import Document
from .draft import Draft
from .extract import extract
from .models import IntakeDraft, ItemStatus

HEADER_FIELDS = (
    "issuer", "number", "symbol", "date", "place", "title", "kind", "period_start", "period_end",
    "implements", "purposes", "requirements",
)
INDICATOR_FIELDS = ("text", "comparator", "value", "unit", "area", "source_line", "confidence", "status")
TASK_FIELDS = (
    "content", "deliverable", "timeframe", "lead", "coordinating", "note", "group", "area",
    "source_line", "confidence", "status",
)
# Plan and task columns the JSON fills, and their lengths (longer text is cut, not refused).
_LIMITS = {"number": 20, "symbol": 60, "place": 80, "title": 500, "unit": 30}


def read_document(data: bytes, filename: str) -> Document:
    """The readers (DOCX, PDF, text) live in `cchc.intake.readers`; they raise DomainError."""
    from .readers import read_document as read

    return read(data, filename)


def looks_like_a_plan(document: Document) -> bool:
    from .readers import looks_like_a_plan as check

    return check(document)


@dataclass(frozen=True)
class ItemError:
    section: str  # "header" | "indicators" | "tasks" | "unit_mapping"
    index: int | None  # the item's position in its section
    field: str | None
    message: str


class DraftInvalid(DomainError):
    """The user's corrections have mistakes; `errors` says which item and field, each."""

    def __init__(self, errors: list[ItemError]):
        super().__init__(_("Bản nháp còn %(n)d lỗi, hãy sửa các ô được đánh dấu.") % {"n": len(errors)})
        self.errors = errors


def _require(actor, unit: OrgUnit) -> None:
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_PLANS, unit)


def _require_owner(actor, draft: IntakeDraft) -> None:
    if actor is not None and draft.owner_id != actor.pk and not scope_for(actor).is_global:
        raise PermissionDenied()
    _require(actor, draft.unit)


# --- create ----------------------------------------------------------------------------


def draft_json(draft: Draft) -> dict:
    """`Draft.to_json()` with each item's confidence and status (kept) and the purposes and
    requirements the plan is filled with."""
    data = draft.to_json()
    data["plan"]["purposes"] = draft.plan.purposes
    data["plan"]["requirements"] = draft.plan.requirements
    for section, items in (("indicators", draft.indicators), ("tasks", draft.tasks)):
        for item, source in zip(data[section], items, strict=True):
            item["confidence"] = round(float(source.confidence), 2)
            item["status"] = ItemStatus.KEPT.value
    return data


@transaction.atomic
def draft_create(*, actor, unit: OrgUnit, data: bytes, filename: str) -> IntakeDraft:
    """Read an uploaded plan document and keep what was read as the owner's draft.

    A file the readers cannot read is refused with their message; a readable file that
    does not look like a plan (no "KẾ HOẠCH", no tasks or targets) is refused too, and no
    draft is kept either way.
    """
    _require(actor, unit)
    document = read_document(data, filename)
    if not looks_like_a_plan(document):
        raise DomainError(_("Không nhận ra cấu trúc kế hoạch trong tệp."), field="file", code="not_a_plan")
    proposal = extract(document)
    draft = IntakeDraft(
        owner=actor,
        unit=unit,
        source_name=(document.source_name or filename or "")[:255],
        source_kind=(document.kind or "text")[:10],
        source_lines=[[line.number, line.text] for line in document.lines],
        draft=draft_json(proposal),
    )
    draft.save()
    audit.record(
        actor=actor, obj=draft, event="intake_draft.created",
        changes={"indicators": len(proposal.indicators), "tasks": len(proposal.tasks)},
    )
    return draft


# --- the user's corrections --------------------------------------------------------------


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _long_text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value, section, field, errors) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    errors.append(ItemError(section, None, field,
                            _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 10/01/2026.")))
    return text


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _plain_number(number: Decimal):
    return int(number) if number == number.to_integral() else float(number)


def _status(item: dict) -> str:
    status = item.get("status") or ItemStatus.KEPT
    return ItemStatus.REMOVED if status in (ItemStatus.REMOVED, True, "true", "on") else ItemStatus.KEPT


def _header(header: dict, errors: list[ItemError]) -> dict:
    out = {}
    for name in HEADER_FIELDS:
        value = header.get(name)
        if name in ("date", "period_start", "period_end"):
            out[name] = _date(value, "header", name, errors)
        elif name == "implements":
            lines = value.splitlines() if isinstance(value, str) else list(value or [])
            out[name] = [t for t in (_text(v) for v in lines) if t]
        elif name in ("purposes", "requirements"):
            out[name] = _long_text(value)
        else:
            out[name] = _text(value)
    if out["kind"] and out["kind"] not in PlanKind.values:
        errors.append(ItemError("header", None, "kind", _("Loại kế hoạch không hợp lệ.")))
    start, end = out["period_start"], out["period_end"]
    if start and end and not any(e.field in ("period_start", "period_end") for e in errors) and end < start:
        errors.append(ItemError("header", None, "period_end", _("Ngày kết thúc phải sau ngày bắt đầu.")))
    return out


def _indicator(index: int, item: dict, areas: set[str], errors: list[ItemError]) -> dict:
    out = {
        "text": _text(item.get("text")),
        "comparator": _text(item.get("comparator")),
        "value": item.get("value"),
        "unit": _text(item.get("unit")),
        "area": _text(item.get("area")),
        "source_line": item.get("source_line") or None,
        "confidence": float(item.get("confidence") if item.get("confidence") not in (None, "") else 1.0),
        "status": _status(item),
    }

    def error(field, message):
        errors.append(ItemError("indicators", index, field, message))

    try:
        value = _number(out["value"])
    except ValueError:
        error("value", _("“%(v)s” không phải là số.") % {"v": out["value"]})
        value = None
    else:
        out["value"] = None if value is None else _plain_number(value)
    if out["comparator"] is not None and out["comparator"] not in Comparator.values:
        error("comparator", _("Phép so sánh không hợp lệ."))
    if out["area"] is not None and out["area"] not in areas:
        error("area", _("Lĩnh vực không có trong danh mục."))
    if out["status"] == ItemStatus.KEPT:
        if not out["text"]:
            error("text", _("Vui lòng nhập nội dung chỉ tiêu."))
        if value is not None and (out["unit"] or "%") == "%" and not (0 <= value <= 100):
            error("value", _("Tỷ lệ phần trăm phải từ 0 đến 100."))
        elif value is not None and value < 0:
            error("value", _("Giá trị không được âm."))
    return out


def _task(index: int, item: dict, areas: set[str], errors: list[ItemError]) -> dict:
    out = {name: _text(item.get(name)) for name in TASK_FIELDS[:8]}
    out["source_line"] = item.get("source_line") or None
    out["confidence"] = float(item.get("confidence") if item.get("confidence") not in (None, "") else 1.0)
    out["status"] = _status(item)
    if out["area"] is not None and out["area"] not in areas:
        errors.append(ItemError("tasks", index, "area", _("Lĩnh vực không có trong danh mục.")))
    if out["status"] == ItemStatus.KEPT and not out["content"]:
        errors.append(ItemError("tasks", index, "content", _("Vui lòng nhập nội dung nhiệm vụ.")))
    return out


def _mapping(unit_mapping: dict, issuer: OrgUnit, errors: list[ItemError]) -> dict:
    ids = {str(v) for v in unit_mapping.values() if v not in (None, "")}
    known = set(
        OrgUnit.objects.filter(pk__in=[i for i in ids if i.isdecimal()], path__startswith=issuer.path)
        .values_list("pk", flat=True)
    )
    out = {}
    for name, value in unit_mapping.items():
        name = _text(name)
        if not name:
            continue
        if value in (None, ""):
            out[name] = None
        elif str(value).isdecimal() and int(value) in known:
            out[name] = int(value)
        else:
            message = _("Đơn vị chọn cho “%(name)s” không thuộc đơn vị ban hành.") % {"name": name}
            errors.append(ItemError("unit_mapping", None, name, message))
    return out


def _summary(data: dict, mapping: dict) -> dict:
    """What the audit trail keeps of a correction: the header, the counts, the mapping."""
    def kept(section):
        return sum(1 for i in data.get(section, []) if _status(i) == ItemStatus.KEPT)

    return {**{f"plan.{k}": v for k, v in data.get("plan", {}).items()},
            "indicators_kept": kept("indicators"), "tasks_kept": kept("tasks"), "unit_mapping": mapping}


@transaction.atomic
def draft_update(
    *, actor, draft: IntakeDraft, header: dict, indicators: list[dict], tasks: list[dict], unit_mapping: dict
) -> IntakeDraft:
    """Keep the user's corrections: the header, every item (removed ones stay, marked
    removed, so they can be taken back), and the mapping of unmatched unit names.

    Every mistake is reported at once, each with its item and field (`DraftInvalid`);
    nothing is kept until there is none. A draft already saved as a plan is not changed.
    """
    draft = IntakeDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    _require_owner(actor, draft)
    if draft.status != IntakeDraft.Status.OPEN:
        raise DomainError(_("Bản nháp này đã được lưu thành kế hoạch hoặc đã bỏ."), code="closed")
    areas = set(ReformArea.objects.values_list("key", flat=True))
    errors: list[ItemError] = []
    data = dict(draft.draft)
    data["plan"] = _header(header, errors)
    data["indicators"] = [_indicator(i, item, areas, errors) for i, item in enumerate(indicators)]
    data["tasks"] = [_task(i, item, areas, errors) for i, item in enumerate(tasks)]
    mapping = _mapping(unit_mapping, draft.unit, errors)
    if errors:
        raise DraftInvalid(errors)
    before = _summary(draft.draft, draft.unit_mapping)
    draft.draft, draft.unit_mapping = data, mapping
    draft.save(update_fields=["draft", "unit_mapping", "updated_at"])
    audit.record(actor=actor, obj=draft, event="intake_draft.updated", action="update",
                 changes=audit.diff(before, _summary(data, mapping)))
    return draft


@transaction.atomic
def draft_discard(*, actor, draft: IntakeDraft) -> IntakeDraft:
    """The user gives the draft up; it stays, closed, for the audit trail."""
    draft = IntakeDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    _require_owner(actor, draft)
    if draft.status != IntakeDraft.Status.OPEN:
        raise DomainError(_("Bản nháp này đã được lưu thành kế hoạch hoặc đã bỏ."), code="closed")
    draft.status = IntakeDraft.Status.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, obj=draft, event="intake_draft.discarded", action="action",
                 changes={"status": [IntakeDraft.Status.OPEN, IntakeDraft.Status.DISCARDED]})
    return draft


# --- units named by the tasks ----------------------------------------------------------


def _unit_texts(draft: IntakeDraft):
    for task in draft.kept("tasks"):
        for key in ("lead", "coordinating"):
            if task.get(key):
                yield task[key]


def unmatched_unit_names(draft: IntakeDraft, issuer: OrgUnit,
                         resolver: UnitReferenceResolver | None = None) -> list[str]:
    """The names, as written in the kept tasks' lead and coordinating columns, that match
    no unit of `issuer`'s tree (an outside body, a misspelling): each once, in order."""
    resolver = resolver or UnitReferenceResolver(issuer)
    names: dict[str, None] = {}
    for text in _unit_texts(draft):
        for part in resolver.resolve(text).unmatched:
            names.setdefault(" ".join(part.split()), None)
    return list(names)


def _mapped(result, mapping: dict, by_id: dict) -> list[OrgUnit]:
    units = [by_id.get(mapping.get(" ".join(part.split()))) for part in result.unmatched]
    return [u for u in units if u is not None]


def _lead_unit(text: str | None, resolver: UnitReferenceResolver, mapping: dict, by_id: dict,
               issuer: OrgUnit) -> OrgUnit:
    """The unit of the first part naming one unit ("Văn phòng Sở, các phòng" → Văn phòng
    Sở), else the unit its unmatched name was mapped to, else the issuer (as `task_add`
    gives a task whose lead is a group of units)."""
    if not text:
        return issuer
    result = resolver.resolve(text)
    for _part, members in result.matched:
        if isinstance(members, list) and len(members) == 1:
            return members[0]
    mapped = _mapped(result, mapping, by_id)
    if mapped:
        return mapped[0]
    return result.units[0] if len(result.units) == 1 else issuer


def _coordinating_units(text: str | None, resolver: UnitReferenceResolver, mapping: dict,
                        by_id: dict) -> list[OrgUnit]:
    if not text:
        return []
    result = resolver.resolve(text)
    units = list(result.units)
    seen = {u.pk for u in units}
    return units + [u for u in _mapped(result, mapping, by_id) if u.pk not in seen and not seen.add(u.pk)]


# --- save --------------------------------------------------------------------------------


def _required_header(plan: dict) -> dict:
    def date(name):
        value = plan.get(name)
        return dt.date.fromisoformat(value) if value else None

    values = {
        "title": plan.get("title") or "",
        "kind": plan.get("kind") or PlanKind.ANNUAL,
        "period_start": date("period_start"),
        "period_end": date("period_end"),
        "issued_on": date("date"),
    }
    if not values["title"].strip():
        raise DomainError(_("Vui lòng nhập trích yếu của kế hoạch."), field="title", code="required")
    if values["period_start"] is None or values["period_end"] is None:
        raise DomainError(_("Vui lòng nhập thời gian thực hiện của kế hoạch (từ ngày, đến ngày)."),
                          field="period_start" if values["period_start"] is None else "period_end",
                          code="required")
    return values


def _cut(value, name: str) -> str:
    return (value or "")[: _LIMITS.get(name, 10_000)]


@transaction.atomic
def draft_save(*, actor, draft: IntakeDraft, with_schedule: bool = False) -> Plan:
    """Create the plan the draft proposes: its header, then each kept indicator and each
    kept task, all in this one transaction (any refusal leaves no plan), each through the
    plans services; removed items are not created.

    A task's lead and coordinating units are the units its text names (resolved against
    the issuer's tree) plus those the user mapped the unmatched names to; the plan is not
    created while a name is neither matched nor mapped ("không gắn đơn vị" is a mapping).
    """
    draft = IntakeDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    _require_owner(actor, draft)
    if draft.status != IntakeDraft.Status.OPEN:
        raise DomainError(_("Bản nháp này đã được lưu thành kế hoạch hoặc đã bỏ."), code="closed")
    issuer = draft.unit
    resolver = UnitReferenceResolver(issuer)
    mapping = draft.unit_mapping or {}
    missing = [name for name in unmatched_unit_names(draft, issuer, resolver) if name not in mapping]
    if missing:
        raise DomainError(
            _("Còn %(n)d tên đơn vị chưa khớp (%(names)s): hãy chọn đơn vị cho từng tên, "
              "hoặc “Không gắn đơn vị”.")
            % {"n": len(missing), "names": "; ".join(missing)},
            field="unit_mapping", code="unmatched_units",
        )
    header = draft.draft.get("plan", {})
    plan = plan_services.plan_create(
        actor=actor,
        issuer=issuer,
        number=_cut(header.get("number"), "number"),
        symbol=_cut(header.get("symbol"), "symbol"),
        place=_cut(header.get("place"), "place"),
        implements_text="\n".join(header.get("implements") or []),
        purposes=header.get("purposes") or "",
        requirements=header.get("requirements") or "",
        **_required_header(header),
    )
    areas = {a.key: a for a in ReformArea.objects.all()}
    for indicator in draft.kept("indicators"):
        plan_services.indicator_add(
            actor=actor,
            plan=plan,
            text=indicator.get("text") or "",
            target=indicator.get("value"),
            comparator=indicator.get("comparator") or Comparator.GTE,
            unit_of_measure=_cut(indicator.get("unit") or "%", "unit"),
            area=areas.get(indicator.get("area")),
        )
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[v for v in mapping.values() if v])}
    for task in draft.kept("tasks"):
        plan_services.task_add(
            actor=actor,
            plan=plan,
            content=task.get("content") or "",
            deliverable=task.get("deliverable") or "",
            timeframe_text=task.get("timeframe") or "",
            lead_unit=_lead_unit(task.get("lead"), resolver, mapping, by_id, issuer),
            lead_text=task.get("lead") or "",
            coordinating_units=_coordinating_units(task.get("coordinating"), resolver, mapping, by_id),
            coordinating_text=task.get("coordinating") or "",
            note=task.get("note") or "",
            group=task.get("group") or "",
            area=areas.get(task.get("area")),
        )
    if with_schedule:
        proposed_schedule_create(actor=actor, draft=draft, plan=plan)
    draft.status, draft.plan = IntakeDraft.Status.SAVED, plan
    draft.save(update_fields=["status", "plan", "updated_at"])
    audit.record(actor=actor, obj=draft, event="intake_draft.saved", action="action",
                 changes={"status": [IntakeDraft.Status.OPEN, IntakeDraft.Status.SAVED],
                          "plan": [None, plan.pk]})
    return plan


def proposed_schedule_rule(draft: IntakeDraft) -> dict | None:
    """The reporting rule the document states ("quý I trước ngày 05/3 …"), if any."""
    from cchc.reporting.schedules import rule_from_reporting

    return rule_from_reporting(draft.draft.get("reporting") or [])


def proposed_schedule_create(*, actor, draft: IntakeDraft, plan: Plan):
    """Accept the importer's proposed reporting schedule as is: the plan's issuer receives
    the reports of its open lower units (offices, schools, centres), by the document's rule."""
    from cchc.orgs.models import UnitKind
    from cchc.reporting import services as reporting_services
    from cchc.reporting.models import ReporterDepth

    rule = proposed_schedule_rule(draft)
    if rule is None:
        raise DomainError(_("Văn bản không nêu hạn báo cáo đủ để lập chế độ báo cáo."), code="no_rule")
    kinds = sorted(
        set(
            OrgUnit.objects.filter(parent=plan.issuer, closed_on__isnull=True)
            .exclude(kind=UnitKind.DIVISION)
            .values_list("kind", flat=True)
        )
    )
    return reporting_services.schedule_create(
        actor=actor,
        owner=plan.issuer,
        plan=plan,
        name=_("Báo cáo CCHC định kỳ theo %(plan)s") % {"plan": plan.reference or plan.title},
        rule=rule,
        reporter_kinds=kinds or [UnitKind.SCHOOL],
        depth=ReporterDepth.CHILDREN,
    )
