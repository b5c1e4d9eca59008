"""Pages of the unit tree, the home page and the acting-unit switch.

Every read goes through `scope_for` / `cchc.orgs.selectors`: a unit outside the user's
scope is a 404, never the object.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.core.audit import history_for
from cchc.core.htmx import render_page_or_partial

from . import throttle
from .forms import LoginForm, UnitFilterForm
from .middleware import SESSION_KEY, acting_unit_for
from .models import Membership, OrgUnit, UnitKind
from .scoping import Perm, scope_for
from .selectors import subtree, unit_list_for

UNITS_PER_PAGE = 100
CHILDREN_SHOWN = 50
HISTORY_SHOWN = 50
OFFICE_KINDS = (UnitKind.DISTRICT_OFFICE, UnitKind.COMMUNE_OFFICE, UnitKind.DIVISION)

# Internal columns an audit row carries but a reader does not need.
AUDIT_HIDDEN_FIELDS = {"id", "path", "depth", "name_folded"}
# Audit event codes written by cchc.orgs.services, as the user reads them.
EVENT_LABELS = {
    "unit.created": gettext_lazy("Tạo đơn vị"),
    "unit.updated": gettext_lazy("Cập nhật thông tin đơn vị"),
    "unit.moved": gettext_lazy("Chuyển sang đơn vị cấp trên khác"),
    "unit.closed": gettext_lazy("Giải thể đơn vị"),
    "unit.merged_into": gettext_lazy("Sáp nhập vào đơn vị khác"),
    "unit.split_into": gettext_lazy("Chia tách đơn vị"),
    "unit.taken_over_by": gettext_lazy("Chuyển giao nhiệm vụ"),
}


class LoginView(auth_views.LoginView):
    """Django's sign-in, refused for a while after repeated failures (cchc/orgs/throttle.py)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = throttle.login_wait(request, request.POST.get("username", ""))
        if wait:
            # The password is not checked at all: the form only carries the refusal.
            form = self.get_form()
            form.cleaned_data, form._errors = {}, ErrorDict()
            message = _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.")
            form.add_error(None, message % {"minutes": (wait + 59) // 60})
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        throttle.login_succeeded(self.request, form.cleaned_data.get("username", ""))
        return super().form_valid(form)

    def form_invalid(self, form):
        throttle.login_failed(self.request, form.data.get("username", ""))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    scope = scope_for(request.user)
    unit = acting_unit_for(request)
    if unit is not None:
        below = subtree(unit, include_closed=False).exclude(pk=unit.pk)
    elif scope.is_global:
        below = OrgUnit.objects.filter(closed_on__isnull=True)
    else:
        below = OrgUnit.objects.none()
    counts = below.aggregate(
        total=Count("pk"),
        schools=Count("pk", filter=Q(kind=UnitKind.SCHOOL)),
        offices=Count("pk", filter=Q(kind__in=OFFICE_KINDS)),
    )
    roles = [m for m in scope.memberships if unit is not None and m.unit_id == unit.pk]
    return render(
        request,
        "orgs/home.html",
        {
            "unit": unit,
            "parent": unit.parent if unit is not None and unit.parent_id else None,
            "roles": roles,
            "counts": counts,
            "is_global": scope.is_global,
        },
    )


def _top_depth(scope) -> int:
    """The depth of the user's highest unit: the tree is indented relative to it."""
    if scope.is_global or not scope.memberships:
        return 0
    return min(m.unit.depth for m in scope.memberships)


@login_required
def unit_list(request):
    scope = scope_for(request.user)
    form = UnitFilterForm(request.GET)
    filters = form.filters()
    under = scope.get_unit(filters["under"]) if filters["under"] else None
    units = unit_list_for(
        user=request.user,
        query=filters["query"],
        kind=filters["kind"],
        under=under,
        include_closed=filters["include_closed"],
    ).select_related("parent")
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    # A search or a kind filter gives scattered units: list them flat, each with its parent.
    as_tree = not (filters["query"] or filters["kind"])
    top = under.depth if under is not None else _top_depth(scope)
    rows = [
        {"unit": unit, "level": max(unit.depth - top, 0) if as_tree else 0} for unit in page
    ]
    context = {
        "form": form,
        "filters": filters,
        "under": under,
        "page": page,
        "rows": rows,
        "as_tree": as_tree,
    }
    return render_page_or_partial(
        request, "orgs/unit_list.html", "orgs/partials/_unit_rows.html", context
    )


def _audit_value(field, value, units: dict):
    """A stored audit value as the reader knows it: a choice's label, a unit's name."""
    if value is None or field is None:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is OrgUnit and value in units:
        return units[value].name
    return value


def _audit_rows(events) -> list[dict]:
    events = list(events)
    fields = {}
    for name in {name for event in events for name in (event.changes or {})}:
        try:
            fields[name] = OrgUnit._meta.get_field(name)
        except FieldDoesNotExist:  # a key that is not a field (successors, decision)
            fields[name] = None
    unit_ids = {
        value
        for event in events
        for name, values in (event.changes or {}).items()
        if fields[name] is not None and fields[name].is_relation and isinstance(values, list)
        for value in values
        if isinstance(value, int)
    }
    units = OrgUnit.objects.in_bulk(unit_ids) if unit_ids else {}  # one query for all rows
    rows = []
    for event in events:
        changes = []
        for name, values in (event.changes or {}).items():
            if name in AUDIT_HIDDEN_FIELDS:
                continue
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            if old in (None, "") and new in (None, ""):
                continue
            field = fields[name]
            changes.append(
                {
                    "field": field.verbose_name if field is not None else name,
                    "old": _audit_value(field, old, units),
                    "new": _audit_value(field, new, units),
                }
            )
        rows.append(
            {
                "at": event.at,
                "actor": event.actor,
                "label": EVENT_LABELS.get(event.event, event.event),
                "changes": changes,
            }
        )
    return rows


@login_required
def unit_detail(request, pk: int):
    scope = scope_for(request.user)
    unit = scope.get_unit(pk)
    ancestors = list(
        OrgUnit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("depth")
    )
    open_children = unit.children.filter(closed_on__isnull=True).order_by("name")
    can_manage = scope.can(Perm.MANAGE_UNITS, unit)
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": list(open_children[:CHILDREN_SHOWN]),
        "children_count": open_children.count(),
        "placements": unit.placements.select_related("parent").order_by("valid_from"),
        "successions": unit.successions.select_related("successor").order_by("effective_on"),
        "predecessions": unit.predecessions.select_related("predecessor").order_by("effective_on"),
        "can_manage": can_manage,
        "members": (
            Membership.objects.filter(unit=unit)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__username", "role")
            if can_manage
            else None
        ),
        "history": _audit_rows(history_for(unit)[:HISTORY_SHOWN]) if can_manage else None,
    }
    return render(request, "orgs/unit_detail.html", context)


def _safe_next(request, fallback: str = "home") -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def acting_unit_switch(request):
    """Act for another unit where the user holds a role (never any other unit)."""
    try:
        unit_id = int(request.POST.get("unit", ""))
    except ValueError:
        unit_id = None
    units = {m.unit_id: m.unit for m in scope_for(request.user).memberships}
    if unit_id not in units:
        messages.error(request, _("Bạn không có vai trò ở đơn vị đã chọn."))
        return redirect(_safe_next(request))
    request.session[SESSION_KEY] = unit_id
    messages.success(
        request, _("Bạn đang làm việc cho đơn vị: %(unit)s.") % {"unit": units[unit_id].name}
    )
    return redirect(_safe_next(request))
