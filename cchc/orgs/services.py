"""Writes to the unit tree: every function is one transaction and leaves an audit trail.

Restructuring follows the 2025 reform of local government (Resolution 202/2025/QH15 on
the 34 provinces; Law on Organisation of Local Government 72/2025/QH15, two levels from
1 July 2025): a unit closes on its last day, its children move to the successor the
next day, and a `UnitSuccession` link records who went on with its work. Past records
keep their unit; the placements say where that unit stood when they were made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError, PermissionDenied, domain_error_from
from cchc.core.text import fold

from .models import (
    BEGINNING,
    FOREVER,
    Membership,
    OrgUnit,
    Role,
    SchoolLevel,
    UnitKind,
    UnitPlacement,
    UnitSuccession,
)
from .scoping import Perm, scope_for

ONE_DAY = dt.timedelta(days=1)

# Other apps register here the function that hands their open work (tasks, dossiers,
# reports due) from a closing unit to its successor:
#     fn(*, actor, predecessor, successor, effective_on) -> None
# It runs inside the restructuring transaction.
OPEN_WORK_MOVERS: list[Callable[..., None]] = []


def register_open_work_mover(fn: Callable[..., None]) -> Callable[..., None]:
    OPEN_WORK_MOVERS.append(fn)
    return fn


# Apps that copy unit paths onto their records (for one-index dashboards) register here
# the function that rewrites them when a subtree moves: fn(old_prefix, new_prefix).
PATH_LISTENERS: list[Callable[[str, str], None]] = []


def register_path_listener(fn: Callable[[str, str], None]) -> Callable[[str, str], None]:
    PATH_LISTENERS.append(fn)
    return fn


def _check(actor, perm: Perm, unit: OrgUnit | None) -> None:
    if actor is None:  # system jobs (generator, migrations) act without a user
        return
    scope = scope_for(actor)
    if unit is None:
        if not scope.is_global:
            raise PermissionDenied(_("Chỉ quản trị hệ thống được tạo đơn vị gốc."))
        return
    scope.require(perm, unit)


def _full_clean(unit: OrgUnit, exclude: list[str]) -> None:
    try:
        unit.full_clean(exclude=exclude)
    except ValidationError as error:
        raise domain_error_from(error) from None


def _check_closing_day(unit: OrgUnit, last_day: dt.date) -> None:
    if unit.opened_on and last_day < unit.opened_on:
        raise DomainError(
            _("Đơn vị “%(name)s” thành lập ngày %(day)s, không thể giải thể trước ngày đó.")
            % {"name": unit.name, "day": unit.opened_on.strftime("%d/%m/%Y")},
            field="effective_on",
        )


def _validate(*, name: str, kind: str, school_level: str, parent: OrgUnit | None, code: str):
    if not name or not name.strip():
        raise DomainError(_("Vui lòng nhập tên đơn vị."), field="name", code="required")
    if kind not in UnitKind.values:
        raise DomainError(_("Loại đơn vị không hợp lệ."), field="kind")
    if kind == UnitKind.SCHOOL and school_level not in SchoolLevel.values:
        raise DomainError(_("Trường học phải có cấp học."), field="school_level")
    if kind != UnitKind.SCHOOL and school_level:
        raise DomainError(_("Chỉ trường học mới có cấp học."), field="school_level")
    if not code or not code.strip():
        raise DomainError(_("Vui lòng nhập mã đơn vị."), field="code", code="required")
    if parent is not None and parent.closed_on is not None:
        raise DomainError(
            _("Đơn vị cấp trên đã giải thể, không thể thêm đơn vị trực thuộc."), field="parent"
        )


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str,
    code: str,
    parent: OrgUnit | None = None,
    school_level: str = "",
    short_name: str = "",
    opened_on: dt.date | None = None,
    address: str = "",
    email: str = "",
    phone: str = "",
) -> OrgUnit:
    """Create a unit under `parent` (a root when None) with its first placement."""
    _check(actor, Perm.MANAGE_UNITS, parent)
    _validate(name=name, kind=kind, school_level=school_level, parent=parent, code=code)
    if OrgUnit.objects.filter(code=code.strip()).exists():
        raise DomainError(_("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code}, field="code")
    unit = OrgUnit(
        name=name.strip(),
        name_folded=fold(name),
        short_name=short_name.strip(),
        kind=kind,
        school_level=school_level,
        code=code.strip(),
        parent=parent,
        opened_on=opened_on,
        address=address,
        email=email,
        phone=phone,
        path="",
    )
    _full_clean(unit, exclude=["path", "name_folded"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    UnitPlacement.objects.bulk_create(_initial_placements(unit, parent, opened_on or BEGINNING))
    audit.record(actor=actor, obj=unit, event="unit.created")
    return unit


def _initial_placements(unit: OrgUnit, parent: OrgUnit | None, start: dt.date) -> list[UnitPlacement]:
    """A new unit follows its parent's history from its own opening day.

    A school entered today with an opening date in 2020 under an office that moved in
    2025 stood under the office's old path until the move: copy each of the parent's
    placements that overlap the unit's life, clipped to its start.
    """
    if parent is None:
        return [UnitPlacement(unit=unit, parent=None, path=unit.path, valid_from=start)]
    rows = [
        UnitPlacement(
            unit=unit,
            parent=parent,
            path=f"{placement.path}{unit.pk}/",
            valid_from=max(placement.valid_from, start),
            valid_to=placement.valid_to,
        )
        for placement in UnitPlacement.objects.filter(unit=parent, valid_to__gte=start).order_by(
            "valid_from"
        )
    ]
    return rows or [UnitPlacement(unit=unit, parent=parent, path=unit.path, valid_from=start)]


EDITABLE_FIELDS = ("name", "short_name", "school_level", "address", "email", "phone", "opened_on")


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, **changes) -> OrgUnit:
    """Change a unit's descriptive fields (not its place in the tree: see `unit_move`)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Không thể sửa trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check(actor, Perm.MANAGE_UNITS, unit)
    before = audit.snapshot(unit)
    for name, value in changes.items():
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    _validate(
        name=unit.name,
        kind=unit.kind,
        school_level=unit.school_level,
        parent=None,
        code=unit.code,
    )
    unit.name_folded = fold(unit.name)
    _full_clean(unit, exclude=["path", "name_folded", "parent"])
    if "opened_on" in changes and unit.opened_on != before["opened_on"]:
        _reopen_history(unit)
    unit.save()
    audit.record(actor=actor, obj=unit, event="unit.updated", before=before)
    return unit


