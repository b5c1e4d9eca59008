"""Pages of the plan intake: upload a plan document, review the proposed plan beside the
source, correct it, save it as a plan.

A draft is seen only by its owner (and system administrators), and only while they
manage the plans of the unit that will issue it: anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.core.errors import DomainError
from cchc.orgs.middleware import acting_unit_for
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans.unit_refs import UnitReferenceResolver

from . import services
from .forms import HeaderForm, IndicatorFormSet, TaskFormSet, UploadForm, _area_choices, item_initial
from .models import IntakeDraft

OPEN_DRAFTS_SHOWN = 10


def _managed_units(request):
    """The units the user may issue plans for (as on "Tạo kế hoạch")."""
    scope = scope_for(request.user)
    ids = [m.unit_id for m in scope.memberships if scope.can(Perm.MANAGE_PLANS, m.unit)]
    units = OrgUnit.objects.filter(pk__in=ids, closed_on__isnull=True)
    if scope.is_global and not ids:
        units = OrgUnit.objects.filter(parent__isnull=True, closed_on__isnull=True)
    return units.order_by("depth", "name")


def _draft_for(request, pk) -> IntakeDraft:
    """The user's own draft of a unit whose plans they manage; 404 for anything else."""
    draft = IntakeDraft.objects.select_related("unit", "plan").filter(pk=pk).first()
    scope = scope_for(request.user)
    if draft is None or (draft.owner_id != request.user.pk and not scope.is_global):
        raise Http404
    if not scope.can(Perm.MANAGE_PLANS, draft.unit):
        raise Http404
    return draft


