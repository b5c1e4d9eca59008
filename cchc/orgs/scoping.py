"""The one scoping rule, in one place.

A user sees the data of the units in the subtrees where they hold a role (and the
records of the units those units succeeded), and may change only what their role
allows there. Every page, API endpoint and selector asks this module; nothing else
decides access.

    scope = scope_for(request.user)
    dossiers = scope.filter(Dossier.objects.all(), Perm.VIEW, unit_field="unit")
    unit = scope.get_unit(unit_id)                 # Http404 when outside the scope
    scope.require(Perm.MANAGE_UNITS, unit)         # PermissionDenied otherwise
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.core.errors import PermissionDenied

from .models import Membership, OrgUnit, Role, UnitSuccession


class Perm(StrEnum):
    VIEW = "view"
    UPDATE_PROGRESS = "update_progress"  # task progress, own unit's report drafts
    MANAGE_PLANS = "manage_plans"
    SUBMIT_REPORTS = "submit_reports"
    REVIEW_REPORTS = "review_reports"
    HANDLE_DOSSIERS = "handle_dossiers"
    HANDLE_FEEDBACK = "handle_feedback"
    MANAGE_UNITS = "manage_units"  # create, rename, restructure units; assign roles


_OFFICER = {
    Perm.VIEW,
    Perm.UPDATE_PROGRESS,
    Perm.MANAGE_PLANS,
    Perm.SUBMIT_REPORTS,
    Perm.REVIEW_REPORTS,
    Perm.HANDLE_FEEDBACK,
}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.VIEWER: frozenset({Perm.VIEW}),
    Role.STAFF: frozenset({Perm.VIEW, Perm.UPDATE_PROGRESS}),
    Role.ONE_STOP_DESK: frozenset({Perm.VIEW, Perm.HANDLE_DOSSIERS, Perm.HANDLE_FEEDBACK}),
    Role.REFORM_OFFICER: frozenset(_OFFICER),
    Role.UNIT_HEAD: frozenset(_OFFICER | {Perm.HANDLE_DOSSIERS}),
    Role.SYSTEM_ADMIN: frozenset(Perm),
}


@dataclass
class Scope:
    """What one user may see and change. Built once per request (memoised on the user)."""

    user: object
    is_global: bool = False
    # perm -> the paths of the subtrees where the user holds it
    _paths: dict[Perm, list[str]] = field(default_factory=dict)
    # paths of units whose records are visible because a scoped unit succeeded them
    _predecessor_paths: list[str] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    # --- questions -------------------------------------------------------------------
    def paths(self, perm: Perm = Perm.VIEW) -> list[str]:
        paths = list(self._paths.get(perm, []))
        if perm == Perm.VIEW:
            paths += self._predecessor_paths
        return paths

    def can(self, perm: Perm, unit: OrgUnit | None) -> bool:
        if unit is None:
            return False
        if self.is_global:
            return True
        return any(unit.path.startswith(p) for p in self.paths(perm))

    def require(self, perm: Perm, unit: OrgUnit | None) -> None:
        if not self.can(perm, unit):
            raise PermissionDenied()

    def has_any(self, perm: Perm) -> bool:
        return self.is_global or bool(self.paths(perm))

    # --- querysets -------------------------------------------------------------------
    def q(self, perm: Perm = Perm.VIEW, *, unit_field: str = "unit") -> Q:
        """A filter selecting records whose `unit_field` lies in the user's subtrees."""
        if self.is_global:
            return Q()
        prefix = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
        paths = _outermost(self.paths(perm))
        if not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{prefix: path})
        return condition

    def filter(self, queryset: QuerySet, perm: Perm = Perm.VIEW, *, unit_field: str = "unit"):
        return queryset.filter(self.q(perm, unit_field=unit_field))

    def units(self, perm: Perm = Perm.VIEW) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(self.q(perm, unit_field=""))

    def get_unit(self, unit_id, perm: Perm = Perm.VIEW) -> OrgUnit:
        """The unit, if the user may `perm` it; 404 otherwise (never reveals it exists)."""
        try:
            unit = OrgUnit.objects.get(pk=unit_id)
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if not self.can(Perm.VIEW, unit):
            raise Http404
        if perm != Perm.VIEW:
            self.require(perm, unit)
        return unit

    def get_object(self, queryset: QuerySet, perm: Perm = Perm.VIEW, *, unit_field="unit", **lookup):
        """One record by `lookup` inside the scope: 404 when missing or outside."""
        obj = self.filter(queryset, Perm.VIEW, unit_field=unit_field).filter(**lookup).first()
        if obj is None:
            raise Http404
        if perm != Perm.VIEW:
            unit = obj
            for part in unit_field.split("__") if unit_field else []:
                unit = getattr(unit, part)
            self.require(perm, unit)
        return obj


def _outermost(paths: list[str]) -> list[str]:
    """Drop paths already covered by another (a role in a unit and one in its child)."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def scope_for(user) -> Scope:
    """The scope of `user`; memoised on the user object for the request."""
    cached = getattr(user, "_cchc_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    if user is not None and getattr(user, "is_authenticated", False):
        user._cchc_scope = scope
    return scope


def _build_scope(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user=user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
    scope = Scope(user=user, memberships=memberships)
    if user.is_superuser or any(
        m.role == Role.SYSTEM_ADMIN and m.unit.parent_id is None for m in memberships
    ):
        scope.is_global = True
        return scope
    for membership in memberships:
        for perm in ROLE_PERMS[membership.role]:
            scope._paths.setdefault(perm, []).append(membership.unit.path)
    view_roots = [m.unit_id for m in memberships]
    if view_roots:
        # Records of units that closed into one of the user's units stay readable.
        predecessors = UnitSuccession.objects.filter(successor_id__in=view_roots).values_list(
            "predecessor__path", flat=True
        )
        scope._predecessor_paths = list(predecessors)
    return scope