def _reopen_history(unit: OrgUnit) -> None:
    """A corrected opening date moves the start of the unit's first placement."""
    start = unit.opened_on or BEGINNING
    first = UnitPlacement.objects.filter(unit=unit).order_by("valid_from").first()
    if first is None:
        return
    if start > first.valid_to or (unit.closed_on and start > unit.closed_on):
        raise DomainError(
            _("Ngày thành lập phải trước lần sắp xếp hoặc giải thể đầu tiên của đơn vị."),
            field="opened_on",
        )
    first.valid_from = start
    first.save(update_fields=["valid_from"])


def _move_subtree(unit: OrgUnit, new_parent: OrgUnit, effective_on: dt.date) -> int:
    """Re-root `unit`'s current subtree under `new_parent` from `effective_on`.

    Closes the open placements of every open unit of the subtree on the day before and
    opens new ones with the new paths, in bulk; returns the number of units moved.
    """
    old_prefix = unit.path
    new_prefix = f"{new_parent.path}{unit.pk}/"
    if new_prefix.startswith(old_prefix):
        raise DomainError(_("Không thể chuyển một đơn vị vào chính đơn vị trực thuộc nó."))
    subtree = OrgUnit.objects.filter(path__startswith=old_prefix)
    # Placements still valid on the effective day (open, or closing on a later day).
    current = list(
        UnitPlacement.objects.filter(path__startswith=old_prefix, valid_to__gte=effective_on)
    )
    if any(p.valid_from >= effective_on for p in current):
        raise DomainError(
            _("Ngày hiệu lực phải sau lần sắp xếp gần nhất của đơn vị."), field="effective_on"
        )
    new_rows = [
        UnitPlacement(
            unit_id=placement.unit_id,
            parent_id=new_parent.pk if placement.unit_id == unit.pk else placement.parent_id,
            path=new_prefix + placement.path[len(old_prefix):],
            valid_from=effective_on,
            valid_to=placement.valid_to,
        )
        for placement in current
    ]
    UnitPlacement.objects.filter(pk__in=[p.pk for p in current]).update(
        valid_to=effective_on - ONE_DAY
    )
    UnitPlacement.objects.bulk_create(new_rows, batch_size=2000)
    depth_shift = new_parent.depth + 1 - unit.depth
    # Units closed before the move keep the path they had when they closed.
    subtree.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=effective_on)).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_shift,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    for listener in PATH_LISTENERS:
        listener(old_prefix, new_prefix)
    unit.refresh_from_db()
    return len(new_rows)