# --- upload ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intake_upload(request):
    units = _managed_units(request)
    if not units.exists():
        raise Forbidden
    acting = acting_unit_for(request)
    initial = {"unit": acting.pk if acting is not None and units.filter(pk=acting.pk).exists() else None}
    form = UploadForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft = services.draft_create(
                actor=request.user, unit=form.cleaned_data["unit"], data=upload.read(), filename=upload.name
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("intake_review", pk=draft.pk)
    drafts = (
        IntakeDraft.objects.filter(owner=request.user, status=IntakeDraft.Status.OPEN)
        .select_related("unit")[:OPEN_DRAFTS_SHOWN]
    )
    return render(request, "intake/upload.html", {"form": form, "drafts": drafts})


# --- review ------------------------------------------------------------------------------


def _mapping_choices(issuer: OrgUnit):
    """The units an unmatched name can be mapped to: the issuer, its direct units and
    the divisions below them (schools are matched by name; thousands would not fit)."""
    units = OrgUnit.objects.filter(path__startswith=issuer.path, closed_on__isnull=True).filter(
        depth__lte=issuer.depth + 1
    ) | OrgUnit.objects.filter(
        path__startswith=issuer.path, closed_on__isnull=True, depth=issuer.depth + 2, kind=UnitKind.DIVISION
    )
    return list(units.order_by("path").values_list("pk", "name"))


def _mapping_rows(names: list[str], mapping: dict, posted=None) -> list[dict]:
    rows = []
    for i, name in enumerate(names):
        if posted is not None:
            chosen = posted.get(f"map-{i}", "")
        elif name in mapping:
            chosen = "none" if mapping[name] is None else str(mapping[name])
        else:
            chosen = ""
        rows.append({"index": i, "name": name, "chosen": chosen})
    return rows


def _posted_mapping(request) -> dict:
    mapping = {}
    for key, name in request.POST.items():
        if not key.startswith("map-name-"):
            continue
        chosen = request.POST.get(f"map-{key.removeprefix('map-name-')}", "")
        if chosen == "none":
            mapping[name] = None
        elif chosen:
            mapping[name] = chosen
    return mapping


def _item_forms(formset) -> list:
    """The forms that are items: every proposed one, and the "+ Thêm" ones filled in."""
    return [f for f in formset.forms if f.cleaned_data and not (f.is_blank_extra() and f.extra_form)]


def _items(formset) -> list[dict]:
    return [f.item() for f in _item_forms(formset)]


def _place_errors(error: services.DraftInvalid, header, indicators, tasks, mapping_rows) -> list[str]:
    """Each service error next to its field; what has no field goes above the form."""
    loose = []
    kept = {"indicators": _item_forms(indicators), "tasks": _item_forms(tasks)}
    for item in error.errors:
        if item.section == "header" and item.field in header.fields:
            header.add_error(item.field, item.message)
        elif item.section in kept and item.index is not None and item.index < len(kept[item.section]):
            form = kept[item.section][item.index]
            form.add_error(item.field if item.field in form.fields else None, item.message)
        elif item.section == "unit_mapping":
            for row in mapping_rows:
                if row["name"] == item.field:
                    row["error"] = item.message
            loose.append(item.message)
        else:
            loose.append(item.message)
    return loose


def _formsets(draft: IntakeDraft, data=None):
    areas = _area_choices()
    kwargs = {"form_kwargs": {"area_choices": areas}}
    if data is not None:
        header = HeaderForm(data, prefix="plan")
        indicators = IndicatorFormSet(data, prefix="ind", **kwargs)
        tasks = TaskFormSet(data, prefix="task", **kwargs)
    else:
        proposal = draft.draft
        header = HeaderForm(prefix="plan", initial=HeaderForm.initial_from(proposal.get("plan", {})))
        indicators = IndicatorFormSet(
            prefix="ind", initial=[item_initial(i) for i in proposal.get("indicators", [])], **kwargs
        )
        tasks = TaskFormSet(
            prefix="task", initial=[item_initial(t) for t in proposal.get("tasks", [])], **kwargs
        )
    for formset in (indicators, tasks):
        for i, form in enumerate(formset.forms):
            form.extra_form = i >= formset.initial_form_count()
    return header, indicators, tasks


@login_required
@require_http_methods(["GET", "POST"])
def intake_review(request, pk: int):
    draft = _draft_for(request, pk)
    if draft.status == IntakeDraft.Status.SAVED and draft.plan_id:
        messages.info(request, _("Bản nháp này đã được lưu thành kế hoạch."))
        return redirect("plan_detail", pk=draft.plan_id)
    if draft.status != IntakeDraft.Status.OPEN:
        raise Http404
    issuer = draft.unit
    names = services.unmatched_unit_names(draft, issuer, UnitReferenceResolver(issuer))
    posted = request.POST if request.method == "POST" else None
    header, indicators, tasks = _formsets(draft, posted)
    mapping_rows = _mapping_rows(names, draft.unit_mapping or {}, posted)
    top_errors: list[str] = []

    if posted is not None and request.POST.get("action") == "discard":
        services.draft_discard(actor=request.user, draft=draft)
        messages.info(request, _("Đã bỏ bản nháp “%(name)s”.") % {"name": draft.source_name})
        return redirect("intake_upload")
    if posted is not None and all(f.is_valid() for f in (header, indicators, tasks)):
        try:
            draft = services.draft_update(
                actor=request.user,
                draft=draft,
                header=header.values(),
                indicators=_items(indicators),
                tasks=_items(tasks),
                unit_mapping=_posted_mapping(request),
            )
        except services.DraftInvalid as error:
            top_errors = [error.message, *_place_errors(error, header, indicators, tasks, mapping_rows)]
        except DomainError as error:
            top_errors = [error.message]
        else:
            if request.POST.get("action") != "create":
                messages.success(request, _("Đã lưu bản nháp."))
                return redirect("intake_review", pk=draft.pk)
            try:
                plan = services.draft_save(
                    actor=request.user, draft=draft, with_schedule=request.POST.get("with_schedule") == "on"
                )
            except DomainError as error:
                if error.field in header.fields:
                    header.add_error(error.field, error.message)
                top_errors = [error.message]
                # The corrections are kept; the names to map may have changed with them.
                names = services.unmatched_unit_names(draft, issuer)
                mapping_rows = _mapping_rows(names, draft.unit_mapping or {})
            else:
                messages.success(
                    request,
                    _("Đã tạo kế hoạch từ văn bản: %(n)d chỉ tiêu, %(m)d nhiệm vụ.")
                    % {"n": plan.indicators.count(), "m": plan.tasks.count()},
                )
                return redirect("plan_detail", pk=plan.pk)
    elif posted is not None:
        top_errors = [_("Một số ô chưa hợp lệ, hãy sửa các ô được đánh dấu.")]

    context = {
        "draft": draft,
        "schedule_rule": services.proposed_schedule_rule(draft),
        "lines": draft.source_lines,
        "header": header,
        "indicators": indicators,
        "tasks": tasks,
        "mapping_rows": mapping_rows,
        "mapping_choices": _mapping_choices(issuer),
        "top_errors": top_errors,
        "units_of_measure": indicators.form.units_of_measure,
    }
    return render(request, "intake/review.html", context)