@transaction.atomic
def unit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit, effective_on: dt.date) -> OrgUnit:
    """Put `unit` (with its subtree) under `new_parent` from `effective_on`."""
    _check(actor, Perm.MANAGE_UNITS, unit)
    _check(actor, Perm.MANAGE_UNITS, new_parent)
    if new_parent.closed_on is not None:
        raise DomainError(_("Đơn vị cấp trên mới đã giải thể."), field="new_parent")
    before = audit.snapshot(unit, ["parent"])
    _move_subtree(unit, new_parent, effective_on)
    audit.record(
        actor=actor,
        obj=unit,
        event="unit.moved",
        before=before,
        after={"parent": new_parent.pk},
    )
    return unit


def _close(unit: OrgUnit, closed_on: dt.date) -> None:
    unit.closed_on = closed_on
    unit.save(update_fields=["closed_on", "updated_at"])
    UnitPlacement.objects.filter(unit=unit, valid_to=FOREVER).update(valid_to=closed_on)


@transaction.atomic
def unit_close(*, actor, unit: OrgUnit, closed_on: dt.date) -> OrgUnit:
    """Dissolve a unit with no open children: it stays in the tree, closed, with its history."""
    _check(actor, Perm.MANAGE_UNITS, unit)
    if unit.closed_on is not None:
        raise DomainError(_("Đơn vị đã giải thể từ trước."))
    if unit.children.filter(closed_on__isnull=True).exists():
        raise DomainError(
            _("Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy chuyển chúng trước khi giải thể.")
        )
    _check_closing_day(unit, closed_on)
    before = audit.snapshot(unit)
    _close(unit, closed_on)
    audit.record(actor=actor, obj=unit, event="unit.closed", before=before)
    return unit


@transaction.atomic
def units_merge(
    *,
    actor,
    predecessors: Iterable[OrgUnit],
    successor: OrgUnit,
    effective_on: dt.date,
    decision: str = "",
    move_memberships: bool = True,
) -> OrgUnit:
    """Merge units into `successor` from `effective_on`.

    Each predecessor closes on the day before; its open children move under the
    successor; the roles held in it move to the successor (staff follow their work);
    every registered open-work mover hands over its open items; a succession link keeps
    the lineage. Records made before stay with the predecessor and its placements, so
    past periods roll up as they were.
    """
    predecessors = list({p.pk: p for p in predecessors}.values())
    if not predecessors:
        raise DomainError(_("Chọn ít nhất một đơn vị được sáp nhập."))
    _check(actor, Perm.MANAGE_UNITS, successor)
    last_day = effective_on - ONE_DAY
    for predecessor in predecessors:
        _check(actor, Perm.MANAGE_UNITS, predecessor)
        if predecessor.pk == successor.pk:
            raise DomainError(_("Đơn vị không thể sáp nhập vào chính nó."))
        if predecessor.closed_on is not None:
            raise DomainError(
                _("Đơn vị “%(name)s” đã giải thể từ trước.") % {"name": predecessor.name}
            )
        _check_closing_day(predecessor, last_day)
    _check_can_receive(successor, effective_on)
    for predecessor in predecessors:
        _hand_over(
            actor=actor,
            predecessor=predecessor,
            children_to={child.pk: successor for child in _open_children(predecessor)},
            successors=[successor],
            kind=UnitSuccession.Kind.MERGED_INTO,
            effective_on=effective_on,
            last_day=last_day,
            decision=decision,
            move_memberships=move_memberships,
        )
    return successor


@transaction.atomic
def unit_split(
    *,
    actor,
    predecessor: OrgUnit,
    successors: list[OrgUnit],
    children_to: dict[int, OrgUnit],
    effective_on: dt.date,
    decision: str = "",
) -> list[OrgUnit]:
    """Split `predecessor` into `successors`; `children_to` says where each child goes.

    Every open child must be assigned; roles stay with the closed unit (the users are
    given roles in the successors by the administrator, who knows who goes where).
    """
    _check(actor, Perm.MANAGE_UNITS, predecessor)
    for successor in successors:
        _check(actor, Perm.MANAGE_UNITS, successor)
    if predecessor.closed_on is not None:
        raise DomainError(_("Đơn vị “%(name)s” đã giải thể từ trước.") % {"name": predecessor.name})
    _check_closing_day(predecessor, effective_on - ONE_DAY)
    successor_ids = {s.pk for s in successors}
    if any(target.pk not in successor_ids for target in children_to.values()):
        raise DomainError(_("Đơn vị trực thuộc chỉ được chuyển về một trong các đơn vị tiếp nhận."))
    for successor in successors:
        _check_can_receive(successor, effective_on)
    missing = [c.name for c in _open_children(predecessor) if c.pk not in children_to]
    if missing:
        raise DomainError(
            _("Chưa chọn đơn vị tiếp nhận cho: %(names)s.") % {"names": ", ".join(missing)}
        )
    _hand_over(
        actor=actor,
        predecessor=predecessor,
        children_to=children_to,
        successors=successors,
        kind=UnitSuccession.Kind.SPLIT_INTO,
        effective_on=effective_on,
        last_day=effective_on - ONE_DAY,
        decision=decision,
        move_memberships=False,
    )
    return successors


def _check_can_receive(successor: OrgUnit, effective_on: dt.date) -> None:
    if successor.closed_on is not None:
        raise DomainError(
            _("Đơn vị tiếp nhận “%(name)s” đã giải thể.") % {"name": successor.name}
        )
    if successor.opened_on and successor.opened_on > effective_on:
        raise DomainError(
            _("Đơn vị tiếp nhận “%(name)s” chưa thành lập vào ngày hiệu lực.")
            % {"name": successor.name}
        )


def _open_children(unit: OrgUnit) -> list[OrgUnit]:
    return list(unit.children.filter(closed_on__isnull=True).order_by("path"))


def _hand_over(
    *,
    actor,
    predecessor: OrgUnit,
    children_to: dict[int, OrgUnit],
    successors: list[OrgUnit],
    kind: str,
    effective_on: dt.date,
    last_day: dt.date,
    decision: str,
    move_memberships: bool,
) -> None:
    before = audit.snapshot(predecessor)
    for child in _open_children(predecessor):
        _move_subtree(child, children_to[child.pk], effective_on)
    _close(predecessor, last_day)
    for successor in successors:
        UnitSuccession.objects.create(
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            effective_on=effective_on,
            decision=decision,
        )
        for mover in OPEN_WORK_MOVERS:
            mover(
                actor=actor,
                predecessor=predecessor,
                successor=successor,
                effective_on=effective_on,
            )
    if move_memberships and len(successors) == 1:
        _move_memberships(predecessor, successors[0])
    audit.record(
        actor=actor,
        obj=predecessor,
        event=f"unit.{kind}",
        before=before,
        after={
            **audit.snapshot(predecessor),
            "successors": [s.pk for s in successors],
            "decision": decision,
        },
    )


def _move_memberships(predecessor: OrgUnit, successor: OrgUnit) -> None:
    existing = set(
        Membership.objects.filter(unit=successor).values_list("user_id", "role")
    )
    for membership in Membership.objects.filter(unit=predecessor):
        if (membership.user_id, membership.role) in existing:
            membership.delete()
        else:
            membership.unit = successor
            membership.save(update_fields=["unit", "updated_at"])


@transaction.atomic
def membership_grant(*, actor, user, unit: OrgUnit, role: str, title: str = "") -> Membership:
    """Give `user` a role in `unit`. Only a unit manager above may do it."""
    if role not in Role.values:
        raise DomainError(_("Vai trò không hợp lệ."), field="role")
    _check(actor, Perm.MANAGE_UNITS, unit)
    if role == Role.SYSTEM_ADMIN and actor is not None and not scope_for(actor).is_global:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được cấp quyền quản trị."))
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if created:
        audit.record(actor=actor, obj=membership, event="membership.granted")
    _forget_scope(user)
    return membership


def _forget_scope(user) -> None:
    """A role changed: the user's memoised scope must be rebuilt."""
    if hasattr(user, "_cchc_scope"):
        del user._cchc_scope


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    _check(actor, Perm.MANAGE_UNITS, membership.unit)
    before = audit.snapshot(membership)
    audit.record(
        actor=actor, obj=membership, event="membership.revoked", action="delete", before=before
    )
    membership.delete()
    _forget_scope(membership.user)
